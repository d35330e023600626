/**
 * `npx cdktf diff` and `npx cdktf deploy` offline (every HTTP request goes to a closed port), with
 * the provider from a filesystem mirror named in a CLI configuration file, as docs/deploy.md says:
 * with --skip-provider-lock they get through synth, `terraform init` and the provider lock, and stop
 * only where AWS is needed, for lack of credentials, with the AWS provider's own message. No AWS credential reaches them (none in the environment, no shared
 * files, no instance metadata), so nothing is ever created.
 *
 * Slow: each command synthesizes, initializes a stack folder from the mirror and plans (some tens
 * of seconds on two cores).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyProject } from "../support/project";
import { CDKTF_CLI_STARTS, run } from "../support/run";
import { testEnv } from "../support/synth";
import { providerMirror } from "../support/terraform";

let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  project = copyProject();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-deploy-"));
  // The CLI configuration docs/deploy.md gives, nothing more (no plugin cache, no dev override).
  const cliConfig = path.join(dir, "terraform.rc");
  fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(providerMirror())}\n  }\n}\n`);
  const noCredentials: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(testEnv())) {
    if (!name.startsWith("AWS_") && !/^(https?|no)_proxy$/i.test(name)) noCredentials[name] = value;
  }
  env = {
    ...noCredentials,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: cliConfig,
    // Where the AWS provider would look for credentials: nowhere that has any.
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "no-credentials"),
    AWS_CONFIG_FILE: path.join(dir, "no-config"),
    AWS_EC2_METADATA_DISABLED: "true",
    // Offline whatever the machine can reach: every HTTP(S) request goes to a closed port.
    HTTPS_PROXY: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    CI: "1",
  };
});

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

/** Runs a cdktf command in the fixture project, writing to a new output folder (a first run: no lock file yet). */
async function cdktf(args: string[]) {
  const outdir = fs.mkdtempSync(path.join(project, "out-"));
  const result = await run("npx", ["cdktf", ...args, "--output", outdir], { cwd: project, env, timeoutMs: 300_000 });
  // Colours off for the assertions (cdktf colours Terraform's output).
  const output = result.output.replace(/\x1b\[[0-9;]*m/g, "");
  return { ...result, output, stackDir: path.join(outdir, "stacks", "apigw-sfn") };
}

/** What AWS's provider says when it finds no credentials. */
const NO_CREDENTIALS = /No valid credential sources found/;

it.skipIf(!CDKTF_CLI_STARTS)(
  "needs --skip-provider-lock on a first run: without it the CLI's `terraform providers lock` asks the registry",
  async () => {
    const result = await cdktf(["diff"]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/Could not retrieve providers for locking/);
    expect(result.output).toMatch(/registry\.terraform\.io/);
    expect(result.output).not.toMatch(/Error: Failed to query available provider packages/); // init itself used the mirror
    expect(result.output).not.toMatch(NO_CREDENTIALS);
  },
);

describe.each([
  ["diff", ["diff", "--skip-provider-lock"]],
  ["deploy", ["deploy", "--skip-provider-lock", "--auto-approve"]],
])("npx cdktf %s --skip-provider-lock from the mirror", (_name, args) => {
  it.skipIf(!CDKTF_CLI_STARTS)("gets through synth, init and the provider lock, and fails only for lack of AWS credentials", async () => {
    const result = await cdktf(args);
    expect(result.status, result.output).not.toBe(0);
    expect(result.output).toMatch(NO_CREDENTIALS);
    expect(result.output).toMatch(/failed to refresh cached credentials/);
    expect(result.output).not.toMatch(/registry\.terraform\.io: failed to request|Could not retrieve providers for locking/);
    // terraform init wrote the lock file, from the mirror: the provider's version and its checksum.
    const lock = fs.readFileSync(path.join(result.stackDir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\n\s+version\s+= "5\.100\.0"/);
    expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
    // Nothing was planned, so nothing can have been applied.
    expect(fs.existsSync(path.join(result.stackDir, "terraform.tfstate"))).toBe(false);
  });
});
