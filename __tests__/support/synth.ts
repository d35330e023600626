/**
 * The tests' configuration, and synthesizing a stack into a fresh temporary folder as `npm run
 * synth` does. Tests never read the checkout's cdktf.json nor the user's environment: their
 * configuration is __tests__/fixtures/cdktf.json, parsed as the app parses cdktf.json, with an empty
 * environment (docs/testing.md).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App } from "cdktf";
import { beforeAll, beforeEach } from "vitest";
import { MODULE_STACK, ROOT_STACK } from "../../main";
import { ApigwSfnStack } from "../../stacks/apigw-sfn-stack";
import { type AppConfig, loadConfig, readCdktfContext } from "../../stacks/config";
import type { ApiDefinition } from "../../stacks/constructs/api-definition";
import type { StepFunctionsMappingTemplates } from "../../stacks/constructs/step-functions-integration";
import { ApigwSfnModuleStack } from "../../stacks/module-stack";
import type { WorkflowConfig } from "../../stacks/workflows";

const STACK_NAME = ROOT_STACK;
/** The reusable module's stack, as main.ts names it. */
export const MODULE_STACK_NAME = MODULE_STACK;

/** The cdktf.json the tests' configuration is read from (its `context`), and the fixture project's. */
export const TEST_CDKTF_JSON = path.join(__dirname, "..", "fixtures", "cdktf.json");

let fixtureConfig: AppConfig | undefined;

/**
 * The API definition of the tests' configuration: a suite's "openapi" variant sets it
 * (support/openapi-mode.ts), then loads the suite, which runs as it is against a stack whose
 * routes are the REST API's OpenAPI body. @default the fixture's ("resources")
 */
export const testMode: { apiDefinition?: ApiDefinition } = {};

/** The tests' configuration (TEST_CDKTF_JSON, no environment variable), with optional overrides. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  fixtureConfig ??= loadConfig({
    context: readCdktfContext(TEST_CDKTF_JSON),
    env: {},
    contextSource: `${path.relative(path.resolve(__dirname, "..", ".."), TEST_CDKTF_JSON)} context`,
  });
  return { ...fixtureConfig, ...(testMode.apiDefinition ? { apiDefinition: testMode.apiDefinition } : {}), ...overrides };
}

/** Whether an environment variable is configuration the app reads (settings, workflows file, Terraform Cloud). */
function isConfiguration(name: string): boolean {
  return name.startsWith("APIGW_SFN_") || name.startsWith("TF_CLOUD_") || name === "TF_WORKSPACE";
}

/**
 * The environment of a command a test runs: this process's, without any variable the app reads as
 * configuration (so none of the user's settings leaks in), plus `extra`. The Terraform tests' own
 * APIGW_SFN_TF_PLUGIN_DIR is kept: it is where the tests find the provider, not a setting.
 */
export function testEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!isConfiguration(name) || name === "APIGW_SFN_TF_PLUGIN_DIR") env[name] = value;
  }
  return { ...env, ...extra };
}

export interface SynthResult {
  /** The app's output folder (holds manifest.json and stacks/). */
  readonly outdir: string;
  /** The stack's folder (holds cdk.tf.json and assets/). */
  readonly stackDir: string;
  /** The parsed cdk.tf.json. */
  readonly json: Record<string, any>;
}

export interface SynthStackOptions {
  /** @default testConfig() */
  readonly config?: AppConfig;
  /** Replaces the configuration's workflows. */
  readonly workflows?: readonly WorkflowConfig[];
  /** Mapping templates of the root stack's routes. */
  readonly mappingTemplates?: StepFunctionsMappingTemplates;
  /** Synthesize the reusable module instead of the root stack. @default false */
  readonly module?: boolean;
  /** Write HCL (cdk.tf) instead of JSON; `json` is then empty. @default false */
  readonly hcl?: boolean;
}

/** Synthesizes the root stack (or the module) into a new temporary folder. */
export function synthStack(options: SynthStackOptions = {}): SynthResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-synth-"));
  const app = new App({ outdir, hclOutput: options.hcl ?? false });
  const base = options.config ?? testConfig();
  const config = options.workflows ? { ...base, workflows: options.workflows } : base;
  const name = options.module ? MODULE_STACK_NAME : STACK_NAME;
  if (options.module) new ApigwSfnModuleStack(app, name, { config });
  else new ApigwSfnStack(app, name, { config, mappingTemplates: options.mappingTemplates });
  app.synth();
  const stackDir = path.join(outdir, "stacks", name);
  const jsonFile = path.join(stackDir, "cdk.tf.json");
  const json = fs.existsSync(jsonFile) ? JSON.parse(fs.readFileSync(jsonFile, "utf8")) : {};
  return { outdir, stackDir, json };
}

/**
 * Runs `setup` before a file's tests: once (beforeAll), or before each test under Stryker (npm run
 * test:mutation, which runs tests in its STRYKER_MUTATOR_WORKER processes). There, code run in
 * beforeAll would count as "static" and every mutant in it would rerun the whole suite; run per
 * test, each mutant reruns only the tests that reach it.
 */
export function beforeTests(setup: () => void): void {
  if (process.env.STRYKER_MUTATOR_WORKER !== undefined) beforeEach(setup);
  else beforeAll(setup);
}
