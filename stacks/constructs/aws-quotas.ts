/**
 * The AWS quotas the generated configuration can reach, each declared once with its source, and
 * checked while synthesizing: a configuration over one stops synth with one line naming the quota,
 * the count and, for a quota AWS lets an account raise, the setting that says it was raised.
 * docs/quotas.md lists them, and the ones the configuration cannot reach.
 */

import type { Constraint } from "../../lang/constraints";

/** A quota as AWS's quotas pages name it. */
export interface AwsQuota {
  readonly service: "API Gateway" | "Step Functions" | "IAM";
  /** The quota's name on its quotas page. */
  readonly name: string;
  /** AWS's default value. */
  readonly limit: number;
  /** What is counted, in the plural ("resources", "bytes"). */
  readonly unit: string;
  /** Whether AWS raises it for an account (or an API) on request. */
  readonly adjustable: boolean;
  /** Its name in the Service Quotas console, where an increase is requested, when that differs. @default name */
  readonly serviceQuotasName?: string;
}

/**
 * API Gateway Developer Guide, "Quotas for configuring and running a REST API in API Gateway":
 * "Resources per API | 300 | Yes" (Service Quotas L-01C8A9E0; per-API quotas "can only be increased
 * on specific APIs"). Every path segment is a resource (API Reference, "Resource": "Represents an
 * API resource", with its own id and parentId), and so is the root "/" that CreateRestApi makes
 * (GetResources lists it, with path "/", among the API's resources): it is counted too.
 */
export const RESOURCES_PER_API: AwsQuota = {
  service: "API Gateway",
  name: "Resources per API",
  limit: 300,
  unit: "resources",
  adjustable: true,
};

/**
 * What a raised "Resources per API" may be: at least AWS's default (a lower value would only refuse
 * more). AWS publishes no upper bound; 100,000 catches a typo.
 */
export const MAX_API_RESOURCES: Constraint = { min: RESOURCES_PER_API.limit, max: 100_000 };

/**
 * The same page: "Integration timeout | 50 milliseconds - 29 seconds for all integration types,
 * including Lambda, Lambda proxy, HTTP, HTTP proxy, and AWS integrations | Yes", noted "You can
 * raise the integration timeout to greater than 29 seconds for Regional APIs and private APIs, but
 * this might require a reduction in your account-level throttle quota limit". An account-level
 * quota, which the Service Quotas console lists for Amazon API Gateway as "Maximum integration
 * timeout in milliseconds". The integrationTimeoutMs setting is the timeout of every route and
 * says the quota was raised when above it (integration-timeout.ts).
 */
export const INTEGRATION_TIMEOUT: AwsQuota = {
  service: "API Gateway",
  name: "Integration timeout",
  limit: 29_000,
  unit: "milliseconds",
  adjustable: true,
  serviceQuotasName: "Maximum integration timeout in milliseconds",
};

/** The same page: "Maximum mapping template size | 300 KB | No". A KB is read as 1,000 bytes, the stricter reading. */
export const MAPPING_TEMPLATE_SIZE: AwsQuota = {
  service: "API Gateway",
  name: "Maximum mapping template size",
  limit: 300_000,
  unit: "bytes",
  adjustable: false,
};

/** The same page: "Model size per API | 400 KB | No": all the API's models (request schemas) together, 1,000 bytes a KB. */
export const MODEL_SIZE_PER_API: AwsQuota = {
  service: "API Gateway",
  name: "Model size per API",
  limit: 400_000,
  unit: "bytes",
  adjustable: false,
};

/**
 * The same page: "Method ARN length | 1600 bytes ... If your method contains a path parameter and a
 * client uses a value that exceeds the ARN length, your API will return a 414 Request URI too long
 * response | No". The ARN is arn:<partition>:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path>.
 */
export const METHOD_ARN_LENGTH: AwsQuota = {
  service: "API Gateway",
  name: "Method ARN length",
  limit: 1600,
  unit: "bytes",
  adjustable: false,
};

