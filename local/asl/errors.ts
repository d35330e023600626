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
    /** True for an error no Retry or Catch may handle (the emulator's own gaps, see local/workflow.ts). */
    readonly terminal = false,
  ) {
    super(causeText ?? error);
    this.name = error;
  }
}

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
