import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import { WORKFLOW_ROUTES, routeMethodOf } from "../lang/workflow-routes";
import type { AppConfig } from "./config";
import { workflowApiProps } from "./apigw-sfn-stack";
import { DEMO_INSTANCE, WorkflowApi } from "./constructs/workflow-api";
import { ModuleInputs } from "./module-inputs";
import { moduleReadme } from "./module-readme";
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
 * from the caller's provider. Its folder holds a README.md written from the synthesized
 * configuration (module-readme.ts), as terraform-docs would write it.
 */
export class ApigwSfnModuleStack extends NamedStack {
  public readonly api: WorkflowApi;
  private readonly requirements: ModuleRequirements;
  private readonly config: AppConfig;

  constructor(scope: Construct, id: string, props: ApigwSfnModuleStackProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
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
    // The configuration with the settings the caller sets replaced by their variables (ModuleInputs).
    const shared = workflowApiProps({ ...config, ...inputs.settings });
    this.api = new WorkflowApi(this, "Default", {
      ...shared,
      // The module's settings are Terraform variables (its authorization among them), which an
      // OpenAPI body cannot branch on: the module is defined by resources (docs/module.md).
      apiDefinition: "resources",
      region: inputs.region,
      partition: inputs.partition,
      accountId: inputs.accountId,
      instance: { ...shared.instance, create: inputs.createDemoInstance, existingInstanceArns: inputs.instanceArns },
      tags: inputs.tags,
    });
  }

  /** Writes README.md: the module's interface, read from the configuration just written. */
  // biome-ignore lint/suspicious/noExplicitAny: the configuration is cdk.tf.json as Terraform reads it, untyped
  public afterSynth(stackDir: string, configuration: () => Record<string, any>): void {
    // Each workflow's routes, from the table of its kind (lang/workflow-routes.ts).
    const routes = this.config.workflows.map((workflow) => {
      const list = WORKFLOW_ROUTES[workflow.type].map(
        (kind) => `\`${routeMethodOf(kind, workflow)} /${kind.path(workflow)}\` (${kind.answers})`,
      );
      return `| \`${workflow.name}\` | ${workflow.type} | ${list.join(", ")} |`;
    });
    const readme = moduleReadme(configuration(), {
      title: this.node.id,
      generatedBy: "Written by `npm run synth:module` from this folder's configuration; synth overwrites it.",
      description: [
        "An API Gateway REST API whose routes start AWS Step Functions workflows, as a Terraform module:",
        "the state machines with least-privilege roles and logs, the demo EC2 instance they act on, the",
        "stage, and an API key when asked. It configures no provider and no backend (your provider's",
        "region, credentials and `default_tags`, and your state, apply), and reads its assets from",
        "`path.module`: copy the folder anywhere.",
        "",
        "Its workflows were fixed when it was synthesized:",
        "",
        "| Workflow | Type | Routes |",
        "| --- | --- | --- |",
        ...routes,
      ].join("\n"),
      moduleName: "apigw_sfn",
      source: `./${this.node.id}`,
      usageInputs: ["project_name", "stage_name", "authorization", "tags"],
      usageOutput: "api_url",
      notes: [
        '`authorization = "AWS_IAM"` means SigV4-signed requests; `"API_KEY"` creates a key and a usage',
        "plan (`terraform output -raw` of the `api_key_value` output gives the key);",
        '`"COGNITO_USER_POOLS"` a Cognito authorizer of `cognito_user_pool_arns`, `"CUSTOM"` a Lambda',
        "authorizer of `authorizer_function_arn` that API Gateway may invoke. `tags` reach every",
        "taggable resource the module creates.",
      ].join("\n"),
    });
    fs.writeFileSync(path.join(stackDir, "README.md"), readme);
  }

  protected terraformAttributes(): Readonly<Record<string, string>> {
    return { required_version: this.requirements.terraformVersion };
  }
}