/**
 * The same page: "Length, in characters, of API Gateway resource policy | 8192 | Yes" (Service
 * Quotas L-8B81B02C). Counted on the policy as compact JSON.
 */
export const RESOURCE_POLICY_LENGTH: AwsQuota = {
  service: "API Gateway",
  name: "Length, in characters, of API Gateway resource policy",
  limit: 8192,
  unit: "characters",
  adjustable: true,
};

/** What a raised resource policy length may be: at least AWS's default. AWS publishes no upper bound; 100,000 catches a typo. */
export const MAX_RESOURCE_POLICY_LENGTH: Constraint = { min: RESOURCE_POLICY_LENGTH.limit, max: 100_000 };

/**
 * The OpenAPI body of the REST API ("openapi" mode): API Gateway Developer Guide, "Quotas for
 * configuring and running a REST API in API Gateway": "API Gateway import or export file size | 6 MB
 * | No"; the API Reference's ImportRestApi and PutRestApi: "The maximum size of the API definition
 * file is 6MB". A MB is read as 1,000,000 bytes, the stricter reading.
 */
export const API_BODY_SIZE: AwsQuota = {
  service: "API Gateway",
  name: "API Gateway import or export file size",
  limit: 6_000_000,
  unit: "bytes",
  adjustable: false,
};

/**
 * Step Functions Developer Guide, "Step Functions service quotas", quotas related to accounts:
 * "Maximum size of state machine definition | 1 MB | Hard quota"; the API Reference's
 * CreateStateMachine gives definition "Maximum length of 1048576".
 */
export const STATE_MACHINE_DEFINITION_SIZE: AwsQuota = {
  service: "Step Functions",
  name: "Maximum size of state machine definition",
  limit: 1_048_576,
  unit: "characters",
  adjustable: false,
};

/**
 * IAM User Guide, "IAM and AWS STS quotas": IAM object quotas, "Roles in an AWS account": 1,000 by
 * default, increased on request up to 5,000. The roles the account already has count too: synth
 * checks the ones this configuration creates.
 */
export const ROLES_PER_ACCOUNT: AwsQuota = {
  service: "IAM",
  name: "Roles in an AWS account",
  limit: 1000,
  unit: "roles",
  adjustable: true,
};

/** What a raised "Roles in an AWS account" may be: from the default to the 5,000 IAM grants at most. */
export const MAX_IAM_ROLES: Constraint = { min: ROLES_PER_ACCOUNT.limit, max: 5000 };

/** Thrown when a configuration needs more than a quota allows; the message is one line. */
export class QuotaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuotaError";
  }
}

export interface QuotaCheck {
  /** What needs the count, e.g. "the REST API" or a template file. */
  readonly what: string;
  /** How the count is made up, e.g. 'its root "/" and 301 paths'. @default nothing */
  readonly detail?: string;
  /** The account's raised value of an adjustable quota. @default the quota's default */
  readonly limit?: number;
  /** The setting (or prop) that holds the raised value of an adjustable quota. */
  readonly setting?: string;
}

/** Throws a {@link QuotaError} when `count` is over the quota. */
export function checkQuota(quota: AwsQuota, count: number, check: QuotaCheck): void {
  const limit = check.limit ?? quota.limit;
  if (count <= limit) return;
  const raised = limit === quota.limit ? "" : `, raised to ${limit.toLocaleString("en-US")}`;
  const remedy = quota.adjustable
    ? `AWS raises it on request: once it has, set ${check.setting} to the new value`
    : "AWS does not raise it: make the configuration smaller";
  throw new QuotaError(
    `${quota.service} quota "${quota.name}" (${quota.limit.toLocaleString("en-US")} ${quota.unit}${raised}) exceeded: ` +
      `${check.what} needs ${count.toLocaleString("en-US")} ${quota.unit}${check.detail ? ` (${check.detail})` : ""}; ${remedy}`,
  );
}
