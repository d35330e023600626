/**
 * The integration stage: the backend of the route's integration, found by its type and service
 * (local/apigateway/integrations/), called with the integration request body. An integration
 * taking longer than its timeout (29 s by default, not scaled; Amazon API Gateway quotas,
 * "Integration timeout") is 504 {"message":"Endpoint request timed out"}.
 */
import type { ApiModel } from "../../stack-reader";
import { GatewayError, type Handler, type RequestContext } from "../context";
import { INTEGRATIONS, type Integration, integrationFor } from "../integrations";

/** Sets the backend's answer. */
export class IntegrationHandler implements Handler {
  constructor(
    model: ApiModel,
    private readonly integrations: readonly Integration[] = INTEGRATIONS,
  ) {
    for (const route of model.routes) {
      if (!integrationFor(route.integration, integrations)) {
        const { type, service } = route.integration;
        throw new Error(
          `${route.httpMethod} ${route.resourcePath}: no local integration serves type ${type}${service ? ` (${service})` : ""}`,
        );
      }
    }
  }

  async handle(context: RequestContext): Promise<void> {
    const { integration } = context.route!;
    const target = integrationFor(integration, this.integrations)!;
    const body = context.integrationRequestBody ?? "";
    if (integration.type === "MOCK") {
      context.integrationAnswer = await target.invoke(context, body);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GatewayError("INTEGRATION_TIMEOUT")), integration.timeoutMs);
    });
    try {
      context.integrationAnswer = await Promise.race([target.invoke(context, body), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
