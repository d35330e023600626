/**
 * The request mapping stage: the integration request body, the request template for the request's
 * content type, or the body passed through as the passthrough behaviour allows (API Gateway
 * documentation, "Method request behavior for payloads without mapping templates"). No
 * Content-Type header counts as application/json, and the media type is compared without its
 * parameters (charset) and case. A content type with no template under NEVER (or WHEN_NO_TEMPLATES
 * with templates) is 415 {"message":"Unsupported Media Type"}; a body the template cannot read as
 * JSON (it starts like JSON but is not) is 400 {"message":"Could not process payload"} (as lang/vtl/
 * records it); a template that fails otherwise is 500 {"message":"Internal server error"}.
 */
import { renderMappingTemplate } from "../../../lang/vtl";
import { GatewayError, type Handler, headerValue, mappingRequest, mediaType, type RequestContext } from "../context";

/** Sets the integration request body. */
export class RequestMappingHandler implements Handler {
  handle(context: RequestContext): void {
    const { integration } = context.route!;
    const contentType = mediaType(headerValue(context.headers, "content-type"));
    const template = integration.requestTemplates[contentType];
    const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
    if (template === undefined) {
      if (integration.passthroughBehavior === "NEVER" || (integration.passthroughBehavior === "WHEN_NO_TEMPLATES" && hasTemplates)) {
        throw new GatewayError("UNSUPPORTED_MEDIA_TYPE");
      }
      context.integrationRequestBody = context.request.body ?? "";
      return;
    }
    try {
      context.integrationRequestBody = renderMappingTemplate(template, mappingRequest(context, context.request.body ?? "")).output;
    } catch (error) {
      if (/^Could not process payload/.test((error as Error).message)) throw new GatewayError("DEFAULT_4XX", "Could not process payload");
      throw new GatewayError("API_CONFIGURATION_ERROR");
    }
  }
}
