import type { Construct } from "constructs";
import type { Grant, IGrantable } from "./iam";
import type { TemplateValue } from "../../lang/terraform-template";
import { type RequestInput, requestInputProblems, requestInputVariable } from "../../lang/request-input";
import { ROUTE_OF_ACTION, type RouteKind, type RouteTemplate, type StepFunctionsAction, WORKFLOW_ROUTES } from "../../lang/workflow-routes";
import { mappingTemplate, mappingTemplateUses } from "./mapping-template";
import type { StateMachine } from "./state-machine";

/** The Step Functions API actions a route can call (one per route kind: lang/workflow-routes.ts). */
export type { StepFunctionsAction };

/** Mapping template files of a workflow's routes; paths relative to `templates/` or absolute. */
export interface StepFunctionsMappingTemplates {
  /**
   * Uses `${request_input}` when a workflow has `input` (see requestInputVariable); a template
   * without it serves only workflows without `input`.
   * @default "mappings/start-sync-execution.request.vtl.tftpl"
   */
  readonly syncRequest?: string;
  /**
   * Uses `${error_statuses}`: the workflow's error statuses as JSON (see errorStatusesJson).
   * @default "mappings/start-sync-execution.response.vtl.tftpl"
   */
  readonly syncResponse?: string;
  /** Uses `${request_input}` as syncRequest does. @default "mappings/start-execution.request.vtl.tftpl" */
  readonly asyncRequest?: string;
  /** @default "mappings/start-execution.response.vtl.tftpl" */
  readonly asyncResponse?: string;
  /** @default "mappings/describe-execution.request.vtl.tftpl" */
  readonly statusRequest?: string;
  /** @default "mappings/describe-execution.response.vtl.tftpl" */
  readonly statusResponse?: string;
  /**
   * Uses `${error_statuses}`: the statuses of the Step Functions errors the route's action can return, as JSON.
   * @default "mappings/step-functions-error.response.vtl.tftpl"
   */
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

/**
 * What a workflow's errors answer: a map from an error name its executions can fail with to the
 * HTTP status of the answer, e.g. `{"Order.NotFound": 404, "Payment.Declined": 402}`. Besides it,
 * every EXPRESS route answers SUCCEEDED 200, TIMED_OUT and States.Timeout 504, any other failure 500.
 */
export type ErrorStatuses = Readonly<Record<string, number>>;

/**
 * Step Functions' predefined error names (Amazon States Language specification, "Error names" and
 * Appendix A, and AWS's ASL grammar, which adds States.QueryEvaluationError for JSONata). A workflow
 * may raise no other name beginning with "States." ("States MAY report errors with other names,
 * which MUST NOT begin with the prefix States."). States.ALL is a wildcard of Retry and Catch,
 * never an execution's error; States.Timeout is always 504.
 */
export const PREDEFINED_ERRORS: readonly string[] = [
  "States.BranchFailed",
  "States.DataLimitExceeded",
  "States.ExceedToleratedFailureThreshold",
  "States.HeartbeatTimeout",
  "States.IntrinsicFailure",
  "States.ItemReaderFailed",
  "States.NoChoiceMatched",
  "States.ParameterPathFailure",
  "States.Permissions",
  "States.QueryEvaluationError",
  "States.ResultPathMatchFailure",
  "States.ResultWriterFailed",
  "States.Runtime",
  "States.TaskFailed",
];

/**
 * The longest error name Step Functions reports (API Reference, ExecutionFailedEventDetails: "error",
 * length 0 to 256; the same for a Fail state's Error and SendTaskFailure's error).
 */
export const ERROR_NAME_MAX_LENGTH = 256;

/** The statuses an error may answer: API Gateway method responses are 1xx to 5xx; only client and server errors make sense. */
const ERROR_STATUS = /^[45][0-9]{2}$/;

/**
 * The rule of a workflow's error statuses, in one place (configuration and the integration both
 * check it): only EXPRESS workflows (the route that waits for the result) answer with them; each
 * name is one Step Functions can report; each status is a whole number from 400 to 599. Returns
 * the problems, each naming the field.
 */
export function errorStatusesProblems(type: string, errors: unknown): string[] {
  if (errors === undefined) return [];
  if (type === "STANDARD") {
    return [
      "\"errors\" is only for EXPRESS workflows: a STANDARD workflow's POST route answers 202 before the execution ends, and its GET route answers 200 with the execution's status, error and cause",
    ];
  }
  if (typeof errors !== "object" || errors === null || Array.isArray(errors)) {
    return ['"errors" must be an object mapping error names to HTTP statuses, e.g. {"Order.NotFound": 404}'];
  }
  const problems: string[] = [];
  for (const [name, status] of Object.entries(errors)) {
    const field = `"errors" ${JSON.stringify(name)}`;
    if (name === "" || name.length > ERROR_NAME_MAX_LENGTH) {
      problems.push(`${field}: an error name holds 1 to ${ERROR_NAME_MAX_LENGTH} characters`);
    } else if (name === "States.Timeout") {
      problems.push(`${field}: a timeout always answers 504`);
    } else if (name === "States.ALL") {
      problems.push(`${field}: States.ALL matches errors in Retry and Catch; no execution fails with it`);
    } else if (name.startsWith("States.") && !PREDEFINED_ERRORS.includes(name)) {
      problems.push(`${field}: names beginning with "States." are Step Functions' own (${PREDEFINED_ERRORS.join(", ")})`);
    }
    if (typeof status !== "number" || !Number.isInteger(status) || !ERROR_STATUS.test(String(status))) {
      problems.push(
        `${field}: the status must be a whole number from 400 to 599 (an error never answers 2xx or 3xx), got ${JSON.stringify(status)}`,
      );
    }
  }
  return problems;
}

/**
 * The error statuses as the response template's `error_statuses` variable: JSON that
 * `$util.parseJson` reads, inside a single-quoted VTL string. Every character of a name but letters,
 * digits, ".", "_", ":" and "-" is written as a \u escape (four hex digits), so the text holds
 * no quote that would end the VTL string, no line break, and no "$", "#" or "%" that VTL or
 * Terraform (\${, %{) would read.
 */
export function errorStatusesJson(errors: ErrorStatuses): string {
  const escapeName = (name: string) => name.replace(/[^A-Za-z0-9._:-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const entries = Object.entries(errors)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, status]) => `"${escapeName(name)}":${status}`);
  return `{${entries.join(",")}}`;
}

