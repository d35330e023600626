import { Construct } from "constructs";
import { Fn, IResolvable, Op, TerraformOutput, Token } from "cdktf";
import { TemplateValue } from "../../lang/terraform-template";
import { ApiGatewayAccount } from "./api-gateway-account";
import { ApiKeyAccess } from "./api-key-access";
import { ApiStage, Throttling } from "./api-stage";
import { countIf } from "./counted";
import { DemoInstance } from "./demo-instance";
import { GatewayResponses } from "./gateway-responses";
import { IntegrationRole } from "./integration-role";
import { RestApi } from "./rest-api";
import { Authorization } from "./route";
import { LogLevel, WorkflowType } from "./state-machine";
import { StepFunctionsMappingTemplates } from "./step-functions-integration";
import { Tags } from "./tags";
import { WorkflowEndpoint } from "./workflow-endpoint";

/** Stands for the demo instance's ARNs in a workflow's resources. */
export const DEMO_INSTANCE = "demo-instance";

/** One workflow and the routes that reach it. */
export interface WorkflowSpec {
  /** Short name: suffix of the state machine name, prefix of the outputs and Terraform names. */
  readonly name: string;
  /** EXPRESS: the route waits for the result. STANDARD: the route answers 202 at once. */
  readonly type: WorkflowType;
  /** ASL template file (`.tftpl`); a relative path starts at the templates folder (from configuration: the templatesDir setting, which it must lie inside). */
  readonly templateFile: string;
  /** Values of the template's variables: exactly those it uses. @default {} */
  readonly templateVariables?: Readonly<Record<string, TemplateValue>>;
  /** Path of the POST route that starts the workflow. */
  readonly path: string;
  /** JSON schema (draft 4) of the request body, a path like templateFile's: a body that does not match answers 400. @default no validation */
  readonly requestSchema?: string;
  /** STANDARD only: path of the GET route that reads an execution ("executions" serves GET /executions/{name}). @default "<path>/executions" */
  readonly statusPath?: string;
  /** ARNs the workflow's tasks may act on ("demo-instance" stands for the demo EC2 instance); the IAM actions come from the workflow's own ASL. @default [] */
  readonly resources?: readonly string[];
}

/** The EC2 instances the workflows act on. */
export interface InstanceOptions {
  /** EC2 instance type of the demo instance. @default "t3.nano" */
  readonly instanceType?: string;
  /** Whether to create the demo instance: a boolean, or a Terraform expression (the module's variable). @default true */
  readonly create?: boolean | IResolvable;
  /** ARNs of existing instances that DEMO_INSTANCE also stands for (a list, possibly a token). @default [] */
  readonly existingInstanceArns?: string[];
}

/** Logging of the state machines. */
export interface WorkflowLogging {
  /** @default "ALL" (an EXPRESS workflow's history exists only in its logs) */
  readonly expressLevel?: LogLevel;
  /** @default "ERROR" */
  readonly standardLevel?: LogLevel;
  /** @default true */
  readonly includeExecutionData?: boolean;
  /** Days CloudWatch keeps the workflows' and the access logs; may be a Terraform expression. @default 14 */
  readonly retentionDays?: number;
}

export interface WorkflowApiProps {
  /** Prefix of every resource name; may be a Terraform expression. */
  readonly projectName: string;
  /** The workflows and their routes (at least one). */
  readonly workflows: readonly WorkflowSpec[];
  /** AWS region of the Step Functions endpoint the integrations call; may be a Terraform expression. */
  readonly region: string;
  /** AWS partition of the ARNs. @default "aws" */
  readonly partition?: string;
  /** Stage name, the last part of the invoke URL. @default "v1" */
  readonly stageName?: string;
  /** How callers are authorized; a Terraform expression decides at plan time whether the API key exists. @default "AWS_IAM" */
  readonly authorization?: Authorization | string;
  /** The instances the workflows act on (when a workflow lists DEMO_INSTANCE). @default a new t3.nano */
  readonly instance?: InstanceOptions;
  /** @default see WorkflowLogging */
  readonly logging?: WorkflowLogging;
  /** X-Ray tracing of the state machines and the stage. @default true */
  readonly tracing?: boolean;
  /** Throttling of the stage and of API keys. @default 10 requests per second, bursts of 20 */
  readonly throttling?: Throttling;
  /** JSON access logs of the stage. @default false */
  readonly accessLogs?: boolean;
  /** Manage the account-level API Gateway CloudWatch role here (only with access logs). @default false */
  readonly manageApiGatewayAccount?: boolean;
  /** Mapping template files of the routes. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: StepFunctionsMappingTemplates;
  /**
   * Tags of every taggable resource (API, stage, state machines, roles, log groups, instance, API
   * key, usage plan); may be a Terraform expression (the module's var.tags). @default {}
   */
  readonly tags?: Tags;
}

