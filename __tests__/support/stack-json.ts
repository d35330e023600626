/** Reading what a synthesized cdk.tf.json tells Terraform to create. */
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
