import { Construct } from "constructs";
import type { TemplateValue } from "../../lang/terraform-template";
import type { RequestInput } from "../../lang/request-input";
import { type StartMethod, WORKFLOW_ROUTES, routeMethodOf, statusPathOf, validatesBodyOf } from "../../lang/workflow-routes";
import type { IntegrationRole } from "./integration-role";
import { atPlanPrecondition, expressTimeoutVerdict } from "./integration-timeout";
import { readRequestSchema } from "./request-schema";
import type { RestApi } from "./rest-api";
import { type Authorization, Route, type RouteProps } from "./route";
import { StateMachine, type StateMachineLogging, type WorkflowType } from "./state-machine";
import {
  type ErrorStatuses,
  StepFunctionsIntegration,
  errorStatusesProblems,
  type StepFunctionsMappingTemplates,
} from "./step-functions-integration";
import type { Tags } from "./tags";
import { warnOnce } from "./warnings";

/**
 * The rule of status routes, in one place: only STANDARD executions can be described (EXPRESS
 * executions have no history in Step Functions). Returns the problem, or undefined.
 */
export function statusPathProblem(type: WorkflowType, statusPath: string | undefined): string | undefined {
  return statusPath !== undefined && type !== "STANDARD"
    ? '"statusPath" is only for STANDARD workflows (EXPRESS executions cannot be described)'
    : undefined;
}

/**
 * The rule of a start route's method, in one place (configuration and the endpoint check it): a
 * GET has no body, so it needs `input` (else its execution input would always be {}) and takes no
 * request schema. Returns the problem, or undefined.
 */
export function startMethodProblem(workflow: {
  readonly method?: StartMethod;
  readonly input?: unknown;
  readonly requestSchema?: string;
}): string | undefined {
  if (workflow.method === "GET" && workflow.input === undefined)
    return '"method" GET has no body: set "input" to say what of the request the execution input holds';
  if (workflow.method === "GET" && workflow.requestSchema !== undefined) return '"method" GET has no body for the "requestSchema" to check';
  return undefined;
}

/**
 * The rule of path parameters in a STANDARD workflow, in one place: its status route must then be
 * named (`statusPath`, without parameters), because the 202's Location header points there and
 * the response template cannot fill a parameter in. Returns the problem, or undefined.
 */
export function parameterPathProblem(type: WorkflowType, path: string, statusPath: string | undefined): string | undefined {
  return type === "STANDARD" && path.includes("{") && statusPath === undefined
    ? '"path" has parameters: a STANDARD workflow then needs a "statusPath" without parameters (the 202\'s Location header points there)'
    : undefined;
}

export interface WorkflowEndpointProps {
  /** Name of the state machine; may be a Terraform expression. */
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
  /** EXPRESS only: the HTTP status each of the workflow's own errors answers. @default {} (every failure 500, a timeout 504) */
  readonly errors?: ErrorStatuses;
  /** Method of the start route: "POST", or "GET" (no body; needs `input`). @default "POST" */
  readonly method?: StartMethod;
  /** What of the request the execution input holds besides the body. @default the body alone */
  readonly input?: RequestInput;
  readonly api: RestApi;
  readonly role: IntegrationRole;
  /** AWS region of the Step Functions endpoint the routes call. */
  readonly region: string;
  /** AWS partition of the integrations' ARNs. @default "aws" */
  readonly partition?: string;
  /** The account the state machine lives in (a Terraform reference), for its role's trust conditions. */
  readonly accountId: string;
  /** Customer managed KMS key of the state machine and its logs. @default AWS owned keys */
  readonly kmsKeyArn?: string;
  /** Customer managed policies the execution role may get past IAM's inline quota (see RoleProps). @default 10 */
  readonly managedPolicies?: number;
  /** An {@link Authorization}, or a Terraform expression that is one. @default "AWS_IAM" */
  readonly authorization?: Authorization | string;
  /** ID of the routes' authorizer (COGNITO_USER_POOLS, CUSTOM). @default none */
  readonly authorizerId?: string;
  /** OAuth scopes of COGNITO_USER_POOLS routes. @default none */
  readonly authorizationScopes?: readonly string[];
  /** @default see StateMachineLogging */
  readonly logging?: StateMachineLogging;
  /** @default true */
  readonly tracing?: boolean;
  /** @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: StepFunctionsMappingTemplates;
  /** CORS headers on every answer of the routes. @default none */
  readonly cors?: RouteProps["cors"];
  /** Tags of the state machine, its role and its log group. @default {} */
  readonly tags?: Tags;
  /**
   * How long API Gateway waits for each route's integration, 50 to 300,000 ms (above 29,000 once the
   * account's quota is raised); an EXPRESS workflow's TimeoutSeconds must fit in it. May be a
   * Terraform expression. @default 29000 (API Gateway's default quota)
   */
  readonly integrationTimeoutMs?: number;
}

