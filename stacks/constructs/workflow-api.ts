import { Construct } from "constructs";
import { Fn, type IResolvable, Op, TerraformOutput, Token } from "cdktf";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { factsOf, holds, ruleProblem } from "../../lang/rules";
import type { TemplateValue } from "../../lang/terraform-template";
import type { RequestInput } from "../../lang/request-input";
import { ROUTE_OF_ACTION, type StartMethod, outputPathOf, routeMethodOf } from "../../lang/workflow-routes";
import { type ApiDefinition, DEFAULT_API_DEFINITION } from "./api-definition";
import { ApiGatewayAccount } from "./api-gateway-account";
import { ApiKeyAccess } from "./api-key-access";
import {
  CognitoAuthorizer,
  type CognitoAuthorizerProps,
  DEFAULT_LAMBDA_AUTHORIZER_TYPE,
  LambdaAuthorizer,
  type LambdaAuthorizerProps,
  methodAuthorizer,
} from "./authorizer";
import { ApiStage, DEFAULT_METHOD_LOGGING_LEVEL, DEFAULT_THROTTLING, type MethodLoggingLevel, type Throttling } from "./api-stage";
import {
  API_BODY_SIZE,
  AUTHORIZERS_PER_API,
  METHOD_ARN_LENGTH,
  MODEL_SIZE_PER_API,
  RESOURCE_POLICY_LENGTH,
  RESOURCES_PER_API,
  ROLES_PER_ACCOUNT,
  checkQuota,
} from "./aws-quotas";
import { Cors, type CorsProps } from "./cors";
import { countIf } from "./counted";
import { DemoInstance, isEmpty } from "./demo-instance";
import {
  CustomDomain,
  type CustomDomainProps,
  ResourcePolicy,
  type ResourcePolicyRules,
  StageWebAcl,
  resourcePolicyDocument,
} from "./edge";
import { EncryptionKey } from "./kms-key";
import { GatewayResponses } from "./gateway-responses";
import { IntegrationRole } from "./integration-role";
import { RestApi } from "./rest-api";
import { type Authorization, DEFAULT_AUTHORIZATION } from "./route";
import { DEFAULT_LOG_LEVEL, DEFAULT_RETENTION_DAYS, type LogLevel, type WorkflowType } from "./state-machine";
import type { ErrorStatuses, StepFunctionsMappingTemplates } from "./step-functions-integration";
import type { Tags } from "./tags";
import { warnOnce } from "./warnings";
import { WorkflowEndpoint } from "./workflow-endpoint";
import { type ApiFact, FACT_PROPS, WORKFLOW_API_RULES, workflowAuthorizationRules } from "./workflow-api-rules";
import { ACCOUNT_ID, declareWorstCase, declareWorstCaseList, worstCaseEach, worstCaseList } from "./worst-case";

/** The stage name when none is given. */
export const DEFAULT_STAGE_NAME = "v1";
/** Whether the stage writes access logs when nothing is said. */
export const DEFAULT_ACCESS_LOGS = true;

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
  /**
   * EXPRESS only: the HTTP status (400 to 599) each of the workflow's own errors answers, e.g.
   * `{"Order.NotFound": 404}`; its route declares exactly these statuses besides the defaults
   * (SUCCEEDED 200, TIMED_OUT and States.Timeout 504, any other failure 500).
   * @default {}
   */
  readonly errors?: ErrorStatuses;
  /**
   * How callers of this workflow's routes are authorized, over the API's authorization: "AWS_IAM",
   * "NONE" (with allowUnauthenticated), or the API's own kind (workflow-api-rules.ts).
   * @default the API's authorization
   */
  readonly authorization?: Authorization;
  /** OAuth scopes of this workflow's routes when they are COGNITO_USER_POOLS, over the API's. @default the API's scopes */
  readonly authorizationScopes?: readonly string[];
  /** Method of the start route: "POST" (the request body is the input) or "GET" (no body: needs `input`). @default "POST" */
  readonly method?: StartMethod;
  /** What of the request the execution input holds besides the body (docs/api.md, "Request data in the input"). @default the body alone */
  readonly input?: RequestInput;
}

