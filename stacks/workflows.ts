/**
 * The workflows the stack deploys, each with the route that starts it. The defaults are the
 * article's two: the same instance toggle run synchronously (EXPRESS) and asynchronously after a
 * 29-second wait (STANDARD).
 */
import { WorkflowType } from "./constructs/state-machine";
import { TemplateValue } from "./terraform-template";

export interface WorkflowConfig {
  /** Short name: suffix of the state machine name, prefix of the outputs. */
  readonly name: string;
  readonly type: WorkflowType;
  /** ASL template, relative to `templates/`. */
  readonly templateFile: string;
  /** Values of the template's variables: exactly those it uses. */
  readonly templateVariables: Readonly<Record<string, TemplateValue>>;
  /** Path of the POST route that starts the workflow. */
  readonly path: string;
  /** JSON schema (draft 4) of the request body, relative to `templates/`: a body that does not match answers 400. */
  readonly requestSchema?: string;
  /** STANDARD only: path of the GET route that reads an execution ("executions" serves GET /executions/{name}). */
  readonly statusPath?: string;
}

export const DEFAULT_WORKFLOWS: readonly WorkflowConfig[] = [
  {
    name: "express",
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    templateVariables: {},
    path: "express-instance",
    requestSchema: "models/instance-request.schema.json",
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
  },
];
