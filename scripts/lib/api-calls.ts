/**
 * The API Gateway management calls Terraform's hashicorp/aws provider (5.100.0, the version the
 * stacks pin: @cdktf/provider-aws 20.1.0) makes for each resource type the stacks create, and the
 * counts and time floor they add up to for a synthesized stack (`npm run bench -- --api-calls`).
 *
 * Each row names the operations of the provider's Create (including the Read it ends with: the
 * provider's Create, not Terraform, reads back what it made; a Create that returns without reading
 * makes no read), of its Read (what every `terraform plan` refreshes), and of an Update where the
 * stacks change the resource in place. The source of each row is the provider's
 * internal/service/apigateway/<file>.go of hashicorp/terraform-provider-aws: read in the versions
 * stored in this project's reference index (v5 releases of 2024 and 2025 around v5.100.0, and v6),
 * which make the same calls on these paths; the v5.100.0 tag itself could not be checked out here.
 * Tags cost no call of their own: every tagged type's Read takes them from its Get answer
 * (`setTagsOut`), and the provider's tagging interceptor lists tags only when a Read did not set
 * them (internal/provider/intercept.go, "If the R handler didn't set tags").
 *
 * The time floor is what API Gateway's fixed quotas allow at best (Amazon API Gateway quotas, "API
 * Gateway quotas for creating, deploying and managing an API": 10 requests per second per account
 * and Region across all management operations, burst 40; a few operations have a lower quota of
 * their own). It is a lower bound: the quota is shared with every other deployment in the account,
 * Terraform's dependency order serialises much of the work, and the provider serialises every
 * method response create behind one lock (method_response.go).
 */

/** A resource block of cdk.tf.json: its arguments. */
export type TerraformResource = Readonly<Record<string, unknown>>;

/** What a rest API's reads depend on: how many resources (paths, the root included) API Gateway holds for it. */
export interface ApiShape {
  /** Resources of the API once applied (the root included). */
  readonly resources: number;
  /** Resources right after the REST API's own Create: the root, plus the body's paths when a body is imported. */
  readonly resourcesAtCreate: number;
}

export interface ResourceTypeCalls {
  readonly type: string;
  /** What the row counts, for the docs. */
  readonly summary: string;
  /** The provider's Create, its Read after create included. */
  readonly create: (resource: TerraformResource, api: ApiShape) => readonly string[];
  /** The provider's Read: one per resource on every plan (refresh). */
  readonly read: (resource: TerraformResource, api: ApiShape) => readonly string[];
  /** The provider's Update, where the stacks update the type in place. */
  readonly update?: (resource: TerraformResource, api: ApiShape) => readonly string[];
  /** Where the calls come from. */
  readonly source: string;
}

/**
 * GetResources answers 25 resources per page unless `limit` is set (Amazon API Gateway API
 * Reference, GetResources: "The default value is 25 and the maximum value is 500"); the provider's
 * findResources pages through all of them without a limit.
 */
const RESOURCES_PER_PAGE = 25;

function pages(resources: number): string[] {
  return Array.from({ length: Math.max(1, Math.ceil(resources / RESOURCES_PER_PAGE)) }, () => "GetResources");
}

