/**
 * The "openapi" API definition (the REST API's routes as its OpenAPI body) under the real Terraform
 * CLI and provider schema, offline: it validates, its body renders to the OpenAPI document with
 * the rendered mapping templates (openapi.tftest.hcl, mocked provider), and its deployment trigger
 * follows what the body holds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";
import { type SynthResult, synthStack, testConfig } from "../support/synth";
import { terraform, terraformInit } from "../support/terraform";

const MOCKS = fs.readFileSync(path.join(__dirname, "stack.tftest.hcl"), "utf8").split(/^run "/m)[0];
const RUNS = fs.readFileSync(path.join(__dirname, "openapi.tftest.hcl"), "utf8");
const openapi = testConfig({ apiDefinition: "openapi" });

/** Runs the mocked `terraform test` of openapi.tftest.hcl in a synthesized stack; returns the redeployment trigger it computed. */
async function mockedApply(synth: SynthResult): Promise<string> {
  await terraformInit(synth.stackDir);
  fs.mkdirSync(path.join(synth.stackDir, "tests"), { recursive: true });
  fs.writeFileSync(path.join(synth.stackDir, "tests", "openapi.tftest.hcl"), `${MOCKS}${RUNS}`);
  const result = await terraform(synth.stackDir, ["test", "-verbose"]);
  expect(result.output, result.output).toMatch(/1 passed, 0 failed/);
  const triggers = [...result.output.matchAll(/"redeployment" = "([0-9a-f]{40})"/g)].map((m) => m[1]);
  expect(new Set(triggers).size, "one redeployment trigger in the applied state").toBe(1);
  return triggers[0];
}

const EXPRESS = DEFAULT_WORKFLOWS.find((workflow) => workflow.type === "EXPRESS")!;

describe("terraform, with the routes as the REST API's OpenAPI body", () => {
  it("validates 100 workflows with at most 10 API Gateway resources", async () => {
    const synth = synthStack({
      config: openapi,
      workflows: Array.from({ length: 100 }, (_, index) => ({ ...EXPRESS, name: `w${index}`, path: `p${index}` })),
    });
    const types = Object.keys(synth.json.resource).filter((type) => type.startsWith("aws_api_gateway_"));
    const count = types.reduce((sum, type) => sum + Object.keys(synth.json.resource[type]).length, 0);
    expect(count).toBeLessThanOrEqual(10);
    await terraformInit(synth.stackDir);
    const result = await terraform(synth.stackDir, ["validate"]);
    expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
  });

  describe("mocked apply", () => {
    let baseline: string;
    beforeAll(async () => {
      baseline = await mockedApply(synthStack({ config: openapi }));
    });

    it("keeps the deployment trigger on a re-synth of the same configuration", async () => {
      expect(await mockedApply(synthStack({ config: openapi }))).toBe(baseline);
    });

    it("deploys the same body from the HCL output (the trigger hashes it)", async () => {
      const hcl = synthStack({ config: openapi, hcl: true });
      expect(fs.existsSync(path.join(hcl.stackDir, "cdk.tf"))).toBe(true);
      expect(await mockedApply(hcl)).toBe(baseline);
    });

    it("changes the deployment trigger when a mapping template changes", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-mapping-"));
      const edited = path.join(dir, "start-sync-execution.response.vtl.tftpl");
      const original = fs.readFileSync(path.join(TEMPLATES_DIR, "mappings/start-sync-execution.response.vtl.tftpl"), "utf8");
      fs.writeFileSync(edited, original.replace("responseOverride.status = 500", "responseOverride.status = 503"));
      expect(fs.readFileSync(edited, "utf8")).not.toBe(original);
      expect(await mockedApply(synthStack({ config: openapi, mappingTemplates: { syncResponse: edited } }))).not.toBe(baseline);
    });

    it("changes the deployment trigger when a request schema changes", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-schema-"));
      const schemaFile = path.join(dir, "instance-request.schema.json");
      const schema = JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, EXPRESS.requestSchema!), "utf8"));
      fs.writeFileSync(schemaFile, JSON.stringify({ ...schema, required: ["instance_id", "action"] }));
      const workflows = DEFAULT_WORKFLOWS.map((workflow) =>
        workflow.requestSchema ? { ...workflow, requestSchema: schemaFile } : workflow,
      );
      expect(await mockedApply(synthStack({ config: openapi, workflows }))).not.toBe(baseline);
    });

    it("changes the deployment trigger when a route changes", async () => {
      const workflows = DEFAULT_WORKFLOWS.map((workflow) =>
        workflow === EXPRESS ? { ...workflow, path: "express-instance-2" } : workflow,
      );
      const synth = synthStack({ config: openapi, workflows });
      // The runs of openapi.tftest.hcl read /express-instance: here only the trigger is compared.
      expect(await appliedTrigger(synth)).not.toBe(baseline);
    });

    it("changes the deployment trigger when a workflow's error map changes", async () => {
      const workflows = DEFAULT_WORKFLOWS.map((workflow) =>
        workflow === EXPRESS ? { ...workflow, errors: { "Instance.NotFound": 404 } } : workflow,
      );
      expect(await mockedApply(synthStack({ config: openapi, workflows }))).not.toBe(baseline);
    });
  });
});

/** One mocked apply with no assertion (a stack whose routes differ from the default's): the trigger it computed. */
async function appliedTrigger(synth: SynthResult): Promise<string> {
  await terraformInit(synth.stackDir);
  fs.mkdirSync(path.join(synth.stackDir, "tests"), { recursive: true });
  fs.writeFileSync(path.join(synth.stackDir, "tests", "apply.tftest.hcl"), `${MOCKS}run "apply" {\n  command = apply\n}\n`);
  const result = await terraform(synth.stackDir, ["test", "-verbose"]);
  expect(result.output, result.output).toMatch(/1 passed, 0 failed/);
  return [...result.output.matchAll(/"redeployment" = "([0-9a-f]{40})"/g)].map((m) => m[1])[0];
}
