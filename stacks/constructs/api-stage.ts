import { Construct } from "constructs";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { type ITerraformDependable, TerraformLocal, TerraformResource, Token } from "cdktf";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import { type DeploymentPart, type Fingerprint, addressOf, fingerprintExpression } from "./deployment-part";
import type { RestApi } from "./rest-api";
import { type Tags, resourceTags } from "./tags";

/** One JSON object per request; every value a string so the line is valid JSON whatever it holds. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  requestTime: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  user: "$context.identity.user",
  userAgent: "$context.identity.userAgent",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  errorMessage: "$context.error.message",
  integrationStatus: "$context.integration.status",
  integrationLatency: "$context.integration.latency",
  integrationError: "$context.integration.error",
  xrayTraceId: "$context.xrayTraceId",
});

/** What a stage name must be (the last part of the invoke URL). */
export const STAGE_NAME: Constraint = {
  pattern: "^[A-Za-z0-9_-]{1,128}$",
  problem: "must hold 1 to 128 letters, digits, hyphens or underscores",
};

/** Stage-wide throttling, also the API key's usage plan limits. */
export interface Throttling {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst of requests. */
  readonly burstLimit: number;
}
export const RATE_LIMIT: Constraint = { min: 1, max: 10000 };
/** The stage's (and the API key's) throttling when none is given: the one place of this default. */
export const DEFAULT_THROTTLING: Throttling = { rateLimit: 10, burstLimit: 20 };

/** API Gateway execution logging levels of a stage's methods. */
export type MethodLoggingLevel = "OFF" | "ERROR" | "INFO";
export const METHOD_LOGGING_LEVELS: readonly MethodLoggingLevel[] = ["OFF", "ERROR", "INFO"];
export const METHOD_LOGGING_LEVEL: Constraint = { oneOf: METHOD_LOGGING_LEVELS };
/** Execution logging level of the methods when none is given. */
export const DEFAULT_METHOD_LOGGING_LEVEL: MethodLoggingLevel = "ERROR";
export const BURST_LIMIT: Constraint = { min: 1, max: 5000 };

export interface ApiStageProps {
  readonly api: RestApi;
  /** Everything the deployment snapshots (routes, gateway responses, the API's models); a change to any redeploys. */
  readonly parts: readonly DeploymentPart[];
  /** Name of the stage, the last part of the invoke URL. */
  readonly stageName: string;
  /** X-Ray tracing of requests. @default true */
  readonly tracing?: boolean;
  /** Stage-wide throttling. @default 10 requests per second, bursts of 20 */
  readonly throttling?: Throttling;
  /**
   * JSON access logs to a log group of the stage's own, kept this many days. API Gateway writes
   * them with the account-level CloudWatch role, which must exist (see ApiGatewayAccount).
   * @default no access logs
   */
  readonly accessLogRetentionDays?: number;
  /** Log group name prefix for access logs. @default "/aws/apigateway/" + stage name */
  readonly accessLogGroupName?: string;
  /** KMS key ARN that encrypts the access log group. @default CloudWatch Logs' own encryption */
  readonly accessLogKmsKeyArn?: string;
  /**
   * Execution logging of every method (CloudWatch log group API-Gateway-Execution-Logs_<api>/<stage>,
   * written with the account-level CloudWatch role). Request and response bodies are never logged
   * (data trace off). May be a Terraform expression. @default "ERROR"
   */
  readonly loggingLevel?: MethodLoggingLevel | string;
  /** What the stage must wait for (the account's CloudWatch role when this stack manages it). @default none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Tags of the stage and of its access log group. @default {} */
  readonly tags?: Tags;
}

/**
 * A deployment of the API and the stage that serves it, with its throttling, metrics, tracing
 * and optional access logs.
 *
 * The deployment's trigger is a hash of everything that changes the API's behaviour (paths,
 * methods, models, integrations with their mapping templates, method, integration and gateway
 * responses), read from the resources Terraform manages, not only their IDs: editing a mapping
 * template redeploys. A new deployment is created before the old one is destroyed, so the stage
 * never points at nothing. Create the stage after every part is complete.
 */
