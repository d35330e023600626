/**
 * Turns a synthesized stack (cdk.tf.json and its assets) into the model of the REST API the local
 * emulator serves: the same text Terraform would deploy, read generically from the Terraform
 * schema of the API Gateway and Step Functions resources, never from a second hand-kept copy.
 *
 * Read: aws_api_gateway_rest_api, _stage (the stage name is the first path segment, as in the
 * invoke URL), _resource (path parts, `{param}` and `{proxy+}`), _method (http_method,
 * authorization, api_key_required, request_parameters, request_models, request_validator_id),
 * _integration (type AWS with uri `arn:aws:apigateway:<region>:states:action/<Action>`, or MOCK;
 * request_templates, passthrough_behavior, request_parameters, timeout_milliseconds),
 * _method_response, _integration_response (selection_pattern, status_code, response_templates,
 * response_parameters), _model and _request_validator, _gateway_response; aws_sfn_state_machine
 * (name, type, definition as templatefile() of its asset). An API defined by an OpenAPI body
 * (`aws_api_gateway_rest_api.body`) is read as the resources its import makes (openapi-body.ts).
 *
 * Anything the emulator cannot serve faithfully is an error at start-up naming the resource, not
 * a surprise on the first request.
 */
import { expandOpenApiBodies } from "./openapi-body";
import { LOCAL_ACCOUNT_ID, type Block, type LocalValues, StackReadError, TerraformStackJson } from "./terraform-json";

export { StackReadError } from "./terraform-json";

/** Step Functions API actions the local emulator serves. */
export const SUPPORTED_ACTIONS = ["StartExecution", "StartSyncExecution", "DescribeExecution", "StopExecution"] as const;
export type StepFunctionsAction = (typeof SUPPORTED_ACTIONS)[number];

export type PassthroughBehavior = "WHEN_NO_MATCH" | "WHEN_NO_TEMPLATES" | "NEVER";

/** A method request parameter (`method.request.<location>.<name>`) and whether it is required. */
export interface RequestParameter {
  readonly location: "header" | "querystring" | "path";
  readonly name: string;
  readonly required: boolean;
}

/** A request model: a JSON schema (draft 4) for a content type; `Empty` has no schema to check. */
export interface RequestModel {
  readonly name: string;
  readonly schema?: Record<string, unknown>;
}

export interface RequestValidatorModel {
  readonly name: string;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
}

