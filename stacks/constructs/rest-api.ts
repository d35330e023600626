import { Construct, type IConstruct } from "constructs";
import { App, type IResolvable, Lazy, TerraformResource, Tokenization } from "cdktf";
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayModel } from "@cdktf/provider-aws/lib/api-gateway-model";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import {
  type ApiDefinition,
  type ApiMethodRef,
  type ApiModelSpec,
  type AuthorizerSpec,
  DEFAULT_API_DEFINITION,
  type GatewayResponseSpec,
  type IntegrationResponseSpec,
  type IntegrationSpec,
  type MethodEntry,
  type MethodResponseSpec,
  type MethodSpec,
  type ModelSpec,
  type ValidatorSpec,
} from "./api-definition";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import { clientJsonText, openApiDocument, terraformJsonText, type OpenApiOptions } from "./openapi-document";
import type { RequestSchema } from "./request-schema";
import { type Tags, resourceTags } from "./tags";
import { forOutputFormat } from "./template-files";

export interface RestApiProps {
  /** Name of the API. */
  readonly name: string;
  /** Description shown in the console. @default none */
  readonly description?: string;
  /** Tags of the API. @default {} */
  readonly tags?: Tags;
  /**
   * VPC interface endpoints of a private API: with any, the API is PRIVATE (reachable through them
   * only) instead of REGIONAL. @default none: a regional API
   */
  readonly vpcEndpointIds?: readonly string[];
  /** Turn off the default execute-api endpoint (callers use a custom domain). @default false */
  readonly disableExecuteApiEndpoint?: boolean;
  /**
   * How the routes are defined in Terraform: a resource per method, integration, response and
   * path ("resources"), or one OpenAPI document as the API's body ("openapi"; call `complete()`
   * once every route is added). @default "resources"
   */
  readonly definition?: ApiDefinition;
}

/** What a model of the API is known by: its name (a reference to the model's in "resources" mode). */
export interface ApiModelRef {
  readonly name: string;
}

