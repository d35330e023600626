/**
 * The integration timeout (the integrationTimeoutMs setting, stacks/constructs/integration-timeout.ts):
 * what configuration accepts, the timeout_milliseconds every route's integration gets, and an
 * EXPRESS workflow's TimeoutSeconds checked against it at synth (or, in the module, at plan).
 * Every configuration here is the test's own.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../stacks/config";
import { DEFAULT_WORKFLOWS, type WorkflowConfig } from "../../stacks/workflows";
import { fixtureProject } from "../support/project";
import { run } from "../support/run";
import { resources } from "../support/stack-json";
import { synthStack, testConfig, testEnv } from "../support/synth";

/** An EXPRESS workflow of its own: one Pass state, and the top-level TimeoutSeconds given (none when undefined). */
function expressWorkflow(name: string, timeoutSeconds: number | undefined): WorkflowConfig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-timeout-"));
  const file = path.join(dir, `${name}.asl.json.tftpl`);
  const definition = {
    ...(timeoutSeconds === undefined ? {} : { TimeoutSeconds: timeoutSeconds }),
    StartAt: "Done",
    States: { Done: { Type: "Pass", End: true } },
  };
  fs.writeFileSync(file, JSON.stringify(definition));
  return { name, type: "EXPRESS", templateFile: file, templateVariables: {}, path: name, resources: [] };
}

/** What synth writes to stderr while `build` runs. */
function stderrOf(build: () => void): string {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: any) => {
    written.push(String(chunk));
    return true;
  });
  try {
    build();
  } finally {
    spy.mockRestore();
  }
  return written.join("");
}