/**
 * A workflow and the routes that reach it: the unit this project is made of. EXPRESS workflows get
 * a synchronous POST route; STANDARD workflows an asynchronous POST route (202 with a Location
 * header) and a GET route that reads an execution. Give its routes to the API's stage.
 */
export class WorkflowEndpoint extends Construct {
  public readonly stateMachine: StateMachine;
  /** The POST route that starts the workflow. */
  public readonly startRoute: Route;
  /** The GET route that reads an execution (STANDARD workflows). */
  public readonly statusRoute?: Route;
  /** Every route, in the order of the workflow kind's table: for the stage's deployment and the outputs. */
  public readonly routes: readonly Route[];

  constructor(scope: Construct, id: string, props: WorkflowEndpointProps) {
    super(scope, id);
    const problem =
      statusPathProblem(props.type, props.statusPath) ??
      startMethodProblem(props) ??
      parameterPathProblem(props.type, props.path, props.statusPath) ??
      (errorStatusesProblems(props.type, props.errors).join("; ") || undefined);
    if (problem) throw new Error(`workflow ${id}: ${problem}`);
    this.stateMachine = new StateMachine(this, "StateMachine", {
      name: props.stateMachineName,
      // The workflow's id, not the state machine's name, which may hold a Terraform expression.
      label: id,
      type: props.type,
      template: { file: props.templateFile, variables: props.templateVariables },
      resources: props.resources,
      logging: props.logging,
      tracing: props.tracing,
      tags: props.tags,
      accountId: props.accountId,
      region: props.region,
      partition: props.partition,
      kmsKeyArn: props.kmsKeyArn,
      managedPolicies: props.managedPolicies,
    });
    const requestModel = props.requestSchema ? props.api.modelFor(readRequestSchema(props.requestSchema)) : undefined;
    // The routes of the workflow's kind, from the one table of them (lang/workflow-routes.ts).
    const routes = WORKFLOW_ROUTES[props.type].map(
      (kind) =>
        new Route(this, kind.id, {
          api: props.api,
          role: props.role,
          region: props.region,
          partition: props.partition,
          authorization: props.authorization,
          authorizerId: props.authorizerId,
          authorizationScopes: props.authorizationScopes && [...props.authorizationScopes],
          path: kind.path(props),
          httpMethod: routeMethodOf(kind, props),
          requestModel: validatesBodyOf(kind, props) ? requestModel : undefined,
          cors: props.cors,
          timeoutMs: props.integrationTimeoutMs,
          integration: StepFunctionsIntegration.forRoute(kind, this.stateMachine, {
            templates: props.mappingTemplates,
            errors: props.errors,
            statusPath: statusPathOf(props),
            input: props.input,
            withBody: routeMethodOf(kind, props) === "POST",
          }),
        }),
    );
    this.checkExpressTimeout(id, routes, props.integrationTimeoutMs);
    this.startRoute = routes[0];
    this.statusRoute = routes.find((route) => route.action === "DescribeExecution");
    this.routes = routes;
  }

  /**
   * The route that waits for an EXPRESS execution must not give up before it: its TimeoutSeconds
   * over the integration timeout stops synth (or, with a Terraform expression, the plan); none at
   * all, under a five-minute integration timeout, warns (integration-timeout.ts).
   */
  private checkExpressTimeout(id: string, routes: readonly Route[], integrationTimeoutMs: number | undefined): void {
    const definition = this.stateMachine.template.sampleDefinition;
    for (const route of routes.filter((r) => r.action === "StartSyncExecution")) {
      const timeoutMs = integrationTimeoutMs ?? route.timeoutMs;
      const verdict = expressTimeoutVerdict({
        workflow: id,
        timeoutSeconds: definition.TimeoutSeconds,
        integrationTimeoutMs: timeoutMs,
        setting: "integrationTimeoutMs",
      });
      if (verdict.kind === "too-long") throw new Error(verdict.message);
      if (verdict.kind === "unbounded") warnOnce(verdict.message);
      if (verdict.kind === "at-plan") {
        // A Terraform expression decides the timeout: the module's, which is defined by resources.
        if (!route.integration) throw new Error(`workflow ${id}: an integration timeout decided at plan needs apiDefinition "resources"`);
        route.integration.lifecycle = { precondition: [atPlanPrecondition(verdict, timeoutMs)] };
      }
    }
  }
}
