/**
 * `npm run bench`: how long synth takes and how much memory it needs, against the floor (a node
 * process that only loads cdktf, constructs and the provider modules the stacks import), how
 * long Terraform takes over the 100-workflow stack, and, for 1, 10 and 100 workflows in each API
 * definition mode (resources, openapi), the Terraform resources, the API Gateway management calls
 * of a first apply, of a plan with nothing to change and of a one-template change (counted per
 * resource type: scripts/lib/api-calls.ts), their floor under API Gateway's quotas, and the mocked
 * `terraform plan` time side by side. Figures only: nothing is asserted, but each target of
 * docs/performance.md is reported as met or not.
 *
 *   npm run bench [-- --full] [--runs N] [--sizes 1,10,100,149] [--plan-runs N]
 *   npm run bench -- --api-calls [--plan-runs N | --no-plan]   # only the API-calls table
 *   npm run bench -- --no-api-calls                             # only the synth and Terraform figures
 *
 * The sizes stop at 149 workflows: the most that deploy on API Gateway's default quota of 300
 * resources (paths) per REST API (Amazon API Gateway quotas, "Resources per API", adjustable):
 * here each EXPRESS workflow adds one path and each STANDARD one three (its path, executions,
 * {name}) below a shared "bench", so with the root 149 make 299 resources and 150 make 302. A larger --sizes is measured,
 * with a warning: such an API deploys only once the account's quota is raised.
 *
 * By default (about a minute on 2 cores) every synth row runs in rounds, each row once per round,
 * so that a busy moment touches all alike; each run is a new process writing to a new folder (the
 * bundle and its code cache built beforehand, as after a first `npm run synth`). A row prints its
 * line when its runs are done. --full runs more rounds, 50 workflows too, and Terraform three
 * times. The table goes to .build/bench/ as JSON and Markdown (performance.{json,md}).
 *
 * The API-calls table synthesizes each mode the build has (scripts/lib/api-definition-modes.ts;
 * one it lacks prints "not in this build") with the same workflows files, counts each stack's
 * calls, then times the mocked plan (`terraform test` with the tests' mock_provider and one
 * `command = plan` run, providers from the mirror, offline) of every stack in interleaved rounds
 * and prints the medians and the ratio of the modes.
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`: the largest resident set of the command and
 * the processes it waited for) when installed; otherwise each node process reports its own
 * `process.resourceUsage().maxRSS` at exit (through NODE_OPTIONS) and the largest is taken.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { providerMirror, terraformBinary, terraformEnv } from "../__tests__/support/terraform";
import {
  type Calls,
  countStack,
  floorSeconds as callFloor,
  MANAGEMENT_QUOTA,
  OPERATION_QUOTAS,
  type StackCalls,
  total,
} from "./lib/api-calls";
import { apiDefinitionModes, type ApiDefinitionMode } from "./lib/api-definition-modes";

const ROOT = path.resolve(__dirname, "..");
const OUT = path.join(ROOT, ".build", "bench");

const args = process.argv.slice(2);
const FULL = args.includes("--full");
/** Only the API-calls table; or everything but it. */
const API_CALLS_ONLY = args.includes("--api-calls");
const NO_API_CALLS = args.includes("--no-api-calls");
/** Count the calls but do not time the mocked plans. */
const NO_PLAN = args.includes("--no-plan");

function option(name: string): string | undefined {
  const index = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  return args[index].includes("=") ? args[index].slice(name.length + 1) : args[index + 1];
}

function fail(message: string): never {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
}

const RUNS = Number(option("--runs") ?? (FULL ? 9 : 5));
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) fail("--runs takes a whole number from 1 to 50");
/** The most workflows whose API fits API Gateway's default 300 resources per REST API (see above). */
const MOST_THAT_DEPLOY = 149;
const SIZES = (option("--sizes") ?? (FULL ? "1,10,50,100,149" : "1,10,100,149")).split(",").map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1 || n > 2000)) fail("--sizes takes workflow counts from 1 to 2000, separated by commas");
for (const n of SIZES.filter((size) => size > MOST_THAT_DEPLOY)) {
  console.warn(
    `npm run bench: ${n} workflows need more than the 300 resources per REST API of API Gateway's default quota: ` +
      `measured, but such an API deploys only once the account's quota is raised (${MOST_THAT_DEPLOY} is the most on the default quota)`,
  );
}
const TERRAFORM_RUNS = FULL ? 3 : 1;
if (API_CALLS_ONLY && NO_API_CALLS) fail("--api-calls and --no-api-calls exclude each other");
const PLAN_RUNS = Number(option("--plan-runs") ?? (FULL ? 5 : 3));
if (!Number.isInteger(PLAN_RUNS) || PLAN_RUNS < 1 || PLAN_RUNS > 20) fail("--plan-runs takes a whole number from 1 to 20");
/** The sizes of the API-calls table (issue 19). */
const API_CALL_SIZES = [1, 10, 100];
const CLI_RUNS = FULL ? 5 : 3;

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-bench-"));

