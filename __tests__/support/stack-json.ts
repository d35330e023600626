/** Reading what a synthesized cdk.tf.json tells Terraform to create. */
import { expandOpenApiBodies } from "../../local/openapi-body";
import { LOCAL_ACCOUNT_ID, type LocalValues, TerraformStackJson } from "../../local/terraform-json";

/** One resource block of a type; fails when it is absent. */
export function resource(json: Record<string, any>, type: string, name: string): Record<string, any> {
  const block = json.resource?.[type]?.[name];
  if (!block) {
    throw new Error(`no ${type}.${name} in the stack; ${type}: ${Object.keys(json.resource?.[type] ?? {}).join(", ") || "none"}`);
  }
  return block;
}

/** All resource blocks of a type, by name. */
export function resources(json: Record<string, any>, type: string): Record<string, Record<string, any>> {
  return json.resource?.[type] ?? {};
}

/** Local stand-ins for what Terraform knows only after apply (us-east-1, account 123456789012). */
const LOCAL_VALUES: LocalValues = { region: "us-east-1", accountId: LOCAL_ACCOUNT_ID, instanceIds: ["i-0123456789abcdef0"] };

/**
 * The synthesized stack in the stack folder, read by the same code the local API uses: references
 * resolve to local values (a state machine's ARN is arn:aws:states:us-east-1:123456789012:stateMachine:<name>).
 */
export function localStack(stackDir: string): TerraformStackJson {
  return TerraformStackJson.read(stackDir, LOCAL_VALUES);
}

/** Renders a state machine's definition as Terraform's templatefile() will, from the stack's own asset. */
export function renderedDefinition(stackDir: string, machine: Record<string, any>): Record<string, any> {
  return localStack(stackDir).definition(machine.definition, "definition").definition;
}

/**
 * The stack's API Gateway resources: as cdk.tf.json declares them, or, for a REST API defined by
 * its OpenAPI body (apiDefinition "openapi"), as the import makes them (local/openapi-body.ts,
 * the body rendered with local values), so that a test reads the routes' templates in both modes.
 */
export function apiResources(stackDir: string): Record<string, any> {
  return expandOpenApiBodies(localStack(stackDir)) as Record<string, any>;
}

/** The path part of the resource a block hangs off (its resource_id), in `json` (see apiResources). */
export function pathPartOf(json: Record<string, any>, block: Record<string, any>): string | undefined {
  const name = /^\$\{aws_api_gateway_resource\.([^.]+)\.id\}$/.exec(String(block.resource_id))?.[1];
  return name === undefined ? undefined : json.resource?.aws_api_gateway_resource?.[name]?.path_part;
}

/**
 * cdk.tf.json of a stack with its routes as resources whatever its API definition: a REST API's
 * OpenAPI body replaced by the resources its import makes (apiResources), for a test that edits them.
 */
export function routesAsResources(stackDir: string): Record<string, any> {
  const json = apiResources(stackDir);
  for (const api of Object.values<Record<string, unknown>>(json.resource?.aws_api_gateway_rest_api ?? {})) {
    delete api.body;
    delete api.put_rest_api_mode;
  }
  return json;
}
