/**
 * `npm run docs`: the one command that refreshes every generated page: docs/workflows.md (the
 * diagrams of the checkout's workflows, scripts/diagrams.ts) and docs/configuration.md.
 * `npm run docs -- --check` writes nothing and exits 1 while a page is out of date.
 *
 * docs/configuration.md is written from the code that defines the configuration, so the
 * page cannot drift from it: the SETTINGS table of stacks/config.ts (key, environment variable,
 * type, default, the constraint's message, module variable, description), the rules between
 * settings, the routes of each workflow type (lang/workflow-routes.ts) and the fields of a workflow
 * (their declarations, WORKFLOW_FIELDS of stacks/workflow-fields.ts: type, default, meaning), with
 * the default workflows.
 *
 * Tests (__tests__/scripts/docs.test.ts, __tests__/local/diagrams.test.ts) regenerate the pages in
 * memory with the same functions and fail while a committed file differs.
 */
import * as path from "node:path";
import { constraintMessage } from "../lang/constraints";
import { ruleProblem } from "../lang/rules";
import { WORKFLOW_ROUTES } from "../lang/workflow-routes";
import { SETTINGS, terraformName } from "../stacks/config";
import { WORKFLOW_API_RULES } from "../stacks/constructs/workflow-api-rules";
import { WORKFLOW_FIELD_LIST } from "../stacks/workflow-fields";
import { DEFAULT_WORKFLOWS } from "../stacks/workflows";
import { WORKFLOWS_DOC, refreshPages, workflowsDoc } from "./diagrams";

const ROOT = path.resolve(__dirname, "..");
export const CONFIGURATION_DOC = path.join(ROOT, "docs", "configuration.md");

type Setting = (typeof SETTINGS)[number];

/** Text safe inside a Markdown table cell (a "|" would end the cell). */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Prose safe inside a table cell: "<path>" would be read as an HTML tag. */
function prose(text: string): string {
  return cell(text).replace(/</g, "&lt;");
}

/** Inline code, safe inside a table cell. */
function code(text: string): string {
  return `\`${cell(text)}\``;
}

/** A @default value: code when it is a JSON value (`{}`, `"<path>/executions"`), else prose ("no validation"). */
function defaultText(value: string): string {
  try {
    JSON.parse(value);
    return code(value);
  } catch {
    return prose(value);
  }
}

/** What a setting accepts: its constraint in the words synth uses for a value that breaks it. */
function rule(setting: Setting): string {
  const { constraint } = setting;
  if (!constraint) return { string: "any text", integer: "any whole number", boolean: "`true` or `false`" }[setting.kind];
  const message = prose(constraintMessage(constraint));
  return "pattern" in constraint ? `${code(constraint.pattern)}: ${message}` : message;
}

function settingsTable(settings: readonly Setting[]): string[] {
  return [
    "| setting (`cdktf.json` context) | environment variable | type | default | rule (what synth says of a bad value) | module variable | meaning |",
    "|---|---|---|---|---|---|---|",
    ...settings.map((s) =>
      [
        "",
        code(s.key),
        code(s.env),
        { string: "string", integer: "whole number", boolean: "boolean" }[s.kind],
        code(String(s.default)),
        rule(s),
        s.module
          ? `${code(terraformName(s.key))}${s.module.onlyWithInstance ? " (with the demo instance)" : ""}${s.module.onlyWhen ? ` (${s.module.onlyWhen.description})` : ""}`
          : "–",
        prose(s.description),
        "",
      ]
        .join(" | ")
        .trim(),
    ),
  ];
}

/** The rules between settings, as synth words them. */
function rulesList(): string[] {
  return WORKFLOW_API_RULES.map((r) => `- ${ruleProblem(r, (fact) => code(fact))}.`);
}