/** The EC2 instances the workflows act on. */
export interface InstanceOptions {
  /** EC2 instance type of the demo instance. @default "t3.nano" */
  readonly instanceType?: string;
  /** Whether to create the demo instance: a boolean, or a Terraform expression (the module's variable). @default true */
  readonly create?: boolean | IResolvable;
  /** ARNs of existing instances that DEMO_INSTANCE also stands for (a list, possibly a token). @default [] */
  readonly existingInstanceArns?: string[];
  /** Subnet of the demo instance; "" (or an expression that is "") for the default VPC. @default the default VPC */
  readonly subnetId?: string;
  /** An SSM instance profile (AmazonSSMManagedInstanceCore) and HTTPS egress for the demo instance. @default false */
  readonly ssmInstanceProfile?: boolean;
}

/** Encryption of the log groups and state machines with a customer managed KMS key (at most one of the two). */
export interface WorkflowEncryption {
  /** Create a key for them (see EncryptionKey). @default false */
  readonly createKey?: boolean;
  /** Use this existing key. @default none: AWS owned keys */
  readonly kmsKeyArn?: string;
}

/** Logging of the state machines. */
export interface WorkflowLogging {
  /** @default "ALL" (an EXPRESS workflow's history exists only in its logs) */
  readonly expressLevel?: LogLevel;
  /** @default "ERROR" */
  readonly standardLevel?: LogLevel;
  /** Log execution input and output: every request body would land in CloudWatch. May be a Terraform expression. @default false */
  readonly includeExecutionData?: boolean;
  /** Days CloudWatch keeps the workflows' and the access logs; may be a Terraform expression. @default 365 (FSBP CloudWatch.16) */
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
  /**
   * The Cognito user pool authorizer of COGNITO_USER_POOLS routes, and the default OAuth scopes of
   * those routes (a list; either may be a Terraform list expression). @default none
   */
  readonly cognitoAuthorizer?: Pick<CognitoAuthorizerProps, "userPoolArns"> & { readonly scopes?: readonly string[] };
  /** The Lambda authorizer of CUSTOM routes. @default none */
  readonly lambdaAuthorizer?: Omit<LambdaAuthorizerProps, "api" | "name" | "partition" | "count">;
  /** The instances the workflows act on (when a workflow lists DEMO_INSTANCE). @default a new t3.nano */
  readonly instance?: InstanceOptions;
  /** @default see WorkflowLogging */
  readonly logging?: WorkflowLogging;
  /** X-Ray tracing of the state machines and the stage. @default true */
  readonly tracing?: boolean;
  /** Throttling of the stage and of API keys. @default 10 requests per second, bursts of 20 */
  readonly throttling?: Throttling;
  /**
   * How long API Gateway waits for every route's integration, 50 to 300,000 ms: above 29,000 only
   * once the account's quota "Maximum integration timeout in milliseconds" is raised (open to this
   * API because it is Regional or private). An EXPRESS workflow's TimeoutSeconds must fit in it.
   * May be a Terraform expression. @default 29000 (API Gateway's default quota)
   */
  readonly integrationTimeoutMs?: number;
  /** JSON access logs of the stage (they need the account-level API Gateway CloudWatch role). @default true */
  readonly accessLogs?: boolean;
  /** Execution logging level of every method; may be a Terraform expression. @default "ERROR" */
  readonly methodLoggingLevel?: MethodLoggingLevel | string;
  /** Manage the account-level API Gateway CloudWatch role here (only with access or execution logs). @default false */
  readonly manageApiGatewayAccount?: boolean;
  /** The account everything is deployed in (trust conditions, ARNs built from names). @default data aws_caller_identity */
  readonly accountId?: string;
  /** Must be true for authorization "NONE" (anyone with the URL can start the workflows); synth then warns. @default false */
  readonly allowUnauthenticated?: boolean;
  /** @default AWS owned keys */
  readonly encryption?: WorkflowEncryption;
  /** Customer managed policies each role may get past IAM's inline quota (see RoleProps). @default 10 */
  readonly managedPoliciesPerRole?: number;
  /**
   * aws:SourceAccount (and aws:SourceArn of this API) conditions on the roles API Gateway assumes.
   * AWS documents no such keys for them: try it before relying on it (see IntegrationRoleProps).
   * @default false
   */
  readonly apiGatewayTrustConditions?: boolean;
  /** ARN of a regional WAFv2 web ACL to associate with the stage. @default none */
  readonly webAclArn?: string;
  /** A custom domain (TLS 1.2) serving the stage; the URL outputs then use it. @default none */
  readonly customDomain?: Omit<CustomDomainProps, "api" | "stageName">;
  /** Turn off the default execute-api endpoint (needs customDomain). @default false */
  readonly disableExecuteApiEndpoint?: boolean;
  /** A resource policy: which accounts may invoke the API, through which VPC endpoints (which make it PRIVATE). @default none */
  readonly resourcePolicy?: ResourcePolicyRules;
  /** CORS: a preflight on every path, and the CORS headers on every answer (see Cors). @default none: no CORS */
  readonly cors?: Omit<CorsProps, "api">;
  /** Mapping template files of the routes. @default the templates shipped in templates/mappings */
  readonly mappingTemplates?: StepFunctionsMappingTemplates;
  /**
   * API Gateway's "Resources per API" quota for this API: synth stops when the routes need more
   * resources (every path segment, and the root). Raise it once AWS has raised the quota.
   * @default 300 (AWS's default quota)
   */
  readonly maxApiResources?: number;
  /**
   * IAM's "Roles in an AWS account" quota: synth stops when this API alone needs more roles (a role
   * per workflow, plus the integration role and any others it creates). @default 1000 (AWS's default quota)
   */
  readonly maxIamRoles?: number;
  /**
   * API Gateway's resource policy length quota: synth stops when the resource policy (its
   * accounts and VPC endpoints) is longer. @default 8192 (AWS's default quota)
   */
  readonly maxResourcePolicyLength?: number;
  /**
   * Tags of every taggable resource (API, stage, state machines, roles, log groups, instance, API
   * key, usage plan); may be a Terraform expression (the module's var.tags). @default {}
   */
  readonly tags?: Tags;
  /**
   * How the routes are defined in Terraform: a resource per method, integration, response and path
   * ("resources"), or one OpenAPI document as the REST API's body ("openapi"). @default "resources"
   */
  readonly apiDefinition?: ApiDefinition;
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
  /** The Cognito authorizer, when a route may use it. */
  public readonly cognitoAuthorizer?: CognitoAuthorizer;
  /** The Lambda authorizer, when a route may use it. */
  public readonly lambdaAuthorizer?: LambdaAuthorizer;
  /** The customer managed key of the logs and state machines, when one is used. */
  public readonly kmsKeyArn?: string;
  public readonly customDomain?: CustomDomain;
  public readonly webAcl?: StageWebAcl;
  public readonly resourcePolicy?: ResourcePolicy;
  /** The preflights and CORS headers, when CORS is on. */
  public readonly cors?: Cors;
  /** Base URL of the stage: the custom domain's when there is one. */
  public readonly baseUrl: string;
  private readonly region: string;
  private readonly stageName: string;
  private readonly customDomainUrl?: string;

