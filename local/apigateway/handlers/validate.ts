/**
 * The validate stage: the method's request validator (API Gateway documentation, "Request
 * validation for REST APIs in API Gateway"). With validate_request_parameters, a required request parameter
 * missing is 400 {"message":"Missing required request parameters: [name]"}; with
 * validate_request_body, a body that is not JSON or does not match the method's model (JSON Schema
 * draft 4) for its content type is 400 {"message":"Invalid request body"}, with
 * $context.error.validationErrorString for customised responses.
 */
import Ajv04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv-draft-04";
import type { ApiModel, RouteModel } from "../../stack-reader";
import { GatewayError, type Handler, headerValue, mediaType, type RequestContext } from "../context";

/** Checks a request against its route's validator, with each model compiled once. */
export class ValidateHandler implements Handler {
  private readonly validators = new Map<RouteModel, Map<string, ValidateFunction>>();

  constructor(model: ApiModel) {
    // verbose: the errors carry the value that failed (for the enum message).
    const ajv = new Ajv04({ strict: false, allErrors: false, validateFormats: false, verbose: true });
    // Each schema compiled once, however many routes share it (100 workflows, one request schema).
    const bySchema = new Map<string, ValidateFunction>();
    for (const route of model.routes) {
      const compiled = new Map<string, ValidateFunction>();
      for (const [contentType, requestModel] of Object.entries(route.requestModels)) {
        if (!requestModel.schema) continue;
        const text = JSON.stringify(requestModel.schema);
        let validate = bySchema.get(text);
        if (!validate) {
          validate = ajv.compile(requestModel.schema);
          bySchema.set(text, validate);
        }
        compiled.set(contentType, validate);
      }
      this.validators.set(route, compiled);
    }
  }

  handle(context: RequestContext): void {
    const route = context.route!;
    if (!route.validator) return;
    if (route.validator.validateParameters) {
      const missing = route.requestParameters
        .filter((p) => p.required)
        .filter((p) => {
          if (p.location === "path") return !context.pathParameters[p.name];
          if (p.location === "querystring") return context.query[p.name] === undefined;
          return headerValue(context.headers, p.name) === undefined;
        })
        .map((p) => p.name);
      if (missing.length > 0)
        throw new GatewayError("BAD_REQUEST_PARAMETERS", `Missing required request parameters: [${missing.join(", ")}]`);
    }
    if (route.validator.validateBody) {
      const validate = this.validators.get(route)?.get(mediaType(headerValue(context.headers, "content-type")));
      if (!validate) return;
      const text = context.request.body ?? "";
      let body: unknown;
      try {
        body = JSON.parse(text.trim() === "" ? "{}" : text);
      } catch (error) {
        throw new GatewayError("BAD_REQUEST_BODY", undefined, escapedReason(`Invalid JSON: ${(error as Error).message}`));
      }
      if (!validate(body)) throw new GatewayError("BAD_REQUEST_BODY", undefined, validationErrorString(validate.errors ?? []));
    }
  }
}

/**
 * $context.error.validationErrorString, in the words of the validator API Gateway uses (the Java
 * json-schema-validator's messages) for the common keywords, escaped as API Gateway writes it:
 * `[object has missing required properties ([\"instance_id\"])]` (its execution log prints "Request
 * body does not match model schema for content type application/json: [object has missing
 * required properties ([\"body\",\"subject\",\"to\"])]"; a deployed gateway response that puts it
 * in a JSON string returns valid JSON). Beyond the quotes, JSON string escaping is assumed.
 */
function validationErrorString(errors: readonly ErrorObject[]): string {
  const [error] = errors;
  if (!error) return "[]";
  const params = error.params as Record<string, unknown>;
  let text: string;
  switch (error.keyword) {
    case "required":
      text = `object has missing required properties ([${JSON.stringify(params.missingProperty)}])`;
      break;
    case "type":
      text = `instance type (${jsonType(error.data)}) does not match any allowed primitive type (allowed: [${JSON.stringify(params.type)}])`;
      break;
    case "pattern":
      text = `ECMA 262 regex ${JSON.stringify(params.pattern)} does not match input string ${JSON.stringify(error.data)}`;
      break;
    case "enum":
      text = `instance value (${JSON.stringify(error.data)}) not found in enum (possible values: ${JSON.stringify(params.allowedValues)})`;
      break;
    case "additionalProperties":
      text = `object instance has properties which are not allowed by the schema: [${JSON.stringify(params.additionalProperty)}]`;
      break;
    default:
      text = `${error.instancePath || "instance"} ${error.message ?? "is invalid"}`;
  }
  return escapedReason(text);
}

/** A validation reason as API Gateway writes it: in brackets, escaped as in a JSON string. */
function escapedReason(text: string): string {
  return `[${JSON.stringify(text).slice(1, -1)}]`;
}

/** A JSON value's type as JSON Schema names it. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