const SEGMENT = /^([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/**
 * An API Gateway REST API with a regional (or private) endpoint, its resources (paths), its request models
 * and the request validator the routes share. Its routes' methods, integrations and responses, its
 * gateway responses and authorizers are added through it (`addMethod`, ...): it holds them as the
 * route model (api-definition.ts) and renders them as resources, or in "openapi" mode as its body.
 */
export class RestApi extends Construct implements DeploymentPart {
  public readonly resource: ApiGatewayRestApi;
  /** ID of the API (a Terraform reference). */
  public readonly apiId: string;
  /** ID of the API's root resource "/" (a Terraform reference). */
  public readonly rootResourceId: string;
  /** How the routes are defined: resources, or the API's OpenAPI body. */
  public readonly definition: ApiDefinition;
  /**
   * Validates request bodies against their model and required request parameters ("resources"
   * mode; in "openapi" mode it is in the body).
   */
  public readonly validator?: ApiGatewayRequestValidator;
  /** What methods give as request_validator_id to use the validator: its ID, or in "openapi" mode its name. */
  public readonly validatorId: string;
  private readonly paths = new Map<string, ApiGatewayResource | undefined>();
  private readonly models = new Map<string, { model?: ApiGatewayModel; ref: ApiModelRef; schema: RequestSchema; spec: ModelSpec }>();
  private readonly methods: MethodEntry[] = [];
  private readonly gatewayResponses: GatewayResponseSpec[] = [];
  private readonly validators = new Map<string, ValidatorSpec>();
  private readonly authorizers = new Map<string, AuthorizerSpec>();
  private readonly modelNames = new Map<string, string>();
  private policy?: Record<string, unknown>;
  private completed = false;
  private readonly props: RestApiProps;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    this.props = props;
    this.definition = props.definition ?? DEFAULT_API_DEFINITION;
    this.resource = new ApiGatewayRestApi(this, "Resource", {
      name: props.name,
      description: props.description,
      tags: resourceTags(props.tags),
      endpointConfiguration: props.vpcEndpointIds?.length
        ? { types: ["PRIVATE"], vpcEndpointIds: [...props.vpcEndpointIds] }
        : { types: ["REGIONAL"] },
      // Always set: a computed value left unset would keep whatever AWS holds (turning the setting
      // off again would change nothing), and the deployment trigger hashes what is configured.
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
      // API keys come in the x-api-key header: AWS's default (API Gateway Developer Guide, "Choose an
      // API key source"), set so that the trigger hashes a configured value, not a computed one.
      apiKeySource: "HEADER",
      // The body replaces the whole API at each change, so that a route removed from the body is
      // removed from the API (the provider's default, "merge", would keep it).
      putRestApiMode: this.definition === "openapi" ? "overwrite" : undefined,
    });
    this.apiId = this.resource.id;
    this.rootResourceId = this.resource.rootResourceId;
    const validator: ValidatorSpec = { name: "body-and-parameters", validateRequestBody: true, validateRequestParameters: true };
    if (this.definition === "resources") {
      this.validator = new ApiGatewayRequestValidator(this, "Validator", { restApiId: this.apiId, ...validator });
      this.validatorId = this.validator.id;
    } else {
      this.validatorId = validator.name;
    }
    this.validators.set(this.validatorId, validator);
  }

  /**
   * The resource at a path below the root ("executions/{name}"), creating it and its parents once;
   * in "openapi" mode, the path is only recorded (undefined). A segment is letters, digits, ".",
   * "_", "~", "-", or a path parameter "{name}".
   */
  public resourceFor(path: string): ApiGatewayResource | undefined {
    const segments = path.split("/");
    if (segments.some((segment) => !SEGMENT.test(segment))) {
      throw new Error(`route path "${path}" must be segments of letters, digits, ".", "_", "~" or "-", or "{parameter}", separated by "/"`);
    }
    let parentId = this.rootResourceId;
    let resource: ApiGatewayResource | undefined;
    for (let i = 0; i < segments.length; i++) {
      const key = segments.slice(0, i + 1).join("/");
      resource = this.paths.get(key);
      if (!this.paths.has(key)) {
        const id = `Path-${key.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
        resource =
          this.definition === "resources"
            ? new ApiGatewayResource(this, id, { restApiId: this.apiId, parentId, pathPart: segments[i] })
            : undefined;
        this.paths.set(key, resource);
      }
      if (resource) parentId = resource.id;
    }
    return resource;
  }

  /** API Gateway resources the paths need: every path segment, and the root "/" (aws-quotas.ts, RESOURCES_PER_API). */
  public get resourceCount(): number {
    return this.paths.size + 1;
  }

  /** The model of a request body schema, creating it once per schema. */
  public modelFor(schema: RequestSchema): ApiModelRef {
    const existing = this.models.get(schema.name);
    if (existing) {
      if (existing.schema.text !== schema.text) {
        throw new Error(`two different request schemas are titled "${schema.name}": ${existing.schema.file} and ${schema.file}`);
      }
      return existing.ref;
    }
    const spec: ModelSpec = {
      name: schema.name,
      contentType: "application/json",
      description: typeof schema.schema.description === "string" ? schema.schema.description : undefined,
      schema: forOutputFormat(this, schema.text),
    };
    const model =
      this.definition === "resources" ? new ApiGatewayModel(this, `Model-${schema.name}`, { restApiId: this.apiId, ...spec }) : undefined;
    const ref: ApiModelRef = { name: model ? model.name : schema.name };
    this.modelNames.set(ref.name, schema.name);
    this.models.set(schema.name, { model, ref, schema, spec });
    return ref;
  }

  /** The request models' schemas, as API Gateway holds them (for its "Model size per API" quota). */
  public get modelSchemas(): readonly string[] {
    return [...this.models.values()].map(({ spec }) => spec.schema);
  }

  private checkOpen(what: string): void {
    if (this.completed) throw new Error(`${this.node.path}: ${what} added after the API's definition was completed`);
  }

  /** A method on a path (aws_api_gateway_method); `scope` and `id` name its resource. */
  public addMethod(scope: IConstruct, id: string, path: string, spec: MethodSpec): ApiMethodRef & { readonly resource?: ApiGatewayMethod } {
    this.checkOpen(`the method ${spec.httpMethod} /${path}`);
    const pathResource = this.resourceFor(path);
    const entry: MethodEntry = { path, method: spec, methodResponses: [], integrationResponses: [] };
    this.methods.push(entry);
    if (this.definition === "openapi") return { path, httpMethod: spec.httpMethod, entry };
    const resource = new ApiGatewayMethod(scope as Construct, id, { restApiId: this.apiId, resourceId: pathResource!.id, ...spec });
    return { path, httpMethod: resource.httpMethod, entry, resource };
  }

  /** The integration of a method (aws_api_gateway_integration); undefined in "openapi" mode. */
  public addIntegration(scope: IConstruct, id: string, method: ApiMethodRef, spec: IntegrationSpec): ApiGatewayIntegration | undefined {
    this.checkOpen(`the integration of ${method.entry.method.httpMethod} /${method.path}`);
    if (method.entry.integration) throw new Error(`${method.entry.method.httpMethod} /${method.path} has an integration already`);
    method.entry.integration = spec;
    if (this.definition === "openapi") return undefined;
    return new ApiGatewayIntegration(scope as Construct, id, { restApiId: this.apiId, ...this.placeOf(method), ...spec });
  }

  /** A method response (aws_api_gateway_method_response); its status is a reference to the resource's in "resources" mode. */
  public addMethodResponse(
    scope: IConstruct,
    id: string,
    method: ApiMethodRef,
    spec: MethodResponseSpec,
  ): { readonly statusCode: string; readonly resource?: ApiGatewayMethodResponse } {
    this.checkOpen(`a response of ${method.entry.method.httpMethod} /${method.path}`);
    method.entry.methodResponses.push(spec);
    if (this.definition === "openapi") return { statusCode: spec.statusCode };
    const resource = new ApiGatewayMethodResponse(scope as Construct, id, { restApiId: this.apiId, ...this.placeOf(method), ...spec });
    if (!this.statusRefs.has(method.entry)) this.statusRefs.set(method.entry, new Map());
    this.statusRefs.get(method.entry)!.set(spec.statusCode, resource.statusCode);
    return { statusCode: resource.statusCode, resource };
  }

  /**
   * An integration response (aws_api_gateway_integration_response); undefined in "openapi" mode.
   * Its status is one of the method's responses: the resource refers to that response's.
   */
  public addIntegrationResponse(
    scope: IConstruct,
    id: string,
    method: ApiMethodRef,
    spec: IntegrationResponseSpec,
  ): ApiGatewayIntegrationResponse | undefined {
    this.checkOpen(`an integration response of ${method.entry.method.httpMethod} /${method.path}`);
    if (!method.entry.methodResponses.some((response) => response.statusCode === spec.statusCode)) {
      throw new Error(`${method.entry.method.httpMethod} /${method.path}: integration response ${spec.statusCode} has no method response`);
    }
    method.entry.integrationResponses.push(spec);
    if (this.definition === "openapi") return undefined;
    const statusCode = this.statusRefs.get(method.entry)!.get(spec.statusCode)!;
    return new ApiGatewayIntegrationResponse(scope as Construct, id, {
      restApiId: this.apiId,
      ...this.placeOf(method),
      ...spec,
      statusCode,
    });
  }

  /** A gateway response (aws_api_gateway_gateway_response); undefined in "openapi" mode. */
  public addGatewayResponse(scope: IConstruct, id: string, spec: GatewayResponseSpec): ApiGatewayGatewayResponse | undefined {
    this.checkOpen(`the gateway response ${spec.responseType}`);
    this.gatewayResponses.push(spec);
    if (this.definition === "openapi") return undefined;
    return new ApiGatewayGatewayResponse(scope as Construct, id, { restApiId: this.apiId, ...spec });
  }

  /**
   * An authorizer (aws_api_gateway_authorizer); methods name it by `id` as their authorizer_id (the
   * resource's ID, or in "openapi" mode the security scheme's name, the authorizer's).
   */
  public addAuthorizer(
    scope: IConstruct,
    id: string,
    spec: AuthorizerSpec,
  ): { readonly id: string; readonly resource?: ApiGatewayAuthorizer } {
    this.checkOpen(`the authorizer ${spec.name}`);
    if (this.definition === "openapi") {
      this.authorizers.set(spec.name, spec);
      return { id: spec.name };
    }
    const resource = new ApiGatewayAuthorizer(scope as Construct, id, { restApiId: this.apiId, ...spec });
    this.authorizers.set(resource.id, spec);
    return { id: resource.id, resource };
  }

  /**
   * The resource policy, in "openapi" mode (x-amazon-apigateway-policy in the body): its resources
   * written "execute-api:/..." (the API's own ARN is not known inside its body). In "resources" mode
   * the policy is an aws_api_gateway_rest_api_policy (edge.ts).
   */
  public setPolicy(policy: Record<string, unknown>): void {
    this.checkOpen("the resource policy");
    this.policy = policy;
  }

  /** Per method, the reference to each method response's status_code, by status ("resources" mode). */
  private readonly statusRefs = new Map<MethodEntry, Map<string, string>>();

  private placeOf(method: ApiMethodRef): { resourceId: string; httpMethod: string } {
    return { resourceId: this.resourceFor(method.path)!.id, httpMethod: method.httpMethod };
  }

  /** The route model, as collected. */
  public get model(): ApiModelSpec {
    return {
      name: this.props.name,
      description: this.props.description,
      apiKeySource: "HEADER",
      endpointTypes: this.props.vpcEndpointIds?.length ? ["PRIVATE"] : ["REGIONAL"],
      vpcEndpointIds: this.props.vpcEndpointIds ?? [],
      disableExecuteApiEndpoint: this.props.disableExecuteApiEndpoint ?? false,
      methods: this.methods,
      gatewayResponses: this.gatewayResponses,
      models: [...this.models.values()].map(({ spec }) => spec),
      validators: this.validators,
      authorizers: this.authorizers,
      modelNames: this.modelNames,
      policy: this.policy,
    };
  }

  /** The OpenAPI body (the text Terraform renders), set by `complete()` in "openapi" mode. */
  public body?: string;

  /**
   * Ends the definition: in "openapi" mode renders the route model into the API's body. Nothing
   * can be added afterwards. Idempotent.
   */
  public complete(): void {
    if (this.completed) return;
    this.completed = true;
    if (this.definition !== "openapi") return;
    const text = terraformJsonText(openApiDocument(this.model, { aws: true }), App.of(this).hclOutput);
    // Of two lines, so that cdktf's HCL output writes it as a heredoc, whose text it keeps as it is
    // (a one-line string holding quotes and interpolations it writes broken), and both outputs
    // deploy the same bytes (template-files.ts).
    const body = forOutputFormat(this, `{\n${text.slice(1)}\n`);
    this.body = body;
    // Handed to cdktf with its references already resolved: cdktf scans a string holding tokens for
    // escapes once per token, from where it is to the end, which on a body of megabytes took most
    // of the synth time (measured at 100 workflows: 32 s of synth against 9 s for the resources).
    const { fragments } = Tokenization.reverseString(body) as unknown as {
      fragments: { type: string; lit?: string; token?: IResolvable }[];
    };
    this.resource.body = Lazy.stringValue({
      produce: (context) =>
        fragments.map((fragment) => (fragment.type === "literal" ? fragment.lit : String(context.resolve(fragment.token)))).join(""),
    });
  }

  /** The clients' OpenAPI document (no AWS extension, no Terraform reference), as the text of openapi.json. */
  public clientDocument(serverUrl?: OpenApiOptions["serverUrl"]): string {
    return clientJsonText(openApiDocument(this.model, { aws: false, serverUrl }));
  }

  public get dependables() {
    if (this.definition === "openapi") return [this.resource];
    return [this.validator!, ...[...this.models.values()].map(({ model }) => model!)];
  }

  public get deploymentFingerprint(): Fingerprint {
    // In "openapi" mode the body holds every route, model, validator and gateway response.
    if (this.definition === "openapi") return { api: this.resource };
    return {
      api: this.resource,
      validator: this.validator!,
      models: [...this.models.values()].map(({ model }) => model!),
      paths: [...this.paths.values()].filter((path): path is ApiGatewayResource => path instanceof TerraformResource),
    };
  }
}
