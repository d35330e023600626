/**
 * The context object (`$$` in JSONPath, `$states.context` in JSONata): Developer Guide, "Accessing
 * execution data from the Context object in Step Functions". Shape as recorded on AWS (LocalStack
 * tests/aws/services/stepfunctions/v2/base/test_base.py::test_query_context_object_values):
 * `Execution {Id, Input, Name, RoleArn, StartTime, RedriveCount}`, `StateMachine {Id, Name}`,
 * `State {Name, EnteredTime}` (with `RetryCount` in Task states, Developer Guide), and
 * `Map.Item {Index, Value}` inside a Map iteration. A Pass state's `$$.State` has no RetryCount
 * (recorded: tests/aws/services/stepfunctions/v2/context_object/test_context_object.py::test_input_path[$$]).
 */
import type { JsonObject, JsonValue } from "./json";

export interface ExecutionInfo {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** Default `arn:aws:iam::<account>:role/<machine>-role`, derived from the state machine ARN. */
  readonly roleArn?: string;
  /** ISO-8601 with milliseconds, as AWS writes StartTime. */
  readonly startTime: string;
  readonly input: JsonValue;
}

export interface MapItem {
  readonly index: number;
  readonly value: JsonValue;
}

export function contextObject(
  execution: ExecutionInfo,
  stateName: string,
  enteredTime: string,
  retryCount: number | undefined,
  item?: MapItem,
): JsonObject {
  const account = /^arn:[^:]+:states:[^:]*:(\d{12}):/.exec(execution.stateMachineArn)?.[1] ?? "123456789012";
  const context: JsonObject = {
    Execution: {
      Id: execution.executionArn,
      Input: execution.input,
      StartTime: execution.startTime,
      Name: execution.executionName,
      RoleArn: execution.roleArn ?? `arn:aws:iam::${account}:role/${execution.stateMachineName}-role`,
      RedriveCount: 0,
    },
    StateMachine: { Id: execution.stateMachineArn, Name: execution.stateMachineName },
    State: { Name: stateName, EnteredTime: enteredTime, ...(retryCount !== undefined ? { RetryCount: retryCount } : {}) },
  };
  if (item !== undefined) context.Map = { Item: { Index: item.index, Value: item.value } };
  return context;
}
