/**
 * The counting of API Gateway management calls behind `npm run bench -- --api-calls`: the table
 * covers every type the stacks create, the counts follow the provider's Create and Read of each
 * type, for stacks the tests synthesize themselves (resources mode) and for a hand-made stack of
 * the shape the OpenAPI mode gives (one REST API with a body), and the floor follows the quotas.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  API_GATEWAY_CALLS,
  bodyPaths,
  callsTableMarkdown,
  countStack,
  floorSeconds,
  OTHER_TYPES,
  resourcesOfPaths,
  total,
} from "../../../scripts/lib/api-calls";
import type { WorkflowConfig } from "../../../stacks/workflows";
import { synthStack } from "../../support/synth";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const OPENAPI_STACK = path.join(ROOT, "__tests__", "fixtures", "api-calls", "openapi-stack.cdk.tf.json");

/** n EXPRESS workflows at top-level paths p0, p1, ...: each adds one API resource. */
function expressWorkflows(n: number): WorkflowConfig[] {
  return Array.from({ length: n }, (_, index) => ({
    name: `w${index}`,
    type: "EXPRESS" as const,
    templateFile: "state-machines/express.asl.json.tftpl",
    templateVariables: {},
    path: `p${index}`,
    resources: ["demo-instance"],
  }));
}

function openApiStack(): Record<string, any> {
  return JSON.parse(fs.readFileSync(OPENAPI_STACK, "utf8"));
}

/** The resource types the stacks' sources import from @cdktf/provider-aws (data sources and the provider left out). */
function importedResourceTypes(): string[] {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(path.join(ROOT, "stacks"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const match of text.matchAll(/from "@cdktf\/provider-aws\/lib\/([a-z0-9-]+)"/g)) {
      if (match[1] !== "provider" && !match[1].startsWith("data-")) found.add(`aws_${match[1].replace(/-/g, "_")}`);
    }
  }
  return [...found].sort();
}

describe("API Gateway calls per resource type", () => {
  it("has a row for every resource type the stacks create: API Gateway's with their calls, the others among those counted as none", () => {
    const rows = new Set(API_GATEWAY_CALLS.map((row) => row.type));
    const uncounted = importedResourceTypes().filter((type) => !rows.has(type) && !OTHER_TYPES.includes(type));
    expect(uncounted).toEqual([]);
    expect(importedResourceTypes().filter((type) => type.startsWith("aws_api_gateway_") && !rows.has(type))).toEqual([]);
  });

  it("names the provider's source file of every row", () => {
    for (const row of API_GATEWAY_CALLS) {
      expect(row.source, row.type).toMatch(new RegExp(`^internal/service/apigateway/${row.type.replace("aws_api_gateway_", "")}\\.go: `));
    }
  });

  it("is the table docs/performance.md shows", () => {
    expect(fs.readFileSync(path.join(ROOT, "docs", "performance.md"), "utf8")).toContain(callsTableMarkdown());
  });

  it("refuses to count a stack holding an aws_api_gateway_* type the table lacks", () => {
    const json = openApiStack();
    json.resource.aws_api_gateway_vpc_link = { link: { name: "l" } };
    expect(() => countStack(json)).toThrow(/no row for aws_api_gateway_vpc_link/);
  });
});

describe("a stack in the resources mode", () => {
  const { json } = synthStack({ workflows: expressWorkflows(2) });
  const counted = countStack(json);
  const n = (type: string) => Object.keys(json.resource[type] ?? {}).length;

  it("counts one call for a create that does not read back (method, method response, model, validator) and two for one that does", () => {
    expect(counted.apply.get("PutMethod")).toBe(n("aws_api_gateway_method"));
    expect(counted.apply.get("GetMethod")).toBeUndefined();
    expect(counted.apply.get("PutMethodResponse")).toBe(n("aws_api_gateway_method_response"));
    expect(counted.apply.get("GetMethodResponse")).toBeUndefined();
    expect(counted.apply.get("PutIntegration")).toBe(n("aws_api_gateway_integration"));
    expect(counted.apply.get("GetIntegration")).toBe(n("aws_api_gateway_integration"));
  });

  it("reads every API Gateway resource once on a plan with nothing to change, the REST API with one GetResources page for up to 25 paths", () => {
    expect(counted.apiResources).toBe(1 + n("aws_api_gateway_resource"));
    expect(counted.plan.get("GetResources")).toBe(1);
    expect(total(counted.plan)).toBe(counted.apiGatewayResources + 1);
  });

  it("counts the stage's create as CreateStage, UpdateStage for its access logs, and GetStage", () => {
    expect(json.resource.aws_api_gateway_stage.stage.access_log_settings).toBeDefined();
    const stageCalls = API_GATEWAY_CALLS.find((row) => row.type === "aws_api_gateway_stage")!;
    expect(stageCalls.create(json.resource.aws_api_gateway_stage.stage, { resources: 1, resourcesAtCreate: 1 })).toEqual([
      "CreateStage",
      "UpdateStage",
      "GetStage",
    ]);
  });

  it("pages GetResources 25 API resources at a time: 24 paths and the root fill one page, 25 need two", () => {
    expect(countStack(synthStack({ workflows: expressWorkflows(24) }).json).plan.get("GetResources")).toBe(1);
    expect(countStack(synthStack({ workflows: expressWorkflows(25) }).json).plan.get("GetResources")).toBe(2);
  });

  it("changes one template with the refresh, an integration update, a new deployment in place of the old and the stage moved to it", () => {
    const extra = new Map(counted.templateChange);
    for (const [op, k] of counted.plan) extra.set(op, (extra.get(op) ?? 0) - k);
    expect(Object.fromEntries([...extra].filter(([, k]) => k !== 0))).toEqual({
      UpdateIntegration: 1,
      GetIntegration: 1,
      CreateDeployment: 1,
      GetDeployment: 1,
      DeleteDeployment: 1,
      UpdateStage: 1,
      GetStage: 1,
    });
  });
});