  constructor(scope: Construct, id: string, props: WorkflowApiProps) {
    super(scope, id);
    if (props.workflows.length === 0) throw new Error("a workflow API needs at least one workflow");
    const accessLogs = props.accessLogs ?? DEFAULT_ACCESS_LOGS;
    const methodLoggingLevel = props.methodLoggingLevel ?? DEFAULT_METHOD_LOGGING_LEVEL;
    const { projectName } = props;
    const stageName = props.stageName ?? DEFAULT_STAGE_NAME;
    const authorization = props.authorization ?? DEFAULT_AUTHORIZATION;
    checkRules(props);
    if (authorization === "NONE") warnOnce(`${projectName}: authorization is NONE: anyone who knows the URL can start the workflows`);
    const logging = props.logging ?? {};
    const retentionDays = logging.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const create = props.instance?.create ?? true;
    const tags = props.tags ?? {};
    const partition = props.partition ?? "aws";
    const accountId = props.accountId ?? declareWorstCase(new DataAwsCallerIdentity(this, "Account").accountId, ACCOUNT_ID);
    const encryption = props.encryption ?? {};
    this.kmsKeyArn = encryption.createKey
      ? new EncryptionKey(this, "Key", { alias: projectName, partition, region: props.region, accountId, tags }).arn
      : encryption.kmsKeyArn || undefined;

    if (props.workflows.some((workflow) => workflow.resources?.includes(DEMO_INSTANCE)) && create !== false) {
      this.instance = new DemoInstance(this, "DemoInstance", {
        name: `${projectName}-demo`,
        instanceType: props.instance?.instanceType,
        count: create === true ? undefined : countIf(create),
        tags,
        subnetId: props.instance?.subnetId,
        ssmInstanceProfile: props.instance?.ssmInstanceProfile,
        partition,
      });
    }
    const existing = props.instance?.existingInstanceArns ?? [];
    // What DEMO_INSTANCE stands for: the demo instance, if created, and the existing instances. It
    // is a list whose length Terraform decides when either is decided at plan time.
    const decidedAtPlan = create !== true || existing.length > 0;
    const instanceArns = decidedAtPlan
      ? declareWorstCaseList(
          Token.asList(Fn.concat([this.instance?.instanceArns ?? [], existing])),
          worstCaseList([...(this.instance?.instanceArns ?? []), ...existing]),
        )
      : (this.instance?.instanceArns ?? []);
    // A list decided at plan time stays one element (a list reference): each task's statement
    // takes the resources of its kind (task-permissions.ts), and concatenates lists where needed.
    const resourcesOf = (workflow: WorkflowSpec): string[] =>
      (workflow.resources ?? []).flatMap((resource) => (resource === DEMO_INSTANCE ? instanceArns : [resource]));

    this.api = new RestApi(this, "Api", {
      name: `${projectName}-api`,
      description: "Starts Step Functions workflows: synchronously for EXPRESS, asynchronously for STANDARD",
      tags,
      vpcEndpointIds: props.resourcePolicy?.vpcEndpointIds,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      definition: props.apiDefinition ?? DEFAULT_API_DEFINITION,
    });
    const apiGatewaySource = props.apiGatewayTrustConditions ? { account: accountId } : undefined;
    this.role = new IntegrationRole(this, "IntegrationRole", {
      name: `${projectName}-apigw-sfn`,
      tags,
      managedPolicies: props.managedPoliciesPerRole,
      trustSource: apiGatewaySource && {
        ...apiGatewaySource,
        arnLike: `arn:${partition}:execute-api:${props.region}:${accountId}:${this.api.apiId}/*`,
      },
    });
    if (props.cors) this.cors = new Cors(this, "Cors", { ...props.cors, api: this.api });

    // The authorizer of each kind the API's authorization may choose: a Terraform expression
    // decides at plan time which exists (count), as for the API key.
    const decided = !Token.isUnresolved(authorization);
    const authorizerCount = (kind: string) => (decided ? undefined : countIf(Op.eq(authorization, kind)));
    if (!decided || authorization === "COGNITO_USER_POOLS") {
      this.cognitoAuthorizer = new CognitoAuthorizer(this, "CognitoAuthorizer", {
        api: this.api,
        name: `${projectName}-cognito`,
        userPoolArns: props.cognitoAuthorizer?.userPoolArns ?? [],
        count: authorizerCount("COGNITO_USER_POOLS"),
      });
    }
    if (!decided || authorization === "CUSTOM") {
      this.lambdaAuthorizer = new LambdaAuthorizer(this, "LambdaAuthorizer", {
        functionArn: "",
        ...props.lambdaAuthorizer,
        api: this.api,
        name: `${projectName}-lambda`,
        partition,
        count: authorizerCount("CUSTOM"),
      });
    }
    const authorizers = { cognito: this.cognitoAuthorizer, lambda: this.lambdaAuthorizer };

    this.endpoints = props.workflows.map((workflow) => {
      // A workflow's fields are its endpoint's props of the same name: a new field needs no wiring here.
      const { name, resources: _resources, ...fields } = workflow;
      // The workflow's own authorization and scopes over the API's (workflow-api-rules.ts says which).
      const routeAuthorization = workflow.authorization ?? authorization;
      if (workflow.authorization === "NONE")
        warnOnce(`${projectName}: workflow ${name} has authorization NONE: anyone who knows the URL can start it`);
      const method = methodAuthorizer(
        authorizers,
        routeAuthorization,
        workflow.authorizationScopes ?? props.cognitoAuthorizer?.scopes ?? [],
      );
      return new WorkflowEndpoint(this, name, {
        ...fields,
        ...method,
        stateMachineName: `${projectName}-${name}`,
        resources: resourcesOf(workflow),
        api: this.api,
        role: this.role,
        region: props.region,
        partition: props.partition,
        accountId,
        kmsKeyArn: this.kmsKeyArn,
        managedPolicies: props.managedPoliciesPerRole,
        authorization: routeAuthorization,
        logging: {
          level: (workflow.type === "EXPRESS" ? logging.expressLevel : logging.standardLevel) ?? DEFAULT_LOG_LEVEL[workflow.type],
          includeExecutionData: logging.includeExecutionData,
          retentionDays,
        },
        tracing: props.tracing,
        mappingTemplates: props.mappingTemplates,
        cors: this.cors,
        integrationTimeoutMs: props.integrationTimeoutMs,
        tags,
      });
    });
    if (this.cors) {
      // A preflight on every path that has routes, allowing that path's methods.
      const methods = new Map<string, string[]>();
      for (const route of this.endpoints.flatMap((endpoint) => endpoint.routes)) {
        methods.set(route.path, [...(methods.get(route.path) ?? []), route.httpMethod]);
      }
      for (const [path, pathMethods] of methods) this.cors.addPreflight(path, pathMethods);
    }
    const gatewayResponses = new GatewayResponses(this, "GatewayResponses", {
      api: this.api,
      responseParameters: this.cors?.gatewayResponseParameters,
    });

    const account = props.manageApiGatewayAccount
      ? new ApiGatewayAccount(this, "ApiGatewayAccount", {
          roleName: `${projectName}-apigw-cloudwatch`,
          tags,
          trustSource: apiGatewaySource,
        })
      : undefined;
    if (props.resourcePolicy) {
      this.resourcePolicy = new ResourcePolicy(this, "ResourcePolicy", { api: this.api, partition, ...props.resourcePolicy });
    }
    // Every route, model, validator, gateway response and the policy are in: in "openapi" mode the body is written now.
    this.api.complete();
    this.stage = new ApiStage(this, "Stage", {
      api: this.api,
      parts: [
        this.api,
        ...[this.cognitoAuthorizer, this.lambdaAuthorizer].filter((part) => part !== undefined),
        ...this.endpoints.flatMap((endpoint) => endpoint.routes),
        gatewayResponses,
        ...(this.cors ? [this.cors] : []),
        ...(this.resourcePolicy ? [this.resourcePolicy] : []),
      ],
      stageName,
      tracing: props.tracing,
      throttling: props.throttling,
      accessLogRetentionDays: accessLogs ? retentionDays : undefined,
      accessLogGroupName: `/aws/apigateway/${projectName}-${stageName}`,
      accessLogKmsKeyArn: this.kmsKeyArn,
      loggingLevel: methodLoggingLevel,
      dependsOn: account ? [account.account] : undefined,
      tags,
    });
    if (props.webAclArn) {
      this.webAcl = new StageWebAcl(this, "WebAcl", {
        stageArn: this.stage.stage.arn,
        webAclArn: props.webAclArn,
        // A Terraform expression (the module's variable) may be "": no association then.
        count: Token.isUnresolved(props.webAclArn) ? countIf(Op.not(isEmpty(props.webAclArn))) : undefined,
      });
    }
    if (props.customDomain) {
      this.customDomain = new CustomDomain(this, "CustomDomain", {
        ...props.customDomain,
        api: this.api,
        stageName: this.stage.stage.stageName,
        tags,
      });
    }
    this.baseUrl = this.customDomain?.url ?? this.stage.invokeUrl;
    this.region = props.region;
    this.stageName = stageName;
    const domainName = props.customDomain?.domainName;
    if (domainName && !Token.isUnresolved(domainName) && !Token.isUnresolved(props.customDomain?.basePath ?? "")) {
      this.customDomainUrl = `https://${domainName}${props.customDomain?.basePath ? `/${props.customDomain.basePath}` : ""}`;
    }
    this.checkQuotas(props, stageName, partition);
    // A Terraform expression decides at plan time whether the key exists.
    const keyed = Token.isUnresolved(authorization);
    if (keyed || authorization === "API_KEY") {
      this.apiKey = new ApiKeyAccess(this, "ApiKey", {
        api: this.api,
        stage: this.stage,
        name: `${projectName}-client`,
        throttling: props.throttling ?? DEFAULT_THROTTLING,
        count: keyed ? countIf(Op.eq(authorization, "API_KEY")) : undefined,
        tags,
      });
    }
    this.addOutputs(props, create);
  }