const outdirs: string[] = [];
afterEach(() => {
  for (const dir of outdirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function synth(options: Parameters<typeof synthStack>[0]) {
  const result = synthStack(options);
  outdirs.push(result.outdir);
  return result;
}

describe("the integrationTimeoutMs setting", () => {
  it("defaults to API Gateway's default quota, 29,000 ms", () => {
    expect(loadConfig().integrationTimeoutMs).toBe(29_000);
  });

  it("accepts 50 ms and 300,000 ms, the bounds of a raised quota", () => {
    expect(loadConfig({ env: { APIGW_SFN_INTEGRATION_TIMEOUT_MS: "50" } }).integrationTimeoutMs).toBe(50);
    expect(loadConfig({ context: { integrationTimeoutMs: 300_000 } }).integrationTimeoutMs).toBe(300_000);
  });

  it("refuses a value below 50 ms with one line naming the environment variable", () => {
    expect(() => loadConfig({ env: { APIGW_SFN_INTEGRATION_TIMEOUT_MS: "49" } })).toThrow(
      /^invalid configuration:\n {2}- environment variable APIGW_SFN_INTEGRATION_TIMEOUT_MS: 49 must be between 50 and 300000$/,
    );
  });

  it("refuses a value above 300,000 ms with one line naming the cdktf.json setting", () => {
    expect(() => loadConfig({ context: { integrationTimeoutMs: 300_001 } })).toThrow(
      /^invalid configuration:\n {2}- cdktf.json context "integrationTimeoutMs": 300001 must be between 50 and 300000$/,
    );
  });

  it("refuses a value that is not a whole number, from either source", () => {
    expect(() => loadConfig({ env: { APIGW_SFN_INTEGRATION_TIMEOUT_MS: "29.5" } })).toThrow(
      /^invalid configuration:\n {2}- environment variable APIGW_SFN_INTEGRATION_TIMEOUT_MS: "29.5" is not a whole number$/,
    );
    expect(() => loadConfig({ context: { integrationTimeoutMs: "120s" } })).toThrow(
      /^invalid configuration:\n {2}- cdktf.json context "integrationTimeoutMs": expected a whole number, got "120s"$/,
    );
  });
});

describe("timeout_milliseconds of the integrations", () => {
  it("is 29,000 on every route by default", () => {
    const integrations = Object.values(resources(synth({}).json, "aws_api_gateway_integration"));
    expect(integrations).toHaveLength(3);
    for (const integration of integrations) expect(integration.timeout_milliseconds).toBe(29_000);
  });

  it("is 120,000 on every route with integrationTimeoutMs 120000 (the API is Regional or private, which may raise it)", () => {
    const { json } = synth({ config: testConfig({ integrationTimeoutMs: 120_000 }) });
    const integrations = Object.values(resources(json, "aws_api_gateway_integration"));
    expect(integrations).toHaveLength(3);
    for (const integration of integrations) expect(integration.timeout_milliseconds).toBe(120_000);
    const [api] = Object.values(resources(json, "aws_api_gateway_rest_api"));
    expect(api.endpoint_configuration.types).toEqual(["REGIONAL"]);
  });

  it("lets an EXPRESS workflow's TimeoutSeconds up to the raised timeout synthesize", () => {
    const { json } = synth({ config: testConfig({ integrationTimeoutMs: 120_000 }), workflows: [expressWorkflow("slow", 120)] });
    expect(resources(json, "aws_api_gateway_integration").slow_start_integration.timeout_milliseconds).toBe(120_000);
  });
});

describe("an EXPRESS workflow's TimeoutSeconds against the integration timeout", () => {
  it("stops synth when it is longer, naming the workflow, TimeoutSeconds, the setting, its value and the remedy", () => {
    expect(() => synth({ config: testConfig({ integrationTimeoutMs: 120_000 }), workflows: [expressWorkflow("slow", 121)] })).toThrow(
      /^workflow slow: its TimeoutSeconds \(121\) is longer than integrationTimeoutMs \(120000 ms\), so API Gateway would answer 504 while the execution goes on: lower TimeoutSeconds to at most 120, or raise integrationTimeoutMs to at least 121000 \(above 29000 needs the account's API Gateway quota "Maximum integration timeout in milliseconds" raised\)$/,
    );
  });

  it("stops synth of the demo's EXPRESS workflow (TimeoutSeconds 25) under a 20,000 ms timeout, with no quota to raise", () => {
    expect(() => synth({ config: testConfig({ integrationTimeoutMs: 20_000 }) })).toThrow(
      /^workflow express: its TimeoutSeconds \(25\) is longer than integrationTimeoutMs \(20000 ms\), .*: lower TimeoutSeconds to at most 20, or raise integrationTimeoutMs to at least 25000$/,
    );
  });

  it("stops synth of a TimeoutSeconds above the five minutes an EXPRESS execution runs, whatever the timeout", () => {
    expect(() => synth({ config: testConfig({ integrationTimeoutMs: 300_000 }), workflows: [expressWorkflow("endless", 301)] })).toThrow(
      /^workflow endless: its TimeoutSeconds \(301\) is longer than integrationTimeoutMs \(300000 ms\), .*: lower TimeoutSeconds to at most 300 \(an EXPRESS execution runs 300 s at most anyway\)$/,
    );
  });

  it("stops `npm run synth` with one `synth failed:` line and writes nothing", async () => {
    const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-timeout-")), "out");
    const result = await run("node", ["scripts/synth.cjs"], {
      cwd: fixtureProject(),
      env: testEnv({ CDKTF_OUTDIR: outdir, APIGW_SFN_INTEGRATION_TIMEOUT_MS: "20000" }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^synth failed: workflow express: its TimeoutSeconds \(25\) is longer than integrationTimeoutMs \(20000 ms\)/),
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it("warns once when an EXPRESS workflow has no TimeoutSeconds and the timeout is under five minutes", () => {
    const workflows = [expressWorkflow("unbounded", undefined)];
    const stderr = stderrOf(() => {
      synth({ workflows });
      synth({ workflows });
    });
    expect(stderr).toBe(
      "Warning: workflow unbounded: an EXPRESS workflow without TimeoutSeconds runs up to 300 s, but its route gives up after " +
        "integrationTimeoutMs (29000 ms) and answers 504 while the execution goes on: set TimeoutSeconds to at most 29 in its definition\n",
    );
  });

  it("does not warn for the default configuration, nor for a workflow without TimeoutSeconds under a five-minute timeout", () => {
    expect(stderrOf(() => synth({}))).toBe("");
    expect(
      stderrOf(() =>
        synth({ config: testConfig({ integrationTimeoutMs: 300_000 }), workflows: [expressWorkflow("bounded-by-aws", undefined)] }),
      ),
    ).toBe("");
  });
});

describe("the module's integration_timeout_ms", () => {
  it("is every integration's timeout, validated from 50 to 300000 with the setting's message", () => {
    const { json } = synth({ module: true });
    expect(json.variable.integration_timeout_ms).toMatchObject({
      type: "number",
      default: 29_000,
      validation: [
        {
          condition: "${((var.integration_timeout_ms >= 50) && (var.integration_timeout_ms <= 300000))}",
          error_message: "integration_timeout_ms must be between 50 and 300000.",
        },
      ],
    });
    for (const integration of Object.values(resources(json, "aws_api_gateway_integration"))) {
      expect(integration.timeout_milliseconds).toBe("${var.integration_timeout_ms}");
    }
  });

  it("checks the EXPRESS workflow's TimeoutSeconds at plan, as a precondition of the route that waits for it", () => {
    const integrations = resources(synth({ module: true }).json, "aws_api_gateway_integration");
    expect(integrations.express_start_integration.lifecycle.precondition).toEqual([
      {
        condition: "${(var.integration_timeout_ms >= 25000)}",
        error_message: expect.stringContaining(
          'format("workflow express: its TimeoutSeconds (25) is longer than the integration timeout (%d ms), so API Gateway would answer 504',
        ),
      },
    ]);
    expect(integrations.standard_start_integration.lifecycle).toBeUndefined();
  });
});

describe("the demo's workflows", () => {
  it("keep the STANDARD workflow's wait as long as the default integration timeout, so that with its EC2 calls it runs longer", () => {
    const standard = DEFAULT_WORKFLOWS.find((workflow) => workflow.type === "STANDARD")!;
    expect(Number(standard.templateVariables.wait_seconds) * 1000).toBeGreaterThanOrEqual(loadConfig().integrationTimeoutMs);
  });
});
