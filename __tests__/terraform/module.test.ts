/**
 * The reusable module as a Terraform user consumes it: the example root configuration
 * (examples/complete, copied unchanged) calling the synthesized module from where `npm run
 * synth:module` writes it, under the real Terraform CLI and aws provider schema, offline (see
 * __tests__/support/terraform.ts). Also: the usage example of the module's generated README, and
 * the tags on every resource whose type the provider lets tag.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { MODULE_STACK_NAME, synthStack, testConfig } from "../support/synth";
import { terraform, terraformInit } from "../support/terraform";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples", "complete");
const TFTEST = path.join(__dirname, "module.tftest.hcl");
/** Where `npm run synth:module` writes the module, relative to the project. */
const MODULE_FOLDER = path.join("cdktf.out", "stacks", MODULE_STACK_NAME);

/** Files of a working folder that are not the example's (what terraform init or apply leave behind). */
const LOCAL_STATE = /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|tests)$/;

/**
 * The project's layout in a new temporary folder: examples/complete as committed, and a
 * synthesized module where `npm run synth:module` writes it. Returns the example's folder.
 */
function exampleCalling(moduleDir: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-example-"));
  fs.cpSync(moduleDir, path.join(root, MODULE_FOLDER), { recursive: true });
  const example = path.join(root, path.relative(ROOT, EXAMPLE));
  fs.cpSync(EXAMPLE, example, { recursive: true, filter: (source) => !LOCAL_STATE.test(path.basename(source)) });
  return example;
}

async function expectValid(dir: string): Promise<void> {
  await terraformInit(dir);
  const result = await terraform(dir, ["validate"]);
  expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
  expect(result.status).toBe(0);
}

describe("terraform: the example calling the module", () => {
  it("calls the module where npm run synth:module writes it, and is formatted as terraform fmt writes", async () => {
    const main = fs.readFileSync(path.join(EXAMPLE, "main.tf"), "utf8");
    const sources = [...main.matchAll(/^\s*source\s*=\s*"([^"]+)"/gm)].map((match) => match[1]);
    expect(sources).toHaveLength(1);
    expect(path.resolve(EXAMPLE, sources[0])).toBe(path.join(ROOT, MODULE_FOLDER));
    for (const file of ["main.tf", "versions.tf", "outputs.tf"]) expect(fs.existsSync(path.join(EXAMPLE, file)), file).toBe(true);
    const fmt = await terraform(EXAMPLE, ["fmt", "-check", "-diff", "-recursive"]);
    expect(fmt.output, fmt.output).toBe("");
    expect(fmt.status).toBe(0);
  });

  it("validates against the synthesized module", async () => {
    await expectValid(exampleCalling(synthStack({ module: true }).stackDir));
  });

  // A plan or an apply per run block (17): 50 s alone, 90 s on a loaded machine, past the default
  // 120 s while the whole suite runs beside it.
  it("passes the mocked terraform test: outputs, variables, tags, conditional resources and their validations", async () => {
    const example = exampleCalling(synthStack({ module: true }).stackDir);
    // Before init, which installs the module that the test's own run blocks call.
    fs.mkdirSync(path.join(example, "tests"));
    fs.copyFileSync(TFTEST, path.join(example, "tests", "module.tftest.hcl"));
    await terraformInit(example);
    const result = await terraform(example, ["test"]);
    const runs = (fs.readFileSync(TFTEST, "utf8").match(/^run "/gm) ?? []).length;
    expect(runs).toBeGreaterThan(10);
    expect(result.output, result.output).toMatch(new RegExp(`Success! ${runs} passed, 0 failed`));
    expect(result.status).toBe(0);
  }, 300_000);

  it("validates against the module written as HCL (cdktf synth --hcl)", async () => {
    const moduleDir = synthStack({ module: true, hcl: true }).stackDir;
    expect(fs.existsSync(path.join(moduleDir, "cdk.tf"))).toBe(true);
    await expectValid(exampleCalling(moduleDir));
  });
});

describe("terraform: the module's README", () => {
  it("shows a usage example that is formatted and valid beside the module folder it names", async () => {
    const moduleDir = synthStack({ module: true }).stackDir;
    const readme = fs.readFileSync(path.join(moduleDir, "README.md"), "utf8");
    const usage = /## Usage\n\n```hcl\n([\s\S]*?)```/.exec(readme)![1];
    const source = /source = "([^"]+)"/.exec(usage)![1];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-usage-"));
    fs.cpSync(moduleDir, path.join(root, source), { recursive: true });
    fs.writeFileSync(path.join(root, "main.tf"), usage);
    const fmt = await terraform(root, ["fmt", "-check", "-diff", "main.tf"]);
    expect(fmt.output, fmt.output).toBe("");
    await expectValid(root);
  });
});

describe("terraform: tags", () => {
  it("every resource whose type has tags in the aws provider schema carries var.tags", async () => {
    // Every optional part on, so that every resource the module can create is there.
    const full = synthStack({ module: true, config: testConfig({ accessLogs: true, manageApiGatewayAccount: true }) });
    await terraformInit(full.stackDir);
    const schema = await terraform(full.stackDir, ["providers", "schema", "-json"]);
    expect(schema.status, schema.output.slice(-2000)).toBe(0);
    const resourceSchemas: Record<string, { block: { attributes?: Record<string, unknown> } }> = JSON.parse(schema.stdout).provider_schemas[
      "registry.terraform.io/hashicorp/aws"
    ].resource_schemas;
    const taggable: string[] = [];
    for (const [type, resources] of Object.entries<Record<string, Record<string, unknown>>>(full.json.resource)) {
      expect(resourceSchemas[type], type).toBeDefined();
      if (!resourceSchemas[type].block.attributes?.tags) continue;
      for (const [name, resource] of Object.entries(resources)) {
        taggable.push(`${type}.${name}`);
        expect(String(resource.tags), `${type}.${name}`).toMatch(/^\$\{(var\.tags|merge\(var\.tags, .*\))\}$/);
      }
    }
    expect(taggable.sort()).toEqual([
      "aws_api_gateway_api_key.api_key_key",
      "aws_api_gateway_rest_api.api",
      "aws_api_gateway_stage.stage",
      "aws_api_gateway_usage_plan.api_key_usage_plan",
      "aws_cloudwatch_log_group.express_state_machine_logs",
      "aws_cloudwatch_log_group.stage_access_logs",
      "aws_cloudwatch_log_group.standard_state_machine_logs",
      "aws_iam_role.api_gateway_account_role",
      "aws_iam_role.express_state_machine_role",
      "aws_iam_role.integration_role",
      "aws_iam_role.standard_state_machine_role",
      "aws_instance.demo_instance",
      "aws_security_group.demo_instance_security_group",
      "aws_sfn_state_machine.express_state_machine",
      "aws_sfn_state_machine.standard_state_machine",
    ]);
  });
});
