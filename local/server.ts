/**
 * The stack's REST API served on localhost: a plain node:http server in front of the local API
 * Gateway pipeline (local/apigateway/), the local Step Functions (local/step-functions.ts) and
 * the simulated EC2 (local/ec2.ts), all driven by the synthesized stack.
 *
 * Paths carry the stage name first, as the real invoke URL does
 * (https://<api>.execute-api.<region>.amazonaws.com/<stage>/...), so the same base URL shape
 * works for local and AWS: http://localhost:3000/v1.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import {
  DEFAULT_TRANSITION_DELAY_MS,
  DEMO_INSTANCE_ID,
  SimulatedEc2,
  isWellFormedInstanceId,
  parseEc2Faults,
  type Ec2FaultOptions,
  type InstanceStateName,
} from "./ec2";
import { LocalApiGateway, MAX_BODY_BYTES, type GatewayRequest } from "./apigateway/gateway";
import { MOCK_TEST_CASE_HEADER, MockConfig, parseDefaultTestCases } from "./mock-config";
import { readStack, type ApiModel } from "./stack-reader";
import { LocalStepFunctions } from "./step-functions";
import { stackDirIn } from "./output-folder";
import { parseMappingTemplate } from "../lang/vtl";
import { SUPPORTED_TASK_RESOURCES, startWorkflow } from "./workflow";
import { taskResources } from "../lang/asl";
import { ROUTE_OF_ACTION, type RouteKind } from "../lang/workflow-routes";

/** Waits run at 3% of their length: the STANDARD workflow's 29-second wait takes 0.87 s. */
const DEFAULT_WAIT_SCALE = 0.03;
const DEFAULT_PORT = 3000;

export interface LocalInstance {
  readonly instanceId: string;
  /** Any EC2 state; pending, stopping and shutting-down complete their transition after the EC2 delay. */
  readonly state: InstanceStateName;
}

export interface LocalApiOptions {
  /** TCP port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** Address to listen on. @default both loopback addresses, 127.0.0.1 and ::1 (when available) */
  readonly host?: string;
  /** Serve this synthesized stack folder (holding cdk.tf.json) instead of synthesizing. */
  readonly stackDir?: string;
  /** With no stackDir: the cdktf output folder to synthesize into and serve from. @default $CDKTF_OUTDIR or cdktf.out */
  readonly outdir?: string;
  /**
   * With no stackDir: synthesizes into `outdir` first and returns the output folder; the entry
   * point passes the app's synth (the emulator never imports the deploy side).
   * @default none: serve what is already in outdir
   */
  readonly synthesize?: (outdir: string | undefined) => string;
  /** With several stacks in outdir: which one. */
  readonly stackName?: string;
  /** Multiplies Wait states, retry intervals and timeouts of the workflows. @default 0.03 */
  readonly waitScale?: number;
  /** How long EC2 takes from pending to running and from stopping to stopped, in ms. @default 200 */
  readonly ec2TransitionDelayMs?: number;
  /** The simulated instances. @default the demo instance i-0123456789abcdef0, stopped */
  readonly instances?: readonly LocalInstance[];
  /** EC2 calls that fail with throttling or a server error (see local/ec2.ts). @default none */
  readonly ec2Faults?: Ec2FaultOptions;
  /**
   * A mock configuration file in AWS's Step Functions Local format (local/mock-config.ts): the
   * mocked answers of Task states, chosen per request by the X-Mock-Test-Case header.
   * @default none
   */
  readonly mockConfig?: string;
  /** The test case each state machine uses without the header, `{ machine: case }`. @default its only test case, if it has one */
  readonly mockTestCases?: Readonly<Record<string, string>>;
  /** Values of $stageVariables. @default none */
  readonly stageVariables?: Readonly<Record<string, string>>;
  /** Where the banner and the request log go; false for silence. @default console.log */
  readonly log?: ((line: string) => void) | false;
}

