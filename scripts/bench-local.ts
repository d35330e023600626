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
 */
import { performance } from "node:perf_hooks";
import { DEMO_INSTANCE_ID } from "../local/ec2";
import { startLocalApi } from "../local/server";
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
  } finally {
    await api.close();
  }
}

main().catch((error: unknown) => {
  console.error(`npm run bench:local: ${(error as Error).message}`);
  process.exit(1);
});
