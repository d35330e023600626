/**
 * Runs a command without blocking the test worker: a synchronous spawn of a long command (Terraform,
 * the cdktf CLI) starves vitest's worker RPC and fails the run with "Timeout calling onTaskUpdate".
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr. */
  readonly output: string;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * Whether the cdktf CLI can start on this Node: it loads its terminal, node-pty, at start, a native
 * module built per Node version, which @cdktf/node-pty-prebuilt-multiarch ships for Node 20 and 22,
 * not 24 (README.md, Prerequisites). Tests of `npx cdktf …` are skipped where it has no build. (Its
 * own loader looks in the same two places, and prints a stack trace when it finds neither.)
 */
export const CDKTF_CLI_STARTS = (() => {
  const dir = path.dirname(require.resolve("@cdktf/node-pty-prebuilt-multiarch/package.json"));
  const prebuilt = path.join(dir, "prebuilds", `${process.platform}-${process.arch}`, `node.abi${process.versions.modules}.node`);
  const starts = fs.existsSync(prebuilt) || fs.existsSync(path.join(dir, "build", "Release", "pty.node"));
  if (!starts) {
    // Never a silent skip: say which tests are left out, why, and how to run them.
    process.stderr.write(
      `skipping the tests of npx cdktf: the cdktf CLI cannot start on Node ${process.versions.node} (node-pty has no build ` +
        `for ABI ${process.versions.modules}); run npm test on Node 20 or 22 for them (CI does)\n`,
    );
  }
  return starts;
})();
