/**
 * The workflows the stack deploys, each with the routes that reach it. The defaults are the
 * article's two: the same instance toggle run synchronously (EXPRESS) and asynchronously after a
 * 29-second wait (STANDARD). A configuration may list others (cdktf.json context "workflows", or a
 * JSON file named by APIGW_SFN_WORKFLOWS_FILE); parseWorkflows validates it.
 */
import * as fs from "fs";
import * as path from "path";
import { WorkflowType } from "./constructs/state-machine";
import { TEMPLATES_DIR, TemplateValue } from "./terraform-template";

/** The demo instance's ARN, in a workflow's resources. */
export const DEMO_INSTANCE = "demo-instance";

export interface WorkflowConfig {
  /** Short name: suffix of the state machine name, prefix of the outputs and Terraform names. */
  readonly name: string;
  /** EXPRESS: the route waits for the result. STANDARD: the route answers 202 at once. */
  readonly type: WorkflowType;
  /** ASL template, relative to `templates/` (or absolute). */
  readonly templateFile: string;
  /** Values of the template's variables: exactly those it uses. @default {} */
  readonly templateVariables: Readonly<Record<string, TemplateValue>>;
  /** Path of the POST route that starts the workflow. */
  readonly path: string;
  /** JSON schema (draft 4) of the request body, relative to `templates/`: a body that does not match answers 400. @default no validation */
  readonly requestSchema?: string;
  /** STANDARD only: path of the GET route that reads an execution ("executions" serves GET /executions/{name}). @default "<path>/executions" */
  readonly statusPath?: string;
  /**
   * ARNs the workflow's tasks may act on ("demo-instance" for the demo EC2 instance). The IAM
   * actions come from the workflow's own ASL; these are their resources. @default []
   */
  readonly resources: readonly string[];
}

export const DEFAULT_WORKFLOWS: readonly WorkflowConfig[] = [
  {
    name: "express",
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    templateVariables: {},
    path: "express-instance",
    requestSchema: "models/instance-request.schema.json",
    resources: [DEMO_INSTANCE],
  },
  {
    name: "standard",
    type: "STANDARD",
    templateFile: "state-machines/standard.asl.json.tftpl",
    // Longer than API Gateway's 29-second integration timeout allows a synchronous call to wait.
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
const KEYS = ["name", "type", "templateFile", "templateVariables", "path", "requestSchema", "statusPath", "resources"];

/**
 * Validates a list of workflows from configuration; every problem is reported at once, each
 * naming the workflow and the field. Paths of files are resolved against `templates/`.
 */
export function parseWorkflows(value: unknown, source: string): WorkflowConfig[] {
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
    for (const key of Object.keys(w)) if (!KEYS.includes(key)) problems.push(`${label}: unknown field "${key}" (known: ${KEYS.join(", ")})`);
    if (typeof w.name !== "string" || !NAME.test(w.name)) {
      problems.push(`${label}: "name" must start with a lower-case letter and hold up to 31 lower-case letters, digits or hyphens`);
    } else if (names.has(w.name)) {
      problems.push(`${label}: the name "${w.name}" is already used by workflows[${names.get(w.name)}]`);
    } else names.set(w.name, index);
    if (w.type !== "EXPRESS" && w.type !== "STANDARD") {
      problems.push(`${label}: "type" must be "EXPRESS" or "STANDARD", got ${JSON.stringify(w.type)}`);
    }
    if (typeof w.templateFile !== "string") problems.push(`${label}: "templateFile" must name an ASL template file`);
    else if (!fs.existsSync(path.resolve(TEMPLATES_DIR, w.templateFile))) {
      problems.push(`${label}: template file ${w.templateFile} not found (relative paths start at templates/)`);
    }
    if (w.requestSchema !== undefined) {
      if (typeof w.requestSchema !== "string") problems.push(`${label}: "requestSchema" must name a JSON schema file`);
      else if (!fs.existsSync(path.resolve(TEMPLATES_DIR, w.requestSchema))) {
        problems.push(`${label}: request schema ${w.requestSchema} not found (relative paths start at templates/)`);
      }
    }
    const variables = w.templateVariables ?? {};
    if (typeof variables !== "object" || variables === null || Array.isArray(variables) ||
      Object.values(variables).some((v) => typeof v !== "string" && typeof v !== "number")) {
      problems.push(`${label}: "templateVariables" must be an object of strings and numbers`);
    }
    const routePaths: string[] = [];
    if (typeof w.path !== "string" || !PATH.test(w.path)) {
      problems.push(`${label}: "path" must be segments of letters, digits, ".", "_", "~" or "-" separated by "/", got ${JSON.stringify(w.path)}`);
    } else routePaths.push(w.path);
    if (w.statusPath !== undefined) {
      if (w.type !== "STANDARD") problems.push(`${label}: "statusPath" is only for STANDARD workflows (EXPRESS executions cannot be described)`);
      else if (typeof w.statusPath !== "string" || !PATH.test(w.statusPath)) problems.push(`${label}: "statusPath" is not a valid path`);
      else routePaths.push(`${w.statusPath}/{name}`);
    } else if (w.type === "STANDARD" && typeof w.path === "string") routePaths.push(`${w.path}/executions/{name}`);
    for (const routePath of routePaths) {
      const owner = paths.get(routePath);
      if (owner !== undefined) problems.push(`${label}: the route path "${routePath}" is already used by ${owner}`);
      else paths.set(routePath, label);
    }
    const resources = w.resources ?? [];
    if (!Array.isArray(resources) || resources.some((r) => typeof r !== "string" || (r !== DEMO_INSTANCE && !ARN.test(r)))) {
      problems.push(`${label}: "resources" must be a list of ARNs or "${DEMO_INSTANCE}"`);
    }
    workflows.push({
      name: w.name as string,
      type: w.type as WorkflowType,
      templateFile: w.templateFile as string,
      templateVariables: variables as Record<string, TemplateValue>,
      path: w.path as string,
      requestSchema: w.requestSchema as string | undefined,
      statusPath: w.statusPath as string | undefined,
      resources: resources as string[],
    });
  });
  if (problems.length > 0) throw new Error(`invalid workflows:\n  - ${problems.join("\n  - ")}`);
  return workflows;
}