function set(resource: TerraformResource, argument: string): boolean {
  const value = resource[argument];
  if (value === undefined || value === null || value === false || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** The REST API's read: GetRestApi, then every page of GetResources to find the root resource's ID. */
const restApiRead = (api: ApiShape) => ["GetRestApi", ...pages(api.resources)];

/** The paths of an OpenAPI body, from its text (JSON, or HCL object syntax inside a Terraform expression). */
export function bodyPaths(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { paths?: Record<string, unknown> };
    if (parsed && typeof parsed === "object" && parsed.paths && typeof parsed.paths === "object") return Object.keys(parsed.paths);
  } catch {
    // Not JSON text: a Terraform expression such as ${jsonencode({...})}; its path keys are found below.
  }
  // A path item is an object under a key starting with "/": `"/orders/{id}": {` in JSON, `"/orders/{id}" = {` in HCL.
  return [...new Set([...body.matchAll(/"(\/[^"]*)"\s*(?::|=)\s*\{/g)].map((match) => match[1]))];
}

/** The API Gateway resources a set of paths makes: every distinct prefix of every path, and the root. */
export function resourcesOfPaths(paths: readonly string[]): number {
  const resources = new Set(["/"]);
  for (const p of paths) {
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) resources.add(`/${parts.slice(0, i).join("/")}`);
  }
  return resources.size;
}

/**
 * Whether the provider follows PutRestApi with an UpdateRestApi: an overwrite drops the REST API's
 * own settings the body does not hold, so the provider patches back each configured one that
 * differs from PutRestApi's answer (rest_api.go, resourceRestAPIWithBodyUpdateOperations). What
 * API Gateway answers is what the body says: compared here from the body's text.
 */
/** The parts of an OpenAPI body that hold a REST API's own settings (API Gateway extensions to OpenAPI). */
interface BodyDocument {
  readonly info?: { readonly title?: unknown; readonly description?: unknown };
  readonly "x-amazon-apigateway-api-key-source"?: unknown;
  readonly "x-amazon-apigateway-endpoint-configuration"?: { readonly disableExecuteApiEndpoint?: unknown };
}

function reconcilesAfterPut(resource: TerraformResource): boolean {
  const body = String(resource.body);
  let document: BodyDocument | undefined;
  try {
    document = JSON.parse(body);
  } catch {
    document = undefined;
  }
  const has = (text: string) => body.includes(text);
  // A setting the body leaves out is API Gateway's default in PutRestApi's answer (`absent`).
  const differs = (argument: string, inBody: unknown, textInBody: string, key: string, absent: unknown = undefined) =>
    set(resource, argument) &&
    (document ? (inBody ?? absent) !== resource[argument] : !has(textInBody) && !(resource[argument] === absent && !has(key)));
  const endpoint = resource.endpoint_configuration as Record<string, unknown> | undefined;
  return (
    // binary_media_types: always removed and added again when configured.
    set(resource, "binary_media_types") ||
    differs("name", document?.info?.title, JSON.stringify(String(resource.name)), '"title"') ||
    differs("description", document?.info?.description, JSON.stringify(String(resource.description ?? "")), '"description"') ||
    differs(
      "api_key_source",
      document?.["x-amazon-apigateway-api-key-source"],
      JSON.stringify(String(resource.api_key_source ?? "")),
      "x-amazon-apigateway-api-key-source",
      "HEADER",
    ) ||
    (resource.disable_execute_api_endpoint === true &&
      (document
        ? document["x-amazon-apigateway-endpoint-configuration"]?.disableExecuteApiEndpoint !== true
        : !/disableExecuteApiEndpoint"?\s*(?::|=)\s*true/.test(body))) ||
    (set(resource, "minimum_compression_size") && !has("x-amazon-apigateway-minimum-compression-size")) ||
    (set(resource, "policy") && !has("x-amazon-apigateway-policy")) ||
    (endpoint !== undefined && (set(endpoint, "vpc_endpoint_ids") || set(endpoint, "ip_address_type")) && !has("vpcEndpointIds"))
  );
}

const DIR = "internal/service/apigateway";

/** The table: one row per aws_api_gateway_* type the stacks create (and the authorizer, which a team's authorization may add). */
export const API_GATEWAY_CALLS: readonly ResourceTypeCalls[] = [
  {
    type: "aws_api_gateway_rest_api",
    summary:
      "CreateRestApi, then with a body PutRestApi (and UpdateRestApi when a configured setting differs from the body), then its Read; Read: GetRestApi and every page of GetResources (25 resources a page) for the root resource's ID",
    create: (r, api) => [
      "CreateRestApi",
      ...(set(r, "body") ? ["PutRestApi", ...(reconcilesAfterPut(r) ? ["UpdateRestApi"] : [])] : []),
      ...restApiRead({ ...api, resources: api.resourcesAtCreate }),
    ],
    read: (_r, api) => restApiRead(api),
    update: (r, api) => [
      // A changed body: PutRestApi, the same reconciling patch as on create, then the Read.
      ...(set(r, "body") ? ["PutRestApi", ...(reconcilesAfterPut(r) ? ["UpdateRestApi"] : [])] : ["UpdateRestApi"]),
      ...restApiRead(api),
    ],
    source: `${DIR}/rest_api.go: resourceRestAPICreate, resourceRestAPIRead (findRestAPIByID, findResource over GetResources pages), resourceRestAPIUpdate`,
  },
  {
    type: "aws_api_gateway_resource",
    summary: "CreateResource and GetResource; Read: GetResource",
    create: () => ["CreateResource", "GetResource"],
    read: () => ["GetResource"],
    source: `${DIR}/resource.go: resourceResourceCreate ends with resourceResourceRead (FindResourceByTwoPartKey)`,
  },
  {
    type: "aws_api_gateway_method",
    summary: "PutMethod (Create does not read back); Read: GetMethod",
    create: () => ["PutMethod"],
    read: () => ["GetMethod"],
    update: () => ["UpdateMethod", "GetIntegration", "GetMethod"],
    source: `${DIR}/method.go: resourceMethodCreate returns after PutMethod; resourceMethodRead (findMethodByThreePartKey); resourceMethodUpdate also reads the integration (updateIntegration)`,
  },
  {
    type: "aws_api_gateway_integration",
    summary: "PutIntegration and GetIntegration; Read: GetIntegration; Update: UpdateIntegration and GetIntegration",
    create: () => ["PutIntegration", "GetIntegration"],
    read: () => ["GetIntegration"],
    update: () => ["UpdateIntegration", "GetIntegration"],
    source: `${DIR}/integration.go: resourceIntegrationCreate and resourceIntegrationUpdate end with resourceIntegrationRead (findIntegrationByThreePartKey)`,
  },
  {
    type: "aws_api_gateway_method_response",
    summary: "PutMethodResponse (behind one provider-wide lock; Create does not read back); Read: GetMethodResponse",
    create: () => ["PutMethodResponse"],
    read: () => ["GetMethodResponse"],
    update: () => ["UpdateMethodResponse", "GetMethodResponse"],
    source: `${DIR}/method_response.go: resourceMethodResponseCreate (GlobalMutexKV "api-gateway-method-response", retried on ConflictException) returns without a read; resourceMethodResponseRead`,
  },
  {
    type: "aws_api_gateway_integration_response",
    summary: "PutIntegrationResponse and GetIntegrationResponse; Read: GetIntegrationResponse; Update: the same Put and Get",
    create: () => ["PutIntegrationResponse", "GetIntegrationResponse"],
    read: () => ["GetIntegrationResponse"],
    update: () => ["PutIntegrationResponse", "GetIntegrationResponse"],
    source: `${DIR}/integration_response.go: resourceIntegrationResponsePut (Create and Update) ends with resourceIntegrationResponseRead`,
  },
  {
    type: "aws_api_gateway_model",
    summary: "CreateModel (Create does not read back); Read: GetModel",
    create: () => ["CreateModel"],
    read: () => ["GetModel"],
    source: `${DIR}/model.go: resourceModelCreate returns after CreateModel; resourceModelRead (findModelByTwoPartKey)`,
  },
  {
    type: "aws_api_gateway_request_validator",
    summary: "CreateRequestValidator (Create does not read back); Read: GetRequestValidator",
    create: () => ["CreateRequestValidator"],
    read: () => ["GetRequestValidator"],
    source: `${DIR}/request_validator.go: resourceRequestValidatorCreate returns after CreateRequestValidator; resourceRequestValidatorRead`,
  },
  {
    type: "aws_api_gateway_gateway_response",
    summary: "PutGatewayResponse and GetGatewayResponse; Read: GetGatewayResponse",
    create: () => ["PutGatewayResponse", "GetGatewayResponse"],
    read: () => ["GetGatewayResponse"],
    update: () => ["PutGatewayResponse", "GetGatewayResponse"],
    source: `${DIR}/gateway_response.go: resourceGatewayResponsePut (Create and Update) ends with resourceGatewayResponseRead`,
  },
  {
    type: "aws_api_gateway_deployment",
    summary:
      "CreateDeployment (1 per 5 s per account) and GetDeployment; Read: GetDeployment; a changed trigger replaces it: a new one, then DeleteDeployment of the old",
    create: () => ["CreateDeployment", "GetDeployment"],
    read: () => ["GetDeployment"],
    update: (r) => ["CreateDeployment", "GetDeployment", ...(set(r, "stage_name") ? ["GetStage"] : []), "DeleteDeployment"],
    source: `${DIR}/deployment.go: resourceDeploymentCreate ends with resourceDeploymentRead (findDeploymentByTwoPartKey); resourceDeploymentDelete reads the stage only when stage_name is set`,
  },
  {
    type: "aws_api_gateway_stage",
    summary:
      "CreateStage, UpdateStage when access logs or a client certificate are set, GetStage; Read: GetStage (tags in its answer); Update (a new deployment): UpdateStage and GetStage",
    create: (r) => [
      "CreateStage",
      ...(set(r, "access_log_settings") || set(r, "client_certificate_id") ? ["UpdateStage"] : []),
      "GetStage",
    ],
    read: () => ["GetStage"],
    update: () => ["UpdateStage", "GetStage"],
    source: `${DIR}/stage.go: resourceStageCreate hands over to resourceStageUpdate when access_log_settings or client_certificate_id is set; both end with resourceStageRead (findStageByTwoPartKey)`,
  },
  {
    type: "aws_api_gateway_method_settings",
    summary: "UpdateStage and GetStage; Read: GetStage",
    create: () => ["UpdateStage", "GetStage"],
    read: () => ["GetStage"],
    update: () => ["UpdateStage", "GetStage"],
    source: `${DIR}/method_settings.go: resourceMethodSettingsUpdate (Create and Update) ends with resourceMethodSettingsRead (findMethodSettingsByThreePartKey reads the stage)`,
  },
  {
    type: "aws_api_gateway_api_key",
    summary: "CreateApiKey and GetApiKey; Read: GetApiKey",
    create: () => ["CreateApiKey", "GetApiKey"],
    read: () => ["GetApiKey"],
    source: `${DIR}/api_key.go: resourceAPIKeyCreate ends with resourceAPIKeyRead (findAPIKeyByID)`,
  },
  {
    type: "aws_api_gateway_usage_plan",
    summary: "CreateUsagePlan (UpdateUsagePlan when product_code is set) and GetUsagePlan; Read: GetUsagePlan",
    create: (r) => ["CreateUsagePlan", ...(set(r, "product_code") ? ["UpdateUsagePlan"] : []), "GetUsagePlan"],
    read: () => ["GetUsagePlan"],
    source: `${DIR}/usage_plan.go: resourceUsagePlanCreate ends with resourceUsagePlanRead (findUsagePlanByID)`,
  },
  {
    type: "aws_api_gateway_usage_plan_key",
    summary: "CreateUsagePlanKey and GetUsagePlanKey; Read: GetUsagePlanKey",
    create: () => ["CreateUsagePlanKey", "GetUsagePlanKey"],
    read: () => ["GetUsagePlanKey"],
    source: `${DIR}/usage_plan_key.go: resourceUsagePlanKeyCreate ends with resourceUsagePlanKeyRead (findUsagePlanKeyByTwoPartKey)`,
  },
  {
    type: "aws_api_gateway_authorizer",
    summary: "CreateAuthorizer (UpdateAuthorizer for a COGNITO_USER_POOLS authorizer's credentials) and GetAuthorizer; Read: GetAuthorizer",
    // CreateAuthorizer ignores the credentials of a Cognito authorizer: the provider patches them in after.
    create: (r) => [
      "CreateAuthorizer",
      ...(r.type === "COGNITO_USER_POOLS" && set(r, "authorizer_credentials") ? ["UpdateAuthorizer"] : []),
      "GetAuthorizer",
    ],
    read: () => ["GetAuthorizer"],
    update: () => ["UpdateAuthorizer", "GetAuthorizer"],
    source: `${DIR}/authorizer.go: resourceAuthorizerCreate ends with resourceAuthorizerRead (findAuthorizerByTwoPartKey)`,
  },
  {
    type: "aws_api_gateway_account",
    summary: "UpdateAccount (1 per 20 s per account) and GetAccount; Read: GetAccount",
    create: () => ["UpdateAccount", "GetAccount"],
    read: () => ["GetAccount"],
    source: `${DIR}/account.go: resourceAccountUpdate (Create and Update, retried while the role propagates) ends with resourceAccountRead`,
  },
  {
    type: "aws_api_gateway_rest_api_policy",
    summary: "UpdateRestApi (the /policy patch) and GetRestApi; Read: GetRestApi",
    create: () => ["UpdateRestApi", "GetRestApi"],
    read: () => ["GetRestApi"],
    update: () => ["UpdateRestApi", "GetRestApi"],
    source: `${DIR}/rest_api_policy.go: resourceRestAPIPolicyPut (Create and Update) ends with resourceRestAPIPolicyRead`,
  },
  {
    type: "aws_api_gateway_base_path_mapping",
    summary: "CreateBasePathMapping and GetBasePathMapping; Read: GetBasePathMapping",
    create: () => ["CreateBasePathMapping", "GetBasePathMapping"],
    read: () => ["GetBasePathMapping"],
    source: `${DIR}/base_path_mapping.go: resourceBasePathMappingCreate (retried on BadRequestException) ends with resourceBasePathMappingRead`,
  },
  {
    type: "aws_api_gateway_domain_name",
    summary: "CreateDomainName (1 per 30 s per account) and GetDomainName; Read: GetDomainName",
    create: () => ["CreateDomainName", "GetDomainName"],
    read: () => ["GetDomainName"],
    source: `${DIR}/domain_name.go: resourceDomainNameCreate ends with resourceDomainNameRead`,
  },
];

/**
 * The other types the stacks create: none calls API Gateway's management API (the WAF association
 * calls WAFv2's AssociateWebACL, not API Gateway; a Lambda authorizer's invoke permission calls
 * Lambda's AddPermission and GetPolicy; the rest are IAM, Step Functions, CloudWatch Logs, KMS and
 * EC2), so each counts 0 here.
 */
export const OTHER_TYPES: readonly string[] = [
  "aws_cloudwatch_log_group",
  "aws_iam_instance_profile",
  "aws_iam_policy",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_role_policy_attachment",
  "aws_instance",
  "aws_kms_alias",
  "aws_kms_key",
  "aws_lambda_permission",
  "aws_security_group",
  "aws_sfn_state_machine",
  "aws_vpc_security_group_egress_rule",
  "aws_wafv2_web_acl_association",
];

const BY_TYPE = new Map(API_GATEWAY_CALLS.map((row) => [row.type, row]));

/** A quota of one operation: `requests` per `seconds`, per account and Region. */
export interface OperationQuota {
  readonly requests: number;
  readonly seconds: number;
}

/** The management API's quotas (Amazon API Gateway quotas, "API Gateway quotas for creating, deploying and managing an API"; they cannot be increased). */
export const MANAGEMENT_QUOTA = { requestsPerSecond: 10, burst: 40 } as const;
/** The operations with a lower quota of their own, of those the stacks' resources call (CreateRestApi: a regional API's). */
export const OPERATION_QUOTAS: Readonly<Record<string, OperationQuota>> = {
  CreateApiKey: { requests: 5, seconds: 1 },
  CreateDeployment: { requests: 1, seconds: 5 },
  CreateDomainName: { requests: 1, seconds: 30 },
  CreateResource: { requests: 5, seconds: 1 },
  CreateRestApi: { requests: 1, seconds: 3 },
  GetResources: { requests: 5, seconds: 2 },
  PutRestApi: { requests: 1, seconds: 1 },
  UpdateAccount: { requests: 1, seconds: 20 },
  UpdateUsagePlan: { requests: 1, seconds: 20 },
};

/** Calls per operation. */
export type Calls = ReadonlyMap<string, number>;

export function total(calls: Calls): number {
  let sum = 0;
  for (const n of calls.values()) sum += n;
  return sum;
}

function add(into: Map<string, number>, operations: readonly string[], times = 1): void {
  for (const op of operations) into.set(op, (into.get(op) ?? 0) + times);
}

/**
 * The least time `calls` can take under the quotas, and what binds: the account's token bucket
 * (`max(0, (N - 40) / 10)` s for N calls, starting full) or an operation's own quota (k calls of an
 * operation allowed n per p s take at least `(ceil(k / n) - 1) * p` s).
 */
export function floorSeconds(calls: Calls): { seconds: number; binding: string } {
  const n = total(calls);
  let best = { seconds: Math.max(0, (n - MANAGEMENT_QUOTA.burst) / MANAGEMENT_QUOTA.requestsPerSecond), binding: "10 rps, burst 40" };
  for (const [op, quota] of Object.entries(OPERATION_QUOTAS)) {
    const k = calls.get(op) ?? 0;
    const seconds = k > 0 ? (Math.ceil(k / quota.requests) - 1) * quota.seconds : 0;
    if (seconds > best.seconds) best = { seconds, binding: `${op} ${quota.requests} per ${quota.seconds} s` };
  }
  return best;
}

export interface StackCalls {
  /** Terraform resources (every type). */
  readonly resources: number;
  readonly apiGatewayResources: number;
  /** Resources of each type. */
  readonly byType: ReadonlyMap<string, number>;
  /** The REST API's resources (paths, the root included) as API Gateway holds them. */
  readonly apiResources: number;
  /** The first apply (every resource created). */
  readonly apply: Calls;
  /** A plan with nothing to change: every resource read once. */
  readonly plan: Calls;
  /** An apply that changes one mapping template: the refresh, the resource holding it, a new deployment and the stage moved to it. */
  readonly templateChange: Calls;
  /** Bytes of the REST API's body, when it has one. */
  readonly bodyBytes?: number;
}

type StackJson = { readonly resource?: Readonly<Record<string, Readonly<Record<string, TerraformResource>>>> };

/** Counts the API Gateway calls of a synthesized stack (its parsed cdk.tf.json); throws on an aws_api_gateway_* type the table lacks. */
export function countStack(json: StackJson): StackCalls {
  const resources = json.resource ?? {};
  const byType = new Map(Object.entries(resources).map(([type, named]) => [type, Object.keys(named).length]));
  const missing = [...byType.keys()].filter((type) => type.startsWith("aws_api_gateway_") && !BY_TYPE.has(type));
  if (missing.length > 0) {
    throw new Error(`scripts/lib/api-calls.ts has no row for ${missing.join(", ")}: add the calls the provider makes for it`);
  }
  const restApis = Object.values(resources.aws_api_gateway_rest_api ?? {});
  if (restApis.length !== 1) throw new Error(`expected one aws_api_gateway_rest_api, found ${restApis.length}`);
  const restApi = restApis[0];
  const body = set(restApi, "body") ? String(restApi.body) : undefined;
  let api: ApiShape;
  if (body !== undefined) {
    const paths = bodyPaths(body);
    if (paths.length === 0) throw new Error("the REST API's body names no path: cannot count the resources API Gateway makes of it");
    const fromBody = resourcesOfPaths(paths);
    api = { resources: fromBody + (byType.get("aws_api_gateway_resource") ?? 0), resourcesAtCreate: fromBody };
  } else {
    api = { resources: 1 + (byType.get("aws_api_gateway_resource") ?? 0), resourcesAtCreate: 1 };
  }

  const apply = new Map<string, number>();
  const plan = new Map<string, number>();
  for (const [type, named] of Object.entries(resources)) {
    const row = BY_TYPE.get(type);
    if (!row) continue;
    for (const resource of Object.values(named)) {
      add(apply, row.create(resource, api));
      add(plan, row.read(resource, api));
    }
  }

  // One mapping template changed: in the resource mode an integration is updated, with a body the
  // REST API (its whole body put again); either way the trigger replaces the deployment and the
  // stage moves to the new one.
  const templateChange = new Map(plan);
  const integration = Object.values(resources.aws_api_gateway_integration ?? {})[0];
  const integrationRow = BY_TYPE.get("aws_api_gateway_integration");
  const restApiRow = BY_TYPE.get("aws_api_gateway_rest_api");
  if (integration && integrationRow?.update) add(templateChange, integrationRow.update(integration, api));
  else if (body !== undefined && restApiRow?.update) add(templateChange, restApiRow.update(restApi, api));
  for (const type of ["aws_api_gateway_deployment", "aws_api_gateway_stage"]) {
    const row = BY_TYPE.get(type);
    for (const resource of Object.values(resources[type] ?? {})) if (row?.update) add(templateChange, row.update(resource, api));
  }

  let apiGatewayResources = 0;
  let all = 0;
  for (const [type, n] of byType) {
    all += n;
    if (type.startsWith("aws_api_gateway_")) apiGatewayResources += n;
  }
  return {
    resources: all,
    apiGatewayResources,
    byType,
    apiResources: api.resources,
    apply,
    plan,
    templateChange,
    bodyBytes: body === undefined ? undefined : Buffer.byteLength(body),
  };
}

/** The table as Markdown, for docs/performance.md (a test keeps the page's copy the same). */
export function callsTableMarkdown(): string {
  const cellText = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| resource type | API Gateway calls (create, then its Read; Read; Update) | provider source (hashicorp/terraform-provider-aws) |",
    "|---|---|---|",
    ...API_GATEWAY_CALLS.map((row) => `| \`${row.type}\` | ${cellText(row.summary)} | ${cellText(row.source)} |`),
    `| ${OTHER_TYPES.map((type) => `\`${type}\``).join(", ")} | none (other services' APIs) | |`,
  ].join("\n");
}