// ---------------------------------------------------------------------------------------------
// Running a command: wall time and peak RSS
// ---------------------------------------------------------------------------------------------

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
}

const RSS_REPORTER = path.join(TMP, "report-max-rss.cjs");
fs.writeFileSync(
  RSS_REPORTER,
  `process.on("exit", () => { try { require("fs").appendFileSync(process.env.APIGW_SFN_BENCH_RSS_FILE, process.resourceUsage().maxRSS + "\\n"); } catch {} });\n`,
);
const GNU_TIME = "/usr/bin/time";
let useGnuTime = false;
let runCounter = 0;

async function spawnMeasured(
  command: string,
  commandArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): Promise<Measure & { output: string }> {
  runCounter += 1;
  const rssFile = path.join(TMP, `rss-${runCounter}.txt`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...env };
  let file = command;
  let fileArgs = [...commandArgs];
  if (useGnuTime) {
    file = GNU_TIME;
    fileArgs = ["-f", "%M", "-o", rssFile, command, ...commandArgs];
  } else {
    childEnv.NODE_OPTIONS = `${childEnv.NODE_OPTIONS ?? ""} --require ${RSS_REPORTER}`.trim();
    childEnv.APIGW_SFN_BENCH_RSS_FILE = rssFile;
  }
  const start = performance.now();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(file, fileArgs, { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode ?? 1, output: text }));
  });
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) {
    console.error(output);
    fail(`${[command, ...commandArgs].join(" ")} exited with ${code}`);
  }
  const kilobytes = fs.existsSync(rssFile)
    ? Math.max(...fs.readFileSync(rssFile, "utf8").split(/\s+/).filter(Boolean).map(Number))
    : Number.NaN;
  return { seconds, rssMb: kilobytes / 1024, output };
}

