import * as fs from "node:fs";
import * as path from "node:path";
import type { Construct } from "constructs";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, TerraformOutput } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { partitionOf } from "../lang/aws";
import type { AppConfig } from "./config";
import { listOf } from "./constructs/edge";
import type { StepFunctionsMappingTemplates } from "./constructs/step-functions-integration";
import { WorkflowApi, type WorkflowApiProps } from "./constructs/workflow-api";
import { NamedStack } from "./named-stack";

export interface ApigwSfnStackProps {
  readonly config: AppConfig;
  /** Mapping template files for every route. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: StepFunctionsMappingTemplates;
}

/** The WorkflowApi props every output of the app shares, from the configuration. */
export function workflowApiProps(config: AppConfig): Omit<WorkflowApiProps, "region"> {
  return {
    projectName: config.projectName,
    // parseWorkflows confined the files to the templates folder; the constructs get absolute paths.
    workflows: config.workflows.map((workflow) => ({
      ...workflow,
      templateFile: path.resolve(config.templatesDir, workflow.templateFile),
      requestSchema: workflow.requestSchema && path.resolve(config.templatesDir, workflow.requestSchema),
    })),
    stageName: config.stageName,
    authorization: config.authorization,
    instance: { instanceType: config.instanceType, subnetId: config.instanceSubnetId, ssmInstanceProfile: config.instanceSsm },
    logging: {
      expressLevel: config.expressLogLevel,
      standardLevel: config.standardLogLevel,
      includeExecutionData: config.logExecutionData,
      retentionDays: config.logRetentionDays,
    },
    tracing: config.tracing,
    throttling: { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit },
    integrationTimeoutMs: config.integrationTimeoutMs,
    accessLogs: config.accessLogs,
    methodLoggingLevel: config.methodLoggingLevel,
    manageApiGatewayAccount: config.manageApiGatewayAccount,
    allowUnauthenticated: config.allowUnauthenticated,
    encryption: { createKey: config.createKmsKey, kmsKeyArn: config.kmsKeyArn },
    managedPoliciesPerRole: config.managedPoliciesPerRole,
    apiGatewayTrustConditions: config.apiGatewayTrustConditions,
    webAclArn: config.wafWebAclArn || undefined,
    customDomain: config.customDomainName
      ? { domainName: config.customDomainName, certificateArn: config.certificateArn, basePath: config.customDomainBasePath }
      : undefined,
    disableExecuteApiEndpoint: config.disableExecuteApiEndpoint,
    apiDefinition: config.apiDefinition,
    maxApiResources: config.maxApiResources,
    maxIamRoles: config.maxIamRoles,
    maxResourcePolicyLength: config.maxResourcePolicyLength,
    resourcePolicy:
      config.allowedSourceAccounts || config.allowedVpcEndpoints
        ? { sourceAccounts: listOf(config.allowedSourceAccounts), vpcEndpointIds: listOf(config.allowedVpcEndpoints) }
        : undefined,
  };
}

/**
 * The root configuration `cdktf deploy` applies: the AWS provider for the configured region, a
 * backend (local state, or a Terraform Cloud workspace), and the {@link WorkflowApi} built from
 * the configuration's values.
 */
export class ApigwSfnStack extends NamedStack {
  public readonly api: WorkflowApi;

  constructor(scope: Construct, id: string, props: ApigwSfnStackProps) {
    super(scope, id);
    const { config } = props;
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
    this.api = new WorkflowApi(this, "Default", {
      ...workflowApiProps(config),
      region: config.region,
      partition: partitionOf(config.region),
      mappingTemplates: props.mappingTemplates,
    });
    new TerraformOutput(this.api, "openapi_server_url", {
      value: this.api.baseUrl,
      description: `The server URL of ${CLIENT_OPENAPI_FILE}, the clients' OpenAPI document written beside this configuration`,
    });
  }

  /** The clients' OpenAPI document beside the configuration (docs/api.md, "OpenAPI document"). */
  public afterSynth(stackDir: string): void {
    fs.writeFileSync(path.join(stackDir, CLIENT_OPENAPI_FILE), this.api.clientOpenApiDocument());
  }
}

/** The file of the clients' OpenAPI document, in the stack's folder. */
export const CLIENT_OPENAPI_FILE = "openapi.json";