  /**
   * The clients' OpenAPI 3.0 document (openapi.json): every route with its parameters, body schema
   * and statuses, the security it needs, and the server: the stage's URL, whose API ID (and region,
   * when Terraform decides it) is a server variable; `terraform output -raw openapi_server_url`
   * gives the whole URL once applied.
   */
  public clientOpenApiDocument(): string {
    const variables: Record<string, { default: string; description?: string }> = {};
    const part = (name: string, value: string, description: string) => {
      if (!Token.isUnresolved(value)) return value;
      variables[name] = { default: name, description };
      return `{${name}}`;
    };
    const domain = this.customDomainUrl;
    const url =
      domain ??
      `https://{restApiId}.execute-api.${part("region", this.region, "the AWS region")}.amazonaws.com/${part("stage", this.stageName, "the stage name")}`;
    if (domain === undefined) {
      variables.restApiId = {
        default: "restApiId",
        description: "terraform output -raw rest_api_id (the whole URL: terraform output -raw openapi_server_url)",
      };
    }
    return this.api.clientDocument({ url, variables: Object.keys(variables).length > 0 ? variables : undefined });
  }

  /** Stops synth when what this API needs is over an AWS quota it can reach (aws-quotas.ts, docs/quotas.md). */
  private checkQuotas(props: WorkflowApiProps, stageName: string, partition: string): void {
    const constructs = this.node.findAll();
    // The paths the routes need, as resources or as the body's paths (API Gateway makes a resource of each segment).
    const paths = this.api.resourceCount - 1;
    checkQuota(RESOURCES_PER_API, paths + 1, {
      what: "the REST API",
      detail: `its root "/" and ${paths} path resources`,
      limit: props.maxApiResources,
      setting: "maxApiResources",
    });
    const roles = constructs.filter((c) => c instanceof IamRole).length;
    checkQuota(ROLES_PER_ACCOUNT, roles, {
      what: "this configuration alone (the account's other roles count too)",
      limit: props.maxIamRoles,
      setting: "maxIamRoles",
    });
    // Counted as constructs, not resources: in "openapi" mode the authorizers are in the body.
    checkQuota(AUTHORIZERS_PER_API, constructs.filter((c) => c instanceof CognitoAuthorizer || c instanceof LambdaAuthorizer).length, {
      what: "the REST API (a Cognito and a Lambda authorizer at most)",
    });
    const models = this.api.modelSchemas;
    checkQuota(
      MODEL_SIZE_PER_API,
      models.reduce((sum, schema) => sum + Buffer.byteLength(schema), 0),
      {
        what: `the REST API's ${models.length} request models together`,
      },
    );
    if (this.api.body !== undefined) {
      checkQuota(API_BODY_SIZE, Buffer.byteLength(worstCaseEach(this.api.body, "x".repeat(256))), {
        what: `the REST API's OpenAPI body (${this.endpoints.length} workflows, references at their longest)`,
      });
    }
    // The longest each part can be where a Terraform expression decides it (the module's variables):
    // partition aws-us-gov, region us-isof-south-1, the stage name's 128 characters; an API id has 10
    // characters and an account 12. A path parameter's value is an execution name: at most 80.
    const known = (value: string, longest: number) => (Token.isUnresolved(value) ? "x".repeat(longest) : value);
    const executionArn = `arn:${known(partition, 10)}:execute-api:${known(props.region, 15)}:123456789012:a1b2c3d4e5`;
    if (props.resourcePolicy) {
      const policy = JSON.stringify(resourcePolicyDocument(executionArn, known(partition, 10), props.resourcePolicy));
      checkQuota(RESOURCE_POLICY_LENGTH, policy.length, {
        what: "the REST API's resource policy (allowedSourceAccounts, allowedVpcEndpoints)",
        limit: props.maxResourcePolicyLength,
        setting: "maxResourcePolicyLength",
      });
    }
    for (const route of this.endpoints.flatMap((e) => e.routes)) {
      const arn = `${executionArn}/${known(stageName, 128)}/${route.httpMethod}/${route.path.replace(/\{[^}]*\}/g, "x".repeat(80))}`;
      checkQuota(METHOD_ARN_LENGTH, Buffer.byteLength(arn), { what: `the route ${route.httpMethod} /${route.path}` });
    }
  }

