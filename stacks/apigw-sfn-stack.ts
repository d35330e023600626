import { Construct, Node } from "constructs";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AppConfig } from "./config";
import { ApiGatewayAccount } from "./constructs/api-gateway-account";
import { ApiKeyAccess } from "./constructs/api-key-access";
import { ApiStage } from "./constructs/api-stage";
import { DemoInstance } from "./constructs/demo-instance";
import { GatewayResponses } from "./constructs/gateway-responses";
import { IntegrationRole } from "./constructs/integration-role";
import { RestApi } from "./constructs/rest-api";
import { WorkflowEndpoint, WorkflowMappingTemplates } from "./constructs/workflow-endpoint";
import { DEMO_INSTANCE, WorkflowConfig } from "./workflows";

export interface ApigwSfnStackProps {
  readonly config: AppConfig;
  /** The workflows and their routes. @default config.workflows */
  readonly workflows?: readonly WorkflowConfig[];
  /** Mapping template files for every route. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: WorkflowMappingTemplates;
}

/**
 * The article's architecture: a REST API whose POST routes start Step Functions workflows that
 * toggle a demo EC2 instance, EXPRESS synchronously and STANDARD asynchronously (with a GET route
 * to read the execution), secured and observable by default.
 */
export class ApigwSfnStack extends TerraformStack {
  /** The demo instance, when a workflow acts on it. */
  public readonly instance?: DemoInstance;
  public readonly api: RestApi;
  public readonly endpoints: readonly WorkflowEndpoint[];
  public readonly stage: ApiStage;
  private readonly logicalIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ApigwSfnStackProps) {
    super(scope, id);
    const { config } = props;
    const workflows = props.workflows ?? config.workflows;
    const throttling = { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit };

    if (config.cloud) {
      // Terraform Cloud holds the state and runs plans and applies (CLI-driven workflow).
      new CloudBackend(this, {
        organization: config.cloud.organization,
        workspaces: new NamedCloudWorkspace(config.cloud.workspace),
        hostname: config.cloud.hostname,
      });
    } else {
      // State lives next to the synthesized configuration, at a path that is the same on every machine.
      new LocalBackend(this, { path: "terraform.tfstate" });
    }
    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { Project: config.projectName, ManagedBy: "apigw-sfn" } }],
    });

    if (workflows.some((workflow) => workflow.resources.includes(DEMO_INSTANCE))) {
      this.instance = new DemoInstance(this, "DemoInstance", {
        name: `${config.projectName}-demo`,
        instanceType: config.instanceType,
      });
    }
    const instanceArn = this.instance?.instanceArn;
    this.api = new RestApi(this, "Api", {
      name: `${config.projectName}-api`,
      description: "Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD",
    });
    const role = new IntegrationRole(this, "IntegrationRole", { name: `${config.projectName}-apigw-sfn` });

    this.endpoints = workflows.map(
      (workflow) =>
        new WorkflowEndpoint(this, workflow.name, {
          stateMachineName: `${config.projectName}-${workflow.name}`,
          type: workflow.type,
          templateFile: workflow.templateFile,
          templateVariables: workflow.templateVariables,
          resources: workflow.resources.map((resource) => (resource === DEMO_INSTANCE ? instanceArn! : resource)),
          path: workflow.path,
          requestSchema: workflow.requestSchema,
          statusPath: workflow.statusPath,
          api: this.api,
          role,
          region: config.region,
          authorization: config.authorization,
          logging: {
            level: workflow.type === "EXPRESS" ? config.expressLogLevel : config.standardLogLevel,
            includeExecutionData: config.logExecutionData,
            retentionDays: config.logRetentionDays,
          },
          tracing: config.tracing,
          mappingTemplates: props.mappingTemplates,
        }),
    );
    const gatewayResponses = new GatewayResponses(this, "GatewayResponses", { api: this.api });

    const account = config.manageApiGatewayAccount
      ? new ApiGatewayAccount(this, "ApiGatewayAccount", { roleName: `${config.projectName}-apigw-cloudwatch` })
      : undefined;
    this.stage = new ApiStage(this, "Stage", {
      api: this.api,
      parts: [this.api, ...this.endpoints.flatMap((endpoint) => endpoint.routes), gatewayResponses],
      stageName: config.stageName,
      tracing: config.tracing,
      throttling,
      accessLogRetentionDays: config.accessLogs ? config.logRetentionDays : undefined,
      accessLogGroupName: `/aws/apigateway/${config.projectName}-${config.stageName}`,
      dependsOn: account ? [account.account] : undefined,
    });
    const apiKey =
      config.authorization === "API_KEY"
        ? new ApiKeyAccess(this, "ApiKey", { api: this.api, stage: this.stage, name: `${config.projectName}-client`, throttling })
        : undefined;

    new TerraformOutput(this, "api_url", {
      value: this.stage.invokeUrl,
      description: "Base URL of the API's stage",
    });
    for (const [index, endpoint] of this.endpoints.entries()) {
      const name = workflows[index].name;
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
        description: "ID of the demo EC2 instance: send it as instance_id",
      });
    }
    if (apiKey) {
      new TerraformOutput(this, "api_key_id", {
        value: apiKey.key.id,
        description: "ID of the API key; its value: terraform output -raw api_key_value",
      });
      new TerraformOutput(this, "api_key_value", {
        value: apiKey.key.value,
        sensitive: true,
        description: "Send it as the x-api-key header",
      });
    }
  }

  /**
   * Readable, stable Terraform names: the construct path below the stack in snake_case, without
   * the conventional "Resource" leaf (e.g. express_state_machine, api). Tests, `terraform state`
   * commands and Terraform users reading the output rely on them, so a clash is an error.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    if (parts.length > 1 && parts[parts.length - 1] === "Resource") parts.pop();
    const id = parts
      .map((part) => (part === part.toUpperCase() ? part : part.replace(/([a-z0-9])([A-Z])/g, "$1_$2")))
      .map((part) => part.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase())
      .join("_")
      .replace(/_+/g, "_")
      .replace(/^_|_$/g, "");
    const owner = this.logicalIds.get(id);
    if (owner !== undefined && owner !== node.path) {
      throw new Error(`two resources would share the Terraform name "${id}": ${owner} and ${node.path}`);
    }
    this.logicalIds.set(id, node.path);
    return id;
  }
}
