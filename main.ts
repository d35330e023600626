/**
 * Entry point of `npm run synth` and `cdktf synth`: reads the configuration and instantiates the
 * stack. Everything else lives in stacks/.
 */
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
  new ApigwSfnStack(app, "apigw-sfn", { config });
  app.synth();
} catch (error) {
  if (error instanceof ConfigError || error instanceof TemplateError) {
    console.error(`synth failed: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
