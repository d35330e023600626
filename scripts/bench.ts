/**
 * `npm run bench`: how long synth takes and how much memory it needs, as figures (nothing is
 * asserted). Every figure is one new process per run ("cold": nothing of a previous run in memory,
 * but the synth bundle and its V8 code cache already built, as after a first `npm run synth`, and
 * the files in the OS cache); the table gives the median wall time and the largest peak RSS.
 *
 * What runs, each with its output in a temporary folder:
 * - the floor: a node process that only loads cdktf, constructs and the @cdktf/provider-aws
 *   modules the stack imports; no synth can start faster;
 * - the synth script as README gives it: `node scripts/synth.cjs` itself (the root stack and the
 *   reusable module, and the root stack alone with APIGW_SFN_MODULE_OUTPUT=false), and
 *   `npm run synth` (which adds npm's own start-up);
 * - `npx cdktf synth` (the CLI, running cdktf.json's app, which is the same script);
 * - with --tsx, the previous synth command, `tsx main.ts`, for comparison;
 * for the default configuration (two workflows) and for generated lists of 1, 10 and 100 workflows
 * (APIGW_SFN_WORKFLOWS_FILE; EXPRESS and STANDARD alternately, the shipped templates, schema and
 * demo instance). Also timed once: the first synth of a fresh copy of the project (bundle built,
 * code cache written).
 *
 *   npm run bench -- [--runs N (default 7)] [--cli-runs N (default 3)] [--sizes 1,10,100] [--no-cli] [--tsx]
 *                    [--rss time|node]
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`: the largest resident set of the command
 * and the processes it waited for) when it is installed; otherwise (or with --rss node) every node
 * process of the command reports its own `process.resourceUsage().maxRSS` at exit (through
 * NODE_OPTIONS) and the largest is taken. The table says which.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";

const ROOT = path.resolve(__dirname, "..");

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);

function value(name: string): string | undefined {
  const index = args.findIndex((arg) => arg === name || arg.startsWith(`${name}=`));
  if (index < 0) return undefined;
  return args[index].includes("=") ? args[index].slice(name.length + 1) : args[index + 1];
}

function fail(message: string): never {
  console.error(`npm run bench: ${message}`);
  process.exit(2);
}

function count(name: string, fallback: number): number {
  const text = value(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 50) fail(`${name} takes a whole number from 1 to 50`);
  return n;
}

const RUNS = count("--runs", 7);
const CLI_RUNS = count("--cli-runs", 3);
const SIZES = (value("--sizes") ?? "1,10,100").split(",").map((text) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 500) fail("--sizes takes workflow counts from 1 to 500, separated by commas");
  return n;
});
const WITH_CLI = !args.includes("--no-cli");
const WITH_TSX = args.includes("--tsx");
const RSS_CHOICE = value("--rss");
if (RSS_CHOICE !== undefined && RSS_CHOICE !== "time" && RSS_CHOICE !== "node") fail('--rss takes "time" or "node"');

// ---------------------------------------------------------------------------------------------
// Running a command: wall time and peak RSS
// ---------------------------------------------------------------------------------------------

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-bench-"));

/** GNU time, if installed and working (`-f %M -o file`). */
async function gnuTime(): Promise<string | undefined> {
  const candidate = "/usr/bin/time";
  if (!fs.existsSync(candidate)) return undefined;
  const out = path.join(TMP, "time-check.txt");
  const ok = await new Promise<boolean>((resolve) => {
    const child = spawn(candidate, ["-f", "%M", "-o", out, process.execPath, "-e", "0"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
  return ok && /^\d+\s*$/.test(fs.readFileSync(out, "utf8")) ? candidate : undefined;
}

const RSS_REPORTER = path.join(TMP, "report-max-rss.cjs");
fs.writeFileSync(
  RSS_REPORTER,
  `process.on("exit", () => { try { require("fs").appendFileSync(process.env.APIGW_SFN_BENCH_RSS_FILE, process.resourceUsage().maxRSS + "\\n"); } catch {} });\n`,
);

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
}

let runCounter = 0;

async function measure(command: string, commandArgs: readonly string[], env: NodeJS.ProcessEnv, time: string | undefined): Promise<Measure> {
  runCounter += 1;
  const rssFile = path.join(TMP, `rss-${runCounter}.txt`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", ...env };
  let file = command;
  let fileArgs = [...commandArgs];
  if (time) {
    file = time;
    fileArgs = ["-f", "%M", "-o", rssFile, command, ...commandArgs];
  } else {
    childEnv.NODE_OPTIONS = `${childEnv.NODE_OPTIONS ?? ""} --require ${RSS_REPORTER}`.trim();
    childEnv.APIGW_SFN_BENCH_RSS_FILE = rssFile;
  }
  const start = performance.now();
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(file, fileArgs, { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
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
  return { seconds, rssMb: kilobytes / 1024 };
}

// ---------------------------------------------------------------------------------------------
// What is measured
// ---------------------------------------------------------------------------------------------

/** The @cdktf/provider-aws modules the stack's sources import. */
function providerModules(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts")) {
        for (const match of fs.readFileSync(file, "utf8").matchAll(/from "(@cdktf\/provider-aws\/lib\/[a-z0-9-]+)"/g)) found.add(match[1]);
      }
    }
  };
  walk(path.join(ROOT, "stacks"));
  return [...found].sort();
}

/** A list of n workflows, EXPRESS and STANDARD alternately, with the shipped templates. */
function workflowsFile(n: number): string {
  const workflows = Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? {
          name: `bench-${i}`,
          type: "EXPRESS",
          templateFile: "state-machines/express.asl.json.tftpl",
          path: `bench/express-${i}`,
          requestSchema: "models/instance-request.schema.json",
          resources: ["demo-instance"],
        }
      : {
          name: `bench-${i}`,
          type: "STANDARD",
          templateFile: "state-machines/standard.asl.json.tftpl",
          templateVariables: { wait_seconds: 29 },
          path: `bench/standard-${i}`,
          requestSchema: "models/instance-request.schema.json",
          resources: ["demo-instance"],
        },
  );
  const file = path.join(TMP, `workflows-${n}.json`);
  fs.writeFileSync(file, JSON.stringify({ workflows }, null, 2));
  return file;
}

interface Case {
  readonly label: string;
  /** Cases of a group run in rounds together: "light" ones, then "cli", then "tsx". */
  readonly group: "light" | "cli" | "tsx";
  readonly workflows: string;
  readonly runs: number;
  readonly run: (time: string | undefined) => Promise<Measure>;
  readonly results: Measure[];
}

function outdir(): string {
  return fs.mkdtempSync(path.join(TMP, "out-"));
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Copies what a clone of the project holds (node_modules linked) to a new folder. */
function copyProject(): string {
  const dest = fs.mkdtempSync(path.join(TMP, "clone-"));
  for (const name of ["main.ts", "cdktf.json", "package.json", "tsconfig.json", "stacks", "local", "templates", "scripts"]) {
    fs.cpSync(path.join(ROOT, name), path.join(dest, name), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}

async function main(): Promise<void> {
  const time = RSS_CHOICE === "node" ? undefined : await gnuTime();
  if (RSS_CHOICE === "time" && !time) fail("--rss time: GNU time (/usr/bin/time) is not installed or does not work");
  const rssMethod = time
    ? "GNU time (`/usr/bin/time -f %M`)"
    : `each node process's \`process.resourceUsage().maxRSS\`, through NODE_OPTIONS (${RSS_CHOICE === "node" ? "--rss node" : "GNU time is not installed"})`;

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
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";

  const sizes: { label: string; env: NodeJS.ProcessEnv }[] = [
    { label: "2 (default)", env: {} },
    ...SIZES.map((n) => ({ label: String(n), env: { APIGW_SFN_WORKFLOWS_FILE: workflowsFile(n) } })),
  ];
  const cases: Case[] = [];
  const add = (group: Case["group"], label: string, workflows: string, runs: number, run: Case["run"]) =>
    cases.push({ group, label, workflows, runs, run, results: [] });
  add("light", `floor: node loading cdktf, constructs and ${modules.length} provider modules`, "–", RUNS, (t) => measure(node, [floorScript], {}, t));
  for (const size of sizes) {
    add("light", "`node scripts/synth.cjs`", size.label, RUNS, (t) => measure(node, [launcher], { ...size.env, CDKTF_OUTDIR: outdir() }, t));
  }
  for (const size of sizes) {
    add("light", "`node scripts/synth.cjs`, root stack only (`APIGW_SFN_MODULE_OUTPUT=false`)", size.label, RUNS, (t) =>
      measure(node, [launcher], { ...size.env, APIGW_SFN_MODULE_OUTPUT: "false", CDKTF_OUTDIR: outdir() }, t),
    );
  }
  for (const size of sizes) {
    add("light", "`npm run synth` (adds npm's own start-up)", size.label, RUNS, (t) =>
      measure(npm, ["run", "--silent", "synth"], { ...size.env, CDKTF_OUTDIR: outdir() }, t),
    );
  }
  if (WITH_CLI) {
    for (const size of sizes) {
      add("cli", "`npx cdktf synth`", size.label, CLI_RUNS, (t) => measure(npx, ["cdktf", "synth", "--output", outdir()], size.env, t));
    }
  }
  if (WITH_TSX) {
    for (const size of sizes) {
      add("tsx", "`tsx main.ts` (the previous command)", size.label, CLI_RUNS, (t) => measure(npx, ["tsx", "main.ts"], { ...size.env, CDKTF_OUTDIR: outdir() }, t));
    }
  }

  console.error(`node ${process.version}, ${os.cpus().length} CPUs; peak RSS from ${rssMethod}`);
  // A first synth of a fresh copy: the bundle is built and the code cache written.
  const clone = copyProject();
  const first = await measure(node, [path.join(clone, "scripts", "synth.cjs")], { CDKTF_OUTDIR: outdir() }, time);
  console.error(`first synth of a fresh copy (build included): ${first.seconds.toFixed(2)} s`);
  // Warm-up (not counted): builds the bundle if needed, fills the OS file cache.
  for (const c of cases) await c.run(time);
  // Rounds: every case of a group once per round, so that a busy moment of the machine touches
  // all alike; the slow commands (cdktf synth, tsx) in groups of their own, after the others.
  for (const group of (["light", "cli", "tsx"] as const).map((name) => cases.filter((c) => c.group === name)).filter((g) => g.length > 0)) {
    const rounds = Math.max(...group.map((c) => c.runs));
    for (let round = 0; round < rounds; round++) {
      for (const c of group) if (c.results.length < c.runs) c.results.push(await c.run(time));
      console.error(`${group[group.length - 1].label}: round ${round + 1}/${rounds} done`);
    }
  }

  const floor = median(cases[0].results.map((r) => r.seconds));
  const seconds = (c: Case) => median(c.results.map((r) => r.seconds));
  const rss = (c: Case) => Math.max(...c.results.map((r) => r.rssMb));
  const lines: string[] = [];
  lines.push(`Synth wall time, median of cold processes (${RUNS} runs; cdktf synth${WITH_TSX ? " and tsx" : ""}: ${CLI_RUNS}), and peak RSS, largest of the runs.`);
  lines.push(`Node.js ${process.version}, ${os.cpus().length} CPUs. Peak RSS: ${rssMethod}.`);
  lines.push("");
  lines.push("| command | workflows | wall time (s) | × floor | peak RSS (MB) |");
  lines.push("|---|---:|---:|---:|---:|");
  for (const c of cases) {
    lines.push(`| ${c.label} | ${c.workflows} | ${seconds(c).toFixed(2)} | ${(seconds(c) / floor).toFixed(2)} | ${rss(c).toFixed(0)} |`);
  }
  lines.push(`| first \`node scripts/synth.cjs\` of a fresh copy (bundle built, code cache written) | 2 (default) | ${first.seconds.toFixed(2)} | ${(first.seconds / floor).toFixed(2)} | ${first.rssMb.toFixed(0)} |`);
  lines.push("");
  const find = (label: string, workflows: string) => cases.find((c) => c.label === label && c.workflows === workflows);
  const largest = String(Math.max(...SIZES));
  const smallest = String(Math.min(...SIZES));
  for (const label of ["`node scripts/synth.cjs`", "`node scripts/synth.cjs`, root stack only (`APIGW_SFN_MODULE_OUTPUT=false`)", "`npx cdktf synth`"]) {
    const base = find(label, "2 (default)");
    const one = find(label, smallest);
    const many = find(label, largest);
    if (!base || !one || !many) continue;
    lines.push(
      `- ${label}: default stack ${(seconds(base) / floor).toFixed(2)}× the floor; ${largest} workflows ${seconds(many).toFixed(2)} s, ` +
        `${(seconds(many) / seconds(one)).toFixed(2)}× the time of ${smallest}, peak ${rss(many).toFixed(0)} MB.`,
    );
  }
  console.log(lines.join("\n"));
  fs.rmSync(TMP, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
