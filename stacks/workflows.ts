/**
 * The workflows the stack deploys, each with the routes that reach it. The defaults are the
 * article's two: the same instance toggle run synchronously (EXPRESS) and asynchronously after a
 * 29-second wait (STANDARD). A configuration may list others (cdktf.json context "workflows", or a
 * JSON file named by APIGW_SFN_WORKFLOWS_FILE); parseWorkflows validates it.
 */
import type { TemplateValue } from "../lang/terraform-template";
import { WORKFLOW_ROUTES } from "../lang/workflow-routes";
import { DEMO_INSTANCE, type WorkflowSpec } from "./constructs/workflow-api";
import { WORKFLOW_FIELDS, WORKFLOW_FIELD_NAMES, type WorkflowField, type WorkflowFieldName } from "./workflow-fields";

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

/**
 * Validates a list of workflows from configuration; every problem is reported at once, each
 * naming the workflow and the field. Each field is checked by its declaration (workflow-fields.ts);
 * the rules between workflows (names and route paths used twice) are here. Files are resolved
 * against, and confined to, `templatesDir`.
 */
export function parseWorkflows(value: unknown, source: string, templatesDir: string): WorkflowConfig[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error(`${source}: "workflows" must be a non-empty list of workflows`);
  }
  const problems: string[] = [];
  const workflows: WorkflowConfig[] = [];
  const names = new Map<string, number>();
  const paths = new Map<string, string>();
  /** Each resource path with its parameters unnamed ("orders/{}"), and the path that first had it. */
  const shapes = new Map<string, { path: string; label: string }>();
  value.forEach((entry, index) => {
    const where = `${source} workflows[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: must be an object`);
      return;
    }
    const w = entry as Record<string, unknown>;
    const label = typeof w.name === "string" ? `${where} ("${w.name}")` : where;
    for (const key of Object.keys(w))
      if (!(WORKFLOW_FIELD_NAMES as readonly string[]).includes(key))
        problems.push(`${label}: unknown field "${key}" (known: ${WORKFLOW_FIELD_NAMES.join(", ")})`);
    const invalid = new Set<WorkflowFieldName>();
    const workflow: Record<string, unknown> = {};
    for (const name of WORKFLOW_FIELD_NAMES) {
      const field: WorkflowField = WORKFLOW_FIELDS[name];
      if (w[name] === undefined && !field.required) {
        if (field.defaultValue) workflow[name] = field.defaultValue();
        continue;
      }
      const found = field.problems(w[name], { templatesDir, workflow: w });
      if (found.length > 0) invalid.add(name);
      for (const problem of found) problems.push(`${label}: ${problem}`);
      workflow[name] = w[name];
    }
    if (!invalid.has("name")) {
      const first = names.get(w.name as string);
      if (first !== undefined) problems.push(`${label}: the name "${w.name}" is already used by workflows[${first}]`);
      else names.set(w.name as string, index);
    }
    // The paths of the workflow's routes, from the table of its type's routes (lang/workflow-routes.ts).
    const routePaths = (["type", "path", "statusPath"] as const).some((name) => invalid.has(name))
      ? []
      : WORKFLOW_ROUTES[w.type as WorkflowConfig["type"]].map((kind) => ({ path: kind.path(w as { path: string; statusPath?: string }) }));
    for (const route of routePaths) {
      const owner = paths.get(route.path);
      if (owner !== undefined) problems.push(`${label}: the route path "${route.path}" is already used by ${owner}`);
      else paths.set(route.path, label);
      // API Gateway has one resource per path: a parameter below a path has one name ("orders/{id}"
      // and "orders/{orderId}" cannot both be routes).
      const segments = route.path.split("/");
      segments.forEach((_, i) => {
        const prefix = segments.slice(0, i + 1).join("/");
        const shape = prefix.replace(/\{[^}]*\}/g, "{}");
        const other = shapes.get(shape);
        if (other === undefined) shapes.set(shape, { path: prefix, label });
        else if (other.path !== prefix && other.label !== label)
          problems.push(`${label}: the route path "${route.path}" names the parameter of "${other.path}" (${other.label}) differently`);
      });
    }
    workflows.push(workflow as unknown as WorkflowConfig);
  });
  if (problems.length > 0) throw new Error(`invalid workflows:\n  - ${problems.join("\n  - ")}`);
  return workflows;
}
