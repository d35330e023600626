/**
 * The synthesized stack under the real Terraform CLI and the real hashicorp/aws provider schema,
 * offline (see __tests__/support/terraform.ts for the mirror configuration).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BEHAVIOUR_ATTRIBUTES, UNHASHED_ARGUMENTS } from "../../stacks/constructs/deployment-part";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { fixtureProject } from "../support/project";
import { type SynthResult, synthStack, testConfig, testEnv } from "../support/synth";
import { CDKTF_CLI_STARTS, run } from "../support/run";
import { terraform, terraformBinary, terraformEnv, terraformInit } from "../support/terraform";

const TFTEST = path.join(__dirname, "stack.tftest.hcl");
/** Runs a synth command in the fixture project (the tests' configuration), writing to outdir; fails the test with its output if it fails. */
async function synthCommand(args: string[], outdir: string, env: Record<string, string> = {}): Promise<void> {
  const result = await run("npx", args, { cwd: fixtureProject(), env: testEnv({ CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1", ...env }) });
  expect(result.status, result.output).toBe(0);
}

/**
 * One apply with stack.tftest.hcl's mocked provider and none of its assertions, for stacks whose
 * outputs differ from the default stack's (a custom domain): only the trigger is compared.
 */
const APPLY_ONLY = `${fs.readFileSync(TFTEST, "utf8").split(/^run "/m)[0]}run "apply" {\n  command = apply\n}\n`;

/** Runs the mocked `terraform test` in a synthesized stack and returns the redeployment trigger it computed. */
async function mockedApply(
  synth: SynthResult,
  tftest: { text: string; runs: number } = { text: fs.readFileSync(TFTEST, "utf8"), runs: 2 },
): Promise<string> {
  await terraformInit(synth.stackDir);
  fs.mkdirSync(path.join(synth.stackDir, "tests"), { recursive: true });
  fs.writeFileSync(path.join(synth.stackDir, "tests", "stack.tftest.hcl"), tftest.text);
  const result = await terraform(synth.stackDir, ["test", "-verbose"]);
  expect(result.output, result.output).toMatch(new RegExp(`${tftest.runs} passed, 0 failed`));
  expect(result.status).toBe(0);
  const triggers = [...result.output.matchAll(/"redeployment" = "([0-9a-f]{40})"/g)].map((m) => m[1]);
  expect(new Set(triggers).size, "one redeployment trigger in the applied state").toBe(1);
  return triggers[0];
}

describe("terraform", () => {
  it("validates the stack with every optional part switched on (API keys, the account's CloudWatch role, KMS, WAF, custom domain, resource policy, SSM, CORS)", async () => {
    const full = synthStack({
      config: testConfig({
        authorization: "API_KEY",
        manageApiGatewayAccount: true,
        createKmsKey: true,
        apiGatewayTrustConditions: true,
        wafWebAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab",
        customDomainName: "api.example.com",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab",
        customDomainBasePath: "v1",
        disableExecuteApiEndpoint: true,
        instanceSubnetId: "subnet-0123456789abcdef0",
        instanceSsm: true,
        corsAllowedOrigins: "https://app.example.com,http://localhost:5173",
        corsAllowCredentials: true,
      }),
    });
    // A private API with an existing key: the other branch of each; with 90 workflows, whose
    // integration role needs customer managed policies besides its inline one. Source accounts need
    // AWS_IAM (workflow-api-rules.ts).
    const alternative = synthStack({
      config: testConfig({
        kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        allowedVpcEndpoints: "vpce-0123456789abcdef0",
        allowedSourceAccounts: "123456789012",
      }),
      workflows: Array.from({ length: 90 }, (_, index) => ({
        name: `w${index}`,
        type: "EXPRESS" as const,
        templateFile: "state-machines/express.asl.json.tftpl",
        templateVariables: {},
        path: `p${index}`,
        resources: ["demo-instance"],
      })),
    });
    expect(Object.keys(alternative.json.resource.aws_iam_policy ?? {}).length).toBeGreaterThan(0);
    for (const stack of [full, alternative]) {
      await terraformInit(stack.stackDir);
      const result = await terraform(stack.stackDir, ["validate"]);
      expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
    }
  });

  // One stack per authorizer: each is initialized, validated and applied (mocked), some 25 s alone.
  it.each([
    {
      kind: "a Cognito authorizer: the routes name it with their scopes",
      settings: {
        authorization: "COGNITO_USER_POOLS" as const,
        cognitoUserPoolArns: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123",
        authorizationScopes: "orders/read",
      },
      conditions: [
        "aws_api_gateway_method.express_start_method.authorizer_id == aws_api_gateway_authorizer.cognito_authorizer_authorizer.id",
        'aws_api_gateway_method.standard_status_method.authorization_scopes == toset(["orders/read"])',
      ],
    },
    {
      kind: "a Lambda authorizer: the routes name it, API Gateway may invoke its function for this API's authorizers",
      settings: {
        authorization: "CUSTOM" as const,
        authorizerFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders-authorizer",
      },
      conditions: [
        "aws_api_gateway_method.express_start_method.authorizer_id == aws_api_gateway_authorizer.lambda_authorizer_authorizer.id",
        'aws_lambda_permission.lambda_authorizer_invoke_permission.source_arn == "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/authorizers/*"',
      ],
    },
  ])(
    "validates and applies (mocked) a stack with $kind",
    async ({ settings, conditions }) => {
      const stack = synthStack({ config: testConfig(settings) });
      await terraformInit(stack.stackDir);
      const validation = await terraform(stack.stackDir, ["validate"]);
      expect(validation.output, validation.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
      const header = fs.readFileSync(TFTEST, "utf8").split(/^run "/m)[0];
      const asserts = conditions.map(
        (condition) => `  assert {\n    condition     = ${condition}\n    error_message = "${condition.replace(/"/g, "'")}"\n  }\n`,
      );
      await mockedApply(stack, { text: `${header}run "apply" {\n  command = apply\n${asserts.join("")}}\n`, runs: 1 });
    },
    300_000,
  );

  let synth: SynthResult;
  beforeAll(async () => {
    synth = synthStack();
    await terraformInit(synth.stackDir);
  });

  it("validates the synthesized stack against the real aws provider schema", async () => {
    const result = await terraform(synth.stackDir, ["validate"]);
    expect(result.output, result.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
    expect(result.status).toBe(0);
  });

  describe("mocked apply", () => {
    let baseline: string;
    beforeAll(async () => {
      baseline = await mockedApply(synth);
    });

    it("applies the whole graph, renders the templates and outputs the invoke URLs", async () => {
      expect(baseline).toMatch(/^[0-9a-f]{40}$/);
    });

    it("changes the deployment trigger when a mapping template changes", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-mapping-"));
      const edited = path.join(dir, "start-sync-execution.response.vtl.tftpl");
      const original = fs.readFileSync(path.join(TEMPLATES_DIR, "mappings/start-sync-execution.response.vtl.tftpl"), "utf8");
      fs.writeFileSync(edited, original.replace("responseOverride.status = 500", "responseOverride.status = 503"));
      expect(fs.readFileSync(edited, "utf8")).not.toBe(original);
      const changed = synthStack({ mappingTemplates: { syncResponse: edited } });
      expect(await mockedApply(changed)).not.toBe(baseline);
    });

    it.skipIf(!CDKTF_CLI_STARTS)("gets the same API from `cdktf synth --hcl`: valid, applied with identical templates", async () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-hcl-"));
      await synthCommand(["cdktf", "synth", "--hcl", "--output", outdir], outdir);
      const stackDir = path.join(outdir, "stacks", "apigw-sfn");
      expect(fs.existsSync(path.join(stackDir, "cdk.tf"))).toBe(true);
      expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(false);
      await terraformInit(stackDir);
      const validation = await terraform(stackDir, ["validate"]);
      expect(validation.output, validation.output).toMatch(/^Success! The configuration is valid\.$/m); // and no warning
      // The trigger hashes every template and response: equal hashes mean the HCL deploys the same API.
      expect(await mockedApply({ stackDir } as SynthResult)).toBe(baseline);
    });

    it("changes the deployment trigger when CORS is turned on, and again when its origins change (preflights and headers applied)", async () => {
      const cors = (origins: string) => synthStack({ config: testConfig({ corsAllowedOrigins: origins }) });
      const on = await mockedApply(cors("https://app.example.com"), { text: APPLY_ONLY, runs: 1 });
      expect(on).not.toBe(baseline);
      expect(await mockedApply(cors("*"), { text: APPLY_ONLY, runs: 1 })).not.toBe(on);
    });

    it("keeps the deployment trigger when only something outside the API changes", async () => {
      const unchanged = synthStack({ config: testConfig({ instanceType: "t3.micro" }) });
      expect(await mockedApply(unchanged)).toBe(baseline);
    });

    it("changes the deployment trigger when disable_execute_api_endpoint changes (an API with a custom domain)", async () => {
      const domain = {
        customDomainName: "api.example.com",
        certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab",
      };
      const enabled = synthStack({ config: testConfig(domain) });
      const disabled = synthStack({ config: testConfig({ ...domain, disableExecuteApiEndpoint: true }) });
      expect(enabled.json.resource.aws_api_gateway_rest_api.api.disable_execute_api_endpoint).toBe(false);
      expect(disabled.json.resource.aws_api_gateway_rest_api.api.disable_execute_api_endpoint).toBe(true);
      const [before, again, after] = [
        await mockedApply(enabled, { text: APPLY_ONLY, runs: 1 }),
        await mockedApply(synthStack({ config: testConfig(domain) }), { text: APPLY_ONLY, runs: 1 }),
        await mockedApply(disabled, { text: APPLY_ONLY, runs: 1 }),
      ];
      expect(again, "the same configuration, the same trigger").toBe(before);
      expect(after).not.toBe(before);
    });
  });

  it("hashes every argument the provider's schema gives the resources a deployment snapshots, or says why not", async () => {
    // A folder of its own that requires the stack's provider: `providers schema` needs an initialized backend.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-schema-"));
    const requiredProviders = synth.json.terraform.required_providers;
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: requiredProviders } }));
    const init = await terraform(dir, ["init", "-input=false"]);
    expect(init.status, init.output).toBe(0);
    const result = await run(terraformBinary(), ["providers", "schema", "-json"], { cwd: dir, env: terraformEnv() });
    expect(result.status, result.stderr).toBe(0);
    const schemas = JSON.parse(result.stdout).provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas;
    // Where a resource hangs; what hangs off a method names it by its http_method.
    const place = ["id", "rest_api_id", "resource_id", "parent_id"];
    for (const [type, hashed] of Object.entries(BEHAVIOUR_ATTRIBUTES)) {
      const block = schemas[type].block;
      const argumentsOf = [
        ...Object.entries<Record<string, unknown>>(block.attributes)
          .filter(([, attribute]) => attribute.optional || attribute.required)
          .map(([name]) => name),
        ...Object.keys(block.block_types ?? {}),
      ];
      const accounted = [...hashed, ...Object.keys(UNHASHED_ARGUMENTS[type] ?? {}), ...place];
      if (type !== "aws_api_gateway_method") accounted.push("http_method");
      for (const argument of argumentsOf) expect(accounted, `${type}.${argument}`).toContain(argument);
      for (const name of hashed) expect(argumentsOf, `${type}.${name} is not an argument`).toContain(name);
    }
  });
});
