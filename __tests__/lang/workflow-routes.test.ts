import { describe, expect, it } from "vitest";
import { ROUTE_OF_ACTION, WORKFLOW_ROUTES, outputPathOf, statusPathOf } from "../../lang/workflow-routes";

describe("the routes of each workflow type", () => {
  it("gives an EXPRESS workflow one POST route that waits for the result", () => {
    expect(WORKFLOW_ROUTES.EXPRESS.map((kind) => [kind.method, kind.path({ path: "orders" }), kind.action])).toEqual([
      ["POST", "orders", "StartSyncExecution"],
    ]);
  });

  it("gives a STANDARD workflow a POST route and a GET route below its status path", () => {
    expect(WORKFLOW_ROUTES.STANDARD.map((kind) => [kind.method, kind.path({ path: "orders" }), kind.action])).toEqual([
      ["POST", "orders", "StartExecution"],
      ["GET", "orders/executions/{name}", "DescribeExecution"],
    ]);
    expect(WORKFLOW_ROUTES.STANDARD[1].path({ path: "orders", statusPath: "runs" })).toBe("runs/{name}");
  });

  it("names each route kind by the one action it calls", () => {
    for (const kinds of Object.values(WORKFLOW_ROUTES)) for (const kind of kinds) expect(ROUTE_OF_ACTION[kind.action]).toBe(kind);
  });

  it("reads every path parameter a route kind declares from its path", () => {
    for (const kinds of Object.values(WORKFLOW_ROUTES)) {
      for (const kind of kinds) {
        for (const parameter of kind.pathParameters) expect(kind.path({ path: "p" }).split("/")).toContain(`{${parameter}}`);
      }
    }
  });

  it("gives a status route's output the path without the execution name", () => {
    expect(outputPathOf("runs/{name}")).toBe("runs");
    expect(outputPathOf("orders")).toBe("orders");
    expect(statusPathOf({ path: "orders" })).toBe("orders/executions");
  });
});
