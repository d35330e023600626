/**
 * The fields of a workflow from configuration, declared once: each field's type and meaning (for
 * docs/configuration.md), its default, and the problems of a value (for parseWorkflows and its
 * errors, each naming the field). The `satisfies` below makes the compiler hold this table and
 * WorkflowSpec (the construct's props) to the same fields, both ways. A new field is a row here
 * and a prop of the same name on WorkflowSpec and WorkflowEndpointProps (workflow-api.ts passes a
 * workflow's fields to its endpoint by name).
 *
 * The rules between workflows (duplicate names, route paths that clash) are in workflows.ts, next
 * to the parsing; the rules between fields of one workflow are here, in the problems of the field
 * that depends on another (statusPath and errors on type, method on input).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { requestInputProblems } from "../lang/request-input";
import { START_METHODS, pathParametersOf } from "../lang/workflow-routes";
import { OAUTH_SCOPES } from "./constructs/authorizer";
import { AUTHORIZATIONS, type Authorization } from "./constructs/route";
import { WORKFLOW_TYPES } from "./constructs/state-machine";
import { errorStatusesProblems } from "./constructs/step-functions-integration";
import { DEMO_INSTANCE, type WorkflowSpec } from "./constructs/workflow-api";
import { parameterPathProblem, startMethodProblem, statusPathProblem } from "./constructs/workflow-endpoint";

/** What a field's problems are checked against: the templates folder (for files) and the workflow as written. */
export interface FieldContext {
  readonly templatesDir: string;
  readonly workflow: Readonly<Record<string, unknown>>;
}

/** One field of a workflow. */
export interface WorkflowField {
  /** Its type as a JSON configuration writes it, for the docs. */
  readonly type: string;
  /** What it means, for the docs. */
  readonly description: string;
  /** Whether a workflow must have it. */
  readonly required: boolean;
  /** Its default as the docs show it (JSON, or words); absent for a required field. */
  readonly defaultText?: string;
  /** The value parseWorkflows gives a workflow without it. @default left out */
  readonly defaultValue?: () => unknown;
  /** The problems of a value, each beginning with the field's name in quotes (called for a required field even when absent). */
  readonly problems: (value: unknown, context: FieldContext) => readonly string[];
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const SEGMENT = "[A-Za-z0-9._~-]+";
/** A path: segments of letters, digits, ".", "_", "~" or "-", separated by "/". */
export const PATH = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);
const PARAMETER = "\\{[A-Za-z_][A-Za-z0-9_]*\\}";
/** A start route's path: PATH, where a segment may also be a {parameter} (the method requires it). */
export const ROUTE_PATH = new RegExp(`^(${SEGMENT}|${PARAMETER})(/(${SEGMENT}|${PARAMETER}))*$`);
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

/**
 * A file a workflow names, resolved against the templates folder: it must lie inside that folder
 * (no absolute path or ".." leading elsewhere) and exist. The file is never read here.
 */
function templatesFileProblems(templatesDir: string, file: unknown, field: string, what: string): string[] {
  const folder = displayFolder(templatesDir);
  if (typeof file !== "string" || file === "") return [`"${field}" must name ${what}`];
  const absolute = path.resolve(templatesDir, file);
  const inside = path.relative(templatesDir, absolute);
  if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) {
    return [`"${field}" must name a file inside ${folder} (the templatesDir setting), got ${JSON.stringify(file)}`];
  }
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) return [`"${field}": ${what} ${file} not found in ${folder}`];
  return [];
}

/** A folder as messages show it: relative to the working directory when inside it. */
function displayFolder(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? `${relative}/` : `${dir}/`;
}

const typeOf = (context: FieldContext) => context.workflow.type as WorkflowSpec["type"];

/** The problems of a start route's path: its syntax, then its parameters' names. */
function pathProblems(value: unknown, context: FieldContext): string[] {
  if (typeof value !== "string" || !ROUTE_PATH.test(value)) {
    return [
      `"path" must be segments of letters, digits, ".", "_", "~" or "-", or a {parameter}, separated by "/", got ${JSON.stringify(value)}`,
    ];
  }
  const parameters = pathParametersOf(value);
  const twice = parameters.find((name, i) => parameters.indexOf(name) !== i);
  if (twice) return [`"path" names the parameter {${twice}} twice`];
  // The status route below a STANDARD workflow's path reads its own {name}.
  if (typeOf(context) === "STANDARD" && parameters.includes("name"))
    return ["\"path\": {name} is the status route's parameter (the execution's name); call it something else"];
  const problem = parameterPathProblem(typeOf(context), value, context.workflow.statusPath as string | undefined);
  return problem ? [problem] : [];
}

/**
 * The fields of a workflow, in the order docs/configuration.md documents them: one declaration
 * each, from which come parsing and its errors (parseWorkflows), the `known` list of an unknown
 * field's message, and the docs (scripts/docs.ts).
 */
