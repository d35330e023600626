import type { IConstruct } from "constructs";
import { type ITerraformDependable, TerraformResource, Token } from "cdktf";

/**
 * Something that changes the behaviour of the deployed API. The stage's deployment hashes every
 * part's fingerprint and waits for every part's resources, so a change to any part redeploys.
 */
export interface DeploymentPart extends IConstruct {
  /** What the deployment must wait for before it snapshots the API. */
  readonly dependables: readonly ITerraformDependable[];
  /** Everything about the part that changes the API's behaviour (see {@link Fingerprint}). */
  readonly deploymentFingerprint: Fingerprint;
}

/**
 * What a deployment part hashes: plain values (e.g. a route's path), and the part's resources,
 * each standing for its {@link BEHAVIOUR_ATTRIBUTES} as Terraform plans them (rendered templates
 * included), in lists and objects with identifier keys.
 */
export type Fingerprint = string | number | boolean | TerraformResource | readonly Fingerprint[] | { readonly [key: string]: Fingerprint };

/**
 * The attributes of each kind of part resource that change what a deployment serves: every
 * argument of the resource except its place (id, rest_api_id, resource_id, parent_id, and the
 * http_method of what hangs off a method) and the few UNHASHED_ARGUMENTS, whether this project sets
 * it or not, so that a setting added later is hashed too. Only arguments: computed attributes (IDs,
 * dates) say nothing about behaviour, and a mocked plan would give them new values on every run.
 * __tests__/terraform/terraform.test.ts checks the two lists against the provider's schema.
 *
 * The REST API itself: AWS applies an UpdateRestApi (endpoint configuration, the default endpoint,
 * binary media types, compression, API key source, an imported body) only through a deployment
 * (API Gateway Developer Guide, "Updates to REST APIs that require redeployment": RestApi and
 * disableExecuteApiEndpoint; "Disable the default endpoint for REST APIs": "This setting takes
 * affect when you update any setting on any stage, such as updating the deployment on the stage").
 */
export const BEHAVIOUR_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_api_gateway_rest_api: [
    "endpoint_configuration",
    "disable_execute_api_endpoint",
    "binary_media_types",
    "minimum_compression_size",
    "api_key_source",
    "body",
    "parameters",
    "put_rest_api_mode",
  ],
  aws_api_gateway_resource: ["path_part"],
  aws_api_gateway_request_validator: ["name", "validate_request_body", "validate_request_parameters"],
  aws_api_gateway_model: ["name", "content_type", "description", "schema"],
  aws_api_gateway_method: [
    "http_method",
    "authorization",
    "authorizer_id",
    "authorization_scopes",
    "api_key_required",
    "operation_name",
    "request_models",
    "request_parameters",
    "request_validator_id",
  ],
  aws_api_gateway_integration: [
    "type",
    "uri",
    "credentials",
    "integration_http_method",
    "connection_type",
    "connection_id",
    "passthrough_behavior",
    "content_handling",
    "request_parameters",
    "request_templates",
    "timeout_milliseconds",
    "cache_key_parameters",
    "tls_config",
  ],
  aws_api_gateway_method_response: ["status_code", "response_models", "response_parameters"],
  aws_api_gateway_integration_response: [
    "status_code",
    "selection_pattern",
    "content_handling",
    "response_parameters",
    "response_templates",
  ],
  aws_api_gateway_gateway_response: ["response_type", "status_code", "response_parameters", "response_templates"],
  aws_api_gateway_rest_api_policy: ["policy"],
  // "Authorizer ... The update requires redeploying the API" ("Updates to REST APIs that require redeployment").
  aws_api_gateway_authorizer: [
    "name",
    "type",
    "authorizer_uri",
    "authorizer_credentials",
    "authorizer_result_ttl_in_seconds",
    "identity_source",
    "identity_validation_expression",
    "provider_arns",
  ],
};

/** Arguments of part resources that the trigger leaves out, each with the reason. */
export const UNHASHED_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_api_gateway_rest_api: {
    name: "a label: the invoke URL and every route stay the same",
    description: "a label shown in the console",
    tags: "metadata of the API, not of what it serves",
    tags_all: "metadata of the API, not of what it serves",
    fail_on_warnings: "whether Terraform fails an import (body) with warnings; the imported body is hashed",
    policy:
      "computed: it mirrors the aws_api_gateway_rest_api_policy attached to the API (hashed), so hashing it too " +
      "would redeploy once more on the apply after every policy change; the stack never sets it (a test checks)",
  },
  aws_api_gateway_integration: {
    cache_namespace:
      "computed (the resource's ID unless set): which cached responses integrations share, used only by a " +
      "stage cache cluster, which the stack never enables; cache_key_parameters is hashed",
  },
};

/** The Terraform address of a resource, e.g. aws_api_gateway_method.express_start_method. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A fingerprint as the text of a Terraform expression (no `${}` around it), built from resource
 * addresses: a resource becomes an object of references to its behaviour attributes.
 */
export function fingerprintExpression(fingerprint: Fingerprint): string {
  if (fingerprint instanceof TerraformResource) {
    const attributes = BEHAVIOUR_ATTRIBUTES[fingerprint.terraformResourceType];
    if (!attributes)
      throw new Error(`${fingerprint.node.path}: no behaviour attributes are listed for ${fingerprint.terraformResourceType}`);
    // A resource that exists zero or one time (count: the module's authorizers) is a list of its instances' values.
    const address = addressOf(fingerprint) + (fingerprint.count === undefined ? "" : "[*]");
    return `{${attributes.map((attribute) => `${attribute} = ${address}.${attribute}`).join(", ")}}`;
  }
  if (Array.isArray(fingerprint)) return `[${fingerprint.map(fingerprintExpression).join(", ")}]`;
  if (typeof fingerprint === "string") {
    if (Token.isUnresolved(fingerprint))
      throw new Error(`a deployment fingerprint holds a token (${fingerprint}): give the resource instead`);
    // A JSON string is an HCL string once its template sequences are escaped.
    return JSON.stringify(fingerprint).replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  }
  if (typeof fingerprint === "number" || typeof fingerprint === "boolean") {
    if (Token.isUnresolved(fingerprint)) throw new Error("a deployment fingerprint holds a token: give the resource instead");
    return String(fingerprint);
  }
  const entries = Object.entries(fingerprint as { readonly [key: string]: Fingerprint });
  for (const [key] of entries) if (!IDENTIFIER.test(key)) throw new Error(`deployment fingerprint key "${key}" is not an identifier`);
  return `{${entries.map(([key, value]) => `${key} = ${fingerprintExpression(value)}`).join(", ")}}`;
}
