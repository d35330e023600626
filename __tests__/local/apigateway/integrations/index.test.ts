/** local/apigateway/integrations/: the integration serving a route, by type and service. */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../../local/apigateway/context";
import { IntegrationHandler } from "../../../../local/apigateway/handlers/integration";
import { integrationFor } from "../../../../local/apigateway/integrations";
import { mockIntegration } from "../../../../local/apigateway/integrations/mock";
import { stepFunctionsIntegration } from "../../../../local/apigateway/integrations/step-functions";
import type { ApiModel, IntegrationModel } from "../../../../local/stack-reader";

const base = { passthroughBehavior: "WHEN_NO_MATCH", requestTemplates: {}, requestParameters: {}, timeoutMs: 29_000 } as const;

describe("integrationFor", () => {
  it("serves an AWS integration of the states service with Step Functions", () => {
    expect(integrationFor({ ...base, type: "AWS", service: "states", action: "StartExecution" })).toBe(stepFunctionsIntegration);
  });

  it("serves a MOCK integration without a backend", () => {
    expect(integrationFor({ ...base, type: "MOCK" })).toBe(mockIntegration);
  });

  it("finds nothing for an AWS integration of a service no file serves", () => {
    expect(integrationFor({ ...base, type: "AWS", service: "sqs" } as IntegrationModel)).toBeUndefined();
  });
});

describe("IntegrationHandler", () => {
  it("refuses at start a route whose integration no registered integration serves", () => {
    const model = {
      routes: [{ httpMethod: "POST", resourcePath: "/jobs", integration: { ...base, type: "AWS", service: "states" } }],
    } as unknown as ApiModel;
    expect(() => new IntegrationHandler(model, [mockIntegration])).toThrow("POST /jobs: no local integration serves type AWS (states)");
  });
});

describe("the MOCK integration", () => {
  it("answers the status code its request template writes", async () => {
    await expect(mockIntegration.invoke({} as never, '{"statusCode": 503}')).resolves.toEqual({ status: 503, headers: {}, body: "" });
  });

  it("answers 200 when the request template writes no status code", async () => {
    await expect(mockIntegration.invoke({} as never, "{}")).resolves.toMatchObject({ status: 200 });
  });

  it("fails as an API configuration error when the integration request is not JSON", async () => {
    const failure = await mockIntegration.invoke({} as never, "not json").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).responseType).toBe("API_CONFIGURATION_ERROR");
  });
});
