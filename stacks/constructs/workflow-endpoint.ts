import { Construct } from "constructs";
import { Authorization } from "../config";
import { PolicyStatement } from "../iam";
import { IntegrationRole } from "./integration-role";
import { RestApi } from "./rest-api";
import { StateMachine, WorkflowType } from "./state-machine";
import { RouteMappingTemplates, StepFunctionsRoute } from "./step-functions-route";
import { TemplateValue } from "../terraform-template";

export interface WorkflowEndpointProps {
  /** Name of the state machine. */
  readonly stateMachineName: string;
  /** EXPRESS: the route waits for the result (StartSyncExecution). STANDARD: the route answers at once (StartExecution). */
  readonly type: WorkflowType;
  /** ASL template file; a relative path is resolved against `templates/`. */
  readonly templateFile: string;
  /** Values of the template's variables. @default {} */
  readonly templateVariables?: Readonly<Record<string, TemplateValue>>;
  /** What the workflow's tasks may do. */
  readonly statements: readonly PolicyStatement[];
  /** Path part of the route, e.g. "express-instance". */
  readonly pathPart: string;
  readonly api: RestApi;
  readonly role: IntegrationRole;
  readonly region: string;
  /** @default "AWS_IAM" */
  readonly authorization?: Authorization;
  /** @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: RouteMappingTemplates;
}

/**
 * A workflow and the route that starts it: the unit this project is made of. Instantiate it once
 * per workflow; give every resulting route to the API's stage.
 */
export class WorkflowEndpoint extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly route: StepFunctionsRoute;

  constructor(scope: Construct, id: string, props: WorkflowEndpointProps) {
    super(scope, id);
    this.stateMachine = new StateMachine(this, "StateMachine", {
      name: props.stateMachineName,
      type: props.type,
      template: { file: props.templateFile, variables: props.templateVariables },
      statements: props.statements,
    });
    this.route = new StepFunctionsRoute(this, "Route", {
      api: props.api,
      pathPart: props.pathPart,
      stateMachine: this.stateMachine,
      role: props.role,
      region: props.region,
      authorization: props.authorization,
      mappingTemplates: props.mappingTemplates,
    });
  }
}
