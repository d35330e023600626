/**
 * Runs the real Terraform CLI on synthesized stacks, offline: providers come from a local
 * filesystem mirror of the hashicorp/aws plugin, never from the registry.
 *
 * Configuration:
 *   APIGW_SFN_TF_PLUGIN_DIR  mirror root, the folder holding registry.terraform.io (default /opt/tf-plugins)
 *   TERRAFORM                Terraform binary (default: terraform on PATH)
 */
import { spawnSync } from "node:child_process";
import { run } from "./run";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const AWS_PROVIDER_VERSION = "5.100.0";
const DEFAULT_PLUGIN_DIR = "/opt/tf-plugins";

function platform(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386" }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** The mirror root; throws naming the missing piece when the aws provider plugin is not in it. */
export function providerMirror(): string {
  const root = process.env.APIGW_SFN_TF_PLUGIN_DIR || DEFAULT_PLUGIN_DIR;
  const pluginDir = path.join(root, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, platform());
  const hasPlugin = fs.existsSync(pluginDir) && fs.readdirSync(pluginDir).some((file) => file.startsWith("terraform-provider-aws_"));
  if (!hasPlugin) {
    throw new Error(
      `the hashicorp/aws ${AWS_PROVIDER_VERSION} provider plugin for ${platform()} is missing: expected ` +
        `${pluginDir}/terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5. Set APIGW_SFN_TF_PLUGIN_DIR to the ` +
        `mirror root (the folder that holds registry.terraform.io); ` +
        `\`find / -name 'terraform-provider-aws_*'\` finds the plugin.`,
    );
  }
  return root;
}

/** The Terraform binary; throws when it does not run. */
export function terraformBinary(): string {
  const binary = process.env.TERRAFORM || "terraform";
  const result = spawnSync(binary, ["version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new Error(
      `Terraform is missing: "${binary} version" failed (${result.error?.message ?? result.stderr}). ` +
        "Install Terraform >= 1.9 on PATH or set TERRAFORM to its path.",
    );
  }
  return binary;
}

let cliConfig: string | undefined;

/** Environment for Terraform: a CLI configuration that installs providers from the mirror only. */
export function terraformEnv(): NodeJS.ProcessEnv {
  if (!cliConfig) {
    const mirror = providerMirror();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-tfrc-"));
    cliConfig = path.join(dir, "terraform.rc");
    // A plugin cache of this process's own (Terraform's cache is not safe for concurrent writers):
    // every later init links the 600 MB provider from it instead of copying it into the folder.
    fs.writeFileSync(
      cliConfig,
      `plugin_cache_dir = ${JSON.stringify(path.join(dir, "plugin-cache"))}\n` +
        `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`,
    );
    fs.mkdirSync(path.join(dir, "plugin-cache"));
  }
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    TF_INPUT: "0",
  };
}

export interface TerraformResult {
  readonly status: number;
  readonly output: string;
  readonly stdout: string;
}

/** Runs a Terraform command in a folder and returns its exit status and combined output. */
export async function terraform(dir: string, args: readonly string[]): Promise<TerraformResult> {
  const result = await run(terraformBinary(), [...args, "-no-color"], { cwd: dir, env: terraformEnv() });
  return { status: result.status, output: result.output, stdout: result.stdout };
}

/** `terraform init` from the mirror; throws with Terraform's output when it fails. */
export async function terraformInit(dir: string): Promise<void> {
  const result = await terraform(dir, ["init", "-input=false", "-backend=false"]);
  if (result.status !== 0) throw new Error(`terraform init failed in ${dir}:\n${result.output}`);
}