export class ApiStage extends Construct {
  public readonly deployment: ApiGatewayDeployment;
  public readonly stage: ApiGatewayStage;
  public readonly methodSettings: ApiGatewayMethodSettings;
  public readonly accessLogGroup?: CloudwatchLogGroup;
  /** Base URL of the stage, e.g. https://abc123.execute-api.us-east-1.amazonaws.com/v1 (a Terraform reference). */
  public readonly invokeUrl: string;

  constructor(scope: Construct, id: string, props: ApiStageProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.stageName)) checkConstraint("stage name", STAGE_NAME, props.stageName);
    if (props.parts.length === 0) throw new Error("an API stage needs at least one route to deploy");
    // Stryker disable all: the deployment trigger is defended by deployment-trigger.test.ts, outside the
    // security set that npm run test:mutation covers (docs/security-controls.md).
    // Written as Terraform expression text from resource addresses, not built from cdktf tokens:
    // cdktf resolves a function's arguments again at every level of nesting, which made the trigger
    // most of the synth time of a large API (docs/performance.md). Each part's hash is a local of its
    // own, so the trigger stays one reference per part.
    // A part with nothing to hash nor wait for (in "openapi" mode a route, whose definition is in
    // the API's body, hashed with the API) adds no local to the trigger.
    const parts = props.parts.filter((part) => part.dependables.length > 0 || !isEmptyFingerprint(part.deploymentFingerprint));
    const fingerprints = parts.map(
      (part) =>
        new TerraformLocal(part, "DeploymentFingerprint", `\${sha1(jsonencode(${fingerprintExpression(part.deploymentFingerprint)}))}`),
    );
    this.deployment = new ApiGatewayDeployment(this, "Deployment", {
      restApiId: props.api.apiId,
      description: "Managed by apigw-sfn: redeployed whenever the API's behaviour changes",
      triggers: {
        redeployment: `\${sha1(join(" ", [${fingerprints.map((local) => `local.${local.friendlyUniqueId}`).join(", ")}]))}`,
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: parts
        .flatMap((part) => part.dependables)
        .map((dependable) => (dependable instanceof TerraformResource ? { fqn: addressOf(dependable) } : dependable)),
    });

    // Stryker restore all
    if (props.accessLogRetentionDays !== undefined) {
      this.accessLogGroup = new CloudwatchLogGroup(this, "AccessLogs", {
        name: props.accessLogGroupName ?? `/aws/apigateway/${props.stageName}`,
        retentionInDays: props.accessLogRetentionDays,
        tags: resourceTags(props.tags),
        kmsKeyId: props.accessLogKmsKeyArn,
      });
    }
    this.stage = new ApiGatewayStage(this, "Resource", {
      restApiId: props.api.apiId,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      xrayTracingEnabled: props.tracing ?? true,
      accessLogSettings: this.accessLogGroup ? { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT } : undefined,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      tags: resourceTags(props.tags),
    });
    const throttling = props.throttling ?? DEFAULT_THROTTLING;
    const loggingLevel = props.loggingLevel ?? DEFAULT_METHOD_LOGGING_LEVEL;
    if (!Token.isUnresolved(loggingLevel)) checkConstraint("method logging level", METHOD_LOGGING_LEVEL, loggingLevel);
    this.methodSettings = new ApiGatewayMethodSettings(this, "MethodSettings", {
      restApiId: props.api.apiId,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        metricsEnabled: true,
        loggingLevel,
        // Full request and response logging would put every body in CloudWatch.
        dataTraceEnabled: false,
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
      },
    });
    this.invokeUrl = this.stage.invokeUrl;
  }
}

/** Whether a fingerprint holds nothing: an empty list or object. */
function isEmptyFingerprint(fingerprint: Fingerprint): boolean {
  if (Array.isArray(fingerprint)) return fingerprint.length === 0;
  return typeof fingerprint === "object" && !(fingerprint instanceof TerraformResource) && Object.keys(fingerprint).length === 0;
}
