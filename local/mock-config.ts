/**
 * Mocked service integrations in AWS's Step Functions Local format (Step Functions Developer Guide,
 * "Using mocked service integrations for testing in Step Functions Local" and "Configuration file
 * for mocked service integrations"), which LocalStack reads too:
 *
 *     {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<state>": "<response>"}}}},
 *      "MockedResponses": {"<response>": {"0": {"Return": {…}}, "1-2": {"Throw": {"Error": "…", "Cause": "…"}}}}}
 *
 * A response's keys are attempt numbers or ranges, counted from 0 for each invocation of the state
 * in one execution, so that a Retry meets the next answer. An attempt the response does not cover
 * fails the Task (this emulator never guesses an answer).
 *
 * Which test case an execution uses: the request's `X-Mock-Test-Case` header
 * ({@link MOCK_TEST_CASE_HEADER}), else the state machine's default (the setting
 * `LOCAL_MOCK_TEST_CASES`, `<machine>=<case>,…`), else its only test case when it has one.
 */
import { readFileSync } from "node:fs";
import { forEachState } from "../lang/asl";
import { isJsonObject, type JsonValue } from "./asl/json";

/** The request header naming the test case, as LocalStack's and this emulator's users pass it. */
export const MOCK_TEST_CASE_HEADER = "X-Mock-Test-Case";

/** One attempt's answer: a result, or an error Retry and Catch see. */
export type MockedAnswer = { readonly Return: JsonValue } | { readonly Throw: { readonly Error: string; readonly Cause?: string } };

interface AttemptRange {
  readonly from: number;
  readonly to: number;
  readonly answer: MockedAnswer;
}

/** The mocked states of one test case of one state machine. */
export interface MockTestCase {
  readonly stateMachine: string;
  readonly name: string;
  /** The file, for messages. */
  readonly source: string;
  /** The answer of a state's attempt; undefined when the state is not mocked. */
  answer(stateName: string, attempt: number): MockedAnswer | "no such attempt" | undefined;
  /** The mocked response a state uses (for messages). */
  responseName(stateName: string): string | undefined;
}

export class MockConfig {
  private constructor(
    readonly source: string,
    private readonly machines: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, string>>>,
    private readonly responses: ReadonlyMap<string, readonly AttemptRange[]>,
    private readonly defaults: ReadonlyMap<string, string>,
  ) {}