export interface IntegrationModel {
  readonly type: "AWS" | "MOCK";
  /** For AWS: the service of the URI (`states`), which picks the integration (local/apigateway/integrations/). */
  readonly service?: string;
  /** For AWS: the Step Functions action from the URI. */
  readonly action?: StepFunctionsAction;
  /** For AWS: the region in the URI. */
  readonly region?: string;
  readonly passthroughBehavior: PassthroughBehavior;
  /** Content type -> mapping template, rendered as Terraform renders it. */
  readonly requestTemplates: Readonly<Record<string, string>>;
  /** `integration.request.<location>.<name>` -> source expression. */
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface IntegrationResponseModel {
  readonly terraformName: string;
  /** Regular expression matched against the whole backend status code; undefined: the default response. */
  readonly selectionPattern?: string;
  readonly statusCode: string;
  readonly responseTemplates: Readonly<Record<string, string>>;
  /** `method.response.header.<name>` -> source expression (`'literal'`, `integration.response.body.x`, …). */
  readonly responseParameters: Readonly<Record<string, string>>;
}

export interface MethodResponseModel {
  readonly statusCode: string;
  readonly responseParameters: Readonly<Record<string, boolean>>;
}

/** One method of one resource: what a client can call. */
export interface RouteModel {
  readonly terraformName: string;
  /** The resource path with its parameters, e.g. "/executions/{name}" ($context.resourcePath). */
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly authorization: string;
  readonly apiKeyRequired: boolean;
  readonly requestParameters: readonly RequestParameter[];
  readonly requestModels: Readonly<Record<string, RequestModel>>;
  readonly validator?: RequestValidatorModel;
  readonly integration: IntegrationModel;
  readonly methodResponses: readonly MethodResponseModel[];
  readonly integrationResponses: readonly IntegrationResponseModel[];
  /** Names of the state machines whose ARN the request templates carry. */
  readonly stateMachines: readonly string[];
}

/** A customised gateway response (aws_api_gateway_gateway_response). */
export interface GatewayResponseModel {
  readonly responseType: string;
  readonly statusCode?: string;
  readonly responseTemplates: Readonly<Record<string, string>>;
  readonly responseParameters: Readonly<Record<string, string>>;
}

export interface StateMachineModel {
  readonly terraformName: string;
  readonly name: string;
  readonly type: "STANDARD" | "EXPRESS";
  readonly arn: string;
  readonly definition: Record<string, unknown>;
  /** The asset the definition was rendered from, or "inline". */
  readonly source: string;
}

export interface ApiModel {
  /** The stack's folder. */
  readonly stackDir: string;
  readonly region: string;
  readonly accountId: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly routes: readonly RouteModel[];
  /** By response type (e.g. "MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX"). */
  readonly gatewayResponses: Readonly<Record<string, GatewayResponseModel>>;
  readonly stateMachines: readonly StateMachineModel[];
  /** Resource paths that exist (with or without methods): a request to one with no such method is still 403. */
  readonly resourcePaths: readonly string[];
}

export interface ReadStackOptions {
  /** Local stand-ins for instance IDs, in the order of the aws_instance resources. @default [] */
  readonly instanceIds?: readonly string[];
  /** The local invoke URL, for references to a stage's invoke_url. */
  readonly invokeUrl?: string;
  /**
   * The local origin (`http://localhost:3000`): without `invokeUrl`, the invoke URL is it and the
   * stage name, so that the stack is read once, not once for its stage name and once more.
   */
  readonly origin?: string;
  /** @default the aws provider's region, else us-east-1 */
  readonly region?: string;
}

/** API Gateway's built-in models. */
const BUILT_IN_MODELS: Readonly<Record<string, RequestModel>> = {
  Empty: { name: "Empty" },
  Error: { name: "Error", schema: { type: "object", properties: { message: { type: "string" } } } },
};

const PASSTHROUGH = new Set(["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]);
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]);

/** Reads the stack in `stackDir` (the folder holding cdk.tf.json) into the model of its REST API. */
export function readStack(stackDir: string, options: ReadStackOptions = {}): ApiModel {
  const first = TerraformStackJson.read(stackDir, { region: "us-east-1", accountId: LOCAL_ACCOUNT_ID, instanceIds: [] });
  const region = options.region ?? TerraformStackJson.providerRegion(first.json) ?? "us-east-1";
  const stage: { name?: string } = {};
  const local: LocalValues = {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    instanceIds: options.instanceIds ?? [],
    get invokeUrl() {
      if (options.invokeUrl !== undefined || options.origin === undefined || stage.name === undefined) return options.invokeUrl;
      return `${options.origin}/${stage.name}`;
    },
  };
  // A REST API defined by an OpenAPI body is read as the resources API Gateway makes of it (openapi-body.ts).
  const json = expandOpenApiBodies(new TerraformStackJson(first.json, stackDir, local));
  return new StackReader(new TerraformStackJson(json, stackDir, local), stage).read();
}

/** A reference to a block as the configuration writes it in an ID field: `${aws_x.name.id}`. */
function referencedBlock(value: unknown, type: string, attribute = "id"): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z_][A-Za-z0-9_-]*)\\.${attribute}\\}$`).exec(value);
  return match?.[1];
}

function stringMap(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new StackReadError(`${where} is not a map`);
  return value as Record<string, unknown>;
}

/** Map keys that are content types, lower-cased: API Gateway matches a content type in any letter case. */
const CONTENT_TYPES = (contentType: string) => contentType.toLowerCase();

class StackReader {
  constructor(
    private readonly stack: TerraformStackJson,
    /** Where the stage name goes once read (the invoke URL needs it). */
    private readonly stage: { name?: string } = {},
  ) {}

  /** A map attribute of a block, each value rendered (its Terraform expressions evaluated); `key` checks or rewrites each key. */
  private renderedMap(
    block: Block,
    attribute: string,
    where: string,
    key: (key: string) => string = (name) => name,
  ): Record<string, string> {
    const map: Record<string, string> = {};
    for (const [name, value] of Object.entries(stringMap(block[attribute], `${where}.${attribute}`))) {
      map[key(name)] = this.stack.render(String(value), `${where}.${attribute}["${name}"]`);
    }
    return map;
  }

  read(): ApiModel {
    const stages = this.stack.resources("aws_api_gateway_stage");
    if (stages.length !== 1) {
      throw new StackReadError(
        `the stack must have exactly one aws_api_gateway_stage (the local API serves under its name), found ${stages.length}` +
          (stages.length ? `: ${stages.map(([name]) => name).join(", ")}` : ""),
      );
    }
    const [stageId, stage] = stages[0];
    const apiName = referencedBlock(stage.rest_api_id, "aws_api_gateway_rest_api");
    if (!apiName || !this.stack.resource("aws_api_gateway_rest_api", apiName)) {
      throw new StackReadError(`aws_api_gateway_stage.${stageId}: rest_api_id must reference an aws_api_gateway_rest_api of the stack`);
    }
    const stageName = this.string(stage, "stage_name", `aws_api_gateway_stage.${stageId}`);
    this.stage.name = stageName;
    const stateMachines = this.stateMachines();
    const paths = this.resourcePaths(apiName);
    const routes = this.routes(apiName, paths, stateMachines);
    const api = this.stack.resource("aws_api_gateway_rest_api", apiName)!;
    return {
      stackDir: this.stack.dir,
      region: this.stack.local.region,
      accountId: this.stack.local.accountId,
      apiName: this.stack.literal(api, "name", `aws_api_gateway_rest_api.${apiName}.name`) ?? apiName,
      stageName,
      routes,
      gatewayResponses: this.gatewayResponses(apiName),
      stateMachines,
      resourcePaths: [...new Set(paths.values())].sort(),
    };
  }

  private string(block: Block, attribute: string, where: string): string {
    const value = this.stack.literal(block, attribute, `${where}.${attribute}`);
    if (value === undefined) throw new StackReadError(`${where}: ${attribute} is missing or not a string`);
    return value;
  }

  private belongsTo(block: Block, apiName: string): boolean {
    return referencedBlock(block.rest_api_id, "aws_api_gateway_rest_api") === apiName;
  }

  /** Resource key ("root" or the aws_api_gateway_resource name) -> path. */
  private resourcePaths(apiName: string): Map<string, string> {
    const paths = new Map<string, string>([["root", "/"]]);
    const resources = new Map(this.stack.resources("aws_api_gateway_resource").filter(([, block]) => this.belongsTo(block, apiName)));
    const pathOf = (name: string, seen: string[]): string => {
      const known = paths.get(name);
      if (known !== undefined) return known;
      const where = `aws_api_gateway_resource.${name}`;
      if (seen.includes(name)) throw new StackReadError(`${where}: its parents form a cycle`);
      const block = resources.get(name);
      if (!block) throw new StackReadError(`${where} is not a resource of the API`);
      const part = this.string(block, "path_part", where);
      if (!/^([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\})$/.test(part)) {
        throw new StackReadError(`${where}: path_part ${JSON.stringify(part)} is not a path segment API Gateway accepts`);
      }
      const parent = this.resourceKey(block.parent_id, apiName, `${where}.parent_id`);
      const parentPath = parent === "root" ? "" : pathOf(parent, [...seen, name]);
      const full = `${parentPath}/${part}`;
      paths.set(name, full);
      return full;
    };
    for (const name of resources.keys()) pathOf(name, []);
    return paths;
  }

  private resourceKey(value: unknown, apiName: string, where: string): string {
    if (value === `\${aws_api_gateway_rest_api.${apiName}.root_resource_id}`) return "root";
    const name = referencedBlock(value, "aws_api_gateway_resource");
    if (name) return name;
    throw new StackReadError(
      `${where} must reference the API's root_resource_id or an aws_api_gateway_resource, got ${JSON.stringify(value)}`,
    );
  }

  private stateMachines(): StateMachineModel[] {
    return this.stack.resources("aws_sfn_state_machine").map(([terraformName, block]) => {
      const where = `aws_sfn_state_machine.${terraformName}`;
      const type = (this.stack.literal(block, "type", `${where}.type`) ?? "STANDARD").toUpperCase();
      if (type !== "STANDARD" && type !== "EXPRESS")
        throw new StackReadError(`${where}: type ${JSON.stringify(type)} is not STANDARD or EXPRESS`);
      if (typeof block.definition !== "string") throw new StackReadError(`${where}: definition is missing`);
      const { definition, source } = this.stack.definition(block.definition, `${where}.definition`);
      return {
        terraformName,
        name: this.string(block, "name", where),
        type,
        arn: this.stack.stateMachineArn(terraformName, block),
        definition,
        source,
      };
    });
  }

  private routes(apiName: string, paths: Map<string, string>, stateMachines: readonly StateMachineModel[]): RouteModel[] {
    const byMethod = <T>(type: string) =>
      this.stack
        .resources(type)
        .filter(([, block]) => this.belongsTo(block, apiName))
        .map(([name, block]) => {
          const where = `${type}.${name}`;
          const resource = this.resourceKey(block.resource_id, apiName, `${where}.resource_id`);
          const method = this.string(block, "http_method", where).toUpperCase();
          return { name, block, key: `${resource} ${method}`, where } as T & { name: string; block: Block; key: string; where: string };
        });
    const integrations = byMethod("aws_api_gateway_integration");
    const methodResponses = byMethod("aws_api_gateway_method_response");
    const integrationResponses = byMethod("aws_api_gateway_integration_response");
    const validators = new Map(this.stack.resources("aws_api_gateway_request_validator").filter(([, b]) => this.belongsTo(b, apiName)));
    const models = this.models(apiName);

    const routes = byMethod("aws_api_gateway_method").map(({ name, block, key, where }): RouteModel => {
      const [resource, httpMethod] = key.split(" ");
      if (!HTTP_METHODS.has(httpMethod)) throw new StackReadError(`${where}: http_method ${httpMethod} is not one API Gateway accepts`);
      const integration = integrations.filter((i) => i.key === key);
      if (integration.length !== 1) {
        throw new StackReadError(
          `${where}: expected one aws_api_gateway_integration for ${paths.get(resource)} ${httpMethod}, found ${integration.length}`,
        );
      }
      const requestParameters = Object.entries(flagMap(block, "request_parameters", where)).map(([expression, required]) => {
        const match = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression);
        if (!match)
          throw new StackReadError(`${where}.request_parameters: ${expression} is not method.request.{header|querystring|path}.<name>`);
        return { location: match[1] as RequestParameter["location"], name: match[2], required };
      });
      const requestModels: Record<string, RequestModel> = {};
      for (const [contentType, modelName] of Object.entries(this.renderedMap(block, "request_models", where, CONTENT_TYPES))) {
        const model = models.get(modelName) ?? BUILT_IN_MODELS[modelName];
        if (!model)
          throw new StackReadError(`${where}.request_models: no aws_api_gateway_model named ${JSON.stringify(modelName)} in the API`);
        requestModels[contentType] = model;
      }
      let validator: RequestValidatorModel | undefined;
      if (block.request_validator_id !== undefined) {
        const validatorName = referencedBlock(block.request_validator_id, "aws_api_gateway_request_validator");
        const validatorBlock = validatorName ? validators.get(validatorName) : undefined;
        if (!validatorName || !validatorBlock) {
          throw new StackReadError(`${where}.request_validator_id must reference an aws_api_gateway_request_validator of the API`);
        }
        validator = {
          name: this.stack.literal(validatorBlock, "name", `aws_api_gateway_request_validator.${validatorName}.name`) ?? validatorName,
          validateBody: validatorBlock.validate_request_body === true || validatorBlock.validate_request_body === "true",
          validateParameters: validatorBlock.validate_request_parameters === true || validatorBlock.validate_request_parameters === "true",
        };
      }
      const integrationModel = this.integration(integration[0].block, integration[0].where);
      const responses = methodResponses
        .filter((r) => r.key === key)
        .map(({ block: r, where: w }) => ({
          statusCode: this.string(r, "status_code", w),
          responseParameters: flagMap(r, "response_parameters", w),
        }));
      const mapped = integrationResponses
        .filter((r) => r.key === key)
        .map(({ name: n, block: r, where: w }) => this.integrationResponse(n, r, w, responses));
      const defaults = mapped.filter((r) => r.selectionPattern === undefined);
      if (defaults.length > 1) {
        throw new StackReadError(
          `${where}: ${defaults.length} integration responses have no selection_pattern; API Gateway allows one default`,
        );
      }
      const templates = Object.values(integrationModel.requestTemplates).join("\n");
      return {
        terraformName: name,
        resourcePath: paths.get(resource)!,
        httpMethod,
        authorization: (this.stack.literal(block, "authorization", `${where}.authorization`) ?? "NONE").toUpperCase(),
        apiKeyRequired: block.api_key_required === true || block.api_key_required === "true",
        requestParameters,
        requestModels,
        validator,
        integration: integrationModel,
        methodResponses: responses,
        integrationResponses: mapped,
        stateMachines: stateMachines.filter((m) => namesArn(templates, m.arn)).map((m) => m.name),
      };
    });
    const seen = new Set<string>();
    for (const route of routes) {
      const key = `${route.httpMethod} ${route.resourcePath}`;
      if (seen.has(key)) throw new StackReadError(`two methods serve ${key}`);
      seen.add(key);
    }
    return routes.sort((a, b) =>
      a.resourcePath === b.resourcePath ? a.httpMethod.localeCompare(b.httpMethod) : a.resourcePath.localeCompare(b.resourcePath),
    );
  }

  private integration(block: Block, where: string): IntegrationModel {
    const type = this.string(block, "type", where).toUpperCase();
    const passthrough = (
      this.stack.literal(block, "passthrough_behavior", `${where}.passthrough_behavior`) ?? "WHEN_NO_MATCH"
    ).toUpperCase();
    if (!PASSTHROUGH.has(passthrough))
      throw new StackReadError(`${where}: passthrough_behavior ${passthrough} is not one API Gateway accepts`);
    const requestTemplates = this.renderedMap(block, "request_templates", where, CONTENT_TYPES);
    const requestParameters = this.renderedMap(block, "request_parameters", where);
    const timeout = block.timeout_milliseconds === undefined ? 29_000 : Number(this.stack.literal(block, "timeout_milliseconds", where));
    // API Gateway takes 50 ms up to 29 s, and up to 300,000 ms once the account's quota is raised (the hashicorp/aws provider's range).
    if (!Number.isInteger(timeout) || timeout < 50 || timeout > 300_000)
      throw new StackReadError(`${where}: timeout_milliseconds must be a whole number from 50 to 300000`);
    const base = { passthroughBehavior: passthrough as PassthroughBehavior, requestTemplates, requestParameters, timeoutMs: timeout };
    if (type === "MOCK") return { type: "MOCK", ...base };
    if (type !== "AWS") {
      throw new StackReadError(
        `${where}: integration type ${type} is not emulated locally (only AWS integrations with Step Functions, and MOCK)`,
      );
    }
    const uri = this.string(block, "uri", where);
    const match = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):([a-z0-9-]+):action\/([A-Za-z]+)$/.exec(uri);
    if (match?.[2] !== "states") {
      throw new StackReadError(
        `${where}: uri ${uri} is not arn:aws:apigateway:<region>:states:action/<Action>; the local API emulates only Step Functions`,
      );
    }
    const action = match[3];
    if (!(SUPPORTED_ACTIONS as readonly string[]).includes(action)) {
      throw new StackReadError(
        `${where}: Step Functions action ${action} is not emulated locally (supported: ${SUPPORTED_ACTIONS.join(", ")})`,
      );
    }
    return { type: "AWS", service: match[2], action: action as StepFunctionsAction, region: match[1], ...base };
  }

  private integrationResponse(
    name: string,
    block: Block,
    where: string,
    methodResponses: readonly MethodResponseModel[],
  ): IntegrationResponseModel {
    const statusCode = this.string(block, "status_code", where);
    if (!methodResponses.some((r) => r.statusCode === statusCode)) {
      throw new StackReadError(`${where}: status_code ${statusCode} has no aws_api_gateway_method_response (API Gateway refuses that)`);
    }
    const pattern =
      block.selection_pattern === undefined || block.selection_pattern === "" ? undefined : this.string(block, "selection_pattern", where);
    if (pattern !== undefined) {
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new StackReadError(
          `${where}: selection_pattern ${JSON.stringify(pattern)} is not a regular expression: ${(error as Error).message}`,
        );
      }
    }
    const responseTemplates = this.renderedMap(block, "response_templates", where, CONTENT_TYPES);
    const responseParameters = this.renderedMap(block, "response_parameters", where, (target) => {
      if (!/^method\.response\.header\.[^.]+$/.test(target)) {
        throw new StackReadError(`${where}.response_parameters: ${target} is not method.response.header.<name>`);
      }
      return target;
    });
    return { terraformName: name, selectionPattern: pattern, statusCode, responseTemplates, responseParameters };
  }

  private models(apiName: string): Map<string, RequestModel> {
    const models = new Map<string, RequestModel>();
    for (const [name, block] of this.stack.resources("aws_api_gateway_model")) {
      if (!this.belongsTo(block, apiName)) continue;
      const where = `aws_api_gateway_model.${name}`;
      const modelName = this.string(block, "name", where);
      const text = this.string(block, "schema", where);
      let schema: unknown;
      try {
        schema = JSON.parse(text);
      } catch (error) {
        throw new StackReadError(`${where}: schema is not JSON: ${(error as Error).message}`);
      }
      if (typeof schema !== "object" || schema === null || Array.isArray(schema))
        throw new StackReadError(`${where}: schema is not a JSON object`);
      models.set(modelName, { name: modelName, schema: schema as Record<string, unknown> });
    }
    return models;
  }

  private gatewayResponses(apiName: string): Record<string, GatewayResponseModel> {
    const responses: Record<string, GatewayResponseModel> = {};
    for (const [name, block] of this.stack.resources("aws_api_gateway_gateway_response")) {
      if (!this.belongsTo(block, apiName)) continue;
      const where = `aws_api_gateway_gateway_response.${name}`;
      const responseType = this.string(block, "response_type", where).toUpperCase();
      const responseTemplates = this.renderedMap(block, "response_templates", where, CONTENT_TYPES);
      const responseParameters = this.renderedMap(block, "response_parameters", where);
      const statusCode = block.status_code === undefined ? undefined : this.string(block, "status_code", where);
      if (responses[responseType]) throw new StackReadError(`${where}: a second gateway response for ${responseType}`);
      responses[responseType] = { responseType, statusCode, responseTemplates, responseParameters };
    }
    return responses;
  }
}

/** A map attribute of booleans (`method.request.querystring.x = true`), each value `true` or `"true"` for true. */
function flagMap(block: Block, attribute: string, where: string): Record<string, boolean> {
  const map: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(stringMap(block[attribute], `${where}.${attribute}`)))
    map[name] = value === true || value === "true";
  return map;
}

/**
 * Whether `text` names the state machine `arn` itself: the ARN not followed by another character
 * of a name (names are letters, digits, "-" and "_"), so that machine "x-1" is not found in the
 * templates of machine "x-10".
 */
function namesArn(text: string, arn: string): boolean {
  const escaped = arn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`${escaped}(?![A-Za-z0-9_-])`).test(text);
}