export interface LocalApi {
  /** Base URL of the stage, e.g. http://localhost:3000/v1: the local counterpart of the invoke URL. */
  readonly url: string;
  /** http://localhost:<port> */
  readonly origin: string;
  readonly port: number;
  readonly model: ApiModel;
  readonly ec2: SimulatedEc2;
  readonly stepFunctions: LocalStepFunctions;
  /** Milliseconds spent synthesizing (0 when a stack folder was given) and loading the stack. */
  readonly startup: { readonly synthMs: number; readonly loadMs: number; readonly totalMs: number };
  /** The lines printed at start (routes, instances, warnings). */
  readonly banner: readonly string[];
  /** Stops accepting requests, stops the executions under way, closes connections. */
  close(): Promise<void>;
}

/** Starts the local API: synthesizes (unless given a stack folder), reads the stack, listens. */
export async function startLocalApi(options: LocalApiOptions = {}): Promise<LocalApi> {
  const begin = performance.now();
  const log = options.log === false ? () => undefined : (options.log ?? ((line: string) => console.log(line)));
  const waitScale = options.waitScale ?? DEFAULT_WAIT_SCALE;
  if (!Number.isFinite(waitScale) || waitScale < 0) throw new RangeError(`waitScale must be a number >= 0, got ${waitScale}`);

  let stackDir = options.stackDir;
  let synthMs = 0;
  if (stackDir === undefined) {
    const synthStart = performance.now();
    const outdir = options.synthesize ? options.synthesize(options.outdir) : (options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
    synthMs = options.synthesize ? performance.now() - synthStart : 0;
    stackDir = stackDirIn(outdir, options.stackName);
  }

  const instances = options.instances ?? [{ instanceId: DEMO_INSTANCE_ID, state: "stopped" as const }];
  const ec2 = new SimulatedEc2({
    instances,
    transitionDelayMs: options.ec2TransitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS,
    faults: options.ec2Faults,
  });

  let gateway: LocalApiGateway | undefined;
  const inFlight = new Set<Promise<void>>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const done = serve(req, res, gateway, log).catch(() => undefined);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const servers: http.Server[] = [];
  const port = options.port ?? DEFAULT_PORT;
  try {
    const first = await listen(handler, port, options.host ?? "127.0.0.1");
    servers.push(first);
    const actualPort = (first.address() as AddressInfo).port;
    if (options.host === undefined) {
      // Also on ::1, so that "localhost" works whichever address it resolves to first.
      await listen(handler, actualPort, "::1").then(
        (server) => servers.push(server),
        () => undefined,
      );
    }
  } catch (error) {
    ec2.dispose();
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    throw new Error(`port ${port} of ${options.host ?? "127.0.0.1"} is already in use: set PORT to another port (PORT=0 picks a free one)`);
  }
  const actualPort = (servers[0].address() as AddressInfo).port;
  const hostForUrl = options.host === undefined ? "localhost" : options.host;
  const origin = `http://${hostForUrl.includes(":") ? `[${hostForUrl}]` : hostForUrl}:${actualPort}`;

  let model: ApiModel;
  let stepFunctions: LocalStepFunctions;
  const loadStart = performance.now();
  try {
    model = readStack(stackDir, { instanceIds: instances.map((i) => i.instanceId), origin });
    await checkDefinitions(model);
    const mocks = options.mockConfig === undefined ? undefined : MockConfig.load(options.mockConfig, options.mockTestCases);
    mocks?.checkAgainst(model.stateMachines);
    stepFunctions = new LocalStepFunctions({ stateMachines: model.stateMachines, ec2, waitScale, mocks });
    gateway = new LocalApiGateway(model, { stepFunctions }, options.stageVariables);
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    ec2.dispose();
    throw error;
  }
  const loadMs = performance.now() - loadStart;
  const url = `${origin}/${model.stageName}`;
  const banner = startupLines(model, url, ec2, waitScale, options.ec2TransitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS, options.ec2Faults);
  if (options.mockConfig !== undefined) {
    banner.splice(
      -1,
      0,
      `Mocked Task states from ${options.mockConfig}, the test case chosen per request by the ${MOCK_TEST_CASE_HEADER} header`,
    );
  }
  for (const line of banner) log(line);

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    port: actualPort,
    model,
    ec2,
    stepFunctions,
    startup: { synthMs, loadMs, totalMs: performance.now() - begin },
    banner,
    close() {
      closing ??= (async () => {
        const closed = Promise.all(servers.map(closeServer));
        for (const server of servers) server.closeIdleConnections();
        await stepFunctions.close();
        await Promise.race([Promise.all([...inFlight]), delay(2000)]);
        for (const server of servers) server.closeAllConnections();
        await closed;
        ec2.dispose();
      })();
      return closing;
    },
  };
}