  private addOutputs(props: WorkflowApiProps, create: boolean | IResolvable): void {
    new TerraformOutput(this, "rest_api_id", {
      value: this.api.apiId,
      description: "ID of the REST API (for custom domains, WAF or further routes)",
    });
    new TerraformOutput(this, "stage_name", { value: this.stage.stage.stageName, description: "Name of the API's stage" });
    new TerraformOutput(this, "api_url", { value: this.baseUrl, description: "Base URL of the API's stage" });
    if (this.customDomain) {
      new TerraformOutput(this, "custom_domain_target", {
        value: this.customDomain.domain.regionalDomainName,
        description: "Point the custom domain's DNS alias (or CNAME) here",
      });
      new TerraformOutput(this, "custom_domain_zone_id", {
        value: this.customDomain.domain.regionalZoneId,
        description: "Hosted zone ID of custom_domain_target, for a Route 53 alias record",
      });
    }
    for (const [index, endpoint] of this.endpoints.entries()) {
      const name = props.workflows[index].name;
      // Each route's URL, as its kind's row of lang/workflow-routes.ts names and describes it.
      for (const route of endpoint.routes) {
        const kind = ROUTE_OF_ACTION[route.action];
        const { output } = kind;
        new TerraformOutput(this, `${name}${output.suffix}`, {
          value: `${this.baseUrl}/${output.parent ? outputPathOf(route.path) : route.path}`,
          description: output.description.replace("{workflow}", name).replace("{method}", routeMethodOf(kind, props.workflows[index])),
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
      new TerraformOutput(this, "api_key_value", {
        value: this.apiKey.keyValue,
        sensitive: true,
        description: "Send it as the x-api-key header",
      });
    }
  }
}

/** Kept here for code that imports it from this module; it lives in warnings.ts, which workflow-endpoint.ts shares. */
export { warnOnce };

/** Each fact of the rules (workflow-api-rules.ts) as the props give it, defaults applied; a list joined by commas. */
function factOf(props: WorkflowApiProps, fact: ApiFact): unknown {
  const values: Record<ApiFact, () => unknown> = {
    authorization: () => props.authorization ?? DEFAULT_AUTHORIZATION,
    allowUnauthenticated: () => props.allowUnauthenticated ?? false,
    manageApiGatewayAccount: () => props.manageApiGatewayAccount ?? false,
    accessLogs: () => props.accessLogs ?? DEFAULT_ACCESS_LOGS,
    methodLoggingLevel: () => props.methodLoggingLevel ?? DEFAULT_METHOD_LOGGING_LEVEL,
    createKmsKey: () => props.encryption?.createKey ?? false,
    kmsKeyArn: () => props.encryption?.kmsKeyArn ?? "",
    customDomainName: () => props.customDomain?.domainName ?? "",
    certificateArn: () => props.customDomain?.certificateArn ?? "",
    customDomainBasePath: () => props.customDomain?.basePath ?? "",
    disableExecuteApiEndpoint: () => props.disableExecuteApiEndpoint ?? false,
    allowedVpcEndpoints: () => (props.resourcePolicy?.vpcEndpointIds ?? []).join(","),
    allowedSourceAccounts: () => (props.resourcePolicy?.sourceAccounts ?? []).join(","),
    corsAllowedOrigins: () =>
      props.cors
        ? Token.isUnresolved(props.cors.allowedOrigins)
          ? Token.asString(props.cors.allowedOrigins)
          : props.cors.allowedOrigins.join(",")
        : "",
    corsAllowCredentials: () => props.cors?.allowCredentials ?? false,
    cognitoUserPoolArns: () => joined(props.cognitoAuthorizer?.userPoolArns ?? []),
    authorizationScopes: () => joined(props.cognitoAuthorizer?.scopes ?? []),
    authorizerFunctionArn: () => props.lambdaAuthorizer?.functionArn ?? "",
    authorizerType: () => props.lambdaAuthorizer?.type ?? DEFAULT_LAMBDA_AUTHORIZER_TYPE,
    authorizerIdentityValidation: () => props.lambdaAuthorizer?.identityValidationExpression ?? "",
    apiDefinition: () => props.apiDefinition ?? DEFAULT_API_DEFINITION,
    apiGatewayTrustConditions: () => props.apiGatewayTrustConditions ?? false,
  };
  return values[fact]();
}

/** A list prop as its fact: joined by commas; a list expression stays an expression. */
function joined(list: readonly string[]): string {
  return Token.isUnresolved(list) ? Token.asString(Fn.join(",", [...list])) : list.join(",");
}

/**
 * Refuses the combinations that would leave the API open, unreachable or half-configured (the
 * rules of workflow-api-rules.ts, named by prop). A rule that reads a Terraform expression is left
 * to the module's variable validations, which the same rules make.
 */
function checkRules(props: WorkflowApiProps): void {
  const facts = (fact: ApiFact) => factOf(props, fact);
  for (const rule of [...WORKFLOW_API_RULES, ...workflowAuthorizationRules(props.workflows)]) {
    if (factsOf(rule.forbid).some((fact) => Token.isUnresolved(facts(fact)))) continue;
    if (holds(rule.forbid, facts)) throw new Error(ruleProblem(rule, (fact) => FACT_PROPS[fact]));
  }
}