/**
 * The article's architecture as one construct: a REST API whose POST routes start Step Functions
 * workflows (EXPRESS synchronously, STANDARD asynchronously with a GET route that reads an
 * execution), the state machines with least-privilege roles and logs, the demo EC2 instance they
 * act on, gateway responses, a stage redeployed whenever the API's behaviour changes, an API key
 * when asked, and the outputs a client needs. The root stack and the reusable module wrap it.
 */
export class WorkflowApi extends Construct {
  /** The demo instance, when a workflow acts on it. */
  public readonly instance?: DemoInstance;
  public readonly api: RestApi;
  public readonly role: IntegrationRole;
  public readonly endpoints: readonly WorkflowEndpoint[];
  public readonly stage: ApiStage;
  public readonly apiKey?: ApiKeyAccess;

  constructor(scope: Construct, id: string, props: WorkflowApiProps) {
    super(scope, id);
    if (props.workflows.length === 0) throw new Error("a workflow API needs at least one workflow");
    if (props.manageApiGatewayAccount && !props.accessLogs) throw new Error("manageApiGatewayAccount is only needed when accessLogs is true");
    const { projectName } = props;
    const stageName = props.stageName ?? "v1";
    const authorization = props.authorization ?? "AWS_IAM";
    const logging = props.logging ?? {};
    const retentionDays = logging.retentionDays ?? 14;
    const create = props.instance?.create ?? true;
    const tags = props.tags ?? {};

    if (props.workflows.some((workflow) => workflow.resources?.includes(DEMO_INSTANCE)) && create !== false) {
      this.instance = new DemoInstance(this, "DemoInstance", {
        name: `${projectName}-demo`,
        instanceType: props.instance?.instanceType,
        count: create === true ? undefined : countIf(create),
        tags,
      });
    }
    const existing = props.instance?.existingInstanceArns ?? [];
    // What DEMO_INSTANCE stands for: the demo instance, if created, and the existing instances. It
    // is a list whose length Terraform decides when either is decided at plan time.
    const decidedAtPlan = create !== true || existing.length > 0;
    const instanceArns = decidedAtPlan
      ? Token.asList(Fn.concat([this.instance?.instanceArns ?? [], existing]))
      : (this.instance?.instanceArns ?? []);
    const resourcesOf = (workflow: WorkflowSpec): string[] => {
      const parts = (workflow.resources ?? []).map((resource) => (resource === DEMO_INSTANCE ? instanceArns : [resource]));
      if (!decidedAtPlan || !workflow.resources?.includes(DEMO_INSTANCE)) return parts.flat();
      return parts.length === 1 ? parts[0] : Token.asList(Fn.concat(parts));
    };

    this.api = new RestApi(this, "Api", {
      name: `${projectName}-api`,
      description: "Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD",
      tags,
    });
    this.role = new IntegrationRole(this, "IntegrationRole", { name: `${projectName}-apigw-sfn`, tags });

    this.endpoints = props.workflows.map(
      (workflow) =>
        new WorkflowEndpoint(this, workflow.name, {
          stateMachineName: `${projectName}-${workflow.name}`,
          type: workflow.type,
          templateFile: workflow.templateFile,
          templateVariables: workflow.templateVariables,
          resources: resourcesOf(workflow),
          path: workflow.path,
          requestSchema: workflow.requestSchema,
          statusPath: workflow.statusPath,
          api: this.api,
          role: this.role,
          region: props.region,
          partition: props.partition,
          authorization,
          logging: {
            level: workflow.type === "EXPRESS" ? (logging.expressLevel ?? "ALL") : (logging.standardLevel ?? "ERROR"),
            includeExecutionData: logging.includeExecutionData,
            retentionDays,
          },
          tracing: props.tracing,
          mappingTemplates: props.mappingTemplates,
          tags,
        }),
    );
    const gatewayResponses = new GatewayResponses(this, "GatewayResponses", { api: this.api });

    const account = props.manageApiGatewayAccount
      ? new ApiGatewayAccount(this, "ApiGatewayAccount", { roleName: `${projectName}-apigw-cloudwatch`, tags })
      : undefined;
    this.stage = new ApiStage(this, "Stage", {
      api: this.api,
      parts: [this.api, ...this.endpoints.flatMap((endpoint) => endpoint.routes), gatewayResponses],
      stageName,
      tracing: props.tracing,
      throttling: props.throttling,
      accessLogRetentionDays: props.accessLogs ? retentionDays : undefined,
      accessLogGroupName: `/aws/apigateway/${projectName}-${stageName}`,
      dependsOn: account ? [account.account] : undefined,
      tags,
    });
    // A Terraform expression decides at plan time whether the key exists.
    const keyed = Token.isUnresolved(authorization);
    if (keyed || authorization === "API_KEY") {
      this.apiKey = new ApiKeyAccess(this, "ApiKey", {
        api: this.api,
        stage: this.stage,
        name: `${projectName}-client`,
        throttling: props.throttling ?? { rateLimit: 10, burstLimit: 20 },
        count: keyed ? countIf(Op.eq(authorization, "API_KEY")) : undefined,
        tags,
      });
    }
    this.addOutputs(props, create);
  }

