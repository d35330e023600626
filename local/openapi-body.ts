/**
 * A REST API defined by an OpenAPI body (`aws_api_gateway_rest_api.body`, the "openapi" mode of
 * the deploy side) read as the resources API Gateway makes of it on import: the body, rendered as
 * Terraform renders it, becomes the aws_api_gateway_resource, _method, _integration,
 * _method_response, _integration_response, _model, _request_validator, _gateway_response and
 * _authorizer blocks the stack reader already reads, so that both definitions give the same
 * RouteModel and the rest of the emulator does not know which one the stack uses.
 *
 * API Gateway Developer Guide, "Working with API Gateway extensions to OpenAPI":
 * x-amazon-apigateway-integration (and its responses, keyed by selection pattern, "default" for
 * none), -request-validators / -request-validator, -gateway-responses, -authtype (awsSigv4,
 * cognito_user_pools, custom) and -authorizer; the OpenAPI security requirement of an operation
 * names its schemes (an apiKey scheme without authtype is the API key).
 */
import { type Block, StackReadError, type TerraformJson, type TerraformStackJson } from "./terraform-json";

type Json = Record<string, unknown>;

/** Literal text as a Terraform string of the configuration holds it: the reader renders it back unchanged. */
function literal(text: string): string {
  return text.replace(/([$%])\{/g, "$1$1{");
}

function literalMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StackReadError(`${where} is not a map`);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, literal(String(inner))]));
}

function object(value: unknown, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StackReadError(`${where} is not an object`);
  return value as Json;
}

const LOCATION: Readonly<Record<string, string>> = { path: "path", query: "querystring", header: "header" };

/**
 * The configuration with every REST API that has a body expanded into resource blocks (the body
 * is rendered: its references to state machines, roles and the region take their local values).
 */
