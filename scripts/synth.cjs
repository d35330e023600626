#!/usr/bin/env node
"use strict";
/**
 * `npm run synth`, and the app cdktf.json gives `cdktf synth`: runs scripts/synth-entry.ts as one
 * CommonJS file bundled by esbuild (.build/synth/, git-ignored), so that node reads one file instead
 * of some 580 modules and no TypeScript loader runs.
 *
 * The bundle's name carries a hash of what it was built from: the content of every project file in
 * it, the package.json of every package in it, npm's record of the installed tree
 * (node_modules/.package-lock.json) and this file. A run hashes them again and runs the bundle of
 * that name, building it first when there is none; so an edited source is picked up by the next
 * run. (A file edited by hand inside node_modules is not noticed: delete .build/synth after that.)
 *
 * The bundle links its source map: `node --enable-source-maps scripts/synth.cjs` prints stack
 * traces with the TypeScript files and lines.
 *
 * Compiling the 3 MB bundle is a fifth of a default synth: it runs with V8's code cache
 * (`<bundle>.v8cache`, written after a run that had none or whose cache V8 rejected, e.g. under
 * another Node.js version). Measured interleaved on 2 cores: 1.53x against 1.32x the time of node
 * only loading cdktf (docs/performance.md). With source maps on, the bundle is required as usual,
 * since node maps only what its module loader compiled.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const ROOT = path.resolve(__dirname, "..");
const ENTRY = path.join(ROOT, "scripts", "synth-entry.ts");
const OUT_DIR = path.join(ROOT, ".build", "synth");
/** What the last build read: { project: [relative paths], packages: [package folders] }. */
const INPUTS = path.join(OUT_DIR, "inputs.json");

/**
 * The hash of the bundle that the listed inputs build, as they are now (or as `read` gives a
 * project file); undefined when one is gone.
 */
function inputsHash(
  /** @type {{ project: string[], packages: string[] }} */ inputs,
  read = (/** @type {string} */ file) => fs.readFileSync(path.join(ROOT, file)),
) {
  const hash = crypto.createHash("sha1").update(fs.readFileSync(__filename));
  try {
    for (const file of inputs.project) hash.update(`\0${file}\0`).update(read(file));
    for (const dir of inputs.packages) hash.update(`\0${dir}\0`).update(fs.readFileSync(path.join(ROOT, dir, "package.json")));
  } catch {
    return undefined;
  }
  try {
    hash.update("\0").update(fs.readFileSync(path.join(ROOT, "node_modules", ".package-lock.json")));
  } catch {
    // not installed by npm: the packages' package.json files say enough
  }
  return hash.digest("hex").slice(0, 16);
}

function bundleFile(/** @type {string} */ hash) {
  return path.join(OUT_DIR, `synth-${hash}.cjs`);
}

/** The package folder of a file under node_modules ("node_modules/@scope/name"), else undefined. */
function packageDir(/** @type {string} */ file) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
  return match ? match[1] : undefined;
}

/** Writes a file under a temporary name and renames it, so that a concurrent run never reads half of it. */
function writeWhole(/** @type {string} */ file, /** @type {string | Uint8Array} */ text) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/** Bundles the entry point; returns the bundle's path. */
async function build() {
  const esbuild = require("esbuild");
  /** The text of each project file as bundled, by its path relative to the project. */
  const read = new Map();
  /** @type {import("esbuild").Plugin} */
  const projectDirname = {
    name: "project-dirname",
    setup(b) {
      // A project file finds files beside it (cdktf.json, templates/) from __dirname: keep its own
      // folder, not the bundle's.
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const dir = path.relative(OUT_DIR, path.dirname(args.path)).split(path.sep).join("/");
        const text = fs.readFileSync(args.path, "utf8");
        read.set(path.relative(ROOT, args.path).split(path.sep).join("/"), text);
        return { contents: text.replace(/\b__dirname\b/g, `require("path").join(__dirname, ${JSON.stringify(dir)})`), loader: "ts" };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    outfile: path.join(OUT_DIR, "synth.cjs"),
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: "silent",
    plugins: [projectDirname],
  });
  const files = Object.keys(result.metafile.inputs);
  const inputs = {
    project: files.filter((file) => !packageDir(file)).sort(),
    packages: [...new Set(files.map(packageDir).filter((dir) => dir !== undefined))].sort(),
  };
  // The hash of what was bundled: a file changed since then gives the next run another hash.
  const hash = inputsHash(inputs, (file) => read.get(file) ?? fs.readFileSync(path.join(ROOT, file)));
  if (!hash) throw new Error("a source file disappeared while bundling; run again");
  const bundle = bundleFile(hash);
  // The source map first: a run that finds the bundle finds its map.
  for (const output of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith(".map")) - Number(a.path.endsWith(".map")))) {
    const map = output.path.endsWith(".map");
    const text = map
      ? output.text
      : output.text.replace(/\/\/# sourceMappingURL=synth\.cjs\.map\s*$/, `//# sourceMappingURL=${path.basename(bundle)}.map\n`);
    writeWhole(map ? `${bundle}.map` : bundle, text);
  }
  writeWhole(INPUTS, JSON.stringify(inputs));
  // Bundles of older sources, once no run can still be starting one.
  for (const name of fs.readdirSync(OUT_DIR)) {
    const file = path.join(OUT_DIR, name);
    if (name.startsWith("synth-") && !file.startsWith(bundle) && Date.now() - fs.statSync(file).mtimeMs > 60_000)
      fs.rmSync(file, { force: true });
  }
  return bundle;
}

async function main() {
  let bundle;
  try {
    const hash = inputsHash(JSON.parse(fs.readFileSync(INPUTS, "utf8")));
    if (hash && fs.existsSync(bundleFile(hash))) bundle = bundleFile(hash);
  } catch {
    // never built
  }
  if (!bundle) {
    try {
      fs.mkdirSync(OUT_DIR, { recursive: true });
      bundle = await build();
    } catch (error) {
      const messages = error.errors
        ? require("esbuild").formatMessagesSync(error.errors, { kind: "error", color: false })
        : [error.message];
      const hint = error.code === "MODULE_NOT_FOUND" && /esbuild/.test(error.message) ? " (esbuild is a devDependency: run npm ci)" : "";
      console.error(`synth failed: cannot bundle ${path.relative(ROOT, ENTRY)}${hint}: ${messages.join("\n").trim()}`);
      process.exitCode = 1;
      return;
    }
  }
  run(bundle);
}

/** Runs the bundle as a CommonJS module, compiled from V8's code cache when there is a good one. */
function run(/** @type {string} */ bundle) {
  if (process.sourceMapsEnabled) {
    require(bundle);
    return;
  }
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // none yet
  }
  // Node's own module wrapper, on the bundle's first line so that its line numbers stay the same.
  const source = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(bundle, "utf8")}\n})`;
  const script = new vm.Script(source, { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, so that the cache also holds the functions this run compiled.
    process.once("exit", () => {
      try {
        writeWhole(cacheFile, script.createCachedData());
      } catch {
        // a read-only checkout: compiled again next time
      }
    });
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  script
    .runInThisContext()
    .call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
}

main();
