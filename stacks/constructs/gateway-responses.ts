import { Construct } from "constructs";
import type { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
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
  /** Template of every gateway response body but BAD_REQUEST_BODY's. @default "mappings/gateway-response.json.tftpl" */
  readonly templateFile?: string;
  /**
   * Template of the BAD_REQUEST_BODY body (the request validator refused the body): the other
   * responses' fields plus `detail`, the validator's reason.
   * @default "mappings/bad-request-body.json.tftpl"
   */
  readonly badRequestBodyTemplateFile?: string;
}

/**
 * JSON bodies for the errors API Gateway answers itself (bad body, wrong content type, missing or
 * bad credentials, throttling, timeouts, and every other 4xx and 5xx), in the shape the routes use:
 * {"error": "<name>", "message": "<API Gateway's message>"}, and for a body the request validator
 * refuses a `detail` naming what is wrong: $context.error.validationErrorString, e.g.
 * `[object has missing required properties ([\"instance_id\"])]`. Gateway response templates are
 * not VTL, only variable substitution ("x-amazon-apigateway-gateway-responses.responseTemplates
 * object", API Gateway Developer Guide), so nothing can escape it: API Gateway writes its quotes
 * escaped (the reason as its execution log prints it, "Request body does not match model schema
 * for content type application/json: [object has missing required properties ([\"body\"])]", and
 * the body a deployed BAD_REQUEST_BODY template of this shape returns), so it sits in a JSON string.
 * Statuses stay API Gateway's.
 */
export class GatewayResponses extends Construct implements DeploymentPart {
  public readonly responses: readonly ApiGatewayGatewayResponse[];

  constructor(scope: Construct, id: string, props: GatewayResponsesProps) {
    super(scope, id);
    this.responses = Object.entries(GATEWAY_RESPONSE_ERRORS).flatMap(([responseType, error]) => {
      const response = props.api.addGatewayResponse(this, responseType, {
        responseType,
        responseTemplates: {
          "application/json": gatewayResponseTemplate(
            this,
            responseType === "BAD_REQUEST_BODY"
              ? (props.badRequestBodyTemplateFile ?? "mappings/bad-request-body.json.tftpl")
              : (props.templateFile ?? "mappings/gateway-response.json.tftpl"),
            { error },
          ),
        },
      });
      return response ? [response] : [];
    });
  }

  /** In openapi mode the responses are in the API's body: nothing to wait for or hash here. */
  public get dependables() {
    return this.responses;
  }

  public get deploymentFingerprint(): Fingerprint {
    return this.responses;
  }
}
