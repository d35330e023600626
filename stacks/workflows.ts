/**
 * The workflows the stack deploys, each with the routes that reach it. The defaults are the
 * article's two: the same instance toggle run synchronously (EXPRESS) and asynchronously after a
 * 29-second wait (STANDARD). A configuration may list others (cdktf.json context "workflows", or a
 * JSON file named by APIGW_SFN_WORKFLOWS_FILE); parseWorkflows validates it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { TemplateValue } from "../lang/terraform-template";
import { WORKFLOW_ROUTES } from "../lang/workflow-routes";
import { errorStatusesProblems } from "./constructs/step-functions-integration";
import { DEMO_INSTANCE, type WorkflowSpec } from "./constructs/workflow-api";
import { WORKFLOW_TYPES } from "./constructs/state-machine";
import { statusPathProblem } from "./constructs/workflow-endpoint";
import { OAUTH_SCOPES } from "./constructs/authorizer";
import { AUTHORIZATIONS, type Authorization } from "./constructs/route";

export { DEMO_INSTANCE };

/** A workflow from configuration: its files are paths inside the templates folder (relative to it, or absolute). */
export type WorkflowConfig = WorkflowSpec & {
  readonly templateVariables: Readonly<Record<string, TemplateValue>>;
  readonly resources: readonly string[];
};

/** The article's two workflows; their files are relative to the templates folder. */
export const DEFAULT_WORKFLOWS: readonly WorkflowConfig[] = [
  {
    name: "express",
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    templateVariables: {},
    path: "express-instance",
    requestSchema: "models/instance-request.schema.json",
    resources: [DEMO_INSTANCE],
    // The errors its Fail states raise (templates/state-machines/express.asl.json.tftpl).
    errors: {
      "Request.InvalidAction": 400,
      "Instance.NotFound": 404,
      "Instance.Terminated": 409,
      "Instance.IncorrectState": 409,
      "Ec2.Unavailable": 503,
    },
  },
  {
    name: "standard",
    type: "STANDARD",
    templateFile: "state-machines/standard.asl.json.tftpl",
    // As long as API Gateway's default integration timeout (29 s): with the EC2 calls after it, longer than a synchronous call may wait.
    templateVariables: { wait_seconds: 29 },
    path: "standard-instance",
    requestSchema: "models/instance-request.schema.json",
    statusPath: "executions",
    resources: [DEMO_INSTANCE],
  },
];

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const PATH = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
/** The fields a workflow may have: every field of WorkflowSpec (the compiler checks both ways). */
const KEYS = [
  "name",
  "type",
  "templateFile",
  "templateVariables",
  "path",
  "requestSchema",
  "statusPath",
  "resources",
  "errors",
  "authorization",
  "authorizationScopes",
] as const satisfies readonly (keyof WorkflowSpec)[];
type UnlistedField = Exclude<keyof WorkflowSpec, (typeof KEYS)[number]>;
const EVERY_FIELD_LISTED: [UnlistedField] extends [never] ? true : never = true;
void EVERY_FIELD_LISTED;
const KNOWN: readonly string[] = KEYS;

/**
 * A file a workflow names, resolved against the templates folder: it must lie inside that folder
 * (no absolute path or ".." leading elsewhere) and exist. Returns the absolute path, or a problem;
 * the file is never read here.
 */
function templatesFile(templatesDir: string, file: unknown, field: string, what: string): { file?: string; problem?: string } {
  const folder = displayFolder(templatesDir);
  if (typeof file !== "string" || file === "") return { problem: `"${field}" must name ${what}` };
  const absolute = path.resolve(templatesDir, file);
  const inside = path.relative(templatesDir, absolute);
  if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) {
    return { problem: `"${field}" must name a file inside ${folder} (the templatesDir setting), got ${JSON.stringify(file)}` };
  }
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
    return { problem: `"${field}": ${what} ${file} not found in ${folder}` };
  }
  return { file: absolute };
}

/** A folder as messages show it: relative to the working directory when inside it. */
function displayFolder(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? `${relative}/` : `${dir}/`;
}

/**
 * The problems of a workflow's own authorization fields (`authorization`, `authorizationScopes`),
 * each a line without the workflow's label; which of them the API's settings allow is a rule
 * between settings (workflow-api-rules.ts workflowAuthorizationRules).
 */
export function authorizationFieldProblems(w: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (w.authorization !== undefined && !AUTHORIZATIONS.includes(w.authorization as Authorization)) {
    problems.push(
      `"authorization" must be one of ${AUTHORIZATIONS.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(w.authorization)}`,
    );
  }
  const scopes = w.authorizationScopes;
  if (scopes !== undefined) {
    const pattern = "pattern" in OAUTH_SCOPES ? new RegExp(OAUTH_SCOPES.pattern) : /^$/;
    if (
      !Array.isArray(scopes) ||
      scopes.length === 0 ||
      scopes.some((scope) => typeof scope !== "string" || scope === "" || scope.includes(",") || !pattern.test(scope))
    ) {
      problems.push('"authorizationScopes" must be a non-empty list of OAuth scopes (letters, digits and "._~:/+-", e.g. "orders/read")');
    } else if (w.authorization !== undefined && w.authorization !== "COGNITO_USER_POOLS") {
      problems.push('"authorizationScopes" is only for routes whose authorization is "COGNITO_USER_POOLS"');
    }
  }
  return problems;
}