/** The routes of each workflow type, from lang/workflow-routes.ts. */
function routesTable(): string[] {
  const rows = Object.entries(WORKFLOW_ROUTES).flatMap(([type, kinds]) =>
    kinds.map((kind) => {
      const statuses = [...kind.responseStatuses, ...(kind.workflowErrors ? ["the workflow's `errors`"] : [])];
      return [
        "",
        type,
        code(`${kind.methodFromWorkflow ? "<method>" : kind.method} /${kind.path({ path: "<path>", statusPath: "<statusPath>" })}`),
        code(kind.action),
        kind.successStatus,
        statuses.length ? statuses.join(", ") : "–",
        kind.responseHeaders.length ? kind.responseHeaders.map(code).join(", ") : "–",
        kind.validatesBody ? (kind.methodFromWorkflow ? "yes (POST)" : "yes") : "no",
        prose(kind.answers),
        code(`<name>${kind.output.suffix}`),
        "",
      ]
        .join(" | ")
        .trim();
    }),
  );
  return [
    "| type | route | Step Functions action | success | other statuses of the workflow | headers | body validated | answers | output |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ];
}

/** A field of a workflow, as its declaration (stacks/workflow-fields.ts) gives it. */
export interface Field {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly description: string;
  readonly defaultValue?: string;
}

/** The fields of a workflow, from their declarations (stacks/workflow-fields.ts). */
export function workflowFields(): Field[] {
  return WORKFLOW_FIELD_LIST.map((f) => ({
    name: f.name,
    type: f.type,
    optional: !f.required,
    description: f.description,
    ...(f.defaultText !== undefined ? { defaultValue: f.defaultText } : {}),
  }));
}

function fieldsTable(fields: readonly Field[]): string[] {
  return [
    "| field | type | required | default | meaning |",
    "|---|---|---|---|---|",
    ...fields.map((f) =>
      [
        "",
        code(f.name),
        code(f.type),
        f.optional || f.defaultValue !== undefined ? "no" : "yes",
        f.defaultValue !== undefined ? defaultText(f.defaultValue) : "–",
        prose(f.description),
        "",
      ]
        .join(" | ")
        .trim(),
    ),
  ];
}

/** The whole of docs/configuration.md. */
export function configurationMarkdown(settings: readonly Setting[] = SETTINGS, fields: readonly Field[] = workflowFields()): string {
  return [
    "# Configuration",
    "",
    "Generated by `npm run docs` from the settings' declarations in `stacks/config.ts`, the rules between",
    "them (`stacks/constructs/workflow-api-rules.ts`), the declarations of a workflow's fields",
    "(`stacks/workflow-fields.ts`) and the route table of `lang/workflow-routes.ts`. Do not edit:",
    "change those, then run `npm run docs`; a test fails while this file is out of date.",
    "",
    "## Settings",
    "",
    "Set a value in the `context` object of `cdktf.json`, or in the environment (the environment wins).",
    "Booleans are `true` or `false` and numbers whole numbers, in the environment as in `cdktf.json`.",
    "Every value is validated; a bad one stops synth with a message naming the setting and where the",
    "value came from, and nothing is written. The reusable module's input variables that stand for a",
    "setting are validated by the same rules, with the same messages ([module.md](module.md)).",
    "",
    ...settingsTable(settings),
    "",
    "Example: `APIGW_SFN_STAGE_NAME=prod APIGW_SFN_REGION=eu-west-1 npm run synth`.",
    "",
    "Settings that only make sense together are checked together: synth, `WorkflowApi` (naming its props)",
    "and the module's variable validations (naming its variables) apply the same rules",
    "(`stacks/constructs/workflow-api-rules.ts`):",
    "",
    ...rulesList(),
    "",
    "Also read from the environment: `APIGW_SFN_WORKFLOWS_FILE` (the workflows, below), and",
    "`TF_CLOUD_ORGANIZATION` with `TF_WORKSPACE` (and `TF_CLOUD_HOSTNAME` for Terraform Enterprise):",
    "both set, the stack carries a `cloud` block for that Terraform Cloud workspace instead of the local",
    "backend ([deploy.md](deploy.md#with-terraform-cloud)). `TF_WORKSPACE` alone (Terraform's own variable,",
    "which picks a workspace of any backend) keeps the local backend.",
    "",
    "## Workflows",
    "",
    "The set of workflows is configuration too: the `workflows` list in `cdktf.json` context, or a JSON",
    'file named by `APIGW_SFN_WORKFLOWS_FILE` (a list, or `{"workflows": [...]}`). The default is the',
    "article's two:",
    "",
    "```json",
    JSON.stringify({ workflows: DEFAULT_WORKFLOWS }, null, 2),
    "```",
    "",
    "Each workflow is an object with these fields:",
    "",
    ...fieldsTable(fields),
    "",
    "Its routes come from the table of its type (`lang/workflow-routes.ts`); `<method>`, `<path>` and `<statusPath>`",
    "are the workflow's fields (`method` defaults to POST, `statusPath` to `<path>/executions`). Step Functions' own errors",
    "answer 400, 404, 409, 429 or 502 on every route ([api.md](api.md)).",
    "",
    ...routesTable(),
    "",
    "Each workflow gets its state machine, execution role, log group, routes and outputs. Its role's",
    "actions are derived from its own ASL: a Task with `arn:aws:states:::aws-sdk:ec2:startInstances`",
    "needs `ec2:StartInstances`, granted only on those of the workflow's `resources` of its kind: its",
    "service's, of the resource type IAM expects (an S3 object action on `arn:aws:s3:::<bucket>/*`, a",
    "DynamoDB item action on `table/<name>`, an SQS action on a queue; [security.md](security.md)). Actions",
    "AWS cannot scope, such as `ec2:Describe*`, get `*` with a Sid saying so. Adding a template never",
    "means writing a policy. Duplicate names or route paths, unknown types or fields, missing templates",
    "or schemas, tasks whose action cannot be derived or that have no resources, an action none of the",
    "resources suits and a resource no action acts on stop synth with a message naming the workflow and",
    "the field (the state, the action and the ARN), and nothing is written.",
    "",
    "An EXPRESS workflow's `errors` decide the statuses of its route: SUCCEEDED answers 200, TIMED_OUT",
    "and `States.Timeout` 504, an error the map names its status, and any other failure 500 (the body",
    "has the error and cause: [api.md](api.md#your-own-workflows-statuses)). The route declares",
    "exactly these statuses, so a workflow that maps no 409 has no 409 method response. A name is what",
    "Step Functions reports (1 to 256 characters; a name beginning with `States.` must be one of Step",
    "Functions' predefined errors, and `States.Timeout` is always 504); a status is 400 to 599. A",
    "STANDARD workflow takes no `errors`: its POST route answers 202 before the execution ends, and its",
    "GET route 200 with the execution's status, error and cause.",
    "",
  ].join("\n");
}

/** Every generated page, as generated now. */
export function generatedPages(): { file: string; text: string }[] {
  return [
    { file: CONFIGURATION_DOC, text: configurationMarkdown() },
    { file: WORKFLOWS_DOC, text: workflowsDoc() },
  ];
}

function main(): void {
  const check = process.argv.includes("--check");
  if (!refreshPages(generatedPages(), check) && check) process.exitCode = 1;
}

if (require.main === module) main();
