/** Reading what a synthesized cdk.tf.json tells Terraform to create. */
import * as fs from "fs";
import * as path from "path";
import { parseTemplatefileCall } from "../../local/terraform-json";
import { parseTemplate, renderTemplate } from "../../stacks/terraform-template";

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

/**
 * Splits a `${templatefile("path", {"name" = value})}` expression, as cdktf writes it, into the
 * asset path and the variables (values that are Terraform references stay as their text).
 */
export function templatefileCall(expression: string): { path: string; variables: Record<string, string | number> } {
  // The local API reads the same expressions; one parser serves both.
  const call = parseTemplatefileCall(expression);
  const variables: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(call.variables)) variables[name] = value.kind === "literal" ? value.value : value.text;
  return { path: call.path, variables };
}

/** Renders a state machine's definition as Terraform's templatefile() will, from the stack's own asset. */
export function renderedDefinition(stackDir: string, machine: Record<string, any>): Record<string, any> {
  const call = templatefileCall(machine.definition);
  // Definitions name their asset from path.module, which is the stack folder for a root module.
  const file = path.join(stackDir, call.path.replace(/^\$\{path\.module\}\//, ""));
  return JSON.parse(renderTemplate(parseTemplate(fs.readFileSync(file, "utf8"), file), call.variables));
}
