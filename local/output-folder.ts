/** Finding a synthesized stack's folder in a cdktf output folder. */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The folder of a synthesized stack in a cdktf output folder: the one named, else the only root
 * configuration the manifest lists (the reusable module, which has no provider and no backend, is
 * not one); an output folder with several root configurations needs a name.
 */
export function stackDirIn(outdir: string, stackName?: string): string {
  const manifestFile = path.join(outdir, "manifest.json");
  let stacks: Record<string, { workingDirectory?: string }> = {};
  if (fs.existsSync(manifestFile)) {
    stacks = (JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { stacks?: typeof stacks }).stacks ?? {};
  } else if (fs.existsSync(path.join(outdir, "stacks"))) {
    for (const name of fs.readdirSync(path.join(outdir, "stacks"))) stacks[name] = { workingDirectory: path.join("stacks", name) };
  }
  const names = Object.keys(stacks);
  if (names.length === 0) throw new Error(`no synthesized stack in ${outdir}: run npm run synth first`);
  const roots = names.filter((candidate) => !isReusableModule(outdir, candidate, stacks[candidate]));
  const name = stackName ?? (roots.length === 1 ? roots[0] : names.length === 1 ? names[0] : undefined);
  if (name === undefined || !stacks[name]) {
    throw new Error(
      stackName === undefined
        ? `${outdir} holds several stacks (${names.join(", ")}): name one with LOCAL_STACK`
        : `${outdir} holds no stack named ${stackName} (it holds ${names.join(", ")})`,
    );
  }
  return path.join(outdir, stacks[name].workingDirectory ?? path.join("stacks", name));
}

/** Whether a synthesized stack is a reusable module: cdktf records its backend as "none". */
function isReusableModule(outdir: string, name: string, stack: { workingDirectory?: string }): boolean {
  const file = path.join(outdir, stack.workingDirectory ?? path.join("stacks", name), "cdk.tf.json");
  if (!fs.existsSync(file)) return false;
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { "//"?: { metadata?: { backend?: string } } };
  return json["//"]?.metadata?.backend === "none";
}
