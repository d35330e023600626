/**
 * What a value must be, declared once: the deploy side checks configuration with it at synth, and
 * the reusable module turns the same declaration into a Terraform variable validation, so both
 * accept the same values. A pattern is a regular expression both JavaScript and Terraform read (no
 * backslashes: cdktf's HCL writer does not escape them).
 */
export type Constraint =
  | { readonly pattern: string; readonly problem: string }
  | { readonly oneOf: readonly (string | number)[]; readonly problem?: string }
  | { readonly min: number; readonly max: number };

/** What is wrong with a value that breaks the constraint, e.g. "must be between 1 and 5000". */
export function constraintMessage(constraint: Constraint): string {
  if ("pattern" in constraint) return constraint.problem;
  if ("oneOf" in constraint) return constraint.problem ?? `must be one of ${constraint.oneOf.map((a) => JSON.stringify(a)).join(", ")}`;
  return `must be between ${constraint.min} and ${constraint.max}`;
}

/** The problem with a value, or undefined when the constraint accepts it. */
export function constraintProblem(constraint: Constraint, value: string | number): string | undefined {
  const accepted =
    "pattern" in constraint
      ? new RegExp(constraint.pattern).test(String(value))
      : "oneOf" in constraint
        ? constraint.oneOf.includes(value)
        : Number(value) >= constraint.min && Number(value) <= constraint.max;
  return accepted ? undefined : constraintMessage(constraint);
}

/**
 * Checks a value where a prop is owned and throws one message naming what is checked, e.g.
 * `stage name "a b" must hold 1 to 128 letters, ...`.
 */
export function checkConstraint(what: string, constraint: Constraint, value: string | number): void {
  const problem = constraintProblem(constraint, value);
  if (problem) throw new Error(`${what} ${JSON.stringify(value)} ${problem}`);
}
