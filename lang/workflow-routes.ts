/**
 * The routes of each kind of workflow, in one table: method, path, the Step Functions action it
 * calls, its mapping templates and their variables, the statuses and headers it answers with, the
 * path parameters it reads, what it answers, and its Terraform output. The deploy side builds the
 * routes, their integrations, grants and outputs from it (stacks/constructs/workflow-endpoint.ts,
 * step-functions-integration.ts, workflow-api.ts), the reusable module's README lists it, the
 * emulator's banner says what each action answers, and docs/configuration.md prints it. A new kind
 * of route is a new row here (and, for a new action, its grant and its templates).
 */

/** The Step Functions API actions a route can call. */
export type StepFunctionsAction = "StartSyncExecution" | "StartExecution" | "DescribeExecution";

/** The kinds of workflow: EXPRESS runs while the caller waits, STANDARD in the background. */
export type WorkflowKind = "EXPRESS" | "STANDARD";

/** The mapping templates a route reads (keys of StepFunctionsMappingTemplates). */
export type RouteTemplate = "syncRequest" | "syncResponse" | "asyncRequest" | "asyncResponse" | "statusRequest" | "statusResponse";

/** The variables a route's success template may be given. */
export type ResponseVariable = "error_statuses" | "status_path";

/** A workflow's paths, as configured. */
export interface WorkflowPaths {
  readonly path: string;
  readonly statusPath?: string;
  /** The start route's method (routes whose kind takes it from the workflow). @default "POST" */
  readonly method?: StartMethod;
}

/** The methods a workflow's start route may have: POST (the body is the input) or GET (no body). */
export type StartMethod = "POST" | "GET";
export const START_METHODS: readonly StartMethod[] = ["POST", "GET"];

/** One route of a kind of workflow. */
export interface RouteKind {
  /** The route's construct id inside its workflow (it names its Terraform resources). */
  readonly id: "Start" | "Status";
  /** The route's method; the workflow's `method` when {@link RouteKind.methodFromWorkflow}. */
  readonly method: "GET" | "POST";
  /** Whether the workflow's `method` field sets the method (start routes: a GET takes no body, so its body is never validated). */
  readonly methodFromWorkflow: boolean;
  /** Whether the request template is given the workflow's `input` (`request_input`: what of the request the execution input holds). */
  readonly requestInput: boolean;
  /** The route's path for a workflow, below the API's root. */
  readonly path: (workflow: WorkflowPaths) => string;
  readonly action: StepFunctionsAction;
  /** Whether the request body is checked against the workflow's request schema (400 when it does not match). */
  readonly validatesBody: boolean;
  readonly requestTemplate: RouteTemplate;
  /** The template of a successful answer. */
  readonly responseTemplate: RouteTemplate;
  /** What the success template is given: the workflow's error statuses as JSON, or the status route's path. */
  readonly responseVariables: readonly ResponseVariable[];
  /** Status of a successful call. */
  readonly successStatus: string;
  /** Further statuses the success template answers with ($context.responseOverride.status). */
  readonly responseStatuses: readonly string[];
  /** Whether the workflow's own error statuses (its `errors`) answer too. */
  readonly workflowErrors: boolean;
  /** Response headers the success template sets. */
  readonly responseHeaders: readonly string[];
  /** Path parameters the method requires and the request template reads (besides those of the workflow's own path). */
  readonly pathParameters: readonly string[];
  /** What the route answers, in a few words. */
  readonly answers: string;
  /** The Terraform output of the route's URL: its name after the workflow's, and its description ("{workflow}": the workflow's name, "{method}": the route's method). */
  /** `parent`: the URL is the route's without its last segment, a parameter the client appends (outputPathOf). */
  readonly output: { readonly suffix: string; readonly description: string; readonly parent: boolean };
}

/** The path of a STANDARD workflow's status route: its statusPath, or "<path>/executions". */
export function statusPathOf(workflow: WorkflowPaths): string {
  return workflow.statusPath ?? `${workflow.path}/executions`;
}

/** The route's method for a workflow. */
export function routeMethodOf(kind: RouteKind, workflow: WorkflowPaths): "GET" | "POST" {
  return kind.methodFromWorkflow ? (workflow.method ?? kind.method) : kind.method;
}

/** Whether the route's body is checked against the workflow's request schema: a GET has no body. */
export function validatesBodyOf(kind: RouteKind, workflow: WorkflowPaths): boolean {
  return kind.validatesBody && routeMethodOf(kind, workflow) === "POST";
}

/** The path parameters of a route path ("orders/{id}/executions/{name}": id, name), each a required method request parameter. */
export function pathParametersOf(routePath: string): string[] {
  return [...routePath.matchAll(/\{([^}/]+)\}/g)].map((match) => match[1]);
}

/**
 * The URL path an output gives for a status route: its path without the trailing path parameter
 * (the execution's name, which the client appends). A start route's output is its whole path,
 * parameters and all ("orders/{id}": a URL template).
 */
export function outputPathOf(routePath: string): string {
  return routePath.replace(/\/\{[^}]+\}$/, "");
}

const START_SYNC: RouteKind = {
  id: "Start",
  method: "POST",
  methodFromWorkflow: true,
  requestInput: true,
  path: (w) => w.path,
  action: "StartSyncExecution",
  validatesBody: true,
  requestTemplate: "syncRequest",
  responseTemplate: "syncResponse",
  responseVariables: ["error_statuses"],
  successStatus: "200",
  responseStatuses: ["500", "504"],
  workflowErrors: true,
  responseHeaders: [],
  pathParameters: [],
  answers: "waits for the result",
  output: { suffix: "_url", description: "{method} here to run the {workflow} workflow", parent: false },
};

const START: RouteKind = {
  id: "Start",
  method: "POST",
  methodFromWorkflow: true,
  requestInput: true,
  path: (w) => w.path,
  action: "StartExecution",
  validatesBody: true,
  requestTemplate: "asyncRequest",
  responseTemplate: "asyncResponse",
  responseVariables: ["status_path"],
  successStatus: "202",
  responseStatuses: [],
  workflowErrors: false,
  responseHeaders: ["Location"],
  pathParameters: [],
  answers: "answers 202 at once",
  output: { suffix: "_url", description: "{method} here to start the {workflow} workflow", parent: false },
};

const DESCRIBE: RouteKind = {
  id: "Status",
  method: "GET",
  methodFromWorkflow: false,
  requestInput: false,
  path: (w) => `${statusPathOf(w)}/{name}`,
  action: "DescribeExecution",
  validatesBody: false,
  requestTemplate: "statusRequest",
  responseTemplate: "statusResponse",
  responseVariables: [],
  successStatus: "200",
  responseStatuses: [],
  workflowErrors: false,
  responseHeaders: [],
  pathParameters: ["name"],
  answers: "reads an execution",
  output: {
    suffix: "_status_url",
    description: "GET <this URL>/<execution name> reads an execution of the {workflow} workflow",
    parent: true,
  },
};

/** The routes of each kind of workflow, the one that starts it first. */
export const WORKFLOW_ROUTES: Readonly<Record<WorkflowKind, readonly RouteKind[]>> = {
  EXPRESS: [START_SYNC],
  STANDARD: [START, DESCRIBE],
};

/** The route kind that calls an action. */
export const ROUTE_OF_ACTION: Readonly<Record<StepFunctionsAction, RouteKind>> = {
  StartSyncExecution: START_SYNC,
  StartExecution: START,
  DescribeExecution: DESCRIBE,
};
