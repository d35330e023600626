/**
 * The entry point of `npm run synth` and `cdktf synth` (bundled by scripts/synth.cjs): synthesizes
 * and prints one line saying what was written where; on a configuration or workflow-authoring
 * error prints one `synth failed: …` line and exits 1 with nothing written.
 */
import * as path from "node:path";
import { synth } from "../main";
import { runEntryPoint } from "./lib/entry-point";

/** One line: each stack's configuration file (relative to the working directory when inside it). */
function synthSummary(stackDirs: Readonly<Record<string, string>>, file: string): string {
  const where = (dir: string) => (path.relative(process.cwd(), dir).startsWith("..") ? dir : path.relative(process.cwd(), dir));
  const written = Object.entries(stackDirs).map(([name, dir]) => `${name} to ${path.join(where(dir), file)}`);
  return `synth wrote ${written.join(" and ")}, ${written.length > 1 ? "each " : ""}with its assets/`;
}

runEntryPoint("synth", () => {
  // cdktf zips a folder asset by running the file of its zip helper with node and two arguments;
  // bundled, that file is this one. The app ships single files only: refuse rather than synthesize
  // again, and again.
  if (process.argv.length > 2) {
    throw new Error(
      `synth takes no arguments (got ${process.argv.slice(2).join(" ")}); cdktf's folder assets (AssetType.ARCHIVE) do not work from the bundle`,
    );
  }
  const result = synth();
  console.log(synthSummary(result.stackDirs, process.env.SYNTH_HCL_OUTPUT === "true" ? "cdk.tf" : "cdk.tf.json"));
});
