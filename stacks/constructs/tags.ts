/** Tags of the resources a construct creates. */
import { Fn, Token } from "cdktf";

/** Tags for every taggable resource: a map, or a Terraform expression that is one (the module's var.tags). */
export type Tags = Readonly<Record<string, string>>;

/**
 * The `tags` argument of a resource: the given tags, then the resource's own (which win, e.g. an
 * instance's Name). Nothing when both are empty, so that a stack without tags writes no `tags`
 * (the provider's default_tags still apply); `merge(...)` when the tags are a Terraform expression.
 */
export function resourceTags(tags: Tags | undefined, own: Tags = {}): Record<string, string> | undefined {
  if (tags !== undefined && Token.isUnresolved(tags)) {
    return Object.keys(own).length === 0 ? (tags as Record<string, string>) : Token.asStringMap(Fn.merge([tags, own]));
  }
  const merged = { ...tags, ...own };
  return Object.keys(merged).length === 0 ? undefined : merged;
}
