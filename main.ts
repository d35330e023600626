/**
 * The app: reads the configuration and synthesizes the root stack `apigw-sfn` (what `cdktf deploy`
 * applies) and, when the configuration asks (`npm run synth:module`), the reusable module
 * `apigw-sfn-module`. `synth()` is what the entry points call (scripts/synth-entry.ts for
 * `npm run synth` and `cdktf synth`; scripts/local.ts for the offline API); only entry points
 * print errors and exit the process.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { type AppConfig, loadConfig, readCdktfContext } from "./stacks/config";
import { ApigwSfnStack } from "./stacks/apigw-sfn-stack";
import { ApigwSfnModuleStack } from "./stacks/module-stack";

/** The root stack's name: the folder under cdktf.out/stacks that `cdktf deploy` applies. */
export const ROOT_STACK = "apigw-sfn";
/** The reusable module's name. */
export const MODULE_STACK = "apigw-sfn-module";

export interface SynthOptions {
  /** Output folder. @default $CDKTF_OUTDIR, else cdktf.out (cdktf's default) */
  readonly outdir?: string;
  /** Environment variables the configuration is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** cdktf.json whose `context` holds settings. @default the project's cdktf.json */
  readonly cdktfJson?: string;
}

export interface SynthResult {
  readonly config: AppConfig;
  /** The output folder (holds manifest.json and stacks/). */
  readonly outdir: string;
  /** The folder of each stack written, by stack name. */
  readonly stackDirs: Readonly<Record<string, string>>;
}

/**
 * Reads the configuration and writes the stacks. Throws on a bad configuration or workflow
 * before anything is written (a ConfigError, TemplateError or construct error naming the problem).
 */
export function synth(options: SynthOptions = {}): SynthResult {
  const env = options.env ?? process.env;
  const config = loadConfig({ context: readCdktfContext(options.cdktfJson ?? path.join(__dirname, "cdktf.json")), env });
  // cdktf's App creates its output folder at once: one that did not exist goes again if the stacks
  // cannot be built (a construct's check, such as an AWS quota, failed), so that nothing is written.
  const outdir = options.outdir ?? env.CDKTF_OUTDIR ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const outdirExisted = fs.existsSync(outdir);
  const app = new App({ outdir, hclOutput: env.SYNTH_HCL_OUTPUT === "true" });
  try {
    new ApigwSfnStack(app, ROOT_STACK, { config });
    if (config.moduleOutput) new ApigwSfnModuleStack(app, MODULE_STACK, { config });
  } catch (error) {
    if (!outdirExisted) fs.rmSync(app.outdir, { recursive: true, force: true });
    throw error;
  }
  // Everything above validated; now the output. cdktf does not clean a stack folder: remove what a
  // previous synth wrote (JSON or HCL, and assets) so that a stale cdk.tf.json never sits beside a
  // new cdk.tf, and no stale module stays once the module is not asked for. State and .terraform stay.
  for (const name of [ROOT_STACK, MODULE_STACK]) {
    const stackDir = path.join(app.outdir, "stacks", name);
    for (const stale of ["cdk.tf", "cdk.tf.json", "assets", "README.md", ".gitignore"])
      fs.rmSync(path.join(stackDir, stale), { recursive: true, force: true });
  }
  app.synth();
  const names = config.moduleOutput ? [ROOT_STACK, MODULE_STACK] : [ROOT_STACK];
  return { config, outdir: app.outdir, stackDirs: Object.fromEntries(names.map((name) => [name, path.join(app.outdir, "stacks", name)])) };
}
