/**
 * Cases of the differential test, written for this project from executions recorded on AWS.
 * `recording` names where AWS's answer was seen: a LocalStack snapshot file under
 * tests/aws/services/stepfunctions/v2/ (recorded against AWS, see its *.validation.json) and the
 * test in it. Definitions and inputs are our own, built to exercise what the recording shows; the
 * expected output or error is AWS's.
 */
import { StatesError } from "../../../local/asl/errors";
import type { TaskHandler } from "../../../local/asl/interpreter";

export type Area =
  | "choice operators"
  | "intrinsic functions"
  | "Map and Parallel"
  | "base data flow"
  | "variables"
  | "Output"
  | "query language"
  | "JSONata";

export interface RecordedCase {
  readonly area: Area;
  readonly recording: string;
  readonly name: string;
  readonly definition: Record<string, unknown>;
  readonly input: unknown;
  /** AWS's output, or its error and (when given) cause. */
  readonly expected: { readonly output: unknown } | { readonly error?: string; readonly cause?: string };
  readonly task?: TaskHandler;
}

const pass = (fields: Record<string, unknown>) => ({ StartAt: "S", States: { S: { Type: "Pass", ...fields, End: true } } });
const jsonataPass = (fields: Record<string, unknown>) => ({ QueryLanguage: "JSONata", ...pass(fields) });
/** One Pass computing `FunctionResult` from `FunctionInput`, the shape of the intrinsic recordings. */
const fn = (call: string) => pass({ Parameters: { "FunctionResult.$": call } });
const choice = (rule: Record<string, unknown>) => ({
  StartAt: "C",
  States: {
    C: { Type: "Choice", Choices: [{ ...rule, Next: "T" }], Default: "F" },
    T: { Type: "Pass", Result: "matched", End: true },
    F: { Type: "Pass", Result: "default", End: true },
  },
});
const failing =
  (error: string, cause: string): TaskHandler =>
  async () => {
    throw new StatesError(error, cause);
  };

const CHOICE = "choice_operators/";
const INTRINSIC = "intrinsic_functions/";

