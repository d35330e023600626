/**
 * A user's own EXPRESS workflow with its own errors ("errors" of its configuration), served by the
 * local API from the synthesized stack: the emulator needs nothing special, it renders the templates
 * synth wrote. The workflow fails in Fail states with its own error names.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalApi, startLocalApi } from "../../local/server";
import type { WorkflowConfig } from "../../stacks/workflows";
import { type Reply, request } from "../support/http";
import { apiResources, pathPartOf, resources } from "../support/stack-json";
import { synthStack } from "../support/synth";

/** An error name with what could break the templates it travels through: quotes, a backslash, VTL and Terraform syntax, non-ASCII. */
const ODD_ERROR = 'Order\'s "odd" \\ $ref #set %{x} ${y} ü 🚀';

const ASL = {
  Comment: "Looks an order up: fails with the workflow's own errors.",
  StartAt: "Find",
  States: {
    Find: {
      Type: "Choice",
      Choices: [
        { Variable: "$.order", StringEquals: "missing", Next: "NotFound" },
        { Variable: "$.order", StringEquals: "declined", Next: "Declined" },
        { Variable: "$.order", StringEquals: "odd", Next: "Odd" },
      ],
      Default: "Found",
    },
    NotFound: { Type: "Fail", Error: "Order.NotFound", Cause: "No order is called 'missing'." },
    Declined: { Type: "Fail", Error: "Payment.Declined", Cause: "The card was declined." },
    Odd: { Type: "Fail", Error: ODD_ERROR, Cause: "odd" },
    Found: { Type: "Pass", Result: { order: "found" }, End: true },
  },
};

const ORDERS: WorkflowConfig = {
  name: "orders",
  type: "EXPRESS",
  templateFile: "",
  templateVariables: {},
  path: "orders",
  resources: [],
  // Payment.Declined is not mapped: it answers 500 like any other failure.
  errors: { "Order.NotFound": 404, [ODD_ERROR]: 422 },
};

let api: LocalApi;
let stackDir: string;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-orders-"));
  const templateFile = path.join(dir, "orders.asl.json.tftpl");
  // A Terraform template: a literal "${" or "%{" is written "$${" or "%%{".
  fs.writeFileSync(templateFile, JSON.stringify(ASL, null, 2).replace(/([$%])\{/g, "$1$1{"));
  const synth = synthStack({ workflows: [{ ...ORDERS, templateFile }] });
  stackDir = synth.stackDir;
  api = await startLocalApi({ stackDir: synth.stackDir, port: 0, log: false });
});

afterAll(async () => {
  await api?.close();
});

function post(order: string): Promise<Reply> {
  return request(api.origin, "POST", "/v1/orders", JSON.stringify({ order }), { "Content-Type": "application/json" });
}

describe("a workflow with its own errors, through the local API", () => {
  it("answers 404 when the execution fails with Order.NotFound, with the error and the cause", async () => {
    const reply = await post("missing");
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ status: "FAILED", error: "Order.NotFound", cause: "No order is called 'missing'." });
  });

  it("answers 500 when the execution fails with an error its configuration does not map", async () => {
    const reply = await post("declined");
    expect(reply.status).toBe(500);
    expect(reply.json).toMatchObject({ status: "FAILED", error: "Payment.Declined" });
  });

  it("answers the mapped status for an error name holding quotes, a backslash, VTL and Terraform syntax", async () => {
    const reply = await post("odd");
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ status: "FAILED", error: ODD_ERROR });
  });

  it("answers 200 with the output when the execution succeeds", async () => {
    const reply = await post("42");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ order: "found" });
  });
});

describe("the synthesized route of a workflow with its own errors", () => {
  it("declares exactly the statuses it can answer: no 409 or 503 of the demo's EC2 errors", () => {
    // The routes' resources, or in "openapi" mode those the body's import makes: the one route is POST /orders.
    const routes = apiResources(stackDir);
    const statuses = Object.values(resources(routes, "aws_api_gateway_method_response"))
      .filter((response) => pathPartOf(routes, response) === "orders")
      .map((response) => response.status_code)
      .sort();
    expect(statuses).toEqual(["200", "400", "404", "422", "429", "500", "502", "504"]);
  });
});
