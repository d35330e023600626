/**
 * hclwrite's formatter (hclwrite.Format, the first step of `terraform fmt`), as @cdktf/hcl-tools
 * ships it: HashiCorp's Go code compiled to WebAssembly, behind an asynchronous `format()`. Synth is
 * synchronous, so the package runs in a worker thread and hclwriteFormat waits for its answer.
 */
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";

let formatter: { readonly port: MessagePort; readonly done: Int32Array } | undefined;

/**
 * Starts the worker. Loading the WebAssembly takes a few hundred milliseconds: a stack calls this as
 * soon as it knows its output is HCL, so that the loading overlaps the building of the stack.
 */
export function startHclFormatter(): void {
  if (formatter) return;
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  // The package starts loading its WebAssembly when required: at once, not at the first format().
  // V8 compiles WebAssembly twice: at once with its baseline compiler (Liftoff), then again in the
  // background with its optimising one, which for this 5.5 MB module costs three times the CPU
  // of a whole format. A synth formats once or twice: Liftoff alone (a process-wide V8 flag that
  // only concerns WebAssembly, which nothing else in a synth runs) is a third of the CPU.
  const source = `require("node:v8").setFlagsFromString("--liftoff-only");
    const { workerData: { port, done, hclTools } } = require("node:worker_threads");
    let tools; try { tools = require(hclTools); } catch (error) { tools = { format: () => Promise.reject(error) }; }
    port.on("message", async (text) => {
      try { port.postMessage({ formatted: await tools.format(text) }); } catch (error) { port.postMessage({ error: String(error) }); }
      Atomics.store(done, 0, 1);
      Atomics.notify(done, 0);
    });`;
  const worker = new Worker(source, {
    eval: true,
    workerData: { port: port2, done, hclTools: require.resolve("@cdktf/hcl-tools") },
    transferList: [port2],
  });
  worker.unref();
  port1.unref();
  formatter = { port: port1, done };
}

/** The HCL text as hclwrite formats it (hclwrite.Format, what `terraform fmt` runs before its own rewrites). */
export function hclwriteFormat(text: string): string {
  startHclFormatter();
  const { port, done } = formatter as NonNullable<typeof formatter>;
  Atomics.store(done, 0, 0);
  port.postMessage(text);
  // hclwrite formats the 1,500 lines of the default stack in some 50 ms: a minute means it is stuck.
  Atomics.wait(done, 0, 0, 60_000);
  const reply = receiveMessageOnPort(port)?.message as { formatted?: string; error?: string } | undefined;
  if (reply?.formatted === undefined) throw new Error(`hclwrite could not format the HCL output: ${reply?.error ?? "no answer"}`);
  return reply.formatted;
}
