/** local/apigateway/handlers/route.ts: which resource a path below the stage reaches. */
import { describe, expect, it } from "vitest";
import { matchResource } from "../../../../local/apigateway/handlers/route";

const RESOURCES = ["/", "/executions", "/executions/{name}", "/executions/latest", "/files/{proxy+}"];

describe("matchResource", () => {
  it("prefers a literal segment to a path parameter", () => {
    expect(matchResource(RESOURCES, "/executions/latest")).toEqual({ resourcePath: "/executions/latest", pathParameters: {} });
  });

  it("gives a path parameter its segment percent-decoded", () => {
    expect(matchResource(RESOURCES, "/executions/run%201")).toEqual({
      resourcePath: "/executions/{name}",
      pathParameters: { name: "run 1" },
    });
  });

  it("gives a greedy parameter every remaining segment", () => {
    expect(matchResource(RESOURCES, "/files/a/b%2Fc")?.pathParameters).toEqual({ proxy: "a/b/c" });
  });

  it("matches no resource with a trailing slash after a literal resource", () => {
    expect(matchResource(RESOURCES, "/executions/latest/")).toBeUndefined();
  });

  it("matches the root resource for the stage itself", () => {
    expect(matchResource(RESOURCES, "/")?.resourcePath).toBe("/");
  });
});
