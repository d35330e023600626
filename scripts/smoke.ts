/**
 * `npm run smoke -- --url <base URL>`: exercises the deployed (or local) API end to end and checks
 * the documented contract, printing each check and a last line `N passed, M failed`; the exit
 * status is 1 when a check failed.
 *
 * The base URL is the stage's: http://localhost:3000/v1 for `npm run local`, the `api_url` output
 * after `cdktf deploy`. Requests are signed with SigV4 (service execute-api) when --sigv4 is given
 * or AWS credentials are in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional
 * AWS_SESSION_TOKEN); the region is read from the URL, else --region, AWS_REGION,
 * AWS_DEFAULT_REGION. --no-sigv4 never signs.
 *
 * The checks, in order (they start and stop the instance, so it ends stopped):
 *  1. POST /express-instance {"action": "start"} starts the instance (200, StartingInstances) —
 *     while the instance is stopping the answer is 409 Instance.IncorrectState, and the check
 *     calls again until it can start it;
 *  2. POST /express-instance {"action": "stop"} stops it (200, StoppingInstances) — while it is
 *     still pending, 409 again, and the check calls again;
 *  3. an unknown instance fails the workflow: 404 with the error Instance.NotFound and a cause;
 *  4. an action other than start, stop or toggle is refused with 400 by the request model;
 *  5. a body sent as text/plain is refused with 415;
 *  6. an unknown path is refused with 403;
 *  7. POST /standard-instance (toggle) with an IDEMPOTENCY-KEY header answers 202 at once with
 *     executionArn and startDate (and a Location header when the API gives one); the same request
 *     again, with the header in lower case, answers the same execution;
 *  8. the execution's status route (Location, else GET /executions/{name}) reports SUCCEEDED —
 *     skipped when the API has no status route;
 *  9. POST /express-instance {"action": "stop"} stops the instance again (only after 8).
 */
import { performance } from "node:perf_hooks";
import { credentialsFromEnv, regionOfUrl, signRequest, type Credentials } from "./lib/sigv4";

export const DEMO_INSTANCE_ID = "i-0123456789abcdef0";
export const UNKNOWN_INSTANCE_ID = "i-00000000000000000";

export interface SmokeOptions {
  /** Base URL of the stage, e.g. http://localhost:3000/v1. */
  readonly url: string;
  /** @default the demo instance i-0123456789abcdef0 */
  readonly instanceId?: string;
  /** Sign requests with these credentials (undefined: do not sign). */
  readonly credentials?: Credentials;
  readonly region?: string;
  /** How long a polling check may take, in ms. @default 180000 */
  readonly timeoutMs?: number;
  /** First polling interval in ms; it grows by half each time, up to 5 s. @default 200 */
  readonly pollMs?: number;
  /** Where lines go. @default console.log */
  readonly out?: (line: string) => void;
}

export interface SmokeResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: whatever JSON the API answered, read field by field by the checks
  readonly json: any;
  readonly ms: number;
}

