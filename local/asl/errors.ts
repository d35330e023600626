/**
 * Errors as Step Functions raises them: a name (`States.Runtime`, `States.TaskFailed`, a service's
 * `DynamoDB.ConditionalCheckFailedException`…) and a cause, which Retry and Catch match by name.
 * Names and the meaning of each: Step Functions Developer Guide, "Handling errors in Step Functions
 * workflows" (Error names).
 */

/** An error a state raises, matchable by Retry / Catch (unless {@link StatesError.terminal}). */
export class StatesError extends Error {
  constructor(
    /** The error name, e.g. `States.Runtime`. */
    readonly error: string,
    /** The cause, a text (may be empty). */
    readonly causeText: string | undefined,
    /**
     * AWS never retries nor catches States.Runtime (and States.DataLimitExceeded is caught only by
     * name... see below); true for errors no Retry/Catch may handle.
     */
    readonly terminal = false,
  ) {
    super(causeText ?? error);
    this.name = error;
  }
}

/**
 * The errors "States.ALL" does not match: "States.ALL … does not match States.DataLimitExceeded
 * or States.Runtime" (Developer Guide, "Error names"). States.Runtime is not retriable at all;
 * States.DataLimitExceeded "is terminal and cannot be caught by the States.ALL error type".
 */
export const NOT_MATCHED_BY_STATES_ALL = new Set(["States.Runtime", "States.DataLimitExceeded"]);

/** `An error occurred while executing the state '<name>' (entered at the event id #<n>). <text>` (recorded on AWS). */
export function stateRuntimeCause(stateName: string, enteredEventId: number, text: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${text}`;
}

/**
 * An error raised while evaluating a field of a state, before the state's name is known to the
 * evaluator; the interpreter prefixes the state (see {@link stateRuntimeCause}).
 */
export class FieldError extends Error {
  constructor(
    readonly error: string,
    readonly text: string,
  ) {
    super(text);
    this.name = error;
  }
}
