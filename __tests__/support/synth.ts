/** Synthesizes the stack into a fresh temporary folder, as `npm run synth` does. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ApigwSfnStack, ApigwSfnStackProps } from "../../stacks/apigw-sfn-stack";
import { AppConfig, loadConfig } from "../../stacks/config";

export const STACK_NAME = "apigw-sfn";
/** The reusable module's stack, as main.ts names it. */
export const MODULE_STACK_NAME = "apigw-sfn-module";

/** The default configuration, with optional overrides. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig(), ...overrides };
}

export interface SynthResult {
  /** The app's output folder (holds manifest.json and stacks/). */
  readonly outdir: string;
  /** The stack's folder (holds cdk.tf.json and assets/). */
  readonly stackDir: string;
  /** The parsed cdk.tf.json. */
  readonly json: Record<string, any>;
}

/** Synthesizes the stack with the given props into a new temporary folder (the module's stack when props.module). */
export function synthStack(props: Partial<ApigwSfnStackProps> = {}): SynthResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-synth-"));
  const app = new App({ outdir });
  const name = props.module ? MODULE_STACK_NAME : STACK_NAME;
  new ApigwSfnStack(app, name, { config: testConfig(), ...props });
  app.synth();
  const stackDir = path.join(outdir, "stacks", name);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  return { outdir, stackDir, json };
}