function listen(handler: http.RequestListener, port: number, host: string): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer({ keepAliveTimeout: 5000 }, handler);
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function serve(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  gateway: LocalApiGateway | undefined,
  log: (line: string) => void,
): Promise<void> {
  const start = performance.now();
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1))) query[name] = value;
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = req.rawHeaders[i + 1];
  }
  const request: GatewayRequest = {
    method: req.method ?? "GET",
    path,
    query,
    headers,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, ""),
  };

  try {
    if (!gateway) {
      res.writeHead(503, { "Content-Type": "application/json" }).end('{"message":"The local API is starting"}');
      return;
    }
    const body = await readBody(req);
    const response =
      body === undefined ? gateway.errorResponse("REQUEST_TOO_LARGE", request) : await handleSafely(gateway, { ...request, body }, log);
    const payload = Buffer.from(response.body, "utf8");
    res.writeHead(response.status, { ...response.headers, "Content-Length": String(payload.length) });
    res.end(req.method === "HEAD" ? undefined : payload);
    if (body === undefined) req.resume();
  } catch (error) {
    log(`error while answering ${request.method} ${path}: ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
    res.end('{"message":"Internal server error"}');
  } finally {
    log(`${request.method} ${path} -> ${res.statusCode} (${(performance.now() - start).toFixed(1)} ms)`);
  }
}

async function handleSafely(gateway: LocalApiGateway, request: GatewayRequest, log: (line: string) => void) {
  try {
    return await gateway.handle(request);
  } catch (error) {
    log(`unexpected error while answering ${request.method} ${request.path}: ${(error as Error).stack ?? String(error)}`);
    return gateway.errorResponse("API_CONFIGURATION_ERROR", request);
  }
}

/** The body as UTF-8 text, or undefined when it is over API Gateway's limit. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Validates each definition once at start (an invalid one stops the server with its message) by
 * starting and at once stopping an execution against an empty simulated EC2.
 */
async function checkDefinitions(model: ApiModel): Promise<void> {
  const scratch = new SimulatedEc2({ instances: [] });
  try {
    for (const machine of model.stateMachines) {
      let started: ReturnType<typeof startWorkflow>;
      try {
        started = startWorkflow(machine.definition, {}, { ec2: scratch, waitScale: 0, stateMachineArn: machine.arn });
      } catch (error) {
        throw new Error(`state machine ${machine.name} (${machine.source}): ${(error as Error).message}`);
      }
      started.abort();
      await started.result;
    }
  } finally {
    scratch.dispose();
  }
}

/** Task resources of a definition (nested ones included) that the local runner does not serve. */
function unsupportedTaskResources(definition: unknown): string[] {
  return taskResources(definition)
    .filter((resource) => !(resource in SUPPORTED_TASK_RESOURCES))
    .sort();
}

/** The lines printed at start. */
/** What a route calling `action` answers, as the table of route kinds says (lang/workflow-routes.ts): " (waits for the result)". */
function answersOf(action: string | undefined): string {
  const kind = action === undefined ? undefined : (ROUTE_OF_ACTION as Readonly<Record<string, RouteKind | undefined>>)[action];
  return kind ? ` (${kind.answers})` : "";
}

/**
 * The integration timeouts of the routes as the synthesized stack sets them (timeout_milliseconds,
 * the integrationTimeoutMs setting), e.g. "29 s" or "120 s" or "500 ms, 29 s".
 */
function integrationTimeouts(model: ApiModel): string {
  const values = [...new Set(model.routes.filter((r) => r.integration.type !== "MOCK").map((r) => r.integration.timeoutMs))].sort(
    (a, b) => a - b,
  );
  return values.map((ms) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`)).join(", ") || "none";
}

