/**
 * What a client of the deployed API receives, computed from the synthesized stack: the mapping
 * templates exactly as Terraform renders them (references resolved to the given values, escapes
 * undone), run through the API-Gateway-faithful VTL renderer, with integration responses selected
 * by their selection patterns as API Gateway does.
 */
import { selectIntegrationResponse } from "../../local/apigateway/handlers/response-mapping";
import type { TerraformStackJson } from "../../local/terraform-json";
import { type MappingRequest, renderMappingTemplate } from "../../lang/vtl";
import { resource, resources } from "./stack-json";

export interface ClientResponse {
  readonly status: number;
  readonly body: string;
  /** Headers the response template set. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Context values API Gateway gives every template, as on a stage named v1. */
const CONTEXT = { requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", stage: "v1" };

/** A route of the synthesized stack, by the Terraform name of its integration's construct (e.g. "express_start"). */
export class Route {
  private readonly json: Record<string, any>;

  constructor(
    /** The synthesized stack; references in templates resolve to its local values (see stack-json.ts). */
    private readonly stack: TerraformStackJson,
    private readonly name: string,
  ) {
    this.json = stack.json as Record<string, any>;
  }

  /** The body API Gateway sends to Step Functions for a request. */
  integrationRequest(body: string, request: Omit<MappingRequest, "body"> = {}): string {
    const integration = resource(this.json, "aws_api_gateway_integration", `${this.name}_integration`);
    const template = this.stack.render(integration.request_templates["application/json"], `${this.name} request template`);
    return renderMappingTemplate(template, { context: CONTEXT, ...request, body }).output;
  }

  /** What the client receives when Step Functions answers with this HTTP status and body. */
  clientResponse(backendStatus: number, backendBody: string): ClientResponse {
    const responses = Object.entries(resources(this.json, "aws_api_gateway_integration_response"))
      .filter(([id]) => id.startsWith(`${this.name}_integration_response`))
      .map(([id, response]) => ({ id, response, selectionPattern: response.selection_pattern || undefined }));
    // API Gateway matches selection patterns against the backend status code (the whole code);
    // the response without a pattern is the default. The local API selects with the same function.
    const selected = selectIntegrationResponse(responses, backendStatus);
    if (!selected) throw new Error(`${this.name}: no integration response for status ${backendStatus}`);
    const { id, response } = selected;
    const status = this.stack.render(response.status_code, `${id} status_code`);
    const template = this.stack.render(response.response_templates["application/json"], id);
    const rendered = renderMappingTemplate(template, { body: backendBody, context: CONTEXT });
    return {
      status: rendered.responseOverride.status ?? Number(status),
      body: rendered.output,
      headers: rendered.responseOverride.header,
    };
  }
}
