/**
 * The entry point of `npm run synth` and `cdktf synth` (bundled by scripts/synth.cjs): synthesizes,
 * and on a configuration or workflow-authoring error prints one `synth failed: …` line and exits 1
 * with nothing written.
 */
import { synth } from "../main";
import { runEntryPoint } from "./lib/entry-point";

runEntryPoint("synth", () => {
  // cdktf zips a folder asset by running the file of its zip helper with node and two arguments;
  // bundled, that file is this one. The app ships single files only: refuse rather than synthesize
  // again, and again.
  if (process.argv.length > 2) {
    throw new Error(
      `synth takes no arguments (got ${process.argv.slice(2).join(" ")}); cdktf's folder assets (AssetType.ARCHIVE) do not work from the bundle`,
    );
  }
  synth();
});
