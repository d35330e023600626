/**
 * Workflow variables and their scopes (Developer Guide, "Passing data between states with
 * variables", Variable scope): a Map iteration or a Parallel branch reads the variables of the
 * scopes around it, and what it assigns stays in its own scope (recorded on AWS: LocalStack
 * tests/aws/services/stepfunctions/v2/assign/test_assign_base.py::test_base_cases[BASE_SCOPE_MAP]
 * and ::test_base_parallel_cases[BASE_SCOPE_PARALLEL]). Values assigned by one state become visible
 * to the next state only: every Assign of a state is evaluated against the values before it
 * (Assign and Output are computed from the same input and result; recorded:
 * test_assign_reference_variables.py::test_state_assign_evaluation_order).
 */
import type { JsonValue } from "./json";

export class VariableScope {
  private readonly own = new Map<string, JsonValue>();

  constructor(private readonly parent?: VariableScope) {}

  /** A scope for a Map iteration or a Parallel branch. */
  child(): VariableScope {
    return new VariableScope(this);
  }

  get(name: string): JsonValue | undefined {
    if (this.own.has(name)) return this.own.get(name);
    return this.parent?.get(name);
  }

  /** Applies the assignments of one state, all at once. */
  assign(values: Readonly<Record<string, JsonValue>>): void {
    for (const [name, value] of Object.entries(values)) this.own.set(name, value);
  }

  /** Every variable visible here, inner scopes shadowing outer ones. */
  all(): Map<string, JsonValue> {
    const out = this.parent?.all() ?? new Map<string, JsonValue>();
    for (const [name, value] of this.own) out.set(name, value);
    return out;
  }
}