export const CASES: readonly RecordedCase[] = [
  // ---------------------------------------------------------------- choice operators
  ...(
    [
      ["test_string_operators.snapshot.json::test_string_equals", { StringEquals: "HelloWorld" }, "HelloWorld", true],
      ["test_string_operators.snapshot.json::test_string_equals", { StringEquals: "HelloWorld" }, 0, false],
      ["test_string_operators.snapshot.json::test_string_equals", { StringEquals: "HelloWorld" }, null, false],
      ["test_string_operators.snapshot.json::test_string_equals", { StringEquals: "\t\r\n" }, "\t\n", false],
      ["test_string_operators.snapshot.json::test_string_greater_than", { StringGreaterThan: "ABC" }, "AB", false],
      ["test_string_operators.snapshot.json::test_string_greater_than", { StringGreaterThan: "A " }, "A", false],
      ["test_string_operators.snapshot.json::test_string_less_than", { StringLessThan: "ABC" }, "AB", true],
      ["test_numeric.snapshot.json::test_numeric_equals", { NumericEquals: 0.0 }, 0, true],
      ["test_numeric.snapshot.json::test_numeric_equals", { NumericEquals: 1 }, 1.0, true],
      ["test_numeric.snapshot.json::test_numeric_equals", { NumericEquals: 0 }, null, false],
      ["test_numeric.snapshot.json::test_numeric_equals", { NumericEquals: 1 }, "1", false],
      ["test_numeric.snapshot.json::test_numeric_greater_than", { NumericGreaterThan: 0 }, 1, true],
      ["test_numeric.snapshot.json::test_numeric_greater_than", { NumericGreaterThan: 1 }, 1, false],
      ["test_boolean_equals.snapshot.json::test_boolean_equals", { BooleanEquals: false }, 0, false],
      ["test_boolean_equals.snapshot.json::test_boolean_equals", { BooleanEquals: false }, null, false],
      ["test_boolean_equals.snapshot.json::test_boolean_equals", { BooleanEquals: true }, true, true],
      ["test_is_operators.snapshot.json::test_is_null", { IsNull: true }, null, true],
      ["test_is_operators.snapshot.json::test_is_null", { IsNull: false }, 0, true],
      ["test_is_operators.snapshot.json::test_is_boolean", { IsBoolean: false }, null, true],
      ["test_is_operators.snapshot.json::test_is_boolean", { IsBoolean: true }, "HelloWorld", false],
      ["test_is_operators.snapshot.json::test_is_numeric", { IsNumeric: true }, 1.1, true],
      ["test_is_operators.snapshot.json::test_is_numeric", { IsNumeric: false }, "", true],
      ["test_is_operators.snapshot.json::test_is_string", { IsString: true }, " ", true],
      ["test_is_operators.snapshot.json::test_is_timestamp", { IsTimestamp: true }, "2012-10-09T19:00:55Z", true],
      ["test_is_operators.snapshot.json::test_is_timestamp", { IsTimestamp: true }, "2023-02-24 12:15:56.832957", false],
      ["test_timestamp_operators.snapshot.json::test_timestamp_equals", { TimestampEquals: "2016-08-18T17:33:00Z" }, 0, false],
      [
        "test_timestamp_operators.snapshot.json::test_timestamp_equals",
        { TimestampEquals: "2016-08-18T17:33:00Z" },
        "2016-08-18T17:33:00Z",
        true,
      ],
      [
        "test_timestamp_operators.snapshot.json::test_timestamp_greater_than",
        { TimestampGreaterThan: "2016-08-18T17:33:00Z" },
        "2016-08-18T17:33:01Z",
        true,
      ],
    ] as const
  ).map(
    ([recording, operator, value, matched]): RecordedCase => ({
      area: "choice operators",
      recording: CHOICE + recording,
      name: `${Object.keys(operator)[0]} ${JSON.stringify(Object.values(operator)[0])} on ${JSON.stringify(value)} is ${matched}`,
      definition: choice({ Variable: "$.Variable", ...operator }),
      input: { Variable: value },
      expected: { output: matched ? "matched" : "default" },
    }),
  ),
  {
    area: "choice operators",
    recording: `${CHOICE}test_string_operators.snapshot.json::test_string_equals_path`,
    name: "StringEqualsPath compares with the value at the path",
    definition: choice({ Variable: "$.Variable", StringEqualsPath: "$.Value" }),
    input: { Variable: "Hello", Value: "Hello" },
    expected: { output: "matched" },
  },
  {
    area: "choice operators",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_choice_singleton_composite",
    name: "And / Not compose rules",
    definition: choice({
      And: [{ Not: { Variable: "$.type", StringEquals: "Private" } }, { Variable: "$.value", NumericGreaterThan: 20 }],
    }),
    input: { type: "Public", value: 22 },
    expected: { output: "matched" },
  },

  // ---------------------------------------------------------------- intrinsic functions
  ...(
    [
      [1.49, 1.5, 3],
      [1.5, 1.51, 4],
      [-1.49, -1.5, -2],
      [-1.5, -1.51, -3],
      [-1.5, 0, -1],
      [0.5, 0, 1],
      [2.5, 0, 3],
      [-9, 3, -6],
    ] as const
  ).map(
    ([fst, snd, sum]): RecordedCase => ({
      area: "intrinsic functions",
      recording: `${INTRINSIC}test_math_operations.snapshot.json::test_math_add`,
      name: `States.MathAdd(${fst}, ${snd}) rounds each argument: ${sum}`,
      definition: fn("States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"),
      input: { FunctionInput: { fst, snd } },
      expected: { output: { FunctionResult: sum } },
    }),
  ),
  ...(
    [
      [" , ", ",", [" ", " "]],
      [",,,,", ",", []],
      ["This.is+a,test=string", ".+,=", ["This", "is", "a", "test", "string"]],
      ["split on T and \nnew line", "T\n", ["split on ", " and ", "new line"]],
    ] as const
  ).map(
    ([text, delimiter, pieces]): RecordedCase => ({
      area: "intrinsic functions",
      recording: `${INTRINSIC}test_string_operations.snapshot.json::test_string_split`,
      name: `States.StringSplit(${JSON.stringify(text)}, ${JSON.stringify(delimiter)}) splits on each character and drops empty pieces`,
      definition: fn("States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"),
      input: { FunctionInput: { fst: text, snd: delimiter } },
      expected: { output: { FunctionResult: pieces } },
    }),
  ),
  ...(
    [
      ["", null],
      [" ", null],
      ["-0", 0],
      ['[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]],
    ] as const
  ).map(
    ([text, value]): RecordedCase => ({
      area: "intrinsic functions",
      recording: `${INTRINSIC}test_json_manipulation.snapshot.json::test_string_to_json`,
      name: `States.StringToJson(${JSON.stringify(text)}) is ${JSON.stringify(value)}`,
      definition: fn("States.StringToJson($.FunctionInput)"),
      input: { FunctionInput: text },
      expected: { output: { FunctionResult: value } },
    }),
  ),
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_json_manipulation.snapshot.json::test_json_to_string`,
    name: "States.JsonToString writes compact JSON",
    definition: fn("States.JsonToString($.FunctionInput)"),
    input: { FunctionInput: { Arg1: 1, Arg2: [] } },
    expected: { output: { FunctionResult: '{"Arg1":1,"Arg2":[]}' } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_json_manipulation.snapshot.json::test_json_merge`,
    name: "States.JsonMerge is shallow: the second object's keys replace the first's",
    definition: fn("States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)"),
    input: { FunctionInput: { fst: { a: { a1: 1 }, b: 2, d: 3 }, snd: { a: { a3: 1 }, c: 3, d: 4 } } },
    expected: { output: { FunctionResult: { a: { a3: 1 }, b: 2, c: 3, d: 4 } } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_generic.snapshot.json::test_format_2`,
    name: "States.Format prints objects as Java maps",
    definition: fn("States.Format('fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: { FunctionInput: { fst: { Arg1: 1, Arg2: [] }, snd: null } },
    expected: { output: { FunctionResult: "fst={Arg1=1, Arg2=[]} and snd=null." } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_generic.snapshot.json::test_format_1`,
    name: "States.Format prints numbers as JSON does",
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: 1.1 },
    expected: { output: { FunctionResult: "Formatting argument 1.1." } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_generic.snapshot.json::test_nested_calls_2`,
    name: "nested calls: the last piece of a split",
    definition: fn(
      "States.ArrayGetItem(States.StringSplit($.FunctionInput, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($.FunctionInput, '-')), -1))",
    ),
    input: { FunctionInput: "a-b-last" },
    expected: { output: { FunctionResult: "last" } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_generic.snapshot.json::test_escape_sequence`,
    name: "a newline in a string literal splits",
    definition: fn("States.StringSplit('Hello\nWorld', '\n')"),
    input: {},
    expected: { output: { FunctionResult: ["Hello", "World"] } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_array.snapshot.json::test_array_partition`,
    name: "States.ArrayPartition of an empty array is empty",
    definition: fn("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: { FunctionInput: { fst: [], snd: 2 } },
    expected: { output: { FunctionResult: [] } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_array.snapshot.json::test_array_get_item`,
    name: "States.ArrayGetItem is 0-based",
    definition: fn("States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: { FunctionInput: { fst: [1, 2, 3, 4, 5, 6, 7, 8, 9], snd: 5 } },
    expected: { output: { FunctionResult: 6 } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_array.snapshot.json::test_array_0`,
    name: "States.Array() is an empty array",
    definition: fn("States.Array()"),
    input: { FunctionInput: "HelloWorld" },
    expected: { output: { FunctionResult: [] } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_hash_calculations.snapshot.json::test_hash`,
    name: "States.Hash SHA-1 in lowercase hex",
    definition: fn("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"),
    input: { FunctionInput: { fst: "input data", snd: "SHA-1" } },
    expected: { output: { FunctionResult: "aaff4a450a104cd177d28d18d74485e8cae074b7" } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_encode_decode.snapshot.json::test_base_64_encode`,
    name: "States.Base64Encode",
    definition: fn("States.Base64Encode($.FunctionInput)"),
    input: { FunctionInput: "Data to encode" },
    expected: { output: { FunctionResult: "RGF0YSB0byBlbmNvZGU=" } },
  },
  {
    area: "intrinsic functions",
    recording: `${INTRINSIC}test_encode_decode.snapshot.json::test_base_64_decode`,
    name: "States.Base64Decode of an empty string",
    definition: fn("States.Base64Decode($.FunctionInput)"),
    input: { FunctionInput: "" },
    expected: { output: { FunctionResult: "" } },
  },

  // ---------------------------------------------------------------- base data flow
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_json_path_array_wildcard_or_slice_with_no_input[$.items[*]]",
    name: "a wildcard over missing data is []",
    definition: pass({ Parameters: { "item.$": "$.items[*]" } }),
    input: {},
    expected: { output: { item: [] } },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_json_path_array_wildcard_or_slice_with_no_input[$.item.items[1:5].itemValue]",
    name: "a slice over missing data is []",
    definition: pass({ Parameters: { "item.$": "$.item.items[1:5].itemValue" } }),
    input: {},
    expected: { output: { item: [] } },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_json_path_array_access[$.items[10]]",
    name: "an index selects one item",
    definition: pass({ Parameters: { "item.$": "$.items[2]" } }),
    input: { items: [{ k: 0 }, { k: 1 }, { k: 2 }] },
    expected: { output: { item: { k: 2 } } },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_pass_regex_json_path_base",
    name: "a filter selects the matching items",
    definition: pass({ Parameters: { "FromInput.$": "$.users[?(@.status == 0)]" } }),
    input: {
      users: [
        { year: 1997, status: 0 },
        { year: 1998, status: 1 },
      ],
    },
    expected: { output: { FromInput: [{ year: 1997, status: 0 }] } },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_pass_result_jsonpaths",
    name: "Result is a literal: `.$` keys are not evaluated",
    definition: pass({ Result: { "unsupported1.$": "$.jsonpath", "unsupported2.$": "$$" } }),
    input: {},
    expected: { output: { "unsupported1.$": "$.jsonpath", "unsupported2.$": "$$" } },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_pass_result_null_input_output_paths",
    name: "InputPath and OutputPath null give {}",
    definition: pass({ InputPath: null, OutputPath: null }),
    input: { InputValue: 0 },
    expected: { output: {} },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_input_path[$$.Execution.Input]",
    name: "InputPath may read the context object",
    definition: pass({ InputPath: "$$.Execution.Input" }),
    input: { "input-value": 0 },
    expected: { output: { "input-value": 0 } },
  },
  {
    area: "base data flow",
    recording: "scenarios/test_base_scenarios.snapshot.json (Invalid path '$.NoSuchInputPath')",
    name: "an InputPath that selects nothing is States.Runtime",
    definition: { StartAt: "pass", States: { pass: { Type: "Pass", InputPath: "$.NoSuchInputPath", End: true } } },
    input: {},
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'pass' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
    },
  },
  {
    area: "base data flow",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_catch_states_runtime",
    name: "States.Runtime is not caught, even by name",
    definition: {
      StartAt: "RaiseRuntime",
      States: {
        RaiseRuntime: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          OutputPath: "$.no.such.result.path",
          Catch: [{ ErrorEquals: ["States.Runtime"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: {},
    task: async () => ({ Payload: {} }),
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']",
    },
  },
  {
    area: "base data flow",
    recording: "scenarios/test_base_scenarios.snapshot.json (The JSONPath '$.no_such_jsonpath' specified for the field 'value.$')",
    name: "a Parameters path that selects nothing names the field and the input",
    definition: { StartAt: "pass", States: { pass: { Type: "Pass", Parameters: { "value.$": "$.no_such_jsonpath" }, End: true } } },
    input: { a: 1 },
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'pass' (entered at the event id #2). The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'",
    },
  },
  {
    area: "base data flow",
    recording: "error_handling/test_states_errors.snapshot.json::test_start_large_input",
    name: "a 257 KiB Pass result is States.DataLimitExceeded",
    definition: { StartAt: "State_1", States: { State_1: { Type: "Pass", Result: { Arg1: "a".repeat(257 * 1024) }, End: true } } },
    input: {},
    expected: {
      error: "States.DataLimitExceeded",
      cause: "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit.",
    },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_fail_path",
    name: "Fail takes Error and Cause from paths",
    definition: { StartAt: "F", States: { F: { Type: "Fail", ErrorPath: "$.Error", CausePath: "$.Cause" } } },
    input: { Error: "error string", Cause: "cause string" },
    expected: { error: "error string", cause: "cause string" },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_fail_intrinsic",
    name: "Fail takes a cause from States.Format",
    definition: {
      StartAt: "F",
      States: {
        F: {
          Type: "Fail",
          ErrorPath: "$.Error",
          CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
        },
      },
    },
    input: { Error: "error string", Cause: "cause string" },
    expected: { error: "error string", cause: "This is a custom error message for error string, caused by cause string." },
  },
  {
    area: "base data flow",
    recording: "base/test_base.snapshot.json::test_state_fail_empty",
    name: "a Fail without Error or Cause reports neither",
    definition: { StartAt: "F", States: { F: { Type: "Fail" } } },
    input: {},
    expected: {},
  },
  {
    area: "base data flow",
    recording: "base/test_wait.snapshot.json (SecondsPath == -1)",
    name: "a negative SecondsPath is States.Runtime",
    definition: { StartAt: "WaitState", States: { WaitState: { Type: "Wait", SecondsPath: "$.input.waitSeconds", End: true } } },
    input: { input: { waitSeconds: -1 } },
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.input.waitSeconds == -1",
    },
  },
  {
    area: "base data flow",
    recording: "base/test_wait.snapshot.json (SecondsPath == 1.5)",
    name: "a fractional SecondsPath is States.Runtime",
    definition: { StartAt: "WaitState", States: { WaitState: { Type: "Wait", SecondsPath: "$.input.waitSeconds", End: true } } },
    input: { input: { waitSeconds: 1.5 } },
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5",
    },
  },
  {
    area: "base data flow",
    recording: "base/test_wait.snapshot.json::test_wait_timestamppath[]",
    name: "a TimestampPath without a zone is States.Runtime",
    definition: { StartAt: "State_1", States: { State_1: { Type: "Wait", TimestampPath: "$.start_at", End: true } } },
    input: { start_at: "2016-12-05T21:29:29" },
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2016-12-05T21:29:29",
    },
  },
  {
    area: "base data flow",
    recording: "base/test_wait.snapshot.json::test_wait_timestamppath[.000000Z]",
    name: "a past TimestampPath with microseconds passes at once",
    definition: { StartAt: "State_1", States: { State_1: { Type: "Wait", TimestampPath: "$.start_at", End: true } } },
    input: { start_at: "2016-12-05T21:29:29.000000Z" },
    expected: { output: { start_at: "2016-12-05T21:29:29.000000Z" } },
  },
  {
    area: "base data flow",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_catch_empty",
    name: "a caught error replaces the output with Error and Cause",
    definition: {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: {},
    task: failing("Exception", "boom"),
    expected: { output: { Error: "Exception", Cause: "boom" } },
  },

  // ---------------------------------------------------------------- Map and Parallel
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_parallel_state_order",
    name: "Parallel outputs its branches in order",
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [0, 1, 2, 3].map((i) => ({
            StartAt: `B${i}`,
            States: { [`B${i}`]: { Type: "Pass", Result: { branch: i }, End: true } },
          })),
        },
      },
    },
    input: {},
    expected: { output: [{ branch: 0 }, { branch: 1 }, { branch: 2 }, { branch: 3 }] },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_parallel_state_fail",
    name: "a failing branch fails the Parallel with its error",
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "ok", States: { ok: { Type: "Pass", End: true } } },
            { StartAt: "ko", States: { ko: { Type: "Fail", Error: "FailureType" } } },
          ],
        },
      },
    },
    input: {},
    expected: { error: "FailureType" },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_parallel_state_catch",
    name: "a Catch on the Parallel catches a branch's failure",
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Catch: [{ ErrorEquals: ["FailureType"], Next: "Caught" }],
          End: true,
          Branches: [{ StartAt: "ko", States: { ko: { Type: "Fail", Error: "FailureType", Cause: "Cause description" } } }],
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: {},
    expected: { output: { Error: "FailureType", Cause: "Cause description" } },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_parallel_state_retry",
    name: "a retried Parallel fails with the branch's error once retries are used up",
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Retry: [{ ErrorEquals: ["FailureType"], IntervalSeconds: 1, MaxAttempts: 2 }],
          End: true,
          Branches: [{ StartAt: "ko", States: { ko: { Type: "Fail", Error: "FailureType", Cause: "Cause description" } } }],
        },
      },
    },
    input: {},
    expected: { error: "FailureType", cause: "Cause description" },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_map_state_item_selector_singleton",
    name: "ItemSelector reads the item, its index and the state input",
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.shipped",
          ItemSelector: {
            "value.$": "$$.Map.Item.Value",
            "index.$": "$$.Map.Item.Index",
            "partner.$": "$.partner",
            constant: "HelloWorld",
          },
          ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          ResultPath: "$.out",
          End: true,
        },
      },
    },
    input: { partner: "UQS", shipped: ["A", "B"] },
    expected: {
      output: {
        partner: "UQS",
        shipped: ["A", "B"],
        out: [
          { value: "A", index: 0, partner: "UQS", constant: "HelloWorld" },
          { value: "B", index: 1, partner: "UQS", constant: "HelloWorld" },
        ],
      },
    },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_map_state_catch",
    name: "a failing iteration is caught on the Map",
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "HandleItem",
            States: { HandleItem: { Type: "Fail", Error: "HandleItemFailError", Cause: "HandleItemFailCause" } },
          },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: [1, 2, 3],
    expected: { output: { Error: "HandleItemFailError", Cause: "HandleItemFailCause" } },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_map_state_legacy",
    name: "the legacy Iterator field runs each item",
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.arr",
          Iterator: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          ResultPath: "$.arr",
          End: true,
        },
      },
    },
    input: { arr: [1, "Hello", {}, null, 3.3] },
    expected: { output: { arr: [1, "Hello", {}, null, 3.3] } },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json (Map state input must be an array)",
    name: "a Map over a non-array is States.Runtime",
    definition: {
      StartAt: "MapIterateState",
      States: { MapIterateState: { Type: "Map", ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } }, End: true } },
    },
    input: { a: true },
    expected: {
      error: "States.Runtime",
      cause: `An error occurred while executing the state 'MapIterateState' (entered at the event id #2). Map state input must be an array but was: {"a":true}`,
    },
  },
  {
    area: "Map and Parallel",
    recording: "scenarios/test_base_scenarios.snapshot.json (field 'Items' returned an unexpected result type)",
    name: "JSONata Items that is not an array is States.QueryEvaluationError",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "MapIterateState",
      States: {
        MapIterateState: {
          Type: "Map",
          Items: "{% 1 %}",
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: {},
    expected: {
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    },
  },
  {
    area: "Map and Parallel",
    recording: "evaluate_jsonata/test_base_evaluate_expressions.snapshot.json::test_base_map[ITEMS]",
    name: "JSONata Items from an expression",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          Items: "{% [1, 2, 3] %}",
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: {},
    expected: { output: [1, 2, 3] },
  },

  {
    area: "Map and Parallel",
    recording:
      "assign/test_assign_reference_variables.snapshot.json::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH]",
    name: "MaxConcurrencyPath may read a string holding an integer, from a variable",
    definition: {
      StartAt: "Start",
      States: {
        Start: { Type: "Pass", Assign: { maxConcurrency: "1" }, Result: { Values: [1, 2, 3] }, Next: "MapState" },
        MapState: {
          Type: "Map",
          ItemsPath: "$.Values",
          MaxConcurrencyPath: "$maxConcurrency",
          ItemProcessor: { StartAt: "HandleItem", States: { HandleItem: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: {},
    expected: { output: [1, 2, 3] },
  },
  {
    area: "Map and Parallel",
    recording: 'scenarios/test_base_scenarios.snapshot.json (The MaxConcurrencyPath field refers to value "NoNumber")',
    name: "a MaxConcurrencyPath that is not an integer is States.Runtime",
    definition: {
      StartAt: "MapState",
      States: {
        MapState: {
          Type: "Map",
          ItemsPath: "$.Values",
          MaxConcurrencyPath: "$.MaxConcurrencyValue",
          ItemProcessor: { StartAt: "HandleItem", States: { HandleItem: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: { Values: [1], MaxConcurrencyValue: "NoNumber" },
    expected: {
      error: "States.Runtime",
      cause:
        "An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.MaxConcurrencyValue",
    },
  },

  // ---------------------------------------------------------------- variables
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_reference_assign[BASE_REFERENCE_IN_CHOICE]",
    name: "a Choice compares two variables",
    definition: {
      StartAt: "Setup",
      States: {
        Setup: { Type: "Pass", Assign: { guess: "x", answer: "y" }, Next: "Check" },
        Check: { Type: "Choice", Choices: [{ Variable: "$guess", StringEqualsPath: "$answer", Next: "Correct" }], Default: "Wrong" },
        Correct: { Type: "Pass", Result: { state: "CORRECT" }, End: true },
        Wrong: { Type: "Pass", Assign: { "guess.$": "$answer" }, Result: { state: "WRONG" }, Next: "Check" },
      },
    },
    input: {},
    expected: { output: { state: "CORRECT" } },
  },
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE]",
    name: "paths of a state read the variables as they were before its Assign",
    definition: {
      StartAt: "S0",
      States: {
        S0: { Type: "Pass", Result: { q: "?" }, Assign: { "question.$": "$.q", answer: 42 }, Next: "S1" },
        S1: {
          Type: "Pass",
          InputPath: "$answer",
          ResultPath: "$.theAnswer",
          OutputPath: "$answer",
          Assign: { answer: "<omitted>" },
          End: true,
        },
      },
    },
    input: {},
    expected: { output: 42 },
  },
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_assign_from_value[BASE_ASSIGN_FROM_RESULT]",
    name: "a JSONPath Assign reads the state's result",
    definition: {
      StartAt: "S0",
      States: {
        S0: { Type: "Pass", Result: { answer: 42 }, Assign: { "theAnswer.$": "$.answer" }, Next: "S1" },
        S1: { Type: "Pass", Parameters: { "answer.$": "$theAnswer" }, End: true },
      },
    },
    input: {},
    expected: { output: { answer: 42 } },
  },
  {
    area: "variables",
    recording: "assign/test_assign_base.snapshot.json::test_base_cases[BASE_SCOPE_MAP]",
    name: "iterations read outer variables; what they assign stays inside",
    definition: {
      StartAt: "S0",
      States: {
        S0: { Type: "Pass", Assign: { x: 42, items: [1, 2, 3] }, Next: "S1" },
        S1: {
          Type: "Map",
          ItemsPath: "$items",
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: "Inner", States: { Inner: { Type: "Pass", Assign: { "innerX.$": "$x" }, End: true } } },
          Next: "S2",
        },
        S2: { Type: "Pass", Assign: { "final.$": "$x" }, End: true },
      },
    },
    input: { input_value: "literal" },
    expected: { output: [1, 2, 3] },
  },
  {
    area: "variables",
    recording: "assign/test_assign_base.snapshot.json::test_base_parallel_cases[BASE_SCOPE_PARALLEL]",
    name: "branches read outer variables",
    definition: {
      StartAt: "S0",
      States: {
        S0: { Type: "Pass", Assign: { x: 42 }, Next: "S1" },
        S1: {
          Type: "Parallel",
          End: true,
          Branches: ["B1", "B2"].map((b) => ({
            StartAt: b,
            States: { [b]: { Type: "Pass", Assign: { "innerX.$": "$x", "value.$": "$" }, End: true } },
          })),
        },
      },
    },
    input: {},
    expected: { output: [{}, {}] },
  },
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_reference_assign[BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE]",
    name: "a nested Map reads variables of both outer scopes",
    definition: {
      StartAt: "In",
      States: {
        In: { Type: "Pass", Result: [[1, 2, 3]], Assign: { bias: 4.3 }, Next: "Outer" },
        Outer: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "Vec",
            States: {
              Vec: { Type: "Pass", Assign: { "a.$": "$[0]", "b.$": "$[1]" }, Next: "Inner" },
              Inner: {
                Type: "Map",
                ItemProcessor: {
                  StartAt: "Sum",
                  States: { Sum: { Type: "Pass", Parameters: { "s.$": "States.MathAdd(States.MathAdd($a, $b), $bias)" }, End: true } },
                },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    input: {},
    expected: { output: [[{ s: 7 }, { s: 7 }, { s: 7 }]] },
  },
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_reference_assign[BASE_REFERENCE_IN_FAIL]",
    name: "Fail reads its error and cause from variables",
    definition: {
      StartAt: "P",
      States: {
        P: { Type: "Pass", Assign: { e: "Exception", c: "An Exception was encountered" }, Next: "F" },
        F: { Type: "Fail", ErrorPath: "$e", CausePath: "$c" },
      },
    },
    input: {},
    expected: { error: "Exception", cause: "An Exception was encountered" },
  },
  {
    area: "variables",
    recording:
      "assign/test_assign_reference_variables.snapshot.json::test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]",
    name: "an ItemSelector formats with a variable",
    definition: {
      StartAt: "Start",
      States: {
        Start: { Type: "Pass", Assign: { Template: "It's {}!" }, Result: ["Pikachu"], Next: "M" },
        M: {
          Type: "Map",
          ItemSelector: { "say.$": "States.Format($Template, $$.Map.Item.Value)" },
          ItemProcessor: { StartAt: "I", States: { I: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: {},
    expected: { output: [{ say: "It's Pikachu!" }] },
  },
  {
    area: "variables",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_undefined_reference[BASE_UNDEFINED_ASSIGN]",
    name: "an undefined variable in a JSONata Assign is States.QueryEvaluationError",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "State0",
      States: { State0: { Type: "Pass", Assign: { result: "{% $doesNotExist %}" }, End: true } },
    },
    input: {},
    expected: {
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).",
    },
  },
  {
    area: "variables",
    recording: "states_variables/test_error_output.snapshot.json::test_catch_error_variable_sampling[TASK_CATCH_ERROR_VARIABLE_SAMPLING]",
    name: "a Catch assigns from $states.errorOutput; the state's own Assign is not applied",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "Task",
      States: {
        Task: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: "f" },
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { errorVar: "{% $states.errorOutput %}" }, Next: "Fallback" }],
          Assign: { resultVar: "{% $states.result %}" },
          Next: "Finish",
        },
        Fallback: { Type: "Pass", Output: { error: "{% $errorVar %}" }, End: true },
        Finish: { Type: "Pass", Output: { result: "{% $resultVar %}" }, End: true },
      },
    },
    input: { inputData: "dummy" },
    task: failing("Exception", "raised"),
    expected: { output: { error: { Error: "Exception", Cause: "raised" } } },
  },
  {
    area: "variables",
    recording: "assign/test_assign_base.snapshot.json::test_assign_in_choice[CONDITION_TRUE]",
    name: "a Choice rule assigns when taken",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.condition %}", Assign: { picked: "yes" }, Next: "T" }],
          Default: "F",
        },
        T: { Type: "Pass", Output: "{% $picked %}", End: true },
        F: { Type: "Fail", Cause: "Condition is false" },
      },
    },
    input: { condition: true },
    expected: { output: "yes" },
  },
  {
    area: "variables",
    recording: "assign/test_assign_base.snapshot.json::test_assign_in_choice[CONDITION_FALSE]",
    name: "a Choice falls to Default and a Fail with only a Cause",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Condition: "{% $states.input.condition %}", Next: "T" }], Default: "F" },
        T: { Type: "Pass", End: true },
        F: { Type: "Fail", Cause: "Condition is false" },
      },
    },
    input: { condition: false },
    expected: { cause: "Condition is false" },
  },

  // ---------------------------------------------------------------- Output
  ...(
    [
      ["NULL", null],
      ["INT", 0],
      ["FLOAT", 0.1],
      ["BOOL", true],
      ["STR_LIT", "string literal"],
      ["LIST_EMPY", []],
    ] as const
  ).map(
    ([label, value]): RecordedCase => ({
      area: "Output",
      recording: `outputdecl/test_output.snapshot.json::test_base_output_any_non_dict[${label}]`,
      name: `Output may be the literal ${JSON.stringify(value)}`,
      definition: jsonataPass({ Output: value }),
      input: { input_value: "stringliteral" },
      expected: { output: value },
    }),
  ),
  {
    area: "Output",
    recording: "outputdecl/test_output.snapshot.json::test_base_output_any_non_dict[LIST_RICH]",
    name: "Output literals keep strings that look like paths; nested expressions are evaluated",
    definition: jsonataPass({ Output: [null, "$nosuchvar", "$.no.such.path", "{% $states.input %}", { key: true }] }),
    input: { input_value: "stringliteral" },
    expected: { output: [null, "$nosuchvar", "$.no.such.path", { input_value: "stringliteral" }, { key: true }] },
  },
  {
    area: "Output",
    recording: "outputdecl/test_output.snapshot.json::test_base_cases[BASE_DIRECT_EXPR]",
    name: "Output as one expression",
    definition: jsonataPass({ Output: "{% $sum($states.input.input_values) + 1 %}" }),
    input: { input_value: "string literal", input_values: [1, 2, 3] },
    expected: { output: 7 },
  },
  {
    area: "Output",
    recording: "outputdecl/test_output.snapshot.json::test_base_cases[BASE_LITERALS]",
    name: "strings that are not wholly {% %} are literals",
    definition: jsonataPass({ Output: { a: " {% states.input %} ", b: "$states.input" } }),
    input: {},
    expected: { output: { a: " {% states.input %} ", b: "$states.input" } },
  },
  {
    area: "Output",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD]",
    name: "an undefined value in an Output field names the field",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "State0",
      States: { State0: { Type: "Pass", Output: { result: "{% $doesNotExist %}" }, End: true } },
    },
    input: {},
    expected: {
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    },
  },
  {
    area: "Output",
    recording: "assign/test_assign_reference_variables.snapshot.json::test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES]",
    name: "the cause counts the history events before the failing state (each state enters and exits)",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "First",
      States: {
        First: { Type: "Pass", Next: "Decide" },
        Decide: { Type: "Choice", Choices: [{ Condition: true, Next: "State2" }] },
        State2: { Type: "Pass", Output: { result: "{% $doesNotExist %}" }, End: true },
      },
    },
    input: {},
    expected: {
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'State2' (entered at the event id #6). The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    },
  },
  {
    area: "Output",
    recording: "outputdecl/test_output.snapshot.json::test_output_in_choice[CONDITION_TRUE]",
    name: "a Choice rule's Output",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "C",
      States: {
        C: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.condition %}", Output: "Condition Output block", Next: "T" }],
          Default: "F",
        },
        T: { Type: "Pass", End: true },
        F: { Type: "Fail", Cause: "Condition is false" },
      },
    },
    input: { condition: true },
    expected: { output: "Condition Output block" },
  },
  {
    area: "Output",
    recording: "outputdecl/test_output.snapshot.json::test_base_lambda[BASE_LAMBDA]",
    name: "a Task's Output reads $states.input and $states.result",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke",
          Arguments: { FunctionName: "f", Payload: "{% $states.input %}" },
          Output: { in: "{% $states.input.v %}", out: "{% $states.result.Payload.v %}" },
          End: true,
        },
      },
    },
    input: { v: 7 },
    task: async (request) => ({ Payload: (request.input as { Payload: unknown }).Payload }) as never,
    expected: { output: { in: 7, out: 7 } },
  },

  // ---------------------------------------------------------------- query language
  {
    area: "query language",
    recording: "query_language/test_mixed_query_language.snapshot.json::test_variable_sampling[JSONPATH_ASSIGN_JSONATA_REF]",
    name: "a JSONata state reads what a JSONPath state assigned, before its own Assign applies",
    definition: {
      StartAt: "A",
      States: {
        A: { QueryLanguage: "JSONPath", Type: "Pass", Assign: { theAnswer: 42 }, Next: "B" },
        B: { QueryLanguage: "JSONata", Type: "Pass", Assign: { theAnswer: 18, oldAnswer: "{% $theAnswer %}" }, Next: "C" },
        C: { Type: "Pass", Parameters: { "old.$": "$oldAnswer", "new.$": "$theAnswer" }, End: true },
      },
    },
    input: {},
    expected: { output: { old: 42, new: 18 } },
  },
  {
    area: "query language",
    recording: "query_language/test_mixed_query_language.snapshot.json::test_output_to_state[JSONATA_OUTPUT_TO_JSONPATH]",
    name: "a JSONata Output becomes a JSONPath state's input",
    definition: {
      StartAt: "A",
      States: {
        A: { QueryLanguage: "JSONata", Type: "Pass", Output: { foo: "foobar", bar: "{% $states.input %}" }, Next: "B" },
        B: { Type: "Pass", End: true },
      },
    },
    input: { input_data: "test" },
    expected: { output: { foo: "foobar", bar: { input_data: "test" } } },
  },
  {
    area: "query language",
    recording: "query_language/test_base_query_language.snapshot.json::test_query_language_field_override[JSONATA_OVERRIDE]",
    name: "a state may use JSONata in a JSONPath machine",
    definition: { StartAt: "S", States: { S: { Type: "Pass", QueryLanguage: "JSONata", Output: "{% $states.input %}", End: true } } },
    input: {},
    expected: { output: {} },
  },

  // ---------------------------------------------------------------- JSONata
  {
    area: "JSONata",
    recording: "evaluate_jsonata/test_base_evaluate_expressions.snapshot.json::test_base_jsonata_regular_expressions[BASE]",
    name: "$contains with a regular expression",
    definition: jsonataPass({ Output: '{% $contains("hello$world", /^hello\\$/) %}' }),
    input: {},
    expected: { output: true },
  },
  {
    area: "JSONata",
    recording:
      "evaluate_jsonata/test_base_evaluate_expressions.snapshot.json::test_base_jsonata_regular_expressions[BASE_SINGLE_QUOTE_FALSE]",
    name: "$contains with a regular expression that does not match",
    definition: jsonataPass({ Output: "{% $contains('hello$world', /^hello\\ /) %}" }),
    input: {},
    expected: { output: false },
  },
  {
    area: "JSONata",
    recording: "evaluate_jsonata/test_base_evaluate_expressions.snapshot.json::test_merge_with_dynamic_args",
    name: "$merge of input parts",
    definition: jsonataPass({ Output: "{% $merge([$states.input.part1, $states.input.part2]) %}" }),
    input: { part1: { hello: "world" }, part2: { foo: "bar" } },
    expected: { output: { hello: "world", foo: "bar" } },
  },
  {
    area: "JSONata",
    recording: "intrinsic_functions/test_array_jsonata.snapshot.json::test_array_range",
    name: "$range(1, 9, 9) is a single number",
    definition: jsonataPass({ Output: "{% $range(1, 9, 9) %}" }),
    input: {},
    expected: { output: 1 },
  },
  {
    area: "JSONata",
    recording: "intrinsic_functions/test_array_jsonata.snapshot.json::test_array_range",
    name: "$range(0, 10, 3) stops before the end",
    definition: jsonataPass({ Output: "{% $range(0, 10, 3) %}" }),
    input: {},
    expected: { output: [0, 3, 6, 9] },
  },
  {
    area: "JSONata",
    recording: "intrinsic_functions/test_array_jsonata.snapshot.json::test_array_partition",
    name: "$partition chunks an array",
    definition: jsonataPass({ Output: "{% $partition([0, 1, 2], 2) %}" }),
    input: {},
    expected: { output: [[0, 1], [2]] },
  },
  {
    area: "JSONata",
    recording: "intrinsic_functions/test_json_manipulation_jsonata.snapshot.json::test_parse",
    name: "$parse reads JSON text",
    definition: jsonataPass({ Output: "{% $parse($states.input.FunctionInput) %}" }),
    input: { FunctionInput: '{"Arg1": 1, "Arg2": []}' },
    expected: { output: { Arg1: 1, Arg2: [] } },
  },
  {
    area: "JSONata",
    recording: "intrinsic_functions/test_math_operations_jsonata.snapshot.json::test_math_random_seeded",
    name: "an unknown function is T1006 in a States.QueryEvaluationError",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "State_0",
      States: { State_0: { Type: "Pass", Output: { FunctionResult: "{% $randomSeeded($states.input.FunctionInput.fst) %}" }, End: true } },
    },
    input: { FunctionInput: "fst" },
    expected: {
      error: "States.QueryEvaluationError",
      cause:
        "An error occurred while executing the state 'State_0' (entered at the event id #2). The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    },
  },
  {
    area: "JSONata",
    recording:
      "test_sfn_api_variable_references.snapshot.json::test_base_variable_references_in_jsonata_template[CHOICE_CONDITION_CONSTANT_JSONATA]",
    name: "a Choice Condition may be the literal true",
    definition: {
      StartAt: "ChoiceState",
      States: {
        ChoiceState: { Type: "Choice", QueryLanguage: "JSONata", Choices: [{ Condition: true, Next: "T" }], Default: "D" },
        T: { Type: "Pass", Result: "taken", End: true },
        D: { Type: "Fail", Cause: "Condition is false" },
      },
    },
    input: {},
    expected: { output: "taken" },
  },
  {
    area: "JSONata",
    recording: "scenarios/test_base_scenarios.snapshot.json::test_choice_unsorted_parameters",
    name: "a JSONata Choice with $not",
    definition: {
      QueryLanguage: "JSONata",
      StartAt: "CheckResult",
      States: {
        CheckResult: {
          Type: "Choice",
          Choices: [
            { Condition: "{% $states.input.result.done %}", Next: "FinishTrue" },
            { Condition: "{% $not($states.input.result.done) %}", Next: "FinishFalse" },
          ],
        },
        FinishTrue: { Type: "Pass", Output: "true branch", End: true },
        FinishFalse: { Type: "Pass", Output: "false branch", End: true },
      },
    },
    input: { result: { done: false } },
    expected: { output: "false branch" },
  },
];

