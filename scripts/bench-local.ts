/**
 * `npm run bench:local`: figures for the local API, nothing asserted. Starts the server in this
 * process on a free loopback port (synthesizing the stack first, as `npm run local` does), then
 * sends N requests to the synchronous route one after the other, and N more with at most C in
 * flight, and prints the median and p99 latency, the throughput and the start-up time.
 *
 *   npm run bench:local -- [--requests N (1-1000, default 50)] [--concurrency C (1-10, default 10)]
 *
 * Every request toggles the demo instance (EC2 transitions take 0 ms here, so concurrent
 * requests see it change state under them), so every one runs the whole EXPRESS workflow; the
 * statuses are counted and printed, with the number of 5xx answers (none expected: the workflow
 * reads the state again when it changed under it).
 *
 * Then the interpreter alone, in this process, on each demo workflow of the stack (waits instant,
 * EC2 transitions 0 ms), side by side with aws-local-stepfunctions 3.0.0, the interpreter the
 * emulator used before local/asl/, when it is installed: it is not a dependency (it brings the
 * AWS SDK for Lambda and asl-validator 3, and declares Node >= 22), so install it for this
 * comparison with `npm install --no-save aws-local-stepfunctions@3.0.0` (the next `npm ci` removes
 * it). Both serve the Task states from their own SimulatedEc2 and run in turns, so that a busy
 * moment touches both alike; the medians and their ratio are printed, and each execution's output
 * is compared so that both did the same work.
 */
import { performance } from "node:perf_hooks";
import { DEMO_INSTANCE_ID, SimulatedEc2 } from "../local/ec2";
import { startLocalApi } from "../local/server";
import { runWorkflow, SUPPORTED_TASK_RESOURCES } from "../local/workflow";
import { synth } from "../main";

const MAX_REQUESTS = 1000;
const MAX_CONCURRENCY = 10;