/**
 * Validates a list of workflows from configuration; every problem is reported at once, each
 * naming the workflow and the field. Files are resolved against, and confined to, `templatesDir`.
 */
export function parseWorkflows(value: unknown, source: string, templatesDir: string): WorkflowConfig[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${source}: "workflows" must be a non-empty list of workflows`);
  }
  const problems: string[] = [];
  const workflows: WorkflowConfig[] = [];
  const names = new Map<string, number>();
  const paths = new Map<string, string>();
  value.forEach((entry, index) => {
    const where = `${source} workflows[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    const w = entry as Record<string, unknown>;
    const label = typeof w.name === "string" ? `${where} ("${w.name}")` : where;
    for (const key of Object.keys(w))
      if (!KNOWN.includes(key)) problems.push(`${label}: unknown field "${key}" (known: ${KEYS.join(", ")})`);
    if (typeof w.name !== "string" || !NAME.test(w.name)) {
      problems.push(`${label}: "name" must start with a lower-case letter and hold up to 31 lower-case letters, digits or hyphens`);
    } else if (names.has(w.name)) {
      problems.push(`${label}: the name "${w.name}" is already used by workflows[${names.get(w.name)}]`);
    } else names.set(w.name, index);
    if (!WORKFLOW_TYPES.includes(w.type as WorkflowConfig["type"])) {
      problems.push(`${label}: "type" must be "EXPRESS" or "STANDARD", got ${JSON.stringify(w.type)}`);
    }
    const template = templatesFile(templatesDir, w.templateFile, "templateFile", "template file");
    if (template.problem) problems.push(`${label}: ${template.problem}`);
    const schema = w.requestSchema === undefined ? {} : templatesFile(templatesDir, w.requestSchema, "requestSchema", "request schema");
    if (schema.problem) problems.push(`${label}: ${schema.problem}`);
    const variables = w.templateVariables ?? {};
    if (
      typeof variables !== "object" ||
      variables === null ||
      Array.isArray(variables) ||
      Object.values(variables).some((v) => typeof v !== "string" && typeof v !== "number")
    ) {
      problems.push(`${label}: "templateVariables" must be an object of strings and numbers`);
    }
    let pathsValid = WORKFLOW_TYPES.includes(w.type as WorkflowConfig["type"]);
    if (typeof w.path !== "string" || !PATH.test(w.path)) {
      pathsValid = false;
      problems.push(
        `${label}: "path" must be segments of letters, digits, ".", "_", "~" or "-" separated by "/", got ${JSON.stringify(w.path)}`,
      );
    }
    const statusProblem = statusPathProblem(w.type as WorkflowConfig["type"], w.statusPath as string | undefined);
    if (statusProblem) {
      pathsValid = false;
      problems.push(`${label}: ${statusProblem}`);
    } else if (w.statusPath !== undefined && (typeof w.statusPath !== "string" || !PATH.test(w.statusPath))) {
      pathsValid = false;
      problems.push(`${label}: "statusPath" is not a valid path`);
    }
    // The paths of the workflow's routes, from the table of its type's routes (lang/workflow-routes.ts).
    const routePaths = pathsValid
      ? WORKFLOW_ROUTES[w.type as WorkflowConfig["type"]].map((kind) => kind.path(w as { path: string; statusPath?: string }))
      : [];
    for (const routePath of routePaths) {
      const owner = paths.get(routePath);
      if (owner !== undefined) problems.push(`${label}: the route path "${routePath}" is already used by ${owner}`);
      else paths.set(routePath, label);
    }
    for (const problem of errorStatusesProblems(String(w.type), w.errors)) problems.push(`${label}: ${problem}`);
    for (const problem of authorizationFieldProblems(w)) problems.push(`${label}: ${problem}`);
    const resources = w.resources ?? [];
    if (!Array.isArray(resources) || resources.some((r) => typeof r !== "string" || (r !== DEMO_INSTANCE && !ARN.test(r)))) {
      problems.push(`${label}: "resources" must be a list of ARNs or "${DEMO_INSTANCE}"`);
    }
    workflows.push({
      name: w.name as string,
      type: w.type as WorkflowConfig["type"],
      templateFile: w.templateFile as string,
      templateVariables: variables as Record<string, TemplateValue>,
      path: w.path as string,
      requestSchema: w.requestSchema as string | undefined,
      statusPath: w.statusPath as string | undefined,
      resources: resources as string[],
      ...(w.errors === undefined ? {} : { errors: { ...(w.errors as Record<string, number>) } }),
      ...(w.authorization === undefined ? {} : { authorization: w.authorization as Authorization }),
      ...(w.authorizationScopes === undefined ? {} : { authorizationScopes: [...(w.authorizationScopes as string[])] }),
    });
  });
  if (problems.length > 0) throw new Error(`invalid workflows:\n  - ${problems.join("\n  - ")}`);
  return workflows;
}
