import { Construct } from "constructs";
import { ApiGatewayModel } from "@cdktf/provider-aws/lib/api-gateway-model";
import { ApiGatewayRequestValidator } from "@cdktf/provider-aws/lib/api-gateway-request-validator";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
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
}

const SEGMENT = /^([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/**
 * An API Gateway REST API with a regional (or private) endpoint, its resources (paths), its request models
 * and the request validator the routes share.
 */
export class RestApi extends Construct implements DeploymentPart {
  public readonly resource: ApiGatewayRestApi;
  /** ID of the API (a Terraform reference). */
  public readonly apiId: string;
  /** ID of the API's root resource "/" (a Terraform reference). */
  public readonly rootResourceId: string;
  /** Validates request bodies against their model and required request parameters. */
  public readonly validator: ApiGatewayRequestValidator;
  private readonly paths = new Map<string, ApiGatewayResource>();
  private readonly models = new Map<string, { model: ApiGatewayModel; schema: RequestSchema }>();

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
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
    });
    this.apiId = this.resource.id;
    this.rootResourceId = this.resource.rootResourceId;
    this.validator = new ApiGatewayRequestValidator(this, "Validator", {
      restApiId: this.apiId,
      name: "body-and-parameters",
      validateRequestBody: true,
      validateRequestParameters: true,
    });
  }

  /**
   * The resource at a path below the root ("executions/{name}"), creating it and its parents once.
   * A segment is letters, digits, ".", "_", "~", "-", or a path parameter "{name}".
   */
  public resourceFor(path: string): ApiGatewayResource {
    const segments = path.split("/");
    if (segments.some((segment) => !SEGMENT.test(segment))) {
      throw new Error(`route path "${path}" must be segments of letters, digits, ".", "_", "~" or "-", or "{parameter}", separated by "/"`);
    }
    let parentId = this.rootResourceId;
    let resource: ApiGatewayResource | undefined;
    for (let i = 0; i < segments.length; i++) {
      const key = segments.slice(0, i + 1).join("/");
      resource = this.paths.get(key);
      if (!resource) {
        const id = `Path-${key.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-")}`;
        resource = new ApiGatewayResource(this, id, { restApiId: this.apiId, parentId, pathPart: segments[i] });
        this.paths.set(key, resource);
      }
      parentId = resource.id;
    }
    return resource!;
  }

  /** The model of a request body schema, creating it once per schema. */
  public modelFor(schema: RequestSchema): ApiGatewayModel {
    const existing = this.models.get(schema.name);
    if (existing) {
      if (existing.schema.text !== schema.text) {
        throw new Error(`two different request schemas are titled "${schema.name}": ${existing.schema.file} and ${schema.file}`);
      }
      return existing.model;
    }
    const model = new ApiGatewayModel(this, `Model-${schema.name}`, {
      restApiId: this.apiId,
      name: schema.name,
      contentType: "application/json",
      description: typeof schema.schema.description === "string" ? schema.schema.description : undefined,
      schema: forOutputFormat(this, schema.text),
    });
    this.models.set(schema.name, { model, schema });
    return model;
  }

  public get dependables() {
    return [this.validator, ...[...this.models.values()].map(({ model }) => model)];
  }

  public get deploymentFingerprint(): Fingerprint {
    return {
      api: this.resource,
      validator: this.validator,
      models: [...this.models.values()].map(({ model }) => model),
      paths: [...this.paths.values()],
    };
  }
}
