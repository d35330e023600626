/**
 * A role's statements as AWS will hold them: merged into as few statements as possible, sized as
 * IAM sizes them, and packed into the role's inline policy and as many customer managed policies
 * as the role may have (as aws-cdk-lib's PolicyDocument minimizes and splits its statements).
 */
import type { PolicyStatement } from "./iam";
import { worstCase, worstCaseList } from "./worst-case";

/**
 * IAM's quotas on a role's policies (IAM User Guide, "IAM and AWS STS quotas": "Role policy size",
 * "Managed policy size", "Managed policies attached to an IAM role"). IAM counts a policy's
 * characters without white space. Past them PutRolePolicy and CreatePolicy fail with LimitExceeded.
 */
export const IAM_POLICY_QUOTAS = {
  /** All inline policies of a role together. */
  roleInlinePolicies: 10_240,
  /** One customer managed policy. */
  managedPolicy: 6_144,
  /** Managed policies attached to a role: the default quota... */
  managedPoliciesPerRole: 10,
  /** ...and the most AWS raises it to on request. */
  managedPoliciesPerRoleMax: 20,
} as const;

/** Condition operators whose values are alternatives (IAM User Guide, "Condition operators": several values of one key match if any matches). */
const ANY_OF_OPERATORS = new Set(["StringEquals", "StringLike", "ArnEquals", "ArnLike"]);

/** Statements that allow the same as `statements`, in as few statements as possible. */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  let current = mergeBy(
    statements.map(normalize),
    (s) => JSON.stringify(rendered(s)),
    (group) => group[0],
  );
  for (;;) {
    const before = current.length;
    current = mergeBy(current, (s) => anyOfKey(s), mergeConditionValues);
    current = mergeBy(
      current,
      (s) => JSON.stringify([s.Effect, s.Resource, s.Condition ?? null]),
      (group) => combine(group, { Action: unique(group.flatMap((s) => s.Action)).sort() }),
    );
    current = mergeBy(
      current,
      (s) => JSON.stringify([s.Effect, s.Action, s.Condition ?? null]),
      (group) => combine(group, { Resource: unique(group.flatMap((s) => s.Resource)) }),
    );
    if (current.length === before) return current;
  }
}

/** A statement as IAM holds it: without the fields only this model reads. */
export function rendered(statement: PolicyStatement): PolicyStatement {
  const { mergedSid: _, ...iam } = statement;
  return iam;
}

/** The characters IAM counts in a policy document of these statements: no white space, references at their longest. */
export function policySize(statements: readonly PolicyStatement[]): number {
  return iamLength({ Version: "2012-10-17", Statement: statements.map(worstCaseStatement) });
}

/** The characters IAM counts in a JSON value (IAM does not count white space). */
export function iamLength(value: unknown): number {
  return JSON.stringify(value).replace(/\s/g, "").length;
}

/** How many policies of which size a role may have: its inline policy, then its managed policies. */
export interface PolicyCapacity {
  /** @default IAM_POLICY_QUOTAS.roleInlinePolicies */
  readonly inline?: number;
  /** @default IAM_POLICY_QUOTAS.managedPolicy */
  readonly managed?: number;
  /** @default IAM_POLICY_QUOTAS.managedPoliciesPerRole */
  readonly managedPolicies?: number;
}

/** Thrown when statements exceed what a role's policies can hold. */
export class PolicyCapacityExceeded extends Error {
  constructor(
    public readonly size: number,
    public readonly limit: number,
  ) {
    super(`policies of ${size} characters exceed the ${limit} a role can hold`);
  }
}

/**
 * Packs statements into policy documents: the first is the inline policy, the others managed
 * policies. A statement that does not fit is split across documents by its resources (or by the
 * values of its one condition key), keeping its Sid in each. Throws PolicyCapacityExceeded when the
 * role cannot hold them all.
 */
export function packStatements(statements: readonly PolicyStatement[], capacity: PolicyCapacity = {}): PolicyStatement[][] {
  const inline = capacity.inline ?? IAM_POLICY_QUOTAS.roleInlinePolicies;
  const managed = capacity.managed ?? IAM_POLICY_QUOTAS.managedPolicy;
  const limits = [inline, ...Array<number>(capacity.managedPolicies ?? IAM_POLICY_QUOTAS.managedPoliciesPerRole).fill(managed)];
  const pages: PolicyStatement[][] = [[]];
  const exceeded = (): never => {
    throw new PolicyCapacityExceeded(
      policySize(statements),
      limits.reduce((sum, limit) => sum + limit, 0),
    );
  };
  const nextPage = (): void => {
    if (pages.length === limits.length) exceeded();
    pages.push([]);
  };
  const fits = (page: PolicyStatement[], statement: PolicyStatement, limit: number): boolean => policySize([...page, statement]) <= limit;
  const pending = [...statements];
  while (pending.length > 0) {
    const statement = pending.shift()!;
    const page = pages[pages.length - 1];
    const limit = limits[pages.length - 1];
    if (fits(page, statement, limit)) {
      page.push(statement);
      continue;
    }
    const parts = splittable(statement);
    // The most items that fit on this page (sizes grow with the items: a binary search).
    let low = 0;
    let high = parts ? parts.items.length - 1 : 0;
    while (parts && low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(page, parts.make(parts.items.slice(0, middle)), limit)) low = middle;
      else high = middle - 1;
    }
    if (parts && low > 0) {
      page.push(parts.make(parts.items.slice(0, low)));
      pending.unshift(parts.make(parts.items.slice(low)));
    } else if (page.length === 0) {
      exceeded(); // not even alone on an empty page, and not splittable further
    } else {
      pending.unshift(statement);
    }
    nextPage();
  }
  return pages.filter((page, index) => index === 0 || page.length > 0);
}

