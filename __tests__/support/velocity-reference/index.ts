/**
 * Runs VelocityReference.java, the reference renderer of mapping templates on the real engine
 * (Apache Velocity 1.7, json-smart, Jayway JsonPath, commons-lang 2, from Debian's packages): one
 * JVM for a whole batch of cases, JSON lines in and out. See the Java file for the protocol.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { MappingRequest } from "../../../lang/vtl";

/** The Debian packages that hold what the reference runs on (`.ci/run` installs them). */
export const DEBIAN_PACKAGES = ["default-jdk-headless", "velocity", "libjson-smart-java", "libjsonpath-java", "libcommons-lang-java"];

const JAVA_DIR = "/usr/share/java";
/** Velocity 1.7 and its dependencies, json-smart (with accessors-smart and asm), Jayway JsonPath (with slf4j), commons-lang 2. */
const JARS = [
  "velocity-1.7.jar",
  "commons-collections3.jar",
  "commons-lang-2.6.jar",
  "json-smart.jar",
  "accessors-smart.jar",
  "asm.jar",
  "json-path.jar",
  "slf4j-api.jar",
  "slf4j-nop.jar",
];
const SOURCE = path.join(__dirname, "VelocityReference.java");

/** The request a case renders a template for: the same shape the project's renderer takes. */
export type ReferenceRequest = MappingRequest;

export interface ReferenceCase extends ReferenceRequest {
  /** Key of the template in the batch's templates. */
  readonly template: string;
}

/** One render: the output and the response overrides, or what Java threw. */
export type ReferenceResult =
  | { readonly output: string; readonly status?: number; readonly header: Readonly<Record<string, string>> }
  | { readonly error: string };

/** Why the reference cannot run on this machine, or undefined when it can. */
export function referenceUnavailable(): string | undefined {
  for (const tool of ["java", "javac"]) {
    const probe = spawnSync(tool, ["-version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) return `${tool} is not installed`;
  }
  const missing = JARS.filter((jar) => !fs.existsSync(path.join(JAVA_DIR, jar)));
  return missing.length ? `${missing.join(", ")} missing from ${JAVA_DIR}` : undefined;
}

const classPath = (classes: string) => [classes, ...JARS.map((jar) => path.join(JAVA_DIR, jar))].join(path.delimiter);

/** Compiles the reference once per version of its source, into a folder of the system's temporary directory. */
function compiled(): string {
  const hash = createHash("sha256").update(fs.readFileSync(SOURCE)).digest("hex").slice(0, 16);
  const classes = path.join(os.tmpdir(), `apigw-sfn-velocity-reference-${hash}`);
  if (fs.existsSync(path.join(classes, "VelocityReference.class"))) return classes;
  const building = `${classes}.${process.pid}`;
  const javac = spawnSync("javac", ["-nowarn", "-encoding", "UTF-8", "-d", building, "-cp", classPath(""), SOURCE], { encoding: "utf8" });
  if (javac.status !== 0) throw new Error(`javac failed:\n${javac.stderr}${javac.error ?? ""}`);
  try {
    fs.renameSync(building, classes);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another process got there first
  }
  return classes;
}

/** JSON with every character outside ASCII as \uXXXX: the protocol is ASCII, so any UTF-16 text survives. */
const asciiJson = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * Renders every case with the real engine, once per mode (a mode is a list of emulations, see
 * vtl-divergences.json; [] is plain Velocity 1.7). A template that does not parse gives an error for each case.
 */
export function renderWithVelocity(
  templates: Readonly<Record<string, string>>,
  cases: readonly ReferenceCase[],
  modes: readonly (readonly string[])[],
): ReferenceResult[][] {
  const lines: string[] = [];
  for (const [id, template] of Object.entries(templates)) lines.push(asciiJson({ define: id, template }));
  cases.forEach((request, id) => {
    lines.push(asciiJson({ ...request, id, modes }));
  });
  const java = spawnSync("java", ["-XX:+UseSerialGC", "-cp", classPath(compiled()), "VelocityReference"], {
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (java.status !== 0) throw new Error(`the Velocity reference failed (status ${java.status}):\n${java.stderr}${java.error ?? ""}`);
  const answers = java.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, any>);
  const results: ReferenceResult[][] = [];
  for (const answer of answers) {
    if ("define" in answer) continue; // a template that does not parse fails each of its cases, saying so
    results[answer.id] = (answer.results as Record<string, any>[]).map((result) =>
      "error" in result
        ? { error: String(result.error) }
        : { output: result.output, header: result.header, ...(result.status !== undefined ? { status: Number(result.status) } : {}) },
    );
  }
  if (results.length !== cases.length) throw new Error(`the Velocity reference answered ${results.length} of ${cases.length} cases`);
  return results;
}
