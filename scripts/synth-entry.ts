/**
 * The entry point of `npm run synth` and `cdktf synth` (bundled by scripts/synth.cjs): synthesizes,
 * and on a configuration or workflow-authoring error prints one `synth failed: …` line and exits 1
 * with nothing written.
 */
import { synth } from "../main";
import { runEntryPoint } from "./lib/entry-point";

runEntryPoint("synth", () => {
  synth();
});