describe("a stack in the OpenAPI mode (hand-made: one REST API with a body)", () => {
  const counted = countStack(openApiStack());

  it("counts the API Gateway resources the body makes: every prefix of its paths and the root", () => {
    expect(counted.apiResources).toBe(5); // /, /orders, /orders/executions, /orders/executions/{name}, /quote
  });

  it("creates the REST API with CreateRestApi, PutRestApi and its read, without a patch when the body holds its settings", () => {
    const restApi = API_GATEWAY_CALLS.find((row) => row.type === "aws_api_gateway_rest_api")!;
    expect(restApi.create(openApiStack().resource.aws_api_gateway_rest_api.api, { resources: 5, resourcesAtCreate: 5 })).toEqual([
      "CreateRestApi",
      "PutRestApi",
      "GetRestApi",
      "GetResources",
    ]);
  });

  it("costs 21 calls on the first apply and 10 on a plan with nothing to change", () => {
    // REST API 4 (above), deployment 2, stage 3 (access logs), method settings 2, and 2 each for the
    // policy, API key, usage plan, usage plan key and account; a plan reads each once, the REST API
    // with one GetResources page.
    expect(total(counted.apply)).toBe(21);
    expect(total(counted.plan)).toBe(10);
    expect(counted.apply.get("PutRestApi")).toBe(1);
  });

  it("patches the REST API after PutRestApi when its name differs from the body's title", () => {
    const json = openApiStack();
    json.resource.aws_api_gateway_rest_api.api.name = "another-name";
    // The REST API policy's own create is the other UpdateRestApi.
    expect(counted.apply.get("UpdateRestApi")).toBe(1);
    expect(countStack(json).apply.get("UpdateRestApi")).toBe(2);
  });

  it("changes one template by putting the whole body again, with a new deployment and the stage moved to it", () => {
    const extra = new Map(counted.templateChange);
    for (const [op, k] of counted.plan) extra.set(op, (extra.get(op) ?? 0) - k);
    expect(Object.fromEntries([...extra].filter(([, k]) => k !== 0))).toEqual({
      PutRestApi: 1,
      GetRestApi: 1,
      GetResources: 1,
      CreateDeployment: 1,
      GetDeployment: 1,
      DeleteDeployment: 1,
      UpdateStage: 1,
      GetStage: 1,
    });
  });

  it("finds the paths of a body written as a Terraform jsonencode() expression", () => {
    const body = '${jsonencode({"openapi" = "3.0.1", "paths" = {"/a/{id}" = {"get" = {}}, "/b" = {"post" = {}}}})}';
    expect(bodyPaths(body)).toEqual(["/a/{id}", "/b"]);
    expect(resourcesOfPaths(bodyPaths(body))).toBe(4);
  });

  it("makes at 10 workflows at most a tenth of the resources mode's calls per plan with nothing to change (issue 19)", () => {
    // The resources mode's stack of 10 workflows, and the same API as the OpenAPI mode defines it:
    // its paths in the body; deployment, stage and method settings kept; no per-route resources.
    const { json } = synthStack({ workflows: expressWorkflows(10) });
    const resources = countStack(json);
    const paths = Object.values(json.resource.aws_api_gateway_resource as Record<string, { path_part: string }>).map(
      (r) => `/${r.path_part}`,
    );
    const openapi = openApiStack();
    openapi.resource.aws_api_gateway_rest_api.api.body = JSON.stringify({
      openapi: "3.0.1",
      info: { title: "apigw-sfn-api", description: "Starts Step Functions workflows" },
      paths: Object.fromEntries(paths.map((p) => [p, { post: {} }])),
    });
    const counted = countStack(openapi);
    expect(counted.apiResources).toBe(resources.apiResources);
    expect(total(counted.plan) * 10).toBeLessThanOrEqual(total(resources.plan));
  });
});

describe("the floor under API Gateway's quotas", () => {
  it("is nothing within the burst of 40, then a tenth of a second per call", () => {
    expect(floorSeconds(new Map([["GetMethod", 40]])).seconds).toBe(0);
    expect(floorSeconds(new Map([["GetMethod", 140]]))).toEqual({ seconds: 10, binding: "10 rps, burst 40" });
  });

  it("is an operation's own quota where it binds: three deployments take 10 s at one per 5 s", () => {
    expect(floorSeconds(new Map([["CreateDeployment", 3]]))).toEqual({ seconds: 10, binding: "CreateDeployment 1 per 5 s" });
  });
});
