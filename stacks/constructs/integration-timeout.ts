/**
 * How long API Gateway waits for a route's integration (its `timeout_milliseconds`), and the rule
 * between it and an EXPRESS workflow's own timeout: the route that waits for the execution
 * (StartSyncExecution) must not give up before the execution does.
 *
 * API Gateway Developer Guide, "Quotas for configuring and running a REST API in API Gateway":
 * "Integration timeout | 50 milliseconds - 29 seconds for all integration types ... | Yes", with
 * "You can't set the integration timeout to less than 50 milliseconds. You can raise the integration
 * timeout to greater than 29 seconds for Regional APIs and private APIs, but this might require a
 * reduction in your account-level throttle quota limit" (What's New, 2024-06-04, "Amazon API Gateway
 * integration timeout limit increase beyond 29 seconds"). This API is always Regional or private
 * (rest-api.ts), never edge-optimized, so the longer timeouts are open to it once the account's
 * quota is raised (aws-quotas.ts, INTEGRATION_TIMEOUT). The hashicorp/aws provider (5.100.0)
 * refuses `timeout_milliseconds` outside 50 to 300,000; an EXPRESS workflow runs at most five
 * minutes (Step Functions Developer Guide, "Choosing workflow type": maximum duration 5 minutes),
 * so nothing this API calls synchronously needs longer.
 */
import { Fn, Op, type Precondition, Token } from "cdktf";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import { INTEGRATION_TIMEOUT } from "./aws-quotas";

/** What an integration timeout may be, in milliseconds: 50 up to the 300,000 a raised quota allows. */
export const INTEGRATION_TIMEOUT_MS = { min: 50, max: 300_000 } as const satisfies Constraint;

/** The integration timeout when nothing is said: API Gateway's default quota, 29,000 ms. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = INTEGRATION_TIMEOUT.limit;

/** The longest an EXPRESS execution runs (Step Functions Developer Guide, "Choosing workflow type": five minutes). */
export const EXPRESS_MAX_DURATION_SECONDS = 300;

/** Checks a timeout given as a number; a Terraform expression (the module's variable) is checked by the variable's validation. */
export function checkIntegrationTimeout(timeoutMs: number): void {
  if (!Token.isUnresolved(timeoutMs)) checkConstraint("integration timeout (ms)", INTEGRATION_TIMEOUT_MS, timeoutMs);
}

export interface ExpressTimeoutCheck {
  /** The workflow, for messages. */
  readonly workflow: string;
  /** The top-level TimeoutSeconds of its definition as rendered at synth. @default none: the execution may run 5 minutes */
  readonly timeoutSeconds?: unknown;
  /** The integration timeout of its synchronous route, in milliseconds; may be a Terraform expression. */
  readonly integrationTimeoutMs: number;
  /** The prop (and setting) that holds the integration timeout, for messages, e.g. "integrationTimeoutMs". */
  readonly setting: string;
}

/** What an EXPRESS workflow's timeout means for its synchronous route. */
export type ExpressTimeoutVerdict =
  | { readonly kind: "fits" }
  /** Over the integration timeout: synth stops with the message. */
  | { readonly kind: "too-long"; readonly message: string }
  /** No TimeoutSeconds and an integration timeout under 5 minutes: synth warns with the message. */
  | { readonly kind: "unbounded"; readonly message: string }
  /** The integration timeout is a Terraform expression: the condition (and its message) goes on the integration. */
  | { readonly kind: "at-plan"; readonly condition: string; readonly message: string };

/**
 * Compares an EXPRESS workflow's top-level TimeoutSeconds with the integration timeout of the route
 * that waits for it. Longer is refused: API Gateway would answer 504 while the execution goes on,
 * and the client, retrying, would start it again. A TimeoutSeconds that is not a positive whole
 * number was decided by a Terraform expression (workflow-template.ts renders those as 0 at synth)
 * and is not compared.
 */
