import { Construct, Node } from "constructs";
import {
  CloudBackend,
  Fn,
  LocalBackend,
  NamedCloudWorkspace,
  Op,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
} from "cdktf";
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
import { ModuleInputs } from "./constructs/module-inputs";
import { ModuleRequirements } from "./constructs/module-requirements";
import { countIf } from "./counted";
import { mendHcl } from "./hcl-output";
import { StackInputs, rootInputs } from "./stack-inputs";
import { DEMO_INSTANCE, WorkflowConfig } from "./workflows";

export interface ApigwSfnStackProps {
  readonly config: AppConfig;
  /** The workflows and their routes. @default config.workflows */
  readonly workflows?: readonly WorkflowConfig[];
  /** Mapping template files for every route. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: WorkflowMappingTemplates;
  /**
   * Synthesize a reusable Terraform module instead of a root configuration: no provider
   * configuration, no backend, a provider version range, and input variables (ModuleInputs) for
   * what a caller sets; the region, partition and account come from the caller's provider.
   * @default false
   */
  readonly module?: boolean;
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
  private readonly requirements?: ModuleRequirements;

  constructor(scope: Construct, id: string, props: ApigwSfnStackProps) {
    super(scope, id);
    const { config } = props;
    const workflows = props.workflows ?? config.workflows;
    const usesInstance = workflows.some((workflow) => workflow.resources.includes(DEMO_INSTANCE));
    let inputs: StackInputs;
    if (props.module) {
      this.requirements = new ModuleRequirements(this, "Requirements");
      const suffixes = [...workflows.map((w) => `-${w.name}-sfn`), "-apigw-sfn", ...(config.manageApiGatewayAccount ? ["-apigw-cloudwatch"] : [])];
      inputs = new ModuleInputs(this, "Inputs", {
        config,
        usesInstance,
        longestRoleSuffix: Math.max(...suffixes.map((suffix) => suffix.length)),
      });
    } else {
      inputs = rootInputs(config);
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
    }
    const { projectName, throttling } = inputs;

    if (usesInstance) {
      this.instance = new DemoInstance(this, "DemoInstance", {
        name: `${projectName}-demo`,
        instanceType: inputs.instanceType,
        count: props.module ? countIf(inputs.createDemoInstance) : undefined,
      });
    }
    // What "demo-instance" in a workflow's resources stands for: the demo instance, if created,
    // and the module caller's existing instances.
    const instanceArns = props.module
      ? Token.asList(Fn.concat([this.instance?.instanceArns ?? [], inputs.instanceArns]))
      : (this.instance?.instanceArns ?? []);
    const resourcesOf = (workflow: WorkflowConfig): string[] => {
      const parts = workflow.resources.map((resource) => (resource === DEMO_INSTANCE ? instanceArns : [resource]));
      if (!props.module || !workflow.resources.includes(DEMO_INSTANCE)) return parts.flat();
      return parts.length === 1 ? parts[0] : Token.asList(Fn.concat(parts));
    };
    this.api = new RestApi(this, "Api", {
      name: `${projectName}-api`,
      description: "Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD",
    });
    const role = new IntegrationRole(this, "IntegrationRole", { name: `${projectName}-apigw-sfn` });

    this.endpoints = workflows.map(
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
          role,
          region: inputs.region,
          partition: inputs.partition,
          authorization: inputs.authorization,
          logging: {
            level: workflow.type === "EXPRESS" ? config.expressLogLevel : config.standardLogLevel,
            includeExecutionData: config.logExecutionData,
            retentionDays: inputs.logRetentionDays,
          },
          tracing: config.tracing,
          mappingTemplates: props.mappingTemplates,
        }),
    );
    const gatewayResponses = new GatewayResponses(this, "GatewayResponses", { api: this.api });

    const account = config.manageApiGatewayAccount
      ? new ApiGatewayAccount(this, "ApiGatewayAccount", { roleName: `${projectName}-apigw-cloudwatch` })
      : undefined;
    this.stage = new ApiStage(this, "Stage", {
      api: this.api,
      parts: [this.api, ...this.endpoints.flatMap((endpoint) => endpoint.routes), gatewayResponses],
      stageName: inputs.stageName,
      tracing: config.tracing,
      throttling,
      accessLogRetentionDays: config.accessLogs ? inputs.logRetentionDays : undefined,
      accessLogGroupName: `/aws/apigateway/${projectName}-${inputs.stageName}`,
      dependsOn: account ? [account.account] : undefined,
    });
    // The module decides at plan time, from its authorization variable, whether the key exists.
    const apiKey =
      props.module || config.authorization === "API_KEY"
        ? new ApiKeyAccess(this, "ApiKey", {
            api: this.api,
            stage: this.stage,
            name: `${projectName}-client`,
            throttling,
            count: props.module ? countIf(Op.eq(inputs.authorization, "API_KEY")) : undefined,
          })
        : undefined;

    new TerraformOutput(this, "rest_api_id", {
      value: this.api.apiId,
      description: "ID of the REST API (for custom domains, WAF or further routes)",
    });
    new TerraformOutput(this, "stage_name", {
      value: this.stage.stage.stageName,
      description: "Name of the API's stage",
    });
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
        description: `ID of the demo EC2 instance: send it as instance_id${props.module ? " (null when create_demo_instance is false)" : ""}`,
      });
    }
    if (apiKey) {
      new TerraformOutput(this, "api_key_id", {
        value: apiKey.keyId,
        description: `ID of the API key${props.module ? " (null unless authorization is API_KEY)" : ""}; its value: terraform output -raw api_key_value`,
      });
      new TerraformOutput(this, "api_key_value", {
        value: apiKey.keyValue,
        sensitive: true,
        description: "Send it as the x-api-key header",
      });
    }
  }

  /** The HCL output (`cdktf synth --hcl`), mended where cdktf 0.21 writes it wrong (see hcl-output.ts). */
  public toHclTerraform(): ReturnType<TerraformStack["toHclTerraform"]> {
    const result = super.toHclTerraform();
    const attributes: Record<string, string> = this.requirements ? { required_version: this.requirements.terraformVersion } : {};
    return { ...result, hcl: mendHcl(result.hcl, attributes) };
  }

  /**
   * Readable, stable Terraform names: the construct path below the stack in snake_case, without
   * the conventional "Resource" leaf (e.g. express_state_machine, api). Tests, `terraform state`
   * commands and Terraform users reading the output rely on them, so a clash is an error.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = element instanceof TerraformElement ? element.node : element;
    // Input variables are the module's interface: named exactly as their construct id.
    if (element instanceof TerraformVariable) return this.claimLogicalId("variable", node.id, node.path);
    const parts = node.scopes.slice(node.scopes.indexOf(this) + 1).map((scope) => scope.node.id);
    if (parts.length > 1 && parts[parts.length - 1] === "Resource") parts.pop();
    const id = parts
      .map((part) => (part === part.toUpperCase() ? part : part.replace(/([a-z0-9])([A-Z])/g, "$1_$2")))
      .map((part) => part.replace(/[^A-Za-z0-9_]+/g, "_").toLowerCase())
      .join("_")
      .replace(/_+/g, "_")
      .replace(/^_|_$/g, "");
    return this.claimLogicalId(element instanceof TerraformOutput ? "output" : "resource", id, node.path);
  }

  /** Registers a name; outputs, variables and resources have a namespace each, as in Terraform. */
  private claimLogicalId(kind: string, id: string, path: string): string {
    const owner = this.logicalIds.get(`${kind} ${id}`);
    if (owner !== undefined && owner !== path) {
      throw new Error(`two resources would share the Terraform name "${id}": ${owner} and ${path}`);
    }
    this.logicalIds.set(`${kind} ${id}`, path);
    return id;
  }
}
