/**
 * The MOCK integration: no backend; the status is the integration request's `statusCode` (API
 * Gateway documentation, "Mock integrations for REST APIs in API Gateway": the request template
 * returns `{"statusCode": 200}`), 200 when it has none. A request body that is not JSON
 * is 500 {"message":"Internal server error"}.
 */
import { GatewayError, type IntegrationAnswer } from "../context";
import type { Integration } from "./integration";

export const mockIntegration: Integration = {
  type: "MOCK",
  async invoke(_context, body): Promise<IntegrationAnswer> {
    let status = 200;
    try {
      const parsed = JSON.parse(body) as { statusCode?: unknown };
      if (parsed && Number.isInteger(Number(parsed.statusCode))) status = Number(parsed.statusCode);
    } catch {
      throw new GatewayError("API_CONFIGURATION_ERROR");
    }
    return { status, headers: {}, body: "" };
  },
};
