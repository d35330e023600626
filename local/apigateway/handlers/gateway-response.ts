/**
 * The gateway responses stage: what API Gateway answers itself for a failure of an earlier stage
 * (API Gateway documentation, "Gateway response types for API Gateway"): the stack's
 * aws_api_gateway_gateway_response for the type, else for its DEFAULT_4XX / DEFAULT_5XX family,
 * else API Gateway's default `{"message":$context.error.messageString}` with the type's status.
 */
import { renderMappingTemplate } from "../../../lang/vtl";
import type { GatewayResponseModel } from "../../stack-reader";
import {
  chooseTemplate,
  contextVariables,
  finishResponse,
  GATEWAY_RESPONSE_DEFAULTS,
  type GatewayError,
  type GatewayResponse,
  headerValue,
  mappingRequest,
  type RequestContext,
  requestSideValue,
} from "../context";

/** The body of a gateway response when the stack does not customise it. */
const DEFAULT_GATEWAY_TEMPLATE = '{"message":$context.error.messageString}';

/** Answers a failure. */
export class GatewayResponseHandler {
  handle(failed: RequestContext, error: GatewayError): GatewayResponse {
    // The request as it arrived, before routing: what the emulator has always given a gateway
    // response's templates and parameters ($context.resourcePath "", no path parameters).
    const context: RequestContext = { ...failed, route: undefined, pathParameters: {} };
    const defaults = GATEWAY_RESPONSE_DEFAULTS[error.responseType] ?? GATEWAY_RESPONSE_DEFAULTS.DEFAULT_5XX;
    const family = defaults.status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
    const { gatewayResponses } = context.stage.model;
    const configured: GatewayResponseModel | undefined = gatewayResponses[error.responseType] ?? gatewayResponses[family];
    const status = configured?.statusCode !== undefined ? Number(configured.statusCode) : defaults.status;
    const [contentType, template] = chooseTemplate(configured?.responseTemplates ?? {}, headerValue(context.headers, "accept"));
    const errorContext = {
      message: error.message,
      messageString: JSON.stringify(error.message),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString ?? "",
    };
    let body: string;
    try {
      body = renderMappingTemplate(template ?? DEFAULT_GATEWAY_TEMPLATE, {
        ...mappingRequest(context, context.request.body ?? ""),
        context: { ...contextVariables(context), error: errorContext },
      }).output;
    } catch {
      body = renderMappingTemplate(DEFAULT_GATEWAY_TEMPLATE, { body: "{}", context: { error: errorContext } }).output;
    }
    const headers: Record<string, string> = { "Content-Type": contentType ?? "application/json" };
    if (error.responseType === "MISSING_AUTHENTICATION_TOKEN") headers["x-amzn-ErrorType"] = "MissingAuthenticationTokenException";
    for (const [target, source] of Object.entries(configured?.responseParameters ?? {})) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
      if (!name) continue;
      const literal = /^'(.*)'$/s.exec(source);
      const value = literal ? literal[1] : requestSideValue(source, context);
      if (value !== undefined) headers[name] = value;
    }
    failed.response = finishResponse(context, status, headers, body);
    return failed.response;
  }
}
