/**
 * AWS quotas the generated configuration can reach, checked at synth (stacks/constructs/aws-quotas.ts,
 * docs/quotas.md): a configuration over one stops synth with one line naming the quota, the count
 * and, for a quota AWS raises, the setting; nothing is written. Every configuration here is the
 * test's own.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../stacks/config";
import { QuotaError } from "../../stacks/constructs/aws-quotas";
import { DEFAULT_WORKFLOWS, type WorkflowConfig } from "../../stacks/workflows";
import { resources } from "../support/stack-json";
import { fixtureProject } from "../support/project";
import { run } from "../support/run";
import { synthStack, testConfig, testEnv } from "../support/synth";

/**
 * n workflows, EXPRESS and STANDARD in turn, under one "bench/" path, as `npm run bench` generates
 * them: the root "/", "bench", one resource per EXPRESS workflow and three per STANDARD one
 * (standard-i, its executions, {name}). 149 make 299 resources; 150 make 302.
 */
function workflows(n: number): WorkflowConfig[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? { ...DEFAULT_WORKFLOWS[0], name: `bench-${i}`, path: `bench/express-${i}`, statusPath: undefined }
      : { ...DEFAULT_WORKFLOWS[1], name: `bench-${i}`, path: `bench/standard-${i}`, statusPath: undefined },
  );
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-quotas-"));
}

