/**
 * The integration stage: the backend of the route's integration, found by its type and service
 * (local/apigateway/integrations/), called with the integration request body. An integration
 * taking longer than its timeout (the integration's timeout_milliseconds in the synthesized stack,
 * 29 s when unset; never scaled by waitScale; Amazon API Gateway quotas, "Integration timeout") is
 * the INTEGRATION_TIMEOUT gateway response, 504 "Endpoint request timed out", as on AWS; the
 * execution goes on, as a StartSyncExecution does once API Gateway has stopped waiting.
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