  /** Reads and checks a file; throws one line naming the file and what is wrong. */
  static load(file: string, defaults: Readonly<Record<string, string>> = {}): MockConfig {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`mock configuration ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`mock configuration ${file}: not JSON (${(error as Error).message})`);
    }
    return MockConfig.from(json, file, defaults);
  }

  static from(json: unknown, source: string, defaults: Readonly<Record<string, string>> = {}): MockConfig {
    const fail = (where: string, what: string): never => {
      throw new Error(`mock configuration ${source}: ${where} ${what}`);
    };
    if (!isJsonObject(json)) return fail("the file", "must be a JSON object with StateMachines and MockedResponses");
    const responses = new Map<string, AttemptRange[]>();
    const mocked = json.MockedResponses ?? {};
    if (!isJsonObject(mocked)) return fail("MockedResponses", "must be an object");
    for (const [name, attempts] of Object.entries(mocked)) {
      if (!isJsonObject(attempts)) return fail(`MockedResponses.${name}`, "must be an object of attempts");
      const ranges: AttemptRange[] = [];
      for (const [key, answer] of Object.entries(attempts)) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(key);
        if (!m) return fail(`MockedResponses.${name}."${key}"`, 'is not an attempt number or range ("0", "1-2")');
        const from = Number(m[1]);
        const to = m[2] === undefined ? from : Number(m[2]);
        if (to < from) return fail(`MockedResponses.${name}."${key}"`, "is a range that ends before it starts");
        if (!isJsonObject(answer) || Object.keys(answer).length !== 1 || !("Return" in answer || "Throw" in answer)) {
          return fail(`MockedResponses.${name}."${key}"`, "must hold exactly one of Return or Throw");
        }
        if ("Throw" in answer) {
          const thrown = answer.Throw;
          if (
            !isJsonObject(thrown) ||
            typeof thrown.Error !== "string" ||
            (thrown.Cause !== undefined && typeof thrown.Cause !== "string")
          ) {
            return fail(`MockedResponses.${name}."${key}".Throw`, "must have a string Error (and a string Cause, if any)");
          }
        }
        if (ranges.some((r) => from <= r.to && r.from <= to)) return fail(`MockedResponses.${name}."${key}"`, "overlaps another attempt");
        ranges.push({ from, to, answer: answer as MockedAnswer });
      }
      responses.set(name, ranges);
    }
    const machines = new Map<string, Map<string, Map<string, string>>>();
    const stateMachines = json.StateMachines ?? {};
    if (!isJsonObject(stateMachines)) return fail("StateMachines", "must be an object");
    for (const [machine, config] of Object.entries(stateMachines)) {
      if (!isJsonObject(config) || !isJsonObject(config.TestCases)) return fail(`StateMachines.${machine}`, "must have TestCases");
      const cases = new Map<string, Map<string, string>>();
      for (const [caseName, states] of Object.entries(config.TestCases)) {
        if (!isJsonObject(states))
          return fail(`StateMachines.${machine}.TestCases.${caseName}`, "must map state names to mocked responses");
        const byState = new Map<string, string>();
        for (const [state, response] of Object.entries(states)) {
          if (typeof response !== "string" || !responses.has(response)) {
            return fail(
              `StateMachines.${machine}.TestCases.${caseName}.${state}`,
              `names ${JSON.stringify(response)}, which is not in MockedResponses`,
            );
          }
          byState.set(state, response);
        }
        cases.set(caseName, byState);
      }
      machines.set(machine, cases);
    }
    for (const [machine, caseName] of Object.entries(defaults)) {
      if (!machines.get(machine)?.has(caseName)) {
        fail(`the default test case ${machine}=${caseName}`, `is not in StateMachines.${machine}.TestCases`);
      }
    }
    return new MockConfig(source, machines, responses, new Map(Object.entries(defaults)));
  }

  /**
   * Throws one line when the file names a state machine the stack does not have, or a state that
   * is not a Task state of that machine (a mock that could never answer is a mistake).
   */
  checkAgainst(machines: readonly { readonly name: string; readonly definition: unknown }[]): void {
    for (const [machine, cases] of this.machines) {
      const found = machines.find((m) => m.name === machine);
      if (found === undefined) {
        throw new Error(
          `mock configuration ${this.source}: StateMachines.${machine} names no state machine of the stack (it has ${machines.map((m) => m.name).join(", ")})`,
        );
      }
      const tasks = new Set<string>();
      forEachState(found.definition, (name, state) => {
        if (state.Type === "Task") tasks.add(name);
      });
      for (const [caseName, states] of cases) {
        for (const state of states.keys()) {
          if (!tasks.has(state)) {
            throw new Error(
              `mock configuration ${this.source}: StateMachines.${machine}.TestCases.${caseName}.${state} is not a Task state of ${machine}`,
            );
          }
        }
      }
    }
  }

  /** The state machines the file names. */
  get stateMachines(): string[] {
    return [...this.machines.keys()];
  }

  /**
   * The test case of an execution: the one named (by the request header), else the machine's
   * default, else its only one. Undefined when none applies (no mocks for this execution). Throws
   * for a name the file does not have.
   */
  testCase(stateMachine: string, requested: string | undefined): MockTestCase | undefined {
    const cases = this.machines.get(stateMachine);
    let name = requested;
    if (name === undefined) name = this.defaults.get(stateMachine) ?? (cases?.size === 1 ? [...cases.keys()][0] : undefined);
    if (name === undefined) return undefined;
    const states = cases?.get(name);
    if (states === undefined) {
      throw new RangeError(`The mock configuration ${this.source} has no test case '${name}' for the state machine '${stateMachine}'`);
    }
    return {
      stateMachine,
      name,
      source: this.source,
      responseName: (state) => states.get(state),
      answer: (state, attempt) => {
        const response = states.get(state);
        if (response === undefined) return undefined;
        const range = this.responses.get(response)?.find((r) => attempt >= r.from && attempt <= r.to);
        return range === undefined ? "no such attempt" : range.answer;
      },
    };
  }
}

/** `LOCAL_MOCK_TEST_CASES`: `<machine>=<case>` pairs, comma-separated. */
export function parseDefaultTestCases(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split(",")) {
    if (entry.trim() === "") continue;
    const [machine, caseName, extra] = entry.split("=").map((s) => s.trim());
    if (!machine || !caseName || extra !== undefined) throw new Error(`${JSON.stringify(entry.trim())} is not <state machine>=<test case>`);
    out[machine] = caseName;
  }
  return out;
}