/** A file in a fresh folder; returns its path. */
function tempFile(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

const RESOURCES_QUOTA =
  /^API Gateway quota "Resources per API" \(300 resources\) exceeded: the REST API needs 302 resources \(its root "\/" and 301 path resources\); AWS raises it on request: once it has, set maxApiResources to the new value$/;

describe('API Gateway "Resources per API"', () => {
  it("counts every path segment and the root: 149 workflows need 299 resources and synthesize", () => {
    const { json, outdir } = synthStack({ workflows: workflows(149) });
    expect(Object.keys(resources(json, "aws_api_gateway_resource"))).toHaveLength(298);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("stops synth of 150 workflows on the default settings with one line naming the quota, the count and the setting", () => {
    expect(() => synthStack({ workflows: workflows(150) })).toThrow(QuotaError);
    expect(() => synthStack({ workflows: workflows(150) })).toThrow(RESOURCES_QUOTA);
  });

  it("synthesizes 150 workflows once maxApiResources says the quota was raised", () => {
    const config = loadConfig({ env: { APIGW_SFN_MAX_API_RESOURCES: "302" } });
    const { json, outdir } = synthStack({ config, workflows: workflows(150) });
    expect(Object.keys(resources(json, "aws_api_gateway_resource"))).toHaveLength(301);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("stops `npm run synth` of 150 workflows with one `synth failed:` line and writes nothing", async () => {
    const file = tempFile("workflows.json", JSON.stringify({ workflows: workflows(150) }));
    const outdir = path.join(path.dirname(file), "out");
    const result = await run("node", ["scripts/synth.cjs"], {
      cwd: fixtureProject(),
      env: testEnv({ CDKTF_OUTDIR: outdir, APIGW_SFN_WORKFLOWS_FILE: file }),
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0].replace(/^synth failed: /, "")).toMatch(RESOURCES_QUOTA);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it("refuses a maxApiResources below AWS's default quota", () => {
    expect(() => loadConfig({ env: { APIGW_SFN_MAX_API_RESOURCES: "299" } })).toThrow(
      /environment variable APIGW_SFN_MAX_API_RESOURCES: 299 must be between 300 and 100000/,
    );
  });
});

describe('IAM "Roles in an AWS account"', () => {
  it("stops synth when the configuration alone needs more roles than the quota allows", () => {
    // The two default workflows' roles and the integration role: 3.
    expect(() => synthStack({ config: testConfig({ maxIamRoles: 2 }) })).toThrow(
      /^IAM quota "Roles in an AWS account" \(1,000 roles, raised to 2\) exceeded: this configuration alone \(the account's other roles count too\) needs 3 roles; AWS raises it on request: once it has, set maxIamRoles to the new value$/,
    );
  });

  it("accepts maxIamRoles up to the 5,000 IAM grants, and no more", () => {
    expect(loadConfig({ context: { maxIamRoles: 5000 } }).maxIamRoles).toBe(5000);
    expect(() => loadConfig({ context: { maxIamRoles: 5001 } })).toThrow(/"maxIamRoles": 5001 must be between 1000 and 5000/);
  });
});

describe('API Gateway "Length, in characters, of API Gateway resource policy"', () => {
  /** n distinct 12-digit account IDs, comma-separated as the setting takes them. */
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i)).join(",");

  it("stops synth when allowedSourceAccounts make the resource policy longer than the quota", () => {
    expect(() => synthStack({ config: testConfig({ allowedSourceAccounts: accounts(300) }) })).toThrow(
      /^API Gateway quota "Length, in characters, of API Gateway resource policy" \(8,192 characters\) exceeded: the REST API's resource policy \(allowedSourceAccounts, allowedVpcEndpoints\) needs 1\d,\d\d\d characters; AWS raises it on request: once it has, set maxResourcePolicyLength to the new value$/,
    );
  });

  it("synthesizes the same policy once maxResourcePolicyLength says the quota was raised", () => {
    const { json, outdir } = synthStack({ config: testConfig({ allowedSourceAccounts: accounts(300), maxResourcePolicyLength: 20_000 }) });
    expect(Object.keys(resources(json, "aws_api_gateway_rest_api_policy"))).toHaveLength(1);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("lets the default configuration's policy of a few accounts through", () => {
    const { json, outdir } = synthStack({ config: testConfig({ allowedSourceAccounts: accounts(3) }) });
    expect(Object.keys(resources(json, "aws_api_gateway_rest_api_policy"))).toHaveLength(1);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

describe("quotas AWS does not raise", () => {
  it('stops synth on a mapping template over API Gateway\'s "Maximum mapping template size"', () => {
    const big = tempFile("big.request.vtl.tftpl", `## ${"x".repeat(300_000)}\n{"stateMachineArn": "\${state_machine_arn}"}\n`);
    expect(() => synthStack({ mappingTemplates: { asyncRequest: big } })).toThrow(
      /^API Gateway quota "Maximum mapping template size" \(300,000 bytes\) exceeded: the mapping template .*big\.request\.vtl\.tftpl needs 300,2\d\d bytes; AWS does not raise it: make the configuration smaller$/,
    );
  });

  it('stops synth on a definition over Step Functions\' "Maximum size of state machine definition"', () => {
    const definition = { Comment: "x".repeat(1_048_576), StartAt: "Done", States: { Done: { Type: "Succeed" } } };
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "big.asl.json.tftpl"), JSON.stringify(definition));
    const workflow = { ...DEFAULT_WORKFLOWS[0], templateFile: path.join(dir, "big.asl.json.tftpl"), resources: [], errors: undefined };
    expect(() => synthStack({ workflows: [workflow] })).toThrow(
      /^Step Functions quota "Maximum size of state machine definition" \(1,048,576 characters\) exceeded: the state machine definition .*big\.asl\.json\.tftpl needs 1,048,6\d\d characters/,
    );
  });

  it('stops synth on request schemas over API Gateway\'s "Model size per API"', () => {
    const schema = { $schema: "http://json-schema.org/draft-04/schema#", title: "Big", description: "x".repeat(400_000), type: "object" };
    const schemaFile = tempFile("big.schema.json", JSON.stringify(schema));
    const workflow = { ...DEFAULT_WORKFLOWS[0], requestSchema: schemaFile };
    expect(() => synthStack({ workflows: [workflow] })).toThrow(
      /^API Gateway quota "Model size per API" \(400,000 bytes\) exceeded: the REST API's 1 request models together needs 400,1\d\d bytes/,
    );
  });

  it('stops synth on a route whose method ARN is over API Gateway\'s "Method ARN length"', () => {
    const workflow = { ...DEFAULT_WORKFLOWS[0], path: `orders/${"o".repeat(1540)}` };
    expect(() => synthStack({ workflows: [workflow] })).toThrow(
      /^API Gateway quota "Method ARN length" \(1,600 bytes\) exceeded: the route POST \/orders\/o+ needs 1,6\d\d bytes; AWS does not raise it/,
    );
  });
});
