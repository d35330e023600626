/**
 * A rule between settings, declared once as data: the deploy side evaluates it (at synth, on the
 * configuration and on a construct's props) and the reusable module compiles the same declaration
 * into a Terraform variable validation, so both refuse the same combinations with the same words.
 *
 * A rule forbids a condition over named facts (the settings' keys); its problem names the facts as
 * `{key}`, which each reader spells its own way (the setting's key, the prop, the module variable).
 */

/** A value a fact is compared with. */
export type FactValue = string | number | boolean;

/**
 * A condition over facts: a comparison, a test of one item of a list fact (a list setting is its
 * items joined by commas, "" when empty), or all or any of several.
 */
export type Condition<F extends string = string> =
  | { readonly fact: F; readonly is: FactValue }
  | { readonly fact: F; readonly isNot: FactValue }
  | { readonly fact: F; readonly includes: string }
  | { readonly fact: F; readonly excludes: string }
  | { readonly all: readonly Condition<F>[] }
  | { readonly any: readonly Condition<F>[] };

/** A combination that is refused, and what to tell whoever asked for it. */
export interface Rule<F extends string = string> {
  readonly forbid: Condition<F>;
  /** One line; `{fact}` stands for a fact's name as the reader spells it. */
  readonly problem: string;
}

/** Whether a condition holds for the facts' values. */
export function holds<F extends string>(condition: Condition<F>, factValue: (fact: F) => unknown): boolean {
  if ("all" in condition) return condition.all.every((c) => holds(c, factValue));
  if ("any" in condition) return condition.any.some((c) => holds(c, factValue));
  if ("includes" in condition) return listItems(factValue(condition.fact)).includes(condition.includes);
  if ("excludes" in condition) return !listItems(factValue(condition.fact)).includes(condition.excludes);
  return "is" in condition ? factValue(condition.fact) === condition.is : factValue(condition.fact) !== condition.isNot;
}

/** The condition that holds exactly when `condition` does not (negation pushed to the comparisons). */
export function negate<F extends string>(condition: Condition<F>): Condition<F> {
  if ("all" in condition) return { any: condition.all.map(negate) };
  if ("any" in condition) return { all: condition.any.map(negate) };
  if ("includes" in condition) return { fact: condition.fact, excludes: condition.includes };
  if ("excludes" in condition) return { fact: condition.fact, includes: condition.excludes };
  return "is" in condition ? { fact: condition.fact, isNot: condition.is } : { fact: condition.fact, is: condition.isNot };
}

/** The items of a list fact: its text split at commas (spaces around an item ignored), "" none. */
export function listItems(value: unknown): string[] {
  return String(value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** The facts a condition reads, in the order it names them, each once. */
export function factsOf<F extends string>(condition: Condition<F>): F[] {
  const facts =
    "all" in condition ? condition.all.flatMap(factsOf) : "any" in condition ? condition.any.flatMap(factsOf) : [condition.fact];
  return [...new Set(facts)];
}

/** The rule's problem with each `{fact}` spelled by `nameOf`. */
export function ruleProblem<F extends string>(rule: Rule<F>, nameOf: (fact: F) => string): string {
  return rule.problem.replace(/\{([A-Za-z]+)\}/g, (_, fact: F) => nameOf(fact));
}
