/**
 * `npm run local`: synthesizes the stack (main.ts's synth(), as `npm run synth`) and serves its REST API on
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
 *   CDKTF_OUTDIR        cdktf output folder (default cdktf.out)
 *
 * Flags: --no-synth serves what is already in the output folder (e.g. from `npx cdktf synth`).
 */
import { localOptionsFromEnv, startLocalApi } from "../local/server";
import { synth } from "../main";

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
    api = await startLocalApi({ ...options, synthesize: args.includes("--no-synth") ? undefined : (outdir) => synth({ outdir }).outdir });
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