export function expressTimeoutVerdict(check: ExpressTimeoutCheck): ExpressTimeoutVerdict {
  const { workflow, timeoutSeconds, integrationTimeoutMs: timeoutMs, setting } = check;
  const quota = `the account's API Gateway quota "${INTEGRATION_TIMEOUT.serviceQuotasName}"`;
  if (timeoutSeconds === undefined) {
    // A Terraform expression (the module's variable) is not known here; the root stack, built from
    // the same configuration, warns for the configured value.
    if (Token.isUnresolved(timeoutMs) || timeoutMs >= EXPRESS_MAX_DURATION_SECONDS * 1000) return { kind: "fits" };
    // Not an error (AWS runs such a workflow), but the one case where a client gets 504 and the
    // execution goes on for up to five minutes, unseen. The demo's EXPRESS workflow sets
    // TimeoutSeconds, so the default configuration prints nothing.
    return {
      kind: "unbounded",
      message:
        `workflow ${workflow}: an EXPRESS workflow without TimeoutSeconds runs up to ${EXPRESS_MAX_DURATION_SECONDS} s, ` +
        `but its route gives up after ${setting} (${timeoutMs} ms) and answers 504 while the execution goes on: ` +
        `set TimeoutSeconds to at most ${Math.floor(timeoutMs / 1000)} in its definition`,
    };
  }
  if (typeof timeoutSeconds !== "number" || !Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) return { kind: "fits" };
  const neededMs = timeoutSeconds * 1000;
  const atPlan = Token.isUnresolved(timeoutMs);
  if (!atPlan && timeoutMs >= neededMs) return { kind: "fits" };
  if (atPlan && timeoutSeconds > EXPRESS_MAX_DURATION_SECONDS) {
    // Longer than any integration timeout: no need to wait for the plan.
    return {
      kind: "too-long",
      message:
        `workflow ${workflow}: its TimeoutSeconds (${timeoutSeconds}) is longer than an EXPRESS execution runs ` +
        `(${EXPRESS_MAX_DURATION_SECONDS} s) and than any integration timeout (${INTEGRATION_TIMEOUT_MS.max} ms at most): ` +
        `lower it to at most ${EXPRESS_MAX_DURATION_SECONDS}`,
    };
  }
  // At plan the value is a Terraform expression: the message names it by what it is, and Terraform
  // writes the value, then the whole seconds in it, in place of the two %d (atPlanPrecondition).
  const name = atPlan ? "the integration timeout" : setting;
  const value = atPlan ? "%d" : String(timeoutMs);
  const seconds = atPlan ? "%d" : String(Math.floor(timeoutMs / 1000));
  const raise = (ms: number) =>
    ms > DEFAULT_INTEGRATION_TIMEOUT_MS ? ` (above ${DEFAULT_INTEGRATION_TIMEOUT_MS} needs ${quota} raised)` : "";
  const maxMs = INTEGRATION_TIMEOUT_MS.max;
  const remedy =
    timeoutSeconds > EXPRESS_MAX_DURATION_SECONDS
      ? `lower TimeoutSeconds to at most ${seconds} (an EXPRESS execution runs ${EXPRESS_MAX_DURATION_SECONDS} s at most anyway)` +
        (timeoutMs >= maxMs ? "" : `, or to at most ${EXPRESS_MAX_DURATION_SECONDS} and raise ${name} to ${maxMs}${raise(maxMs)}`)
      : `lower TimeoutSeconds to at most ${seconds}, or raise ${name} to at least ${neededMs}${raise(neededMs)}`;
  const message =
    `workflow ${workflow}: its TimeoutSeconds (${timeoutSeconds}) is longer than ${name} (${value} ms), so API Gateway ` +
    `would answer 504 while the execution goes on: ${remedy}`;
  return atPlan ? { kind: "at-plan", condition: Token.asString(Op.gte(timeoutMs, neededMs)), message } : { kind: "too-long", message };
}

/**
 * The verdict "at-plan" as a precondition of the integration: Terraform stops the plan with the
 * same message, the timeout it was given and its whole seconds in place of the %d.
 */
export function atPlanPrecondition(verdict: { readonly condition: string; readonly message: string }, timeoutMs: number): Precondition {
  return { condition: verdict.condition, errorMessage: `${Fn.format(verdict.message, [timeoutMs, Fn.floor(Op.div(timeoutMs, 1000))])}.` };
}
