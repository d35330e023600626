import { Construct } from "constructs";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ITerraformDependable } from "cdktf";
import { Authorization } from "../config";
import { IntegrationRole } from "./integration-role";
import { mappingTemplate } from "./mapping-template";
import { RestApi } from "./rest-api";
import { StateMachine } from "./state-machine";

/** The mapping templates a route uses; paths relative to `templates/` or absolute. */
export interface RouteMappingTemplates {
  /** Request template; receives ${state_machine_arn}. @default "mappings/start-execution.request.vtl.tftpl" */
  readonly request?: string;
  /** Response template of a successful StartSyncExecution call (EXPRESS). @default "mappings/start-sync-execution.response.vtl.tftpl" */
  readonly syncResponse?: string;
  /** Response template of a successful StartExecution call (STANDARD). @default "mappings/start-execution.response.vtl.tftpl" */
  readonly asyncResponse?: string;
  /** Response template of an error answered by the Step Functions API. @default "mappings/step-functions-error.response.vtl.tftpl" */
  readonly error?: string;
}

export interface StepFunctionsRouteProps {
  readonly api: RestApi;
  /** Path part of the route under the API's root, e.g. "express-instance". */
  readonly pathPart: string;
  /** The state machine the route starts. EXPRESS runs synchronously, STANDARD asynchronously. */
  readonly stateMachine: StateMachine;
  /** The role API Gateway assumes; the route grants it exactly the action it calls. */
  readonly role: IntegrationRole;
  /** AWS region of the Step Functions endpoint. */
  readonly region: string;
  /** How callers are authorized. @default "AWS_IAM" */
  readonly authorization?: Authorization;
  /** Mapping template files. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: RouteMappingTemplates;
}

/** One answer of a route: which Step Functions answers select it, and how it is mapped. */
export interface RouteResponse {
  /** Regular expression on the Step Functions HTTP status; undefined for the default response. */
  readonly selectionPattern?: string;
  readonly statusCode: string;
  readonly template: string;
}

/** Statuses a response template may set through $context.responseOverride.status. */
const OVERRIDE_STATUSES = ["409", "429", "500", "502", "504"];

const PATH_PART = /^[A-Za-z0-9._~-]+$/;

/**
 * POST /{pathPart}: an API Gateway AWS-service integration that starts a Step Functions
 * execution, with request and response mappings for every answer Step Functions can give.
 *
 * EXPRESS state machines are run with StartSyncExecution and answer the workflow's outcome;
 * STANDARD ones are started with StartExecution and answer 202 with the execution's identity.
 */
export class StepFunctionsRoute extends Construct {
  /** "StartSyncExecution" or "StartExecution". */
  public readonly action: "StartSyncExecution" | "StartExecution";
  public readonly pathPart: string;
  public readonly resource: ApiGatewayResource;
  public readonly method: ApiGatewayMethod;
  public readonly integration: ApiGatewayIntegration;
  public readonly methodResponses: readonly ApiGatewayMethodResponse[];
  public readonly integrationResponses: readonly ApiGatewayIntegrationResponse[];
  /** What the deployment must wait for before it snapshots the API. */
  public readonly dependables: readonly ITerraformDependable[];
  /**
   * Everything about this route that changes the API's behaviour, as Terraform references.
   * The deployment hashes it, so any change to it redeploys the API.
   */
  public readonly deploymentFingerprint: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: StepFunctionsRouteProps) {
    super(scope, id);
    if (!PATH_PART.test(props.pathPart)) {
      throw new Error(`route path "${props.pathPart}" must be one path segment of letters, digits, ".", "_", "~" or "-"`);
    }
    const sync = props.stateMachine.type === "EXPRESS";
    this.action = sync ? "StartSyncExecution" : "StartExecution";
    this.pathPart = props.pathPart;
    const templates = props.mappingTemplates ?? {};
    const successTemplate = sync
      ? mappingTemplate(templates.syncResponse ?? "mappings/start-sync-execution.response.vtl.tftpl")
      : mappingTemplate(templates.asyncResponse ?? "mappings/start-execution.response.vtl.tftpl");
    const errorTemplate = mappingTemplate(templates.error ?? "mappings/step-functions-error.response.vtl.tftpl");
    const responses: RouteResponse[] = [
      { statusCode: sync ? "200" : "202", template: successTemplate },
      { selectionPattern: "4\\d{2}", statusCode: "400", template: errorTemplate },
      { selectionPattern: "5\\d{2}", statusCode: "502", template: errorTemplate },
    ];

    const restApiId = props.api.apiId;
    this.resource = new ApiGatewayResource(this, "Resource", {
      restApiId,
      parentId: props.api.rootResourceId,
      pathPart: props.pathPart,
    });
    this.method = new ApiGatewayMethod(this, "Method", {
      restApiId,
      resourceId: this.resource.id,
      httpMethod: "POST",
      authorization: props.authorization ?? "AWS_IAM",
    });

    const grant = props.role.allow(this, "Grant", `${this.action}-${props.stateMachine.name}`, [
      {
        Sid: `${this.action}Of${props.stateMachine.name.replace(/[^A-Za-z0-9]/g, "")}`,
        Effect: "Allow",
        Action: [`states:${this.action}`],
        Resource: [props.stateMachine.arn],
      },
    ]);

    this.integration = new ApiGatewayIntegration(this, "Integration", {
      restApiId,
      resourceId: this.resource.id,
      httpMethod: this.method.httpMethod,
      type: "AWS",
      integrationHttpMethod: "POST",
      uri: `arn:aws:apigateway:${props.region}:states:action/${this.action}`,
      credentials: props.role.arn,
      passthroughBehavior: "NEVER",
      requestTemplates: {
        "application/json": mappingTemplate(templates.request ?? "mappings/start-execution.request.vtl.tftpl", {
          state_machine_arn: props.stateMachine.arn,
        }),
      },
      dependsOn: [grant],
    });

    const statusCodes = [...new Set([...responses.map((r) => r.statusCode), ...OVERRIDE_STATUSES])]
      .filter((code) => sync || (code !== "500" && code !== "504"))
      .sort();
    const methodResponses = new Map<string, ApiGatewayMethodResponse>();
    for (const statusCode of statusCodes) {
      methodResponses.set(
        statusCode,
        new ApiGatewayMethodResponse(this, `MethodResponse${statusCode}`, {
          restApiId,
          resourceId: this.resource.id,
          httpMethod: this.method.httpMethod,
          statusCode,
          responseModels: { "application/json": "Empty" },
        }),
      );
    }
    this.methodResponses = [...methodResponses.values()];

    this.integrationResponses = responses.map(
      (response) =>
        new ApiGatewayIntegrationResponse(this, `IntegrationResponse${response.statusCode}`, {
          restApiId,
          resourceId: this.resource.id,
          httpMethod: this.method.httpMethod,
          statusCode: methodResponses.get(response.statusCode)!.statusCode,
          selectionPattern: response.selectionPattern,
          responseTemplates: { "application/json": response.template },
          // An integration response can only be created once its integration exists.
          dependsOn: [this.integration],
        }),
    );

    this.dependables = [this.method, this.integration, ...this.methodResponses, ...this.integrationResponses];
    this.deploymentFingerprint = {
      path_part: this.resource.pathPart,
      method: { http_method: this.method.httpMethod, authorization: this.method.authorization },
      integration: {
        type: this.integration.type,
        uri: this.integration.uri,
        credentials: this.integration.credentials,
        integration_http_method: this.integration.integrationHttpMethod,
        passthrough_behavior: this.integration.passthroughBehavior,
        request_templates: this.integration.requestTemplates,
      },
      method_responses: this.methodResponses.map((r) => ({ status_code: r.statusCode, response_models: r.responseModels })),
      integration_responses: this.integrationResponses.map((r) => ({
        status_code: r.statusCode,
        selection_pattern: r.selectionPattern,
        response_templates: r.responseTemplates,
      })),
    };
  }
}
