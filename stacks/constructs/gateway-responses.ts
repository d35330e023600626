import { Construct } from "constructs";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import { gatewayResponseTemplate } from "./mapping-template";
import type { RestApi } from "./rest-api";

/** API Gateway's own error answers, and the `error` name each gets in its JSON body. */
export const GATEWAY_RESPONSE_ERRORS: Readonly<Record<string, string>> = {
  BAD_REQUEST_BODY: "BadRequestBody",
  BAD_REQUEST_PARAMETERS: "BadRequestParameters",
  UNSUPPORTED_MEDIA_TYPE: "UnsupportedMediaType",
  REQUEST_TOO_LARGE: "RequestTooLarge",
  MISSING_AUTHENTICATION_TOKEN: "MissingAuthenticationToken",
  INVALID_SIGNATURE: "InvalidSignature",
  EXPIRED_TOKEN: "ExpiredToken",
  ACCESS_DENIED: "AccessDenied",
  UNAUTHORIZED: "Unauthorized",
  INVALID_API_KEY: "InvalidApiKey",
  THROTTLED: "Throttled",
  QUOTA_EXCEEDED: "QuotaExceeded",
  INTEGRATION_FAILURE: "IntegrationFailure",
  INTEGRATION_TIMEOUT: "IntegrationTimeout",
  DEFAULT_4XX: "ClientError",
  DEFAULT_5XX: "ServerError",
};

export interface GatewayResponsesProps {
  readonly api: RestApi;
  /** Template of every gateway response body. @default "mappings/gateway-response.json.tftpl" */
  readonly templateFile?: string;
}

/**
 * JSON bodies for the errors API Gateway answers itself (bad body, wrong content type, missing or
 * bad credentials, throttling, timeouts, and every other 4xx and 5xx), in the shape the routes use:
 * {"error": "<name>", "message": "<API Gateway's message>"}. Statuses stay API Gateway's.
 */
export class GatewayResponses extends Construct implements DeploymentPart {
  public readonly responses: readonly ApiGatewayGatewayResponse[];

  constructor(scope: Construct, id: string, props: GatewayResponsesProps) {
    super(scope, id);
    this.responses = Object.entries(GATEWAY_RESPONSE_ERRORS).map(
      ([responseType, error]) =>
        new ApiGatewayGatewayResponse(this, responseType, {
          restApiId: props.api.apiId,
          responseType,
          responseTemplates: {
            "application/json": gatewayResponseTemplate(this, props.templateFile ?? "mappings/gateway-response.json.tftpl", { error }),
          },
        }),
    );
  }

  public get dependables() {
    return this.responses;
  }

  public get deploymentFingerprint(): Fingerprint {
    return this.responses;
  }
}
