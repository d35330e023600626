/**
 * Retry and Catch: which retrier or catcher handles an error, and how long a retry waits
 * (Developer Guide, "Handling errors in Step Functions workflows").
 *
 * - `States.ALL` matches every error but States.Runtime: a States.Runtime error is never
 *   retried nor caught, even when named (recorded on AWS: LocalStack
 *   tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::test_catch_states_runtime).
 *   States.DataLimitExceeded of a Task result is caught by States.ALL (recorded:
 *   tests/aws/services/stepfunctions/v2/error_handling/test_states_errors.py::
 *   test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response).
 * - `States.TaskFailed` matches any error of a Task except States.Timeout (Developer Guide, "Error
 *   names").
 * - Retrier defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0; the wait before retry
 *   n (0-based) is IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, and with
 *   `JitterStrategy: FULL` a random duration between 0 and that.
 */

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: "FULL" | "NONE";
}

export function errorMatches(errorEquals: readonly string[], error: string, fromTask: boolean): boolean {
  if (error === "States.Runtime") return false;
  return errorEquals.some(
    (name) => name === error || name === "States.ALL" || (name === "States.TaskFailed" && fromTask && error !== "States.Timeout"),
  );
}

/** The pause before the next attempt, in seconds, or undefined when the retrier is used up. */
export function retryDelaySeconds(retrier: Retrier, retriesSoFar: number, random: () => number = Math.random): number | undefined {
  const maxAttempts = retrier.MaxAttempts ?? 3;
  if (retriesSoFar >= maxAttempts) return undefined;
  let delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retriesSoFar;
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === "FULL") delay *= random();
  return delay;
}
