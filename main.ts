/**
 * Entry point of `npm run synth` and `cdktf synth`: reads the configuration and instantiates the
 * stack. Everything else lives in stacks/.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { ConfigError, loadConfig, readCdktfContext } from "./stacks/config";
import { ApigwSfnStack } from "./stacks/apigw-sfn-stack";
import { TemplateError } from "./stacks/terraform-template";

try {
  const config = loadConfig({
    context: readCdktfContext(path.join(__dirname, "cdktf.json")),
    env: process.env,
  });
  const app = new App();
  // The root configuration `cdktf deploy` applies, and the same API as a reusable module for
  // Terraform users' `module` blocks (no provider, no backend, input variables).
  new ApigwSfnStack(app, "apigw-sfn", { config });
  if (config.moduleOutput) new ApigwSfnStack(app, "apigw-sfn-module", { config, module: true });
  // cdktf does not clean a stack folder: remove what a previous synth wrote (JSON or HCL, and
  // assets) so that a stale cdk.tf.json never sits beside a new cdk.tf, and no stale module stays
  // once moduleOutput is off. State and .terraform stay.
  for (const name of ["apigw-sfn", "apigw-sfn-module"]) {
    const stackDir = path.join(app.outdir, "stacks", name);
    for (const stale of ["cdk.tf", "cdk.tf.json", "assets"]) fs.rmSync(path.join(stackDir, stale), { recursive: true, force: true });
  }
  app.synth();
} catch (error) {
  if (error instanceof ConfigError || error instanceof TemplateError) {
    console.error(`synth failed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
