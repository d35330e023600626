/**
 * References to resources that exist zero or one time (`count`), which cdktf's attribute getters
 * do not index: the module creates the demo instance and the API key only when its variables ask.
 */
import { Fn, TerraformDataSource, type TerraformResource, Token, ref } from "cdktf";

/** `count = condition ? 1 : 0`. */
export function countIf(condition: unknown): number {
  return Token.asNumber(Fn.conditional(condition, 1, 0));
}

/** Every instance's value of an attribute (a list token: empty when the count is 0). */
export function everyInstance(element: TerraformResource | TerraformDataSource, attribute: string): string[] {
  const prefix = TerraformDataSource.isTerraformDataSource(element) ? "data." : "";
  return Token.asList(ref(`${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}[*].${attribute}`));
}

/** The value of an attribute of the single instance, or null when the count is 0. */
export function onlyInstance(element: TerraformResource | TerraformDataSource, attribute: string): string {
  return Token.asString(Fn.one(everyInstance(element, attribute)));
}
