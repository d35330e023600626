/**
 * The response mapping stage: the integration response selected for the backend's status by its
 * selection pattern (API Gateway documentation, "Integration responses for REST APIs"), its
 * response template for the request's Accept header (with `$context.responseOverride` status and
 * headers), and its response parameters. No integration response for the status and no default
 * one, or a template that fails, is 500 {"message":"Internal server error"}.
 */
import { renderMappingTemplate } from "../../../lang/vtl";
import type { ApiModel } from "../../stack-reader";
import {
  chooseTemplate,
  finishResponse,
  GatewayError,
  type Handler,
  headerValue,
  type IntegrationAnswer,
  mappingRequest,
  type RequestContext,
  requestSideValue,
} from "../context";

/**
 * The integration response API Gateway selects for a backend status: the one whose
 * selection_pattern (a regular expression) matches the whole status code, else the one without a
 * pattern (the default); undefined when neither exists.
 */
export function selectIntegrationResponse<T extends { readonly selectionPattern?: string }>(
  responses: readonly T[],
  backendStatus: number | string,
): T | undefined {
  const status = String(backendStatus);
  return (
    responses.find((r) => r.selectionPattern !== undefined && new RegExp(`^(?:${r.selectionPattern})$`).test(status)) ??
    responses.find((r) => r.selectionPattern === undefined)
  );
}

/** Sets the response from the backend's answer. */
export class ResponseMappingHandler implements Handler {
  /** Refuses, at start, a response parameter source API Gateway would refuse. */
  constructor(model: ApiModel) {
    for (const route of model.routes) {
      for (const response of route.integrationResponses) {
        for (const [target, source] of Object.entries(response.responseParameters))
          checkResponseParameter(source, `${route.httpMethod} ${route.resourcePath}: ${target}`);
      }
    }
  }

  handle(context: RequestContext): void {
    const route = context.route!;
    const backend = context.integrationAnswer!;
    const selected = selectIntegrationResponse(route.integrationResponses, backend.status);
    if (!selected) throw new GatewayError("API_CONFIGURATION_ERROR");
    const [contentType, template] = chooseTemplate(selected.responseTemplates, headerValue(context.headers, "accept"));
    let body = backend.body;
    let override: { status?: number; header: Readonly<Record<string, string>> } = { header: {} };
    if (template !== undefined) {
      try {
        const rendered = renderMappingTemplate(template, mappingRequest(context, backend.body));
        body = rendered.output;
        override = rendered.responseOverride;
      } catch {
        throw new GatewayError("API_CONFIGURATION_ERROR");
      }
    }
    const headers: Record<string, string> = {};
    for (const [target, source] of Object.entries(selected.responseParameters)) {
      const value = responseParameterValue(source, context, backend);
      if (value !== undefined) headers[target.slice("method.response.header.".length)] = value;
    }
    Object.assign(headers, override.header);
    context.response = finishResponse(
      context,
      override.status ?? Number(selected.statusCode),
      { "Content-Type": contentType ?? "application/json", ...headers },
      body,
    );
  }
}

function responseParameterValue(source: string, context: RequestContext, backend: IntegrationAnswer): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const header = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(source);
  if (header) return headerValue(backend.headers, header[1]);
  if (source === "integration.response.body") return backend.body;
  const body = /^integration\.response\.body\.(.+)$/.exec(source);
  if (body) {
    let value: unknown;
    try {
      value = JSON.parse(backend.body);
    } catch {
      return undefined;
    }
    for (const key of body[1].split("."))
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) return undefined;
    return typeof value === "string" ? value : JSON.stringify(value);
  }
  return requestSideValue(source, context);
}

function checkResponseParameter(source: string, where: string): void {
  if (
    /^'.*'$/s.test(source) ||
    /^integration\.response\.((multivalue)?header\.[^.]+|body(\..+)?)$/.test(source) ||
    /^(method\.request\.(header|querystring|path)|stageVariables|context)\..+$/.test(source)
  ) {
    return;
  }
  throw new Error(`${where}: response parameter source ${JSON.stringify(source)} is not one API Gateway accepts`);
}