  private addOutputs(props: WorkflowApiProps, create: boolean | IResolvable): void {
    new TerraformOutput(this, "rest_api_id", {
      value: this.api.apiId,
      description: "ID of the REST API (for custom domains, WAF or further routes)",
    });
    new TerraformOutput(this, "stage_name", { value: this.stage.stage.stageName, description: "Name of the API's stage" });
    new TerraformOutput(this, "api_url", { value: this.stage.invokeUrl, description: "Base URL of the API's stage" });
    for (const [index, endpoint] of this.endpoints.entries()) {
      const name = props.workflows[index].name;
      new TerraformOutput(this, `${name}_url`, {
        value: this.stage.urlOf(endpoint.startRoute.path),
        description: `POST here to ${endpoint.startRoute.action === "StartSyncExecution" ? "run" : "start"} the ${name} workflow`,
      });
      if (endpoint.statusRoute) {
        new TerraformOutput(this, `${name}_status_url`, {
          value: this.stage.urlOf(endpoint.statusRoute.path.replace("/{name}", "")),
          description: `GET <this URL>/<execution name> reads an execution of the ${name} workflow`,
        });
      }
      new TerraformOutput(this, `${name}_state_machine_arn`, {
        value: endpoint.stateMachine.arn,
        description: `ARN of the ${endpoint.stateMachine.type} state machine of the ${name} workflow`,
      });
      new TerraformOutput(this, `${name}_log_group`, {
        value: endpoint.stateMachine.logGroup.name,
        description: `CloudWatch log group of the ${name} workflow's executions`,
      });
    }
    if (this.instance) {
      new TerraformOutput(this, "instance_id", {
        value: this.instance.instanceId,
        description: `ID of the demo EC2 instance: send it as instance_id${create === true ? "" : " (null when the instance is not created)"}`,
      });
    }
    if (this.apiKey) {
      const conditional = Token.isUnresolved(props.authorization ?? "");
      new TerraformOutput(this, "api_key_id", {
        value: this.apiKey.keyId,
        description: `ID of the API key${conditional ? " (null unless authorization is API_KEY)" : ""}; its value: terraform output -raw api_key_value`,
      });
      new TerraformOutput(this, "api_key_value", { value: this.apiKey.keyValue, sensitive: true, description: "Send it as the x-api-key header" });
    }
  }
}