/** Definitions AWS refuses at CreateStateMachine, with its message (the recordings named). */
export interface RefusedCase {
  readonly recording: string;
  readonly name: string;
  readonly definition: unknown;
  readonly type: "STANDARD" | "EXPRESS";
  readonly message: string;
}

export const REFUSED: readonly RefusedCase[] = [
  {
    recording: "test_sfn_api_validation.snapshot.json::test_validate_state_machine_definition_not_a_definition[EMPTY_DICT]",
    name: "an empty definition",
    definition: {},
    type: "STANDARD",
    message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /'",
  },
  {
    recording: "test_sfn_api_validation.snapshot.json::test_validate_state_machine_definition_type_standard[INVALID_BASE_NO_STARTAT]",
    name: "a definition without StartAt",
    definition: { States: { S: { Type: "Pass", End: true } } },
    type: "STANDARD",
    message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /'",
  },
  {
    recording:
      "test_sfn_api_validation.snapshot.json::test_validate_state_machine_definition_type_express[INVALID_DOWNGRADE_QUERY_LANGUAGE]",
    name: "a JSONPath state in a JSONata machine",
    definition: { QueryLanguage: "JSONata", StartAt: "Pass", States: { Pass: { Type: "Pass", QueryLanguage: "JSONPath", End: true } } },
    type: "EXPRESS",
    message:
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/Pass'",
  },
  {
    recording: "test_sfn_api_express.snapshot.json (Express state machine does not support '.sync')",
    name: "a .sync integration in an EXPRESS machine",
    definition: {
      StartAt: "StartExecution",
      States: { StartExecution: { Type: "Task", Resource: "arn:aws:states:::states:startExecution.sync", End: true } },
    },
    type: "EXPRESS",
    message:
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/StartExecution/Resource'",
  },
  {
    recording: "test_sfn_api.snapshot.json (ExistingButInvalidState)",
    name: "an unknown state type",
    definition: { StartAt: "ExistingButInvalidState", States: { ExistingButInvalidState: { Type: "Nope", End: true } } },
    type: "STANDARD",
    message:
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/ExistingButInvalidState/Type'",
  },
  {
    recording: "test_sfn_api.snapshot.json (Value cannot be empty at /States/StateName/Branches)",
    name: "a Parallel without branches",
    definition: { StartAt: "StateName", States: { StateName: { Type: "Parallel", Branches: [], End: true } } },
    type: "STANDARD",
    message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'",
  },
  {
    recording: "credentials/test_credentials_base.snapshot.json (The field 'RoleArn' is required)",
    name: "Credentials without RoleArn",
    definition: {
      StartAt: "State0",
      States: { State0: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Credentials: {}, End: true } },
    },
    type: "STANDARD",
    message:
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/State0/Credentials'",
  },
];
