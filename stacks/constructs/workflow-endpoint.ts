import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Authorization } from "../config";
import { DeploymentPart } from "../deployment-part";
import { readRequestSchema } from "../request-schema";
import { TemplateValue } from "../terraform-template";
import { IntegrationRole } from "./integration-role";
import { mappingTemplate } from "./mapping-template";
import { RestApi } from "./rest-api";
import { StateMachine, StateMachineLogging, WorkflowType } from "./state-machine";
import { StepFunctionsIntegration } from "./step-functions-integration";

/** Mapping template files of a workflow's routes; paths relative to `templates/` or absolute. */
export interface WorkflowMappingTemplates {
  /** @default "mappings/start-sync-execution.request.vtl.tftpl" */
  readonly syncRequest?: string;
  /** @default "mappings/start-sync-execution.response.vtl.tftpl" */
  readonly syncResponse?: string;
  /** @default "mappings/start-execution.request.vtl.tftpl" */
  readonly asyncRequest?: string;
  /** @default "mappings/start-execution.response.vtl.tftpl" */
  readonly asyncResponse?: string;
  /** @default "mappings/describe-execution.request.vtl.tftpl" */
  readonly statusRequest?: string;
  /** @default "mappings/describe-execution.response.vtl.tftpl" */
  readonly statusResponse?: string;
  /** @default "mappings/step-functions-error.response.vtl.tftpl" */
  readonly error?: string;
}

export interface WorkflowEndpointProps {
  /** Name of the state machine. */
  readonly stateMachineName: string;
  /** EXPRESS: the route waits for the result (StartSyncExecution). STANDARD: the route answers at once (StartExecution). */
  readonly type: WorkflowType;
  /** ASL template file; a relative path is resolved against `templates/`. */
  readonly templateFile: string;
  /** Values of the template's variables. @default {} */
  readonly templateVariables?: Readonly<Record<string, TemplateValue>>;
  /** ARNs the workflow's tasks may act on; the actions come from its ASL. @default [] */
  readonly resources?: readonly string[];
  /** Path of the POST route that starts the workflow, e.g. "express-instance". */
  readonly path: string;
  /** JSON schema (draft 4) the request body must match; relative to `templates/`. @default no body validation */
  readonly requestSchema?: string;
  /** STANDARD only: path of the GET route that reads an execution, e.g. "executions" for GET /executions/{name}. @default "<path>/executions" */
  readonly statusPath?: string;
  readonly api: RestApi;
  readonly role: IntegrationRole;
  /** AWS region of the Step Functions endpoint the routes call. */
  readonly region: string;
  /** AWS partition of the integrations' ARNs. @default "aws" */
  readonly partition?: string;
  /** An {@link Authorization}, or a Terraform expression that is one. @default "AWS_IAM" */
  readonly authorization?: Authorization | string;
  readonly logging?: StateMachineLogging;
  /** @default true */
  readonly tracing?: boolean;
  /** @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: WorkflowMappingTemplates;
}

/**
 * A workflow and the routes that reach it: the unit this project is made of. EXPRESS workflows get
 * a synchronous POST route; STANDARD workflows an asynchronous POST route (202 with a Location
 * header) and a GET route that reads an execution. Instantiate it once per
 * workflow and give its routes to the API's stage.
 */
export class WorkflowEndpoint extends Construct {
  public readonly stateMachine: StateMachine;
  /** The POST route that starts the workflow. */
  public readonly startRoute: StepFunctionsIntegration;
  /** The GET route that reads an execution (STANDARD workflows). */
  public readonly statusRoute?: StepFunctionsIntegration;
  /** Every route, for the stage's deployment. */
  public readonly routes: readonly DeploymentPart[];

  constructor(scope: Construct, id: string, props: WorkflowEndpointProps) {
    super(scope, id);
    if (props.statusPath !== undefined && props.type !== "STANDARD") {
      throw new Error(`workflow ${props.stateMachineName}: a status route needs a STANDARD workflow (EXPRESS executions cannot be described)`);
    }
    this.stateMachine = new StateMachine(this, "StateMachine", {
      name: props.stateMachineName,
      type: props.type,
      template: { file: props.templateFile, variables: props.templateVariables },
      resources: props.resources,
      logging: props.logging,
      tracing: props.tracing,
    });
    const templates = props.mappingTemplates ?? {};
    const common = {
      api: props.api,
      role: props.role,
      region: props.region,
      partition: props.partition,
      authorization: props.authorization,
      // The workflow's id, not the state machine's name, which may hold a Terraform expression.
      grantFor: id,
      errorTemplate: mappingTemplate(templates.error ?? "mappings/step-functions-error.response.vtl.tftpl"),
    };
    const arn = { state_machine_arn: this.stateMachine.arn };
    const requestModel = props.requestSchema ? props.api.modelFor(readRequestSchema(props.requestSchema)) : undefined;

    if (props.type === "EXPRESS") {
      this.startRoute = new StepFunctionsIntegration(this, "Start", {
        ...common,
        path: props.path,
        httpMethod: "POST",
        action: "StartSyncExecution",
        grantResource: this.stateMachine.arn,
        requestModel,
        requestTemplate: mappingTemplate(templates.syncRequest ?? "mappings/start-sync-execution.request.vtl.tftpl", arn),
        success: {
          statusCode: "200",
          template: mappingTemplate(templates.syncResponse ?? "mappings/start-sync-execution.response.vtl.tftpl"),
        },
        overrideStatuses: ["429", "500", "502", "504"],
      });
    } else {
      const statusPath = props.statusPath ?? `${props.path}/executions`;
      this.startRoute = new StepFunctionsIntegration(this, "Start", {
        ...common,
        path: props.path,
        httpMethod: "POST",
        action: "StartExecution",
        grantResource: this.stateMachine.arn,
        requestModel,
        requestTemplate: mappingTemplate(templates.asyncRequest ?? "mappings/start-execution.request.vtl.tftpl", arn),
        success: {
          statusCode: "202",
          template: mappingTemplate(templates.asyncResponse ?? "mappings/start-execution.response.vtl.tftpl", {
            status_path: statusPath,
          }),
        },
        overrideStatuses: ["409", "429", "502"],
        responseHeaders: ["Location"],
      });
      this.statusRoute = new StepFunctionsIntegration(this, "Status", {
        ...common,
        path: `${statusPath}/{name}`,
        httpMethod: "GET",
        action: "DescribeExecution",
        // Executions of this state machine only: its ARN with "stateMachine" replaced by "execution".
        grantResource: `${Fn.replace(this.stateMachine.arn, ":stateMachine:", ":execution:")}:*`,
        pathParameters: ["name"],
        requestTemplate: mappingTemplate(templates.statusRequest ?? "mappings/describe-execution.request.vtl.tftpl", arn),
        success: {
          statusCode: "200",
          template: mappingTemplate(templates.statusResponse ?? "mappings/describe-execution.response.vtl.tftpl"),
        },
        overrideStatuses: ["404", "429", "502"],
      });
    }
    this.routes = this.statusRoute ? [this.startRoute, this.statusRoute] : [this.startRoute];
  }
}
