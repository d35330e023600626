import type { Construct } from "constructs";
import type { Grant, IGrantable } from "./iam";
import { mappingTemplate } from "./mapping-template";
import type { StateMachine } from "./state-machine";

/** The Step Functions API actions a route can call. */
export type StepFunctionsAction = "StartSyncExecution" | "StartExecution" | "DescribeExecution";

/** Mapping template files of a workflow's routes; paths relative to `templates/` or absolute. */
export interface StepFunctionsMappingTemplates {
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

/**
 * What a route needs to call one Step Functions action: the action, its mapping templates, the
 * statuses its templates can answer with, and the grant that lets the route's role call it on
 * exactly one state machine. Made by the factories of {@link StepFunctionsIntegration}, bound to a
 * route (which supplies the scope for the templates).
 */
export interface BoundStepFunctionsIntegration {
  readonly action: StepFunctionsAction;
  /** Request mapping template (application/json), as a Terraform string. */
  readonly requestTemplate: string;
  /** Status of a successful call, and the template that maps Step Functions' answer. */
  readonly success: { readonly statusCode: string; readonly template: string };
  /** Template that maps an error answer of the Step Functions API (its 4xx and 5xx). */
  readonly errorTemplate: string;
  /** Further statuses the templates set through $context.responseOverride.status. */
  readonly overrideStatuses: readonly string[];
  /** Response headers the templates set through $context.responseOverride.header. */
  readonly responseHeaders: readonly string[];
  /** Path parameters the method requires and the request template reads. */
  readonly pathParameters: readonly string[];
  /** Grants the role the action on the state machine. */
  grant(role: IGrantable): Grant;
}

/** An integration not yet bound to a route: {@link StepFunctionsIntegration}'s factories return these. */
export interface StepFunctionsIntegration {
  bind(scope: Construct): BoundStepFunctionsIntegration;
}

export interface StartExecutionOptions {
  /** Path of the GET route that reads an execution; the 202's Location header points below it. */
  readonly statusPath: string;
  /** @default the templates shipped in templates/mappings */
  readonly templates?: StepFunctionsMappingTemplates;
}

export interface IntegrationOptions {
  /** @default the templates shipped in templates/mappings */
  readonly templates?: StepFunctionsMappingTemplates;
}

/**
 * Statuses the shared error template (templates/mappings/step-functions-error.response.vtl.tftpl)
 * sets for Step Functions' own errors, on every route, besides the 400 and 502 its integration
 * responses select: 404 ExecutionDoesNotExist/InvalidArn, 409 ExecutionAlreadyExists, 429 throttling.
 */
const ERROR_TEMPLATE_STATUSES = ["404", "409", "429"] as const;

/** The statuses a route can answer with beyond its success and the two selected error statuses. */
function statuses(...fromResponseTemplate: string[]): string[] {
  return [...new Set([...fromResponseTemplate, ...ERROR_TEMPLATE_STATUSES])].sort();
}

const T = {
  syncRequest: "mappings/start-sync-execution.request.vtl.tftpl",
  syncResponse: "mappings/start-sync-execution.response.vtl.tftpl",
  asyncRequest: "mappings/start-execution.request.vtl.tftpl",
  asyncResponse: "mappings/start-execution.response.vtl.tftpl",
  statusRequest: "mappings/describe-execution.request.vtl.tftpl",
  statusResponse: "mappings/describe-execution.response.vtl.tftpl",
  error: "mappings/step-functions-error.response.vtl.tftpl",
} as const;

/**
 * Factories of the integrations that call Step Functions, each owning its mapping templates and the
 * statuses they answer with (as aws-cdk-lib's `StepFunctionsIntegration.startExecution`).
 */
export const StepFunctionsIntegration = {
  /**
   * Runs an EXPRESS workflow and answers with its result: 200 with the output; FAILED 500 (or the
   * status its response template gives the workflow's error: 404, 409, 503), TIMED_OUT 504,
   * ABORTED 500, throttled 429, Step Functions errors 400/502.
   */
  startSyncExecution(stateMachine: StateMachine, options: IntegrationOptions = {}): StepFunctionsIntegration {
    if (stateMachine.type !== "EXPRESS") throw new Error(`workflow ${stateMachine.label}: only EXPRESS workflows can run synchronously`);
    const templates = { ...T, ...options.templates };
    return {
      bind: (scope) => ({
        action: "StartSyncExecution",
        requestTemplate: mappingTemplate(scope, templates.syncRequest, { state_machine_arn: stateMachine.arn }),
        success: { statusCode: "200", template: mappingTemplate(scope, templates.syncResponse) },
        errorTemplate: mappingTemplate(scope, templates.error),
        overrideStatuses: statuses("400", "404", "409", "500", "503", "504"),
        responseHeaders: [],
        pathParameters: [],
        grant: (role) => stateMachine.grantStartSyncExecution(role),
      }),
    };
  },

  /**
   * Starts a STANDARD workflow and answers at once: 202 with the execution's name and ARN and a
   * Location header below `statusPath`; a reused idempotency key 409, throttled 429, errors 400/502.
   */
  startExecution(stateMachine: StateMachine, options: StartExecutionOptions): StepFunctionsIntegration {
    if (stateMachine.type !== "STANDARD")
      throw new Error(`workflow ${stateMachine.label}: only STANDARD workflows are started asynchronously`);
    const templates = { ...T, ...options.templates };
    return {
      bind: (scope) => ({
        action: "StartExecution",
        requestTemplate: mappingTemplate(scope, templates.asyncRequest, { state_machine_arn: stateMachine.arn }),
        success: { statusCode: "202", template: mappingTemplate(scope, templates.asyncResponse, { status_path: options.statusPath }) },
        errorTemplate: mappingTemplate(scope, templates.error),
        overrideStatuses: statuses(),
        responseHeaders: ["Location"],
        pathParameters: [],
        grant: (role) => stateMachine.grantStartExecution(role),
      }),
    };
  },

  /** Reads an execution of a STANDARD workflow by the `{name}` path parameter: 200, unknown 404, throttled 429. */
  describeExecution(stateMachine: StateMachine, options: IntegrationOptions = {}): StepFunctionsIntegration {
    if (stateMachine.type !== "STANDARD") throw new Error(`workflow ${stateMachine.label}: only STANDARD executions can be described`);
    const templates = { ...T, ...options.templates };
    return {
      bind: (scope) => ({
        action: "DescribeExecution",
        requestTemplate: mappingTemplate(scope, templates.statusRequest, { state_machine_arn: stateMachine.arn }),
        success: { statusCode: "200", template: mappingTemplate(scope, templates.statusResponse) },
        errorTemplate: mappingTemplate(scope, templates.error),
        overrideStatuses: statuses(),
        responseHeaders: [],
        pathParameters: ["name"],
        grant: (role) => stateMachine.grantDescribeExecution(role),
      }),
    };
  },
};
