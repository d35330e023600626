/**
 * What an integration is to the integration stage (local/apigateway/handlers/integration.ts): a
 * backend reached by the integration's type (AWS, MOCK, …) and, for AWS integrations, the service
 * of its URI (`arn:aws:apigateway:<region>:<service>:action/<Action>`). A new integration is one
 * file that implements this and is listed in local/apigateway/integrations/index.ts.
 */
import type { IntegrationModel } from "../../stack-reader";
import type { IntegrationAnswer, RequestContext } from "../context";

export interface Integration {
  /** The integration type this answers for, as aws_api_gateway_integration's `type`. */
  readonly type: IntegrationModel["type"];
  /** For AWS integrations: the service of the URI (e.g. "states"). */
  readonly service?: string;
  /** Calls the backend with the integration request body the request mapping stage set. */
  invoke(context: RequestContext, body: string): Promise<IntegrationAnswer>;
}