class Skip extends Error {}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const out = options.out ?? ((line: string) => console.log(line));
  const base = options.url.replace(/\/+$/, "");
  const instanceId = options.instanceId ?? DEMO_INSTANCE_ID;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const region = regionOfUrl(base) ?? options.region ?? "us-east-1";
  let passed = 0;
  let failed = 0;
  let skipped = 0;

  const call = async (
    method: string,
    pathOrUrl: string,
    body?: string,
    contentType = "application/json",
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply> => {
    const url = /^https?:/.test(pathOrUrl)
      ? pathOrUrl
      : pathOrUrl.startsWith(`${new URL(base).pathname}/`)
        ? new URL(pathOrUrl, base).toString()
        : `${base}${pathOrUrl}`;
    let headers: Record<string, string> =
      body === undefined
        ? { Accept: "application/json", ...extraHeaders }
        : { Accept: "application/json", "Content-Type": contentType, ...extraHeaders };
    if (options.credentials) headers = await signRequest({ method, url, headers, body }, { credentials: options.credentials, region });
    const start = performance.now();
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json, ms: performance.now() - start };
  };
  const act = (action: "start" | "stop", id = instanceId) => call("POST", "/express-instance", JSON.stringify({ instance_id: id, action }));
  const show = (reply: Reply) =>
    `${reply.status} ${reply.text.length > 300 ? `${reply.text.slice(0, 300)}…` : reply.text}`.replace(/\s+/g, " ");

  /** Calls until `done` says the answer is the one wanted (true), or times out. */
  const poll = async (what: () => Promise<Reply>, done: (reply: Reply) => boolean | "retry"): Promise<Reply> => {
    const deadline = Date.now() + timeoutMs;
    let wait = options.pollMs ?? 200;
    for (;;) {
      const reply = await what();
      const verdict = done(reply);
      if (verdict === true) return reply;
      if (verdict !== "retry") throw new Error(`unexpected answer: ${show(reply)}`);
      if (Date.now() + wait > deadline) throw new Error(`no such answer within ${timeoutMs / 1000} s; last: ${show(reply)}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(5000, Math.round(wait * 1.5));
    }
  };
  // biome-ignore lint/suspicious/noConfusingVoidType: a check returns a note, or nothing
  const check = async (name: string, body: () => Promise<string | void>) => {
    try {
      const detail = await body();
      passed += 1;
      out(`PASS  ${name}${detail ? ` (${detail})` : ""}`);
    } catch (error) {
      if (error instanceof Skip) {
        skipped += 1;
        out(`SKIP  ${name}: ${error.message}`);
      } else {
        failed += 1;
        out(`FAIL  ${name}: ${(error as Error).message}`);
      }
    }
  };
  const expect = (condition: unknown, message: string, reply?: Reply) => {
    if (!condition) throw new Error(reply ? `${message}; got ${show(reply)}` : message);
  };
  const changes = (reply: Reply, key: "StartingInstances" | "StoppingInstances") =>
    reply.status === 200 &&
    Array.isArray(reply.json?.[key]) &&
    reply.json[key].some((c: { InstanceId?: string } | null) => c?.InstanceId === instanceId);
  /** The instance is between states: it is stopping and cannot start yet, or pending and cannot stop yet. */
  const between = (reply: Reply) => reply.status === 409 && reply.json?.error === "Instance.IncorrectState";

  out(
    `Smoke test of ${base} (instance ${instanceId}; ${options.credentials ? `requests signed with SigV4 for ${region}` : "requests not signed"})`,
  );

  await check('POST /express-instance {"action": "start"} starts the instance: 200 with StartingInstances', async () => {
    const reply = await poll(
      () => act("start"),
      (r) => changes(r, "StartingInstances") || (between(r) ? "retry" : false),
    );
    const { PreviousState, CurrentState } = reply.json.StartingInstances[0];
    expect(
      ["pending", "running"].includes(CurrentState?.Name),
      `expected CurrentState pending or running, got ${CurrentState?.Name}`,
      reply,
    );
    return `${PreviousState?.Name} -> ${CurrentState?.Name}, ${reply.ms.toFixed(0)} ms`;
  });

  await check('POST /express-instance {"action": "stop"} stops it once it runs: 200 with StoppingInstances', async () => {
    const reply = await poll(
      () => act("stop"),
      (r) => changes(r, "StoppingInstances") || (between(r) ? "retry" : false),
    );
    const { PreviousState, CurrentState } = reply.json.StoppingInstances[0];
    expect(
      ["stopping", "stopped"].includes(CurrentState?.Name),
      `expected CurrentState stopping or stopped, got ${CurrentState?.Name}`,
      reply,
    );
    return `${PreviousState?.Name} -> ${CurrentState?.Name}`;
  });

  await check(
    `POST /express-instance with an unknown instance (${UNKNOWN_INSTANCE_ID}) fails: 404 Instance.NotFound with a cause`,
    async () => {
      const reply = await act("start", UNKNOWN_INSTANCE_ID);
      expect(reply.status === 404, "expected status 404", reply);
      expect(reply.json?.error === "Instance.NotFound", "expected a JSON body with the error Instance.NotFound", reply);
      expect(typeof reply.json.cause === "string" && reply.json.cause !== "", "expected a JSON body with a cause", reply);
      return `error ${reply.json.error}`;
    },
  );

  await check("An action other than start, stop or toggle is refused: 400", async () => {
    const reply = await call("POST", "/express-instance", JSON.stringify({ instance_id: instanceId, action: "reboot" }));
    expect(reply.status === 400, "expected status 400", reply);
  });

  await check("A body sent as text/plain is refused: 415 Unsupported Media Type", async () => {
    const reply = await call("POST", "/express-instance", `instance_id=${instanceId}`, "text/plain");
    expect(reply.status === 415, "expected status 415", reply);
    expect(typeof reply.json?.message === "string" && /Unsupported Media Type/i.test(reply.json.message), "expected a JSON message", reply);
  });

  await check("An unknown path is refused: 403", async () => {
    const reply = await call("POST", "/no-such-route", JSON.stringify({ instance_id: instanceId }));
    expect(reply.status === 403, "expected status 403", reply);
  });

  let execution: { arn: string; name: string; location?: string } | undefined;
  await check(
    "POST /standard-instance answers 202 at once with executionArn and startDate, and the same execution to a retry with the same IDEMPOTENCY-KEY",
    async () => {
      const key = `smoke-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
      const body = JSON.stringify({ instance_id: instanceId });
      const reply = await call("POST", "/standard-instance", body, "application/json", { "IDEMPOTENCY-KEY": key });
      expect(reply.status === 202, "expected status 202", reply);
      const arn = reply.json?.executionArn;
      expect(
        typeof arn === "string" && /^arn:aws[a-z-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn),
        "expected an execution ARN",
        reply,
      );
      const startDate = reply.json?.startDate;
      expect(typeof startDate === "number" && startDate > 1e9 && startDate < 1e11, "expected startDate in epoch seconds", reply);
      const name = arn.slice(arn.lastIndexOf(":") + 1);
      expect(name === key, `expected the execution to be named after the Idempotency-Key ${key}, got ${name}`, reply);
      const location = reply.headers.get("location") ?? undefined;
      if (location !== undefined)
        expect(location.endsWith(`/${name}`), `expected the Location header to end with /${name}, got ${location}`);
      execution = { arn, name, location };
      // While the execution runs (it waits first), the same key and body give the same execution.
      const retry = await call("POST", "/standard-instance", body, "application/json", { "idempotency-key": key });
      expect(retry.status === 202 && retry.json?.executionArn === arn, `expected 202 with the same executionArn ${arn}`, retry);
      return `${reply.ms.toFixed(0)} ms${location ? `, Location ${location}` : ""}`;
    },
  );

  let succeeded = false;
  await check("The execution's status route reports it SUCCEEDED", async () => {
    if (!execution) throw new Skip("no execution was started");
    const where = execution.location ?? `/executions/${encodeURIComponent(execution.name)}`;
    const first = await call("GET", where);
    if (!execution.location && (first.status === 403 || first.status === 404) && !/execution/i.test(first.text)) {
      throw new Skip(`the API has no status route (GET ${where} answered ${first.status})`);
    }
    const reply = await poll(
      () => call("GET", where),
      (r) => {
        if (r.status !== 200) return false;
        if (r.json?.status === "RUNNING") return "retry";
        return r.json?.status === "SUCCEEDED" || false;
      },
    );
    succeeded = true;
    return `status ${reply.json.status}`;
  });

  await check('POST /express-instance {"action": "stop"} stops the instance the STANDARD execution may have started', async () => {
    if (!succeeded)
      throw new Skip(
        'the STANDARD execution\'s end was not observed; it may start the instance after its wait (POST /express-instance {"action": "stop"} stops it)',
      );
    const reply = await poll(
      () => act("stop"),
      (r) => changes(r, "StoppingInstances") || (between(r) ? "retry" : false),
    );
    return `-> ${reply.json.StoppingInstances[0].CurrentState?.Name}`;
  });

  out(`${passed} passed, ${failed} failed`);
  return { passed, failed, skipped };
}