function startupLines(
  model: ApiModel,
  url: string,
  ec2: SimulatedEc2,
  waitScale: number,
  transitionMs: number,
  faults: Ec2FaultOptions | undefined,
): string[] {
  const lines: string[] = [];
  lines.push(`Local API for ${model.apiName}, served from ${model.stackDir}/cdk.tf.json`);
  lines.push(`Base URL ${url}  (stage "${model.stageName}" first, as in the real invoke URL: use it as --url for npm run smoke)`);
  lines.push("Routes:");
  const width = Math.max(...model.routes.map((r) => `${r.httpMethod} ${url}${r.resourcePath}`.length));
  for (const route of model.routes) {
    const target =
      route.integration.type === "MOCK"
        ? "MOCK integration"
        : `states:${route.integration.action}${route.stateMachines.length ? ` -> ${route.stateMachines.join(", ")}` : ""}` +
          // What the route answers, as the table of route kinds says (lang/workflow-routes.ts).
          answersOf(route.integration.action);
    lines.push(`  ${`${route.httpMethod} ${url}${route.resourcePath}`.padEnd(width)}  ${target}`);
  }
  lines.push("State machines:");
  for (const machine of model.stateMachines) lines.push(`  ${machine.name} (${machine.type})  ${machine.arn}`);
  lines.push("Simulated EC2 instances:");
  for (const instance of ec2.instances()) lines.push(`  ${instance.instanceId}  ${instance.state}`);
  const example = model.stateMachines.flatMap((m) => waitsOf(m.definition)).find((s) => s > 0);
  lines.push(
    `Waits x${waitScale}${example ? ` (a ${example} s Wait takes ${(example * waitScale).toFixed(2)} s)` : ""}; EC2 transitions take ${transitionMs} ms; ` +
      `integration timeouts are not scaled (${integrationTimeouts(model)})`,
  );
  if (faults && ((faults.next ?? 0) > 0 || (faults.rate ?? 0) > 0)) {
    lines.push(
      `EC2 faults injected: ${faults.code ?? "RequestLimitExceeded"} on ` +
        [
          (faults.next ?? 0) > 0 ? `the next ${faults.next} calls` : "",
          (faults.rate ?? 0) > 0 ? `${(faults.rate! * 100).toFixed(0)}% of the calls` : "",
        ]
          .filter(Boolean)
          .join(", then ") +
        (faults.actions ? ` to ${faults.actions.join(", ")}` : ""),
    );
  }
  for (const problem of templateProblems(model)) lines.push(`WARNING: ${problem} (API Gateway answers 500 when it uses it)`);
  for (const machine of model.stateMachines) {
    const unsupported = unsupportedTaskResources(machine.definition);
    if (unsupported.length)
      lines.push(
        `WARNING: ${machine.name} uses Task resources the local runner does not simulate (executions fail unless a mock answers them): ${unsupported.join(", ")}`,
      );
  }
  const unchecked = [...new Set(model.routes.filter((r) => r.authorization !== "NONE").map((r) => r.authorization))];
  if (unchecked.length) {
    lines.push("");
    lines.push("!".repeat(78));
    lines.push(`!! WARNING: on AWS these routes require ${unchecked.join(", ")} authorization (SigV4-signed requests).`);
    lines.push("!! The local API does NOT check authorization: every request is accepted unsigned.");
    lines.push("!".repeat(78));
    lines.push("");
  }
  if (model.routes.some((r) => r.apiKeyRequired)) {
    lines.push("WARNING: some routes require an API key (x-api-key) on AWS; the local API does not check API keys.");
  }
  lines.push("Press Ctrl-C to stop.");
  return lines;
}