function option(name: string, fallback: number, min: number, max: number): number {
  const args = process.argv.slice(2);
  const index = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return fallback;
  const text = args[index].includes("=") ? args[index].split("=")[1] : args[index + 1];
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`npm run bench:local: ${name} takes a whole number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Run {
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  readonly wallMs: number;
}

async function run(url: string, requests: number, concurrency: number): Promise<Run> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const body = JSON.stringify({ instance_id: DEMO_INSTANCE_ID });
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const start = performance.now();
      const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      await response.arrayBuffer();
      latencies.push(performance.now() - start);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  return { latencies, statuses, wallMs: performance.now() - begin };
}

function report(title: string, result: Run): void {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const statuses = [...result.statuses].map(([status, count]) => `${status} x${count}`).join(", ");
  const serverErrors = [...result.statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
  console.log(
    `${title.padEnd(34)} median ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   ` +
      `throughput ${((result.latencies.length / result.wallMs) * 1000).toFixed(0).padStart(5)} req/s   (${statuses}; 5xx: ${serverErrors})`,
  );
}

async function main(): Promise<void> {
  const requests = option("--requests", 50, 1, MAX_REQUESTS);
  const concurrency = option("--concurrency", 10, 1, MAX_CONCURRENCY);
  const begin = performance.now();
  const api = await startLocalApi({
    port: 0,
    host: "127.0.0.1",
    log: false,
    ec2TransitionDelayMs: 0,
    synthesize: (outdir) => synth({ outdir }).outdir,
  });
  const startupMs = performance.now() - begin;
  try {
    const route = api.model.routes.find((r) => r.httpMethod === "POST" && r.integration.action === "StartSyncExecution");
    if (!route) throw new Error("the stack has no POST route calling StartSyncExecution");
    const url = `${api.url}${route.resourcePath}`;
    console.log(`Local API benchmark: POST ${url} (loopback), ${requests} requests per run`);
    console.log(
      `start-up ${startupMs.toFixed(0)} ms (synthesis ${api.startup.synthMs.toFixed(0)} ms, reading the stack and checking the definitions ${api.startup.loadMs.toFixed(0)} ms)`,
    );
    await run(url, 1, 1); // the first execution of each process pays for loading the workflow runner
    report("sequential", await run(url, requests, 1));
    report(`concurrent (${concurrency} in flight)`, await run(url, requests, concurrency));
    await compareInterpreters(api.model.stateMachines, requests);
  } finally {
    await api.close();
  }
}

/** What bench:local uses of aws-local-stepfunctions 3.0.0 (its README: StateMachine, run, overrides). */
interface OtherInterpreter {
  StateMachine: new (
    definition: object,
    options?: { validationOptions?: { checkPaths?: boolean; checkArn?: boolean } },
  ) => {
    run(
      input: unknown,
      options?: {
        overrides?: {
          taskResourceLocalHandlers?: Record<string, (input: unknown) => Promise<unknown>>;
          waitTimeOverrides?: Record<string, number>;
        };
      },
    ): { result: Promise<unknown> };
  };
}

/** The Task and Wait states of a definition, at any depth, by name. */
function statesOf(definition: unknown, type: string, found: Map<string, Record<string, unknown>> = new Map()) {
  const states = (definition as { States?: Record<string, Record<string, unknown>> }).States ?? {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === type) found.set(name, state);
    for (const branch of (state.Branches as unknown[] | undefined) ?? []) statesOf(branch, type, found);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) statesOf(processor, type, found);
  }
  return found;
}

async function compareInterpreters(
  machines: readonly { readonly name: string; readonly definition: object }[],
  executions: number,
): Promise<void> {
  let other: OtherInterpreter | undefined;
  const library = "aws-local-stepfunctions"; // not a dependency: see the comment at the top
  // It calls Promise.withResolvers (Node >= 22); on Node 20 it gets the few lines that call needs.
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const settled = new Promise((yes, no) => {
      resolve = yes;
      reject = no;
    });
    return { promise: settled, resolve, reject };
  };
  try {
    other = (await import(library)) as OtherInterpreter;
  } catch {
    other = undefined;
  }
  console.log(
    `interpreter in-process, ${executions} executions per workflow` +
      (other
        ? ", side by side with aws-local-stepfunctions"
        : " (for the side-by-side figures: npm install --no-save aws-local-stepfunctions@3.0.0)"),
  );
  // With the action given: aws-local-stepfunctions 3.0.0 fails the demo's `"IsPresent": false`
  // Choice rule on an absent $.action ("Path expression '$.action' does not point to a value").
  const input = { instance_id: DEMO_INSTANCE_ID, action: "toggle" };
  for (const machine of machines) {
    // Only what runs with no mock configuration: a team's own Task states (DynamoDB, SQS, ...) need
    // LOCAL_MOCK_CONFIG, which this in-process comparison does not read.
    const unserved = [...statesOf(machine.definition, "Task")].find(([, state]) => !(String(state.Resource) in SUPPORTED_TASK_RESOURCES));
    if (unserved) {
      console.log(
        `  ${machine.name.padEnd(32)} skipped: its Task state '${unserved[0]}' calls ${String(unserved[1].Resource)}, which only a mock serves`,
      );
      continue;
    }
    const oursEc2 = new SimulatedEc2({ instances: [{ instanceId: DEMO_INSTANCE_ID, state: "stopped" }], transitionDelayMs: 0 });
    const otherEc2 = new SimulatedEc2({ instances: [{ instanceId: DEMO_INSTANCE_ID, state: "stopped" }], transitionDelayMs: 0 });
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of statesOf(machine.definition, "Task")) {
      const action = SUPPORTED_TASK_RESOURCES[state.Resource as keyof typeof SUPPORTED_TASK_RESOURCES];
      if (action) handlers[name] = async (taskInput) => otherEc2[action](taskInput as never);
    }
    const waits = Object.fromEntries([...statesOf(machine.definition, "Wait").keys()].map((name) => [name, 0]));
    const otherMachine = other && new other.StateMachine(machine.definition, { validationOptions: { checkPaths: false, checkArn: false } });
    const ours: number[] = [];
    const theirs: number[] = [];
    let differing = 0;
    let failed: string | undefined;
    try {
      for (let i = 0; i < executions + 1; i++) {
        let start = performance.now();
        const result = await runWorkflow(machine.definition, input, { ec2: oursEc2, waitScale: 0 });
        if (i > 0) ours.push(performance.now() - start); // the first run of each pays for warming up
        if (result.status !== "SUCCEEDED") {
          // The demo's input: a workflow of the team's own may want another; it is reported, not timed.
          failed = `${result.status} ${result.error}: ${result.cause}`;
          break;
        }
        if (!otherMachine) continue;
        start = performance.now();
        const output = await otherMachine.run(input, { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: waits } })
          .result;
        if (i > 0) theirs.push(performance.now() - start);
        if (JSON.stringify(output) !== result.output) differing += 1;
      }
    } finally {
      oursEc2.dispose();
      otherEc2.dispose();
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    if (failed) {
      console.log(`  ${machine.name.padEnd(32)} skipped: on the demo's input it ended ${failed}`);
      continue;
    }
    const line = `  ${machine.name.padEnd(32)} local/asl median ${median(ours).toFixed(3)} ms`;
    if (!otherMachine) console.log(line);
    else
      console.log(
        `${line}   aws-local-stepfunctions median ${median(theirs).toFixed(3)} ms   ratio ${(median(theirs) / median(ours)).toFixed(2)}x` +
          (differing ? `   (${differing} outputs differ)` : ""),
      );
  }
}

main().catch((error: unknown) => {
  console.error(`npm run bench:local: ${(error as Error).message}`);
  process.exit(1);
});