export function expandOpenApiBodies(stack: TerraformStackJson): TerraformJson {
  const apis = stack.resources("aws_api_gateway_rest_api").filter(([, block]) => typeof block.body === "string");
  if (apis.length === 0) return stack.json;
  const resource: Record<string, Record<string, Block>> = Object.fromEntries(
    Object.entries(stack.json.resource ?? {}).map(([type, blocks]) => [type, { ...blocks }]),
  );
  const add = (type: string, name: string, block: Block) => {
    resource[type] ??= {};
    if (resource[type][name]) throw new StackReadError(`${type}.${name}: the OpenAPI body of the API would make it twice`);
    resource[type][name] = block;
  };
  for (const [apiName, api] of apis) {
    const where = `aws_api_gateway_rest_api.${apiName}.body`;
    let body: Json;
    try {
      body = object(JSON.parse(stack.render(api.body as string, where)), where);
    } catch (error) {
      if (error instanceof StackReadError) throw error;
      throw new StackReadError(`${where}: the body is not JSON once rendered: ${(error as Error).message}`);
    }
    if (typeof body.openapi !== "string" || !body.openapi.startsWith("3.")) {
      throw new StackReadError(`${where}: the local API reads OpenAPI 3 bodies (an "openapi": "3.x" document)`);
    }
    const prefix = `${apiName}_openapi`;
    const restApiId = `\${aws_api_gateway_rest_api.${apiName}.id}`;
    const components = object(body.components ?? {}, `${where} components`);
    const schemes = object(components.securitySchemes ?? {}, `${where} components.securitySchemes`);

    for (const [name, schema] of Object.entries(object(components.schemas ?? {}, `${where} components.schemas`))) {
      if (name === "Empty") continue; // API Gateway's own model
      add("aws_api_gateway_model", `${prefix}_model_${name}`, {
        rest_api_id: restApiId,
        name,
        content_type: "application/json",
        schema: literal(JSON.stringify(schema)),
      });
    }
    const validators = object(body["x-amazon-apigateway-request-validators"] ?? {}, `${where} x-amazon-apigateway-request-validators`);
    const validatorNames = Object.keys(validators);
    validatorNames.forEach((name, index) => {
      const validator = object(validators[name], `${where} validator ${name}`);
      add("aws_api_gateway_request_validator", `${prefix}_validator_${index}`, {
        rest_api_id: restApiId,
        name: literal(name),
        validate_request_body: validator.validateRequestBody === true,
        validate_request_parameters: validator.validateRequestParameters === true,
      });
    });
    const authorizerNames: string[] = [];
    for (const [name, value] of Object.entries(schemes)) {
      const scheme = object(value, `${where} security scheme ${name}`);
      const authorizer = scheme["x-amazon-apigateway-authorizer"] as Json | undefined;
      if (!authorizer) continue;
      authorizerNames.push(name);
      add("aws_api_gateway_authorizer", `${prefix}_authorizer_${authorizerNames.length - 1}`, {
        rest_api_id: restApiId,
        name: literal(name),
        type: String(authorizer.type ?? "token").toUpperCase(),
        authorizer_uri: authorizer.authorizerUri === undefined ? undefined : literal(String(authorizer.authorizerUri)),
        authorizer_credentials:
          authorizer.authorizerCredentials === undefined ? undefined : literal(String(authorizer.authorizerCredentials)),
        identity_source: authorizer.identitySource === undefined ? undefined : literal(String(authorizer.identitySource)),
        identity_validation_expression:
          authorizer.identityValidationExpression === undefined ? undefined : literal(String(authorizer.identityValidationExpression)),
        provider_arns: Array.isArray(authorizer.providerARNs) ? authorizer.providerARNs.map(String) : undefined,
        authorizer_result_ttl_in_seconds: authorizer.authorizerResultTtlInSeconds,
      });
    }

    // Every segment of every path is a resource, as API Gateway makes them on import.
    const resourceIds = new Map<string, string>([["", `\${aws_api_gateway_rest_api.${apiName}.root_resource_id}`]]);
    const resourceFor = (path: string): string => {
      const segments = path.split("/").filter((segment) => segment !== "");
      let key = "";
      for (const segment of segments) {
        const parent = resourceIds.get(key)!;
        key = `${key}/${segment}`;
        if (!resourceIds.has(key)) {
          const name = `${prefix}_path_${resourceIds.size}`;
          add("aws_api_gateway_resource", name, { rest_api_id: restApiId, parent_id: parent, path_part: literal(segment) });
          resourceIds.set(key, `\${aws_api_gateway_resource.${name}.id}`);
        }
      }
      return resourceIds.get(key)!;
    };

    let methodIndex = 0;
    for (const [path, item] of Object.entries(object(body.paths ?? {}, `${where} paths`))) {
      if (!path.startsWith("/")) throw new StackReadError(`${where}: path ${JSON.stringify(path)} does not start with "/"`);
      const resourceId = resourceFor(path);
      for (const [httpMethod, value] of Object.entries(object(item, `${where} ${path}`))) {
        if (httpMethod.startsWith("x-") || httpMethod === "parameters") continue;
        const operation = object(value, `${where} ${httpMethod} ${path}`);
        const opWhere = `${where} ${httpMethod.toUpperCase()} ${path}`;
        const name = `${prefix}_method_${methodIndex++}`;
        const place = { rest_api_id: restApiId, resource_id: resourceId, http_method: httpMethod.toUpperCase() };

        // The security requirement: SigV4, an authorizer, and the API key.
        const requirement = (Array.isArray(operation.security) ? operation.security[0] : undefined) as Json | undefined;
        let authorization = "NONE";
        let authorizerId: string | undefined;
        let apiKeyRequired = false;
        let scopes: string[] | undefined;
        for (const [schemeName, schemeScopes] of Object.entries(requirement ?? {})) {
          const scheme = schemes[schemeName] as Json | undefined;
          if (!scheme) throw new StackReadError(`${opWhere}: security scheme ${schemeName} is not in components.securitySchemes`);
          const authtype = scheme["x-amazon-apigateway-authtype"];
          if (authtype === "awsSigv4") authorization = "AWS_IAM";
          else if (scheme["x-amazon-apigateway-authorizer"]) {
            const authorizer = scheme["x-amazon-apigateway-authorizer"] as Json;
            authorization = String(authorizer.type).toLowerCase() === "cognito_user_pools" ? "COGNITO_USER_POOLS" : "CUSTOM";
            authorizerId = `\${aws_api_gateway_authorizer.${prefix}_authorizer_${authorizerNames.indexOf(schemeName)}.id}`;
            if (Array.isArray(schemeScopes) && schemeScopes.length > 0) scopes = schemeScopes.map(String);
          } else if (scheme.type === "apiKey" && authtype === undefined) apiKeyRequired = true;
          else throw new StackReadError(`${opWhere}: security scheme ${schemeName} is not one the local API serves`);
        }
        const parameters = Array.isArray(operation.parameters) ? (operation.parameters as Json[]) : [];
        const requestParameters = Object.fromEntries(
          parameters.map((parameter) => {
            const location = LOCATION[String(parameter.in)];
            if (!location) throw new StackReadError(`${opWhere}: parameter ${String(parameter.name)} is in ${String(parameter.in)}`);
            return [`method.request.${location}.${String(parameter.name)}`, parameter.required === true];
          }),
        );
        const content = operation.requestBody ? object(object(operation.requestBody, opWhere).content ?? {}, opWhere) : {};
        const requestModels = Object.fromEntries(
          Object.entries(content).map(([contentType, media]) => {
            const ref = String(object(object(media, opWhere).schema ?? {}, opWhere).$ref ?? "");
            const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
            if (!match) throw new StackReadError(`${opWhere}: the body schema of ${contentType} is not a $ref to components.schemas`);
            return [contentType, literal(match[1])];
          }),
        );
        const validatorName = (operation["x-amazon-apigateway-request-validator"] ?? body["x-amazon-apigateway-request-validator"]) as
          | string
          | undefined;
        if (validatorName !== undefined && !validatorNames.includes(validatorName)) {
          throw new StackReadError(`${opWhere}: request validator ${validatorName} is not in x-amazon-apigateway-request-validators`);
        }
        add("aws_api_gateway_method", name, {
          ...place,
          authorization,
          authorizer_id: authorizerId,
          authorization_scopes: scopes,
          api_key_required: apiKeyRequired,
          request_parameters: Object.keys(requestParameters).length ? requestParameters : undefined,
          request_models: Object.keys(requestModels).length ? requestModels : undefined,
          request_validator_id:
            validatorName === undefined
              ? undefined
              : `\${aws_api_gateway_request_validator.${prefix}_validator_${validatorNames.indexOf(validatorName)}.id}`,
        });
        for (const [statusCode, response] of Object.entries(object(operation.responses ?? {}, `${opWhere} responses`))) {
          const headers = object(object(response, opWhere).headers ?? {}, opWhere);
          add("aws_api_gateway_method_response", `${name}_response_${statusCode}`, {
            ...place,
            status_code: statusCode,
            response_parameters: Object.keys(headers).length
              ? Object.fromEntries(
                  Object.entries(headers).map(([header, h]) => [`method.response.header.${header}`, (h as Json).required === true]),
                )
              : undefined,
          });
        }
        const integration = operation["x-amazon-apigateway-integration"];
        if (integration === undefined) throw new StackReadError(`${opWhere}: no x-amazon-apigateway-integration`);
        const i = object(integration, `${opWhere} x-amazon-apigateway-integration`);
        add("aws_api_gateway_integration", `${name}_integration`, {
          ...place,
          type: String(i.type ?? "").toUpperCase(),
          uri: i.uri === undefined ? undefined : literal(String(i.uri)),
          credentials: i.credentials === undefined ? undefined : literal(String(i.credentials)),
          integration_http_method: i.httpMethod,
          passthrough_behavior: i.passthroughBehavior === undefined ? undefined : String(i.passthroughBehavior).toUpperCase(),
          request_templates: literalMap(i.requestTemplates, `${opWhere} requestTemplates`),
          request_parameters: literalMap(i.requestParameters, `${opWhere} requestParameters`),
          timeout_milliseconds: i.timeoutInMillis,
        });
        Object.entries(object(i.responses ?? {}, `${opWhere} integration responses`)).forEach(([pattern, value], index) => {
          const response = object(value, `${opWhere} integration response ${pattern}`);
          add("aws_api_gateway_integration_response", `${name}_integration_response_${index}`, {
            ...place,
            status_code: String(response.statusCode),
            selection_pattern: pattern === "default" ? undefined : literal(pattern),
            response_templates: literalMap(response.responseTemplates, `${opWhere} responseTemplates`),
            response_parameters: literalMap(response.responseParameters, `${opWhere} responseParameters`),
          });
        });
      }
    }
    const gatewayResponses = object(body["x-amazon-apigateway-gateway-responses"] ?? {}, `${where} x-amazon-apigateway-gateway-responses`);
    for (const [responseType, value] of Object.entries(gatewayResponses)) {
      const response = object(value, `${where} gateway response ${responseType}`);
      add("aws_api_gateway_gateway_response", `${prefix}_gateway_response_${responseType.toLowerCase()}`, {
        rest_api_id: restApiId,
        response_type: responseType,
        status_code: response.statusCode === undefined ? undefined : String(response.statusCode),
        response_templates: literalMap(response.responseTemplates, `${where} ${responseType} responseTemplates`),
        response_parameters: literalMap(response.responseParameters, `${where} ${responseType} responseParameters`),
      });
    }
  }
  // Blocks without their undefined attributes, as a configuration writes them.
  for (const blocks of Object.values(resource)) {
    for (const [name, block] of Object.entries(blocks)) {
      blocks[name] = Object.fromEntries(Object.entries(block).filter(([, value]) => value !== undefined));
    }
  }
  return { ...stack.json, resource };
}