/** Mapping templates that do not parse as VTL, named. */
function templateProblems(model: ApiModel): string[] {
  const problems: string[] = [];
  // Texts that parsed: many routes share one template (100 workflows, 100 copies), parsed once here.
  const parsed = new Set<string>();
  const check = (template: string, where: string) => {
    if (parsed.has(template)) return;
    try {
      parseMappingTemplate(template, where);
      parsed.add(template);
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  for (const route of model.routes) {
    const where = `${route.httpMethod} ${route.resourcePath}`;
    for (const [type, template] of Object.entries(route.integration.requestTemplates)) check(template, `${where} request template ${type}`);
    for (const response of route.integrationResponses) {
      for (const [type, template] of Object.entries(response.responseTemplates))
        check(template, `${where} response template ${response.statusCode} ${type}`);
    }
  }
  for (const response of Object.values(model.gatewayResponses)) {
    for (const [type, template] of Object.entries(response.responseTemplates))
      check(template, `gateway response ${response.responseType} ${type}`);
  }
  return problems;
}

function waitsOf(definition: unknown): number[] {
  const seconds: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const state = node as Record<string, unknown>;
      if (state.Type === "Wait" && typeof state.Seconds === "number") seconds.push(state.Seconds);
      Object.values(state).forEach(visit);
    }
  };
  visit(definition);
  return seconds;
}

/** The options of `npm run local` from the environment; throws naming a bad variable. */
export function localOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): LocalApiOptions {
  const number = (name: string, check: (n: number) => boolean, what: string): number | undefined => {
    const text = env[name];
    if (text === undefined || text.trim() === "") return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || !check(value)) throw new Error(`environment variable ${name}=${JSON.stringify(text)} ${what}`);
    return value;
  };
  const port = number("PORT", (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "is not a TCP port (0 to 65535)");
  const waitScale = number("LOCAL_WAIT_SCALE", (n) => n >= 0, "is not a number >= 0");
  const ec2TransitionDelayMs = number("LOCAL_EC2_DELAY_MS", (n) => n >= 0, "is not a number of milliseconds >= 0");
  let instances: LocalInstance[] | undefined;
  if (env.LOCAL_INSTANCES !== undefined && env.LOCAL_INSTANCES.trim() !== "") {
    instances = env.LOCAL_INSTANCES.split(",").map((entry) => {
      const [instanceId, state = "stopped", extra] = entry.trim().split(":");
      if (extra !== undefined || !isWellFormedInstanceId(instanceId) || (state !== "stopped" && state !== "running")) {
        throw new Error(
          `environment variable LOCAL_INSTANCES: ${JSON.stringify(entry.trim())} is not <instance id>[:stopped|:running] ` +
            "(e.g. i-0123456789abcdef0:stopped,i-0123456789abcdef1:running)",
        );
      }
      return { instanceId, state };
    });
  }
  let ec2Faults: Ec2FaultOptions | undefined;
  if (env.LOCAL_EC2_FAULTS !== undefined && env.LOCAL_EC2_FAULTS.trim() !== "") {
    try {
      ec2Faults = parseEc2Faults(env.LOCAL_EC2_FAULTS);
    } catch (error) {
      throw new Error(`environment variable LOCAL_EC2_FAULTS: ${(error as Error).message} (e.g. rate=0.2, or code=InternalError,next=3)`);
    }
  }
  let mockTestCases: Record<string, string> | undefined;
  if (env.LOCAL_MOCK_TEST_CASES !== undefined && env.LOCAL_MOCK_TEST_CASES.trim() !== "") {
    try {
      mockTestCases = parseDefaultTestCases(env.LOCAL_MOCK_TEST_CASES);
    } catch (error) {
      throw new Error(`environment variable LOCAL_MOCK_TEST_CASES: ${(error as Error).message} (e.g. toggle=HappyPath)`);
    }
  }
  return {
    port,
    waitScale,
    ec2TransitionDelayMs,
    instances,
    ec2Faults,
    mockConfig: env.LOCAL_MOCK_CONFIG?.trim() || undefined,
    mockTestCases,
    host: env.HOST?.trim() || undefined,
    stackName: env.LOCAL_STACK?.trim() || undefined,
  };
}