/** The list a statement can be split along, and how to rebuild it from part of that list. */
function splittable(statement: PolicyStatement): { items: string[]; make: (items: string[]) => PolicyStatement } | undefined {
  if (statement.Resource.length > 1) {
    return { items: [...statement.Resource], make: (items) => ({ ...statement, Resource: items }) };
  }
  const single = singleCondition(statement);
  if (single && Array.isArray(single.values) && single.values.length > 1) {
    return {
      items: [...single.values],
      make: (items) => ({ ...statement, Condition: { [single.operator]: { [single.key]: items } } }),
    };
  }
  return undefined;
}

function worstCaseStatement(statement: PolicyStatement): unknown {
  const iam = rendered(statement);
  return {
    ...iam,
    Resource: worstCaseList(iam.Resource),
    ...(iam.Condition
      ? {
          Condition: Object.fromEntries(
            Object.entries(iam.Condition).map(([operator, keys]) => [
              operator,
              Object.fromEntries(
                Object.entries(keys).map(([key, values]) => [key, typeof values === "string" ? worstCase(values) : worstCaseList(values)]),
              ),
            ]),
          ),
        }
      : {}),
  };
}

function normalize(statement: PolicyStatement): PolicyStatement {
  return { ...statement, Action: unique(statement.Action).sort(), Resource: unique(statement.Resource) };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Groups statements by `key` (in order of first appearance) and merges each group of several. */
function mergeBy(
  statements: readonly PolicyStatement[],
  key: (statement: PolicyStatement) => string | undefined,
  merge: (group: PolicyStatement[]) => PolicyStatement,
): PolicyStatement[] {
  const groups = new Map<string, PolicyStatement[]>();
  const order: Array<PolicyStatement[]> = [];
  for (const statement of statements) {
    const k = key(statement);
    const group = k === undefined ? undefined : groups.get(k);
    if (group) {
      group.push(statement);
      continue;
    }
    const fresh = [statement];
    if (k !== undefined) groups.set(k, fresh);
    order.push(fresh);
  }
  return order.map((group) => (group.length === 1 ? group[0] : merge(group)));
}

/** The statement's one condition, when it has exactly one operator with one key. */
function singleCondition(statement: PolicyStatement): { operator: string; key: string; values: string | readonly string[] } | undefined {
  const operators = Object.entries(statement.Condition ?? {});
  if (operators.length !== 1) return undefined;
  const [operator, keys] = operators[0];
  const entries = Object.entries(keys);
  if (entries.length !== 1) return undefined;
  return { operator, key: entries[0][0], values: entries[0][1] };
}

/** Statements that differ only in the values of one "any of" condition key merge into one with all the values. */
function anyOfKey(statement: PolicyStatement): string | undefined {
  const single = singleCondition(statement);
  if (!single || !ANY_OF_OPERATORS.has(single.operator)) return undefined;
  return JSON.stringify([statement.Effect, statement.Action, statement.Resource, single.operator, single.key]);
}

function mergeConditionValues(group: PolicyStatement[]): PolicyStatement {
  const { operator, key } = singleCondition(group[0])!;
  const values = unique(group.flatMap((s) => singleCondition(s)!.values));
  return combine(group, { Condition: { [operator]: { [key]: values.length === 1 ? values[0] : values } } });
}

/** One statement standing for `group`, with `change` applied and a Sid that says why. */
function combine(group: PolicyStatement[], change: Partial<PolicyStatement>): PolicyStatement {
  const sids = unique(group.map((s) => s.Sid));
  const merged = unique(group.map((s) => s.mergedSid));
  const Sid = sids.length === 1 ? sids[0] : merged.length === 1 && merged[0] ? merged[0] : sids.join("").slice(0, 100);
  const mergedSid = merged.length === 1 ? merged[0] : undefined;
  return { ...group[0], ...change, Sid, ...(mergedSid ? { mergedSid } : {}) };
}

/** Statements with Sids made unique within one document (IAM requires it), by a number suffix. */
export function uniqueSids(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const seen = new Map<string, number>();
  return statements.map((statement) => {
    const count = (seen.get(statement.Sid) ?? 0) + 1;
    seen.set(statement.Sid, count);
    return count === 1 ? statement : { ...statement, Sid: `${statement.Sid}${count}` };
  });
}