async function gnuTimeWorks(): Promise<boolean> {
  if (!fs.existsSync(GNU_TIME)) return false;
  const out = path.join(TMP, "time-check.txt");
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(GNU_TIME, ["-f", "%M", "-o", out, process.execPath, "-e", "0"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
  return ok && /^\d+\s*$/.test(fs.readFileSync(out, "utf8"));
}

// ---------------------------------------------------------------------------------------------
// What is measured
// ---------------------------------------------------------------------------------------------

/** The @cdktf/provider-aws modules the stacks' sources import. */
function providerModules(): string[] {
  const found = new Set<string>();
  for (const entry of fs.readdirSync(path.join(ROOT, "stacks"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const match of text.matchAll(/from "(@cdktf\/provider-aws\/lib\/[a-z0-9-]+)"/g)) found.add(match[1]);
  }
  return [...found].sort();
}

/** A file of n workflows, EXPRESS and STANDARD in turn, with the shipped templates and schema. */
function workflowsFile(n: number): string {
  const workflows = Array.from({ length: n }, (_, i) => ({
    name: `bench-${i}`,
    requestSchema: "models/instance-request.schema.json",
    resources: ["demo-instance"],
    ...(i % 2 === 0
      ? { type: "EXPRESS", templateFile: "state-machines/express.asl.json.tftpl", path: `bench/express-${i}` }
      : {
          type: "STANDARD",
          templateFile: "state-machines/standard.asl.json.tftpl",
          templateVariables: { wait_seconds: 29 },
          path: `bench/standard-${i}`,
        }),
  }));
  const file = path.join(TMP, `workflows-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ workflows }, null, 2));
  return file;
}

function outdir(): string {
  return fs.mkdtempSync(path.join(TMP, "out-"));
}

/** Runs a synth into a new folder (CDKTF_OUTDIR, and "{out}" in the arguments), and removes the folder afterwards (not timed). */
async function synthInto(command: string, commandArgs: readonly string[], env: NodeJS.ProcessEnv): Promise<Measure> {
  const out = outdir();
  try {
    return await spawnMeasured(
      command,
      commandArgs.map((arg) => arg.replace("{out}", out)),
      { ...env, CDKTF_OUTDIR: out },
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Row {
  /** Where the row stands in the table. */
  readonly order: number;
  readonly id: string;
  readonly label: string;
  /** Workflows synthesized, when the row synthesizes generated workflows. */
  readonly workflows?: number;
  readonly runs: number;
  readonly run: () => Promise<Measure>;
  readonly results: Measure[];
}

interface Result {
  readonly order: number;
  readonly id: string;
  readonly label: string;
  readonly workflows?: number;
  readonly runs: number;
  readonly medianSeconds: number;
  /** Against the floor; set once the floor's runs are done. */
  timesFloor?: number;
  /** Each run's peak RSS: the median of the runs, and the largest. */
  readonly peakRssMb: number;
  readonly maxPeakRssMb: number;
}

const results: Result[] = [];
let floorSeconds = Number.NaN;

function report(row: Row): void {
  const seconds = median(row.results.map((r) => r.seconds));
  if (row.id === "floor") floorSeconds = seconds;
  if (row.id === "floor") for (const earlier of results) earlier.timesFloor = earlier.medianSeconds / seconds;
  const result: Result = {
    order: row.order,
    id: row.id,
    label: row.label,
    workflows: row.workflows,
    runs: row.results.length,
    medianSeconds: seconds,
    timesFloor: Number.isNaN(floorSeconds) ? undefined : seconds / floorSeconds,
    peakRssMb: median(row.results.map((r) => r.rssMb)),
    maxPeakRssMb: Math.max(...row.results.map((r) => r.rssMb)),
  };
  results.push(result);
  const ratio = result.timesFloor === undefined ? "" : `  ${result.timesFloor.toFixed(2)}x floor`;
  console.log(
    `${row.label.padEnd(58)} ${seconds.toFixed(3).padStart(7)} s${ratio}  ${result.peakRssMb.toFixed(0)} MB (max ${result.maxPeakRssMb.toFixed(0)})  (${row.results.length} runs)`,
  );
}

/** Runs rows in rounds, each row once per round until it has its runs; prints a row when done. */
async function runInRounds(rows: Row[], warmUp = true): Promise<void> {
  if (warmUp) for (const row of rows) await row.run(); // the OS file cache, the bundle's code cache
  const rounds = Math.max(...rows.map((row) => row.runs));
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      if (row.results.length >= row.runs) continue;
      row.results.push(await row.run());
      if (row.results.length === row.runs) report(row);
    }
  }
}

/** A copy of what a clone of the project holds, node_modules linked. */
function copyProject(): string {
  const dest = fs.mkdtempSync(path.join(TMP, "clone-"));
  for (const name of ["main.ts", "cdktf.json", "package.json", "tsconfig.json", "lang", "stacks", "scripts", "templates"]) {
    fs.cpSync(path.join(ROOT, name), path.join(dest, name), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}

/** The slope and intercept of the least-squares line through (workflows, seconds), and its R². */
function fitLine(points: readonly (readonly [number, number])[]): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((sum, [x]) => sum + x, 0) / n;
  const my = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const total = points.reduce((sum, [, y]) => sum + (y - my) ** 2, 0);
  const residual = points.reduce((sum, [x, y]) => sum + (y - (intercept + slope * x)) ** 2, 0);
  return { slope, intercept, r2: total === 0 ? 1 : 1 - residual / total };
}

// ---------------------------------------------------------------------------------------------
// Terraform over the 100-workflow stack
// ---------------------------------------------------------------------------------------------

interface TerraformFigures {
  readonly workflows: number;
  readonly resources: number;
  readonly initSeconds: number;
  readonly validateSeconds: number;
  readonly planSeconds: number;
  readonly triggerBytes: number;
}

/** A `terraform test` file in the stack: the mocked provider of the tests' own terraform test, and a plan of the whole graph. */
function writeMockedPlan(stackDir: string): void {
  const mocks = fs.readFileSync(path.join(ROOT, "__tests__", "terraform", "stack.tftest.hcl"), "utf8");
  fs.mkdirSync(path.join(stackDir, "tests"), { recursive: true });
  fs.writeFileSync(
    path.join(stackDir, "tests", "plan.tftest.hcl"),
    `${mocks.slice(0, mocks.indexOf('\nrun "'))}\nrun "plan" {\n  command = plan\n}\n`,
  );
}

async function terraformFigures(workflows: number, file: string): Promise<TerraformFigures | string> {
  let binary: string;
  let env: NodeJS.ProcessEnv;
  try {
    binary = terraformBinary();
    providerMirror();
    env = terraformEnv();
  } catch (error) {
    return `skipped: ${(error as Error).message}`;
  }
  const out = outdir();
  await spawnMeasured(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], { APIGW_SFN_WORKFLOWS_FILE: file, CDKTF_OUTDIR: out });
  const stackDir = path.join(out, "stacks", "apigw-sfn");
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const resources = Object.values(json.resource as Record<string, object>).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  const trigger: string = json.resource.aws_api_gateway_deployment.stage_deployment.triggers.redeployment;
  writeMockedPlan(stackDir);
  const terraform = async (tfArgs: string[]) => {
    const measure = await spawnMeasured(binary, [...tfArgs, "-no-color"], env, stackDir);
    return measure;
  };
  const init = await terraform(["init", "-input=false", "-backend=false"]);
  const validate: number[] = [];
  const plan: number[] = [];
  for (let i = 0; i < TERRAFORM_RUNS; i++) {
    const v = await terraform(["validate"]);
    if (!/Success! The configuration is valid/.test(v.output)) fail(`terraform validate of ${workflows} workflows:\n${v.output}`);
    validate.push(v.seconds);
    const p = await terraform(["test"]);
    if (!/1 passed, 0 failed/.test(p.output)) fail(`the mocked terraform plan of ${workflows} workflows:\n${p.output}`);
    plan.push(p.seconds);
  }
  return {
    workflows,
    resources,
    initSeconds: init.seconds,
    validateSeconds: median(validate),
    planSeconds: median(plan),
    triggerBytes: Buffer.byteLength(trigger),
  };
}

// ---------------------------------------------------------------------------------------------
// API Gateway management calls and mocked plans, per API definition mode (issue 19)
// ---------------------------------------------------------------------------------------------

interface ModeRow {
  readonly mode: ApiDefinitionMode;
  readonly workflows: number;
  /** Why the mode is not measured, when it is not. */
  readonly unavailable?: string;
  readonly resources?: number;
  readonly apiGatewayResources?: number;
  readonly apiResources?: number;
  readonly bodyBytes?: number;
  readonly apply?: CallFigures;
  readonly plan?: CallFigures;
  readonly templateChange?: CallFigures;
  /** Median seconds of the mocked plan, its runs' seconds. */
  planSeconds?: number;
  planRuns?: number[];
}

interface CallFigures {
  readonly calls: number;
  readonly floorSeconds: number;
  readonly binding: string;
  readonly byOperation: Record<string, number>;
}

interface ApiCallReport {
  readonly rows: ModeRow[];
  /** Why the mocked plans were not timed, when they were not. */
  readonly planSkipped?: string;
  readonly planRuns: number;
  /** Issue 19: at 10 workflows the OpenAPI mode's plan calls are at most a tenth of the resource mode's. */
  readonly acceptance: string;
}

function callFigures(calls: Calls): CallFigures {
  const floor = callFloor(calls);
  return {
    calls: total(calls),
    floorSeconds: floor.seconds,
    binding: floor.binding,
    byOperation: Object.fromEntries([...calls].sort((a, b) => b[1] - a[1])),
  };
}

function formatFloor(figures: CallFigures | undefined): string {
  if (!figures) return "–";
  const floor = figures.floorSeconds === 0 ? "within the burst" : `${figures.floorSeconds.toFixed(1)} s (${figures.binding})`;
  return `${figures.calls.toLocaleString("en-US")}, floor ${floor}`;
}

function printModeRow(row: ModeRow): void {
  const head = `${row.mode.padEnd(9)} ${String(row.workflows).padStart(3)} workflow${row.workflows === 1 ? " " : "s"}`;
  if (row.unavailable) {
    console.log(`${head}  ${row.unavailable}`);
    return;
  }
  console.log(
    `${head}  ${row.resources} resources (${row.apiGatewayResources} aws_api_gateway_*; the API holds ${row.apiResources} resources (paths)${
      row.bodyBytes === undefined ? "" : `, body ${(row.bodyBytes / 1024).toFixed(0)} KB`
    }); API Gateway calls: first apply ${formatFloor(row.apply)}; no-change plan ${formatFloor(row.plan)}; one template changed ${formatFloor(row.templateChange)}`,
  );
}

async function apiCallFigures(files: Map<number, string>): Promise<ApiCallReport> {
  console.log(
    `API Gateway management calls (hashicorp/aws 5.100.0's code paths per resource type, scripts/lib/api-calls.ts); floor at API Gateway's quotas: ` +
      `max((N - ${MANAGEMENT_QUOTA.burst}) / ${MANAGEMENT_QUOTA.requestsPerSecond} s for N calls, and for an operation with its own quota of n per p s, (ceil(k / n) - 1) * p s for its k calls: ` +
      `${Object.entries(OPERATION_QUOTAS)
        .filter(([op]) => ["CreateDeployment", "PutRestApi", "GetResources", "CreateResource"].includes(op))
        .map(([op, q]) => `${op} ${q.requests} per ${q.seconds} s`)
        .join(", ")})`,
  );
  const rows: ModeRow[] = [];
  const stacks: { row: ModeRow; stackDir: string }[] = [];
  for (const workflows of API_CALL_SIZES) {
    const file = files.get(workflows) ?? workflowsFile(workflows);
    for (const mode of apiDefinitionModes()) {
      if (mode.unavailable) {
        const row: ModeRow = { mode: mode.mode, workflows, unavailable: mode.unavailable };
        rows.push(row);
        printModeRow(row);
        continue;
      }
      const out = outdir();
      await spawnMeasured(process.execPath, [path.join(ROOT, "scripts", "synth.cjs")], {
        ...mode.env,
        APIGW_SFN_WORKFLOWS_FILE: file,
        CDKTF_OUTDIR: out,
      });
      const stackDir = path.join(out, "stacks", "apigw-sfn");
      let counted: StackCalls;
      try {
        counted = countStack(JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")));
      } catch (error) {
        // A stack the table cannot count (a type it lacks, a body without paths): said, and the other rows still measured.
        const row: ModeRow = { mode: mode.mode, workflows, unavailable: `not counted: ${(error as Error).message}` };
        rows.push(row);
        printModeRow(row);
        continue;
      }
      const row: ModeRow = {
        mode: mode.mode,
        workflows,
        resources: counted.resources,
        apiGatewayResources: counted.apiGatewayResources,
        apiResources: counted.apiResources,
        bodyBytes: counted.bodyBytes,
        apply: callFigures(counted.apply),
        plan: callFigures(counted.plan),
        templateChange: callFigures(counted.templateChange),
      };
      rows.push(row);
      stacks.push({ row, stackDir });
      printModeRow(row);
    }
  }

  const byMode = (mode: ApiDefinitionMode, workflows: number) => rows.find((r) => r.mode === mode && r.workflows === workflows);
  const resources10 = byMode("resources", 10);
  const openapi10 = byMode("openapi", 10);
  const acceptance =
    openapi10?.plan && resources10?.plan
      ? `at 10 workflows the openapi mode's no-change plan makes ${openapi10.plan.calls} API Gateway calls, the resources mode's ${resources10.plan.calls} ` +
        `(${(openapi10.plan.calls / resources10.plan.calls).toFixed(3)}x): at most a tenth ${openapi10.plan.calls * 10 <= resources10.plan.calls ? "met" : "NOT met"}`
      : `at 10 workflows, openapi plan calls at most a tenth of the resources mode's: not measured (${openapi10?.unavailable ?? "no row"})`;
  console.log(`target (issue 19): ${acceptance}`);

  let planSkipped: string | undefined;
  if (NO_PLAN) planSkipped = "--no-plan";
  else {
    try {
      terraformBinary();
      providerMirror();
    } catch (error) {
      planSkipped = (error as Error).message;
    }
  }
  if (planSkipped) {
    console.log(`mocked terraform plan: skipped: ${planSkipped}`);
    return { rows, planSkipped, planRuns: 0, acceptance };
  }
  const env = terraformEnv();
  for (const { stackDir } of stacks) {
    writeMockedPlan(stackDir);
    await spawnMeasured(terraformBinary(), ["init", "-input=false", "-backend=false", "-no-color"], env, stackDir);
  }
  // Interleaved: each round runs every stack once, so a busy moment of the machine touches all alike.
  for (let round = 0; round < PLAN_RUNS; round++) {
    for (const { row, stackDir } of stacks) {
      const run = await spawnMeasured(terraformBinary(), ["test", "-no-color"], env, stackDir);
      if (!/1 passed, 0 failed/.test(run.output))
        fail(`the mocked terraform plan of ${row.workflows} workflows (${row.mode}):\n${run.output}`);
      row.planRuns = [...(row.planRuns ?? []), run.seconds];
    }
  }
  console.log(
    `mocked terraform plan (terraform test: mock_provider "aws", one command = plan run; providers from the mirror, offline), median of ${PLAN_RUNS} interleaved runs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}:`,
  );
  for (const { row } of stacks) {
    row.planSeconds = median(row.planRuns ?? []);
    const other = row.mode === "openapi" ? byMode("resources", row.workflows) : undefined;
    const ratio = other?.planSeconds ? `  (${(other.planSeconds / row.planSeconds).toFixed(1)}x faster than resources)` : "";
    console.log(
      `  ${row.mode.padEnd(9)} ${String(row.workflows).padStart(3)} workflow${row.workflows === 1 ? ": " : "s:"} ${row.planSeconds.toFixed(2)} s${ratio}`,
    );
  }
  return { rows, planRuns: PLAN_RUNS, acceptance };
}

function apiCallsMarkdown(report: ApiCallReport): string[] {
  const cell = (figures?: CallFigures) =>
    figures
      ? `${figures.calls.toLocaleString("en-US")} / ${figures.floorSeconds === 0 ? "burst" : `${figures.floorSeconds.toFixed(1)} s`}`
      : "–";
  return [
    "",
    "API Gateway management calls per mode (counted per resource type, scripts/lib/api-calls.ts; floor at 10 requests per second, burst 40, and the operations' own quotas):",
    "",
    "| mode | workflows | Terraform resources (aws_api_gateway_*) | calls / floor, first apply | calls / floor, no-change plan | calls / floor, one template changed | mocked plan (s) |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...report.rows.map((r) =>
      r.unavailable
        ? `| ${r.mode} | ${r.workflows} | ${r.unavailable} | | | | |`
        : `| ${r.mode} | ${r.workflows} | ${r.resources?.toLocaleString("en-US")} (${r.apiGatewayResources}) | ${cell(r.apply)} | ${cell(r.plan)} | ${cell(r.templateChange)} | ${
            r.planSeconds === undefined ? "–" : r.planSeconds.toFixed(2)
          } |`,
    ),
    "",
    `- Mocked plans: ${report.planSkipped ? `skipped (${report.planSkipped})` : `median of ${report.planRuns} interleaved runs each`}.`,
    `- Target (issue 19): ${report.acceptance}.`,
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  useGnuTime = await gnuTimeWorks();
  const rssMethod = useGnuTime ? "GNU time (`/usr/bin/time -f %M`)" : "each node process's `process.resourceUsage().maxRSS`";
  const machine = `${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node.js ${process.version}`;
  console.log(`npm run bench${FULL ? " --full" : ""}: ${new Date().toISOString()}; ${machine}; peak RSS from ${rssMethod}`);

  if (API_CALLS_ONLY) {
    const apiCalls = await apiCallFigures(new Map());
    const benchSeconds = (performance.now() - started) / 1000;
    writeReport({ date: new Date().toISOString(), machine, apiCalls, benchSeconds }, [
      `\`npm run bench -- --api-calls\` of ${new Date().toISOString()} on ${machine}.`,
      ...apiCallsMarkdown(apiCalls),
      `- The bench took ${benchSeconds.toFixed(0)} s.`,
      "",
    ]);
    return;
  }

  const modules = providerModules();
  const floorScript = path.join(TMP, "floor.cjs");
  fs.writeFileSync(
    floorScript,
    `const load = require("module").createRequire(${JSON.stringify(path.join(ROOT, "package.json"))});\n` +
      ["cdktf", "constructs", ...modules].map((m) => `load(${JSON.stringify(m)});`).join("\n") +
      "\n",
  );
  const node = process.execPath;
  const launcher = path.join(ROOT, "scripts", "synth.cjs");
  const files = new Map(SIZES.map((n) => [n, workflowsFile(n)]));

  // The first synth of a fresh copy: bundle built, code cache written.
  const first = await spawnMeasured(node, [path.join(copyProject(), "scripts", "synth.cjs")], { CDKTF_OUTDIR: outdir() });
  console.log(
    `${"first synth of a fresh copy (bundle built, code cache written)".padEnd(58)} ${first.seconds.toFixed(3).padStart(7)} s  ${first.rssMb.toFixed(0)} MB`,
  );

  let rows = 0;
  const row = (id: string, label: string, runs: number, run: () => Promise<Measure>, workflows?: number): Row => ({
    order: rows++,
    id,
    label,
    runs,
    run,
    workflows,
    results: [],
  });
  const synthRows: Row[] = [
    row("floor", `floor: node loading cdktf, constructs, ${modules.length} provider modules`, RUNS, () =>
      spawnMeasured(node, [floorScript], {}),
    ),
    row("default", "`node scripts/synth.cjs` (npm run synth), default", RUNS, () => synthInto(node, [launcher], {})),
    row("npm", "`npm run synth` (adds npm's start-up), default", RUNS, () => synthInto("npm", ["run", "--silent", "synth"], {})),
    row("module", "`npm run synth:module`: root stack and module, default", RUNS, () =>
      synthInto(node, [launcher], { APIGW_SFN_MODULE_OUTPUT: "true" }),
    ),
    ...SIZES.map((n) =>
      row(
        `workflows-${n}`,
        `\`node scripts/synth.cjs\`, ${n} workflow${n === 1 ? "" : "s"}`,
        n > 100 ? Math.min(RUNS, 3) : RUNS,
        () => synthInto(node, [launcher], { APIGW_SFN_WORKFLOWS_FILE: files.get(n)! }),
        n,
      ),
    ),
  ];
  await runInRounds(synthRows);
  // The CLI's own start-up dominates; the app it runs is the bundle warmed above.
  await runInRounds(
    [
      row("cli", "`npx cdktf synth` (the CLI runs the same app), default", CLI_RUNS, () =>
        synthInto("npx", ["cdktf", "synth", "--output", "{out}"], {}),
      ),
    ],
    false,
  );

  const sized = results
    .filter((r) => r.workflows !== undefined)
    .map((r) => [r.workflows!, r.medianSeconds] as const)
    .sort((a, b) => a[0] - b[0]);
  const fit = fitLine(sized);
  const bySize = (n: number) => results.find((r) => r.workflows === n);
  const hundred = bySize(100);
  const largest = results.filter((r) => r.workflows !== undefined && r.workflows > 100).sort((a, b) => b.workflows! - a.workflows!)[0];
  const slopeAbove100 = hundred && largest ? (largest.medianSeconds - hundred.medianSeconds) / (largest.workflows! - 100) : undefined;
  console.log(
    `per-workflow slope (least squares over ${sized.map(([n]) => n).join(", ")} workflows): ${(fit.slope * 1000).toFixed(2)} ms per workflow, ` +
      `intercept ${fit.intercept.toFixed(3)} s, R² ${fit.r2.toFixed(4)}` +
      (slopeAbove100 === undefined ? "" : `; from 100 to ${largest!.workflows}: ${(slopeAbove100 * 1000).toFixed(2)} ms per workflow`),
  );

  const tfWorkflows = 100;
  const tf = await terraformFigures(tfWorkflows, files.get(tfWorkflows) ?? workflowsFile(tfWorkflows));
  if (typeof tf === "string") console.log(`terraform: ${tf}`);
  else {
    console.log(
      `terraform over ${tf.workflows} workflows (${tf.resources} resources, trigger ${(tf.triggerBytes / 1024).toFixed(1)} KB): ` +
        `init ${tf.initSeconds.toFixed(1)} s, validate ${tf.validateSeconds.toFixed(1)} s, mocked plan (terraform test) ${tf.planSeconds.toFixed(1)} s`,
    );
  }

  const apiCalls = NO_API_CALLS ? undefined : await apiCallFigures(files);

  const find = (id: string) => results.find((r) => r.id === id);
  const targets = [
    { target: "default synth within 1.2x the floor", value: find("default")?.timesFloor, limit: 1.2, unit: "x" },
    { target: "100 workflows within 5x the floor", value: hundred?.timesFloor, limit: 5, unit: "x" },
    { target: "100 workflows under 200 MB peak RSS (median of the runs)", value: hundred?.peakRssMb, limit: 200, unit: " MB" },
    { target: "at most 8 ms per workflow (fit)", value: fit.slope * 1000, limit: 8, unit: " ms" },
    {
      target: `at most 8 ms per workflow from 100 to ${largest?.workflows ?? "the largest size"}`,
      value: slopeAbove100 === undefined ? undefined : slopeAbove100 * 1000,
      limit: 8,
      unit: " ms",
    },
  ].map((t) => ({ ...t, met: t.value !== undefined && t.value <= t.limit }));
  for (const t of targets)
    console.log(
      `target: ${t.target}: ${t.value === undefined ? "not measured" : `${t.value.toFixed(2)}${t.unit}`} ${t.met ? "met" : "NOT met"}`,
    );

  const totalSeconds = (performance.now() - started) / 1000;
  const report = {
    date: new Date().toISOString(),
    machine,
    full: FULL,
    runs: RUNS,
    rssMethod,
    firstSynthSeconds: first.seconds,
    rows: [...results].sort((a, b) => a.order - b.order),
    slope: {
      msPerWorkflow: fit.slope * 1000,
      interceptSeconds: fit.intercept,
      r2: fit.r2,
      above100: slopeAbove100 === undefined ? undefined : { msPerWorkflow: slopeAbove100 * 1000, toWorkflows: largest!.workflows! },
    },
    terraform: tf,
    apiCalls,
    targets,
    benchSeconds: totalSeconds,
  };
  writeReport(report, [markdown(report), ...(apiCalls ? [...apiCallsMarkdown(apiCalls), ""] : [])]);
}

/** Writes the report to .build/bench/performance.{json,md}, removes the bench's temporary files and says where the table is. */
function writeReport(report: { readonly benchSeconds: number } & Record<string, unknown>, markdownLines: string[]): void {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, "performance.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(OUT, "performance.md"), markdownLines.join("\n"));
  fs.rmSync(TMP, { recursive: true, force: true });
  console.log(`bench took ${report.benchSeconds.toFixed(0)} s; table in ${path.relative(ROOT, OUT)}/performance.{json,md}`);
}

function markdown(report: {
  date: string;
  machine: string;
  full: boolean;
  runs: number;
  rssMethod: string;
  firstSynthSeconds: number;
  rows: Result[];
  slope: {
    msPerWorkflow: number;
    interceptSeconds: number;
    r2: number;
    above100?: { msPerWorkflow: number; toWorkflows: number };
  };
  terraform: TerraformFigures | string;
  targets: { target: string; value?: number; unit: string; met: boolean }[];
  benchSeconds: number;
}): string {
  const lines = [
    `\`npm run bench${report.full ? " -- --full" : ""}\` of ${report.date} on ${report.machine}.`,
    `Median wall time of ${report.runs} new processes per row (\`npx cdktf synth\`: ${CLI_RUNS}; more than 100 workflows: 3), rows run in interleaved rounds; peak RSS from ${report.rssMethod}, the median of the runs' peaks and the largest.`,
    "",
    "| command | workflows | wall time (s) | × floor | peak RSS (MB) | largest peak RSS (MB) |",
    "|---|---:|---:|---:|---:|---:|",
    ...report.rows.map(
      (r) =>
        `| ${r.label} | ${r.workflows ?? (r.id === "floor" ? "–" : 2)} | ${r.medianSeconds.toFixed(3)} | ${r.timesFloor?.toFixed(2) ?? "–"} | ${r.peakRssMb.toFixed(0)} | ${r.maxPeakRssMb.toFixed(0)} |`,
    ),
    "",
    `- Per-workflow slope: ${report.slope.msPerWorkflow.toFixed(2)} ms per workflow (least squares, intercept ${report.slope.interceptSeconds.toFixed(3)} s, R² ${report.slope.r2.toFixed(4)})` +
      (report.slope.above100 === undefined
        ? "."
        : `; ${report.slope.above100.msPerWorkflow.toFixed(2)} ms per workflow from 100 to ${report.slope.above100.toWorkflows}.`),
    `- First synth of a fresh copy (bundle built, code cache written): ${report.firstSynthSeconds.toFixed(2)} s.`,
    typeof report.terraform === "string"
      ? `- Terraform: ${report.terraform}`
      : `- Terraform over the ${report.terraform.workflows}-workflow stack (${report.terraform.resources} resources; deployment trigger ${(report.terraform.triggerBytes / 1024).toFixed(1)} KB): ` +
        `\`terraform init\` ${report.terraform.initSeconds.toFixed(1)} s, \`terraform validate\` ${report.terraform.validateSeconds.toFixed(1)} s, mocked plan (\`terraform test\`, mock_provider) ${report.terraform.planSeconds.toFixed(1)} s.`,
    ...report.targets.map(
      (t) =>
        `- Target, ${t.target}: ${t.value === undefined ? "not measured" : `${t.value.toFixed(2)}${t.unit}`}, ${t.met ? "met" : "**not met**"}.`,
    ),
    `- The bench took ${report.benchSeconds.toFixed(0)} s.`,
    "",
  ];
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
