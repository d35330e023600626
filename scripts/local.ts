/**
 * `npm run local`: synthesizes the stack (as `npm run synth`, through its bundle) and serves its REST API on
 * localhost, with the workflows run in-process against a simulated EC2. No AWS account needed.
 *
 *   PORT                port (default 3000; 0 picks a free one)
 *   HOST                address to listen on (default 127.0.0.1 and ::1)
 *   LOCAL_WAIT_SCALE    factor applied to Wait states and workflow timeouts (default 0.03)
 *   LOCAL_EC2_DELAY_MS  how long pending->running and stopping->stopped take (default 200)
 *   LOCAL_EC2_FAULTS    simulated EC2 faults, e.g. rate=0.2 or code=InternalError,next=3 (docs/local.md)
 *   LOCAL_INSTANCES     simulated instances, e.g. i-0123456789abcdef0:stopped,i-0123456789abcdef1:running
 *                       (default: the demo instance i-0123456789abcdef0, stopped)
 *   LOCAL_STACK         stack to serve when the output folder holds several
 *   LOCAL_MOCK_CONFIG   mock configuration file (AWS's Step Functions Local format) answering Task states;
 *                       the test case per request is the X-Mock-Test-Case header
 *   LOCAL_MOCK_TEST_CASES  the test case of each state machine without the header, e.g. toggle=HappyPath
 *   LOCAL_COGNITO_JWKS  key set file (a user pool's jwks.json) Cognito tokens' signatures are checked against
 *                       (default: not checked, with a warning)
 *   LOCAL_COGNITO_CLIENT_IDS  app client IDs a Cognito token may be for (aud, client_id; default: not checked)
 *   LOCAL_AUTHORIZER_POLICY  local policy file answering for the Lambda authorizer, by identity (docs/local.md;
 *                       default: every request to its routes is refused)
 *   CDKTF_OUTDIR        cdktf output folder (default cdktf.out)
 *
 * Flags: --no-synth serves what is already in the output folder (e.g. from `npx cdktf synth`).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { localOptionsFromEnv, startLocalApi } from "../local/server";

/**
 * Synthesizes as `npm run synth` does, through its bundle (scripts/synth.cjs: one file with V8's
 * code cache, not the some 580 modules main.ts loads through the TypeScript loader; with 100
 * workflows about half the CPU time), into `outdir`; a failure throws synth's one line.
 */
function synthesize(outdir: string | undefined): string {
  const dir = outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const result = spawnSync(process.execPath, [path.join(__dirname, "synth.cjs")], {
    env: { ...process.env, CDKTF_OUTDIR: dir },
    encoding: "utf8",
    stdio: ["ignore", "inherit", "pipe"],
  });
  const stderr = result.stderr ?? "";
  if (result.status === 0) {
    process.stderr.write(stderr);
    return dir;
  }
  throw new Error(stderr.trim().replace(/^synth failed: /, "") || `synth ended with ${result.signal ?? `status ${result.status}`}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== "--no-synth");
  if (unknown.length > 0) {
    console.error(`unknown argument${unknown.length > 1 ? "s" : ""}: ${unknown.join(" ")} (only --no-synth is accepted)`);
    process.exit(2);
  }
  let options: ReturnType<typeof localOptionsFromEnv>;
  try {
    options = localOptionsFromEnv(process.env);
  } catch (error) {
    console.error(`npm run local: ${(error as Error).message}`);
    process.exit(2);
  }
  let api: Awaited<ReturnType<typeof startLocalApi>>;
  try {
    api = await startLocalApi({ ...options, synthesize: args.includes("--no-synth") ? undefined : synthesize });
  } catch (error) {
    console.error(`npm run local: ${(error as Error).message}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: stopping (executions under way are aborted)...`);
    api.close().then(
      () => {
        console.log("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`error while stopping: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main();
