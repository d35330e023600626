import { Construct } from "constructs";
import { AppConfig } from "./config";
import { workflowApiProps } from "./apigw-sfn-stack";
import { DEMO_INSTANCE, WorkflowApi } from "./constructs/workflow-api";
import { ModuleInputs } from "./module-inputs";
import { ModuleRequirements } from "./module-requirements";
import { NamedStack } from "./named-stack";

export interface ApigwSfnModuleStackProps {
  /** The configuration the input variables' defaults come from. */
  readonly config: AppConfig;
}

/**
 * The same API as a reusable Terraform module for Terraform users' `module` blocks: no provider
 * configuration and no backend (the caller's apply), provider and Terraform version ranges, and
 * input variables (ModuleInputs) for what a caller sets; the region, partition and account come
 * from the caller's provider.
 */
export class ApigwSfnModuleStack extends NamedStack {
  public readonly api: WorkflowApi;
  private readonly requirements: ModuleRequirements;

  constructor(scope: Construct, id: string, props: ApigwSfnModuleStackProps) {
    super(scope, id);
    const { config } = props;
    const workflows = config.workflows;
    this.requirements = new ModuleRequirements(this, "Requirements");
    const suffixes = [
      ...workflows.map((w) => `-${w.name}-sfn`),
      "-apigw-sfn",
      ...(config.manageApiGatewayAccount ? ["-apigw-cloudwatch"] : []),
      ...(config.instanceSsm ? ["-demo-ssm"] : []),
    ];
    const inputs = new ModuleInputs(this, "Inputs", {
      config,
      usesInstance: workflows.some((workflow) => workflow.resources.includes(DEMO_INSTANCE)),
      longestRoleSuffix: Math.max(...suffixes.map((suffix) => suffix.length)),
    });
    const shared = workflowApiProps(config);
    this.api = new WorkflowApi(this, "Default", {
      ...shared,
      projectName: inputs.projectName,
      stageName: inputs.stageName,
      authorization: inputs.authorization,
      region: inputs.region,
      partition: inputs.partition,
      accountId: inputs.accountId,
      instance: {
        ...shared.instance,
        instanceType: inputs.instanceType,
        create: inputs.createDemoInstance,
        existingInstanceArns: inputs.instanceArns,
        subnetId: inputs.instanceSubnetId,
      },
      logging: { ...shared.logging, retentionDays: inputs.logRetentionDays, includeExecutionData: inputs.logExecutionData },
      methodLoggingLevel: inputs.methodLoggingLevel,
      webAclArn: inputs.wafWebAclArn,
      throttling: inputs.throttling,
    });
  }

  protected terraformAttributes(): Readonly<Record<string, string>> {
    return { required_version: this.requirements.terraformVersion };
  }
}