export interface StartSyncExecutionOptions {
  /** The statuses the workflow's own errors answer. @default {} (every failure but a timeout answers 500) */
  readonly errors?: ErrorStatuses;
  /** @default the templates shipped in templates/mappings */
  readonly templates?: StepFunctionsMappingTemplates;
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

/** Errors of every action that mean the API's own wiring is broken: 502, as a 5xx of Step Functions is. */
const WIRING_ERRORS: ErrorStatuses = { AccessDeniedException: 502, StateMachineDeleting: 502, StateMachineDoesNotExist: 502 };

/**
 * The statuses the shared error template (templates/mappings/step-functions-error.response.vtl.tftpl)
 * gives Step Functions' own errors, besides the 400 and 502 its integration responses select, by the
 * errors each action can return (Step Functions API Reference, "Errors" of StartSyncExecution,
 * StartExecution and DescribeExecution, and "Common Errors" for ThrottlingException): 429 for
 * throttling on every action; 409 ExecutionAlreadyExists and 429 ExecutionLimitExceeded only from
 * StartExecution (the only call that names its execution, and the only one counted against open
 * executions); 404 ExecutionDoesNotExist and InvalidArn only from DescribeExecution (the start
 * routes send the state machine's own ARN).
 */
const STEP_FUNCTIONS_ERRORS: Readonly<Record<StepFunctionsAction, ErrorStatuses>> = {
  StartSyncExecution: { ...WIRING_ERRORS, ThrottlingException: 429 },
  StartExecution: { ...WIRING_ERRORS, ThrottlingException: 429, ExecutionAlreadyExists: 409, ExecutionLimitExceeded: 429 },
  DescribeExecution: { ...WIRING_ERRORS, ThrottlingException: 429, ExecutionDoesNotExist: 404, InvalidArn: 404 },
};

const T: Required<StepFunctionsMappingTemplates> = {
  syncRequest: "mappings/start-sync-execution.request.vtl.tftpl",
  syncResponse: "mappings/start-sync-execution.response.vtl.tftpl",
  asyncRequest: "mappings/start-execution.request.vtl.tftpl",
  asyncResponse: "mappings/start-execution.response.vtl.tftpl",
  statusRequest: "mappings/describe-execution.request.vtl.tftpl",
  statusResponse: "mappings/describe-execution.response.vtl.tftpl",
  error: "mappings/step-functions-error.response.vtl.tftpl",
};

/** The grant each action needs, owned by the state machine. */
const GRANTS: Readonly<Record<StepFunctionsAction, (stateMachine: StateMachine, role: IGrantable) => Grant>> = {
  StartSyncExecution: (stateMachine, role) => stateMachine.grantStartSyncExecution(role),
  StartExecution: (stateMachine, role) => stateMachine.grantStartExecution(role),
  DescribeExecution: (stateMachine, role) => stateMachine.grantDescribeExecution(role),
};

export interface RouteIntegrationOptions {
  /** The statuses the workflow's own errors answer (routes whose kind answers with them). @default {} */
  readonly errors?: ErrorStatuses;
  /** Path of the workflow's status route (routes whose success template points there). @default none */
  readonly statusPath?: string;
  /** What of the request the execution input holds besides the body (routes whose kind takes it). @default the body alone */
  readonly input?: RequestInput;
  /** Whether the route has a body for the input's `body` (a GET has none). @default true */
  readonly withBody?: boolean;
  /** @default the templates shipped in templates/mappings */
  readonly templates?: StepFunctionsMappingTemplates;
}

/**
 * Factories of the integrations that call Step Functions, each owning its mapping templates and the
 * statuses they answer with (as aws-cdk-lib's `StepFunctionsIntegration.startExecution`).
 */
export const StepFunctionsIntegration = {
  /**
   * The integration of a route kind (lang/workflow-routes.ts) on a state machine of a kind that has
   * it: its action, templates with their variables, statuses, headers, path parameters and grant.
   */
  forRoute(kind: RouteKind, stateMachine: StateMachine, options: RouteIntegrationOptions = {}): StepFunctionsIntegration {
    if (!WORKFLOW_ROUTES[stateMachine.type].includes(kind)) {
      throw new Error(`workflow ${stateMachine.label}: a ${stateMachine.type} workflow has no ${kind.action} route`);
    }
    const errors = kind.workflowErrors ? (options.errors ?? {}) : {};
    const problems = errorStatusesProblems(stateMachine.type, kind.workflowErrors ? errors : undefined);
    if (problems.length > 0) throw new Error(`workflow ${stateMachine.label}: ${problems.join("; ")}`);
    if (kind.responseVariables.includes("status_path") && options.statusPath === undefined) {
      throw new Error(`workflow ${stateMachine.label}: the ${kind.action} route needs the status route's path`);
    }
    const files: Record<RouteTemplate | "error", string> = { ...T, ...options.templates };
    // What reaches the template's VTL as text is checked here, where it is used (and by configuration).
    const inputProblems = kind.requestInput && options.input !== undefined ? requestInputProblems(options.input) : [];
    if (inputProblems.length > 0) throw new Error(`workflow ${stateMachine.label}: ${inputProblems.join("; ")}`);
    const requestVariables: Record<string, TemplateValue> = { state_machine_arn: stateMachine.arn };
    // The shipped start templates read `request_input`; a team's own template without it serves
    // the body alone, and only to a workflow that asks for nothing more.
    if (kind.requestInput && mappingTemplateUses(files[kind.requestTemplate], "request_input")) {
      requestVariables.request_input = requestInputVariable(options.input, options.withBody ?? true);
    } else if (kind.requestInput && options.input !== undefined) {
      throw new Error(
        `workflow ${stateMachine.label}: "input" needs a request template that uses \${request_input}; ${files[kind.requestTemplate]} does not`,
      );
    }
    const variables: Record<string, TemplateValue> = {};
    if (kind.responseVariables.includes("error_statuses")) variables.error_statuses = errorStatusesJson(errors);
    if (kind.responseVariables.includes("status_path")) variables.status_path = options.statusPath!;
    const stepFunctionsErrors = STEP_FUNCTIONS_ERRORS[kind.action];
    const overrideStatuses = [
      ...new Set([...kind.responseStatuses, ...Object.values(errors).map(String), ...Object.values(stepFunctionsErrors).map(String)]),
    ].sort();
    return {
      bind: (scope) => ({
        action: kind.action,
        requestTemplate: mappingTemplate(scope, files[kind.requestTemplate], requestVariables),
        success: {
          statusCode: kind.successStatus,
          template: mappingTemplate(scope, files[kind.responseTemplate], kind.responseVariables.length ? variables : undefined),
        },
        errorTemplate: mappingTemplate(scope, files.error, { error_statuses: errorStatusesJson(stepFunctionsErrors) }),
        overrideStatuses,
        responseHeaders: kind.responseHeaders,
        pathParameters: kind.pathParameters,
        grant: (role) => GRANTS[kind.action](stateMachine, role),
      }),
    };
  },

  /**
   * Runs an EXPRESS workflow and answers with its result: 200 with the output; FAILED with the
   * status `options.errors` gives its error, else 500; TIMED_OUT (or States.Timeout) 504, ABORTED
   * 500, throttled 429, Step Functions errors 400/502.
   */
  startSyncExecution(stateMachine: StateMachine, options: StartSyncExecutionOptions = {}): StepFunctionsIntegration {
    if (stateMachine.type !== "EXPRESS") throw new Error(`workflow ${stateMachine.label}: only EXPRESS workflows can run synchronously`);
    return StepFunctionsIntegration.forRoute(ROUTE_OF_ACTION.StartSyncExecution, stateMachine, options);
  },

  /**
   * Starts a STANDARD workflow and answers at once: 202 with the execution's name and ARN and a
   * Location header below `statusPath`; a reused idempotency key 409, throttled 429, errors 400/502.
   */
  startExecution(stateMachine: StateMachine, options: StartExecutionOptions): StepFunctionsIntegration {
    if (stateMachine.type !== "STANDARD")
      throw new Error(`workflow ${stateMachine.label}: only STANDARD workflows are started asynchronously`);
    return StepFunctionsIntegration.forRoute(ROUTE_OF_ACTION.StartExecution, stateMachine, options);
  },

  /** Reads an execution of a STANDARD workflow by the `{name}` path parameter: 200, unknown 404, throttled 429. */
  describeExecution(stateMachine: StateMachine, options: IntegrationOptions = {}): StepFunctionsIntegration {
    if (stateMachine.type !== "STANDARD") throw new Error(`workflow ${stateMachine.label}: only STANDARD executions can be described`);
    return StepFunctionsIntegration.forRoute(ROUTE_OF_ACTION.DescribeExecution, stateMachine, options);
  },
};