export const WORKFLOW_FIELDS = {
  name: {
    type: "string",
    description: "Short name: suffix of the state machine name, prefix of the outputs and Terraform names.",
    required: true,
    problems: (value) =>
      typeof value === "string" && NAME.test(value)
        ? []
        : ['"name" must start with a lower-case letter and hold up to 31 lower-case letters, digits or hyphens'],
  },
  type: {
    type: '"EXPRESS" | "STANDARD"',
    description: "EXPRESS: the route waits for the result. STANDARD: the route answers 202 at once.",
    required: true,
    problems: (value) =>
      WORKFLOW_TYPES.includes(value as WorkflowSpec["type"])
        ? []
        : [`"type" must be "EXPRESS" or "STANDARD", got ${JSON.stringify(value)}`],
  },
  templateFile: {
    type: "string",
    description:
      "ASL template file (`.tftpl`); a relative path starts at the templates folder (from configuration: the templatesDir setting, which it must lie inside).",
    required: true,
    problems: (value, { templatesDir }) => templatesFileProblems(templatesDir, value, "templateFile", "template file"),
  },
  templateVariables: {
    type: "Record<string, string | number>",
    description: "Values of the template's variables: exactly those it uses.",
    required: false,
    defaultText: "{}",
    defaultValue: () => ({}),
    problems: (value) =>
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((v) => typeof v === "string" || typeof v === "number")
        ? []
        : ['"templateVariables" must be an object of strings and numbers'],
  },
  path: {
    type: "string",
    description:
      'Path of the route that starts the workflow; a segment may be a {parameter} ("orders/{id}"), which the route requires (`input.path` passes it to the workflow).',
    required: true,
    problems: pathProblems,
  },
  requestSchema: {
    type: "string",
    description: "JSON schema (draft 4) of the request body, a path like templateFile's: a body that does not match answers 400.",
    required: false,
    defaultText: "no validation",
    problems: (value, { templatesDir }) => templatesFileProblems(templatesDir, value, "requestSchema", "request schema"),
  },
  statusPath: {
    type: "string",
    description: 'STANDARD only: path of the GET route that reads an execution ("executions" serves GET /executions/{name}).',
    required: false,
    defaultText: '"<path>/executions"',
    problems: (value, context) => {
      const problem = statusPathProblem(typeOf(context), value as string | undefined);
      if (problem) return [problem];
      return typeof value === "string" && PATH.test(value) ? [] : ['"statusPath" is not a valid path'];
    },
  },
  resources: {
    type: "string[]",
    description:
      "ARNs the workflow's tasks may act on (\"demo-instance\" stands for the demo EC2 instance); the IAM actions come from the workflow's own ASL.",
    required: false,
    defaultText: "[]",
    defaultValue: () => [],
    problems: (value) =>
      Array.isArray(value) && value.every((r) => typeof r === "string" && (r === DEMO_INSTANCE || ARN.test(r)))
        ? []
        : [`"resources" must be a list of ARNs or "${DEMO_INSTANCE}"`],
  },
  errors: {
    type: "Record<string, number>",
    description:
      'EXPRESS only: the HTTP status (400 to 599) each of the workflow\'s own errors answers, e.g. `{"Order.NotFound": 404}`; its route declares exactly these statuses besides the defaults (SUCCEEDED 200, TIMED_OUT and States.Timeout 504, any other failure 500).',
    required: false,
    defaultText: "{}",
    problems: (value, context) => errorStatusesProblems(String(context.workflow.type), value),
  },
  method: {
    type: '"POST" | "GET"',
    description:
      'Method of the start route: "POST" (the request body is the input) or "GET" (no body, so no requestSchema: the input is what `input` names, which a GET needs).',
    required: false,
    defaultText: '"POST"',
    problems: (value, context) => {
      if (!START_METHODS.includes(value as never)) return [`"method" must be "POST" or "GET", got ${JSON.stringify(value)}`];
      const problem = startMethodProblem(context.workflow);
      return problem ? [problem] : [];
    },
  },
  input: {
    type: '{"path"?: boolean, "querystring"?: boolean, "header"?: string[], "requestContext"?: string[], "authorizer"?: boolean}',
    description:
      'What of the request the execution input holds: then an object with the body under "body" and a key per option (docs/api.md, "Request data in the input"). Headers only by name (Authorization, Cookie and X-Api-Key never unless named).',
    required: false,
    defaultText: "the body alone",
    problems: requestInputProblems,
  },
  authorization: {
    type: '"AWS_IAM" | "API_KEY" | "NONE" | "COGNITO_USER_POOLS" | "CUSTOM"',
    description:
      'How callers of this workflow\'s routes are authorized, over the API\'s authorization: "AWS_IAM", "NONE" (with allowUnauthenticated), or the API\'s own kind (the rules between settings say which).',
    required: false,
    defaultText: "the API's authorization",
    problems: (value) =>
      AUTHORIZATIONS.includes(value as Authorization)
        ? []
        : [`"authorization" must be one of ${AUTHORIZATIONS.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(value)}`],
  },
  authorizationScopes: {
    type: "string[]",
    description: "OAuth scopes of this workflow's routes when they are \"COGNITO_USER_POOLS\", over the API's authorizationScopes.",
    required: false,
    defaultText: "the API's scopes",
    problems: (value, context) => {
      const pattern = "pattern" in OAUTH_SCOPES ? new RegExp(OAUTH_SCOPES.pattern) : /^$/;
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        value.some((scope) => typeof scope !== "string" || scope === "" || scope.includes(",") || !pattern.test(scope))
      ) {
        return ['"authorizationScopes" must be a non-empty list of OAuth scopes (letters, digits and "._~:/+-", e.g. "orders/read")'];
      }
      const authorization = context.workflow.authorization;
      return authorization !== undefined && authorization !== "COGNITO_USER_POOLS"
        ? ['"authorizationScopes" is only for routes whose authorization is "COGNITO_USER_POOLS"']
        : [];
    },
  },
} as const satisfies Record<keyof WorkflowSpec, WorkflowField>;

export type WorkflowFieldName = keyof typeof WORKFLOW_FIELDS;
export const WORKFLOW_FIELD_NAMES = Object.keys(WORKFLOW_FIELDS) as WorkflowFieldName[];
/** The fields of the table as a list, each with its name: what the docs print. */
export const WORKFLOW_FIELD_LIST: readonly (WorkflowField & { readonly name: WorkflowFieldName })[] = WORKFLOW_FIELD_NAMES.map((name) => ({
  name,
  ...(WORKFLOW_FIELDS[name] as WorkflowField),
}));