interface Cli {
  url?: string;
  instanceId?: string;
  sigv4?: boolean;
  region?: string;
  timeoutMs?: number;
}

function parseArgs(args: readonly string[]): Cli {
  const cli: Cli = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--url") cli.url = value();
    else if (flag === "--instance-id") cli.instanceId = value();
    else if (flag === "--region") cli.region = value();
    else if (flag === "--timeout") cli.timeoutMs = Number(value()) * 1000;
    else if (flag === "--sigv4") cli.sigv4 = true;
    else if (flag === "--no-sigv4") cli.sigv4 = false;
    else throw new Error(`unknown argument ${args[i]}`);
  }
  return cli;
}

async function main(): Promise<void> {
  let cli: Cli;
  try {
    cli = parseArgs(process.argv.slice(2));
    if (!cli.url || !/^https?:\/\/[^/]+\/[^/]+/.test(cli.url))
      throw new Error("--url <base URL of the stage> is required, e.g. --url http://localhost:3000/v1");
    if (cli.timeoutMs !== undefined && !(cli.timeoutMs > 0)) throw new Error("--timeout takes a number of seconds");
  } catch (error) {
    console.error(`npm run smoke: ${(error as Error).message}`);
    console.error("usage: npm run smoke -- --url <base URL> [--instance-id i-…] [--sigv4 | --no-sigv4] [--region r] [--timeout seconds]");
    process.exit(2);
  }
  const credentials = cli.sigv4 === false ? undefined : credentialsFromEnv(process.env);
  if (cli.sigv4 === true && !credentials) {
    console.error(
      "npm run smoke: --sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials) in the environment",
    );
    process.exit(2);
  }
  const result = await runSmoke({
    url: cli.url,
    instanceId: cli.instanceId,
    credentials,
    region: cli.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    timeoutMs: cli.timeoutMs,
  });
  process.exit(result.failed > 0 ? 1 : 0);
}

if (require.main === module) void main();
