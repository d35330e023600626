#!/usr/bin/env node
"use strict";
/**
 * `npm run synth`, and the app cdktf.json gives `cdktf synth`: runs main.ts compiled to one
 * JavaScript file, in this process.
 *
 * The bundle (.build/synth/, ignored by git) is rebuilt first whenever any file it was built from
 * differs from what the build read (compared by size and modification time, then by content), so a
 * stale bundle never synthesizes old code; a fresh clone builds it on its first run. Building takes
 * a second or two and needs esbuild (a devDependency, installed by `npm ci`). See
 * synth-build/build.cjs for what the build does.
 *
 * The bundle is run with V8's code cache (`<bundle>.v8cache`, written after the first run and
 * whenever V8 rejects it, e.g. under another Node.js version): a later run skips parsing and
 * compiling it. With --enable-source-maps it is loaded with a plain require instead, so that stack
 * traces point into the TypeScript sources.
 */
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..");
const OUT_DIR = path.join(ROOT, ".build", "synth");
const STAMP = path.join(OUT_DIR, "main.stamp.json");
/** A file modified this close before a build may have changed again within one timestamp tick. */
const RACY_MS = 2000;

function sha1(/** @type {Buffer} */ data) {
  return crypto.createHash("sha1").update(data).digest("hex");
}

function writeAtomically(/** @type {string} */ file, /** @type {string | Uint8Array} */ content) {
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/** The bundle to run, or undefined when it is missing or any file it was built from changed. */
function freshBundle() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(stamp.inputs) || typeof stamp.bundle !== "string" || typeof stamp.builtAt !== "number") return undefined;
  let touched = false;
  for (const input of stamp.inputs) {
    let stat;
    try {
      stat = fs.statSync(path.resolve(ROOT, input.path));
    } catch {
      return undefined;
    }
    if (stat.size === input.size && stat.mtimeMs === input.mtimeMs && stat.mtimeMs < stamp.builtAt - RACY_MS) continue;
    if (stat.size !== input.size || sha1(fs.readFileSync(path.resolve(ROOT, input.path))) !== input.sha1) return undefined;
    if (stat.mtimeMs !== input.mtimeMs) {
      // Same content, new time (a checkout, a reinstall): remember it, so the next run need not read it.
      input.mtimeMs = stat.mtimeMs;
      touched = true;
    }
  }
  const bundle = path.join(OUT_DIR, stamp.bundle);
  if (!fs.existsSync(bundle)) return undefined;
  if (touched) {
    try {
      writeAtomically(STAMP, `${JSON.stringify(stamp, null, 1)}\n`);
    } catch {
      // a read-only checkout: compare contents again next time
    }
  }
  return bundle;
}

/** Runs the bundle as a CommonJS module of its own, compiled from V8's code cache when there is one. */
function runBundle(/** @type {string} */ bundle) {
  if (process.sourceMapsEnabled) {
    require(bundle);
    return;
  }
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(bundle, "utf8");
  // Node's own module wrapper, on the first line so that line numbers stay those of the bundle.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache also holds the functions synth compiled along the way.
    process.once("exit", () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // no cache this time (a read-only checkout): the next run compiles again
      }
    });
  }
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  require.cache[bundle] = bundleModule;
  const wrapper = script.runInThisContext();
  wrapper.call(bundleModule.exports, bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  bundleModule.loaded = true;
}

async function main() {
  let bundle = freshBundle();
  if (!bundle) {
    let build;
    try {
      require.resolve("esbuild", { paths: [ROOT] });
      ({ build } = require("./synth-build/build.cjs"));
    } catch (error) {
      console.error(`synth failed: cannot compile main.ts without esbuild (a devDependency: run npm ci): ${error.message}`);
      process.exit(1);
    }
    try {
      bundle = await build({ root: ROOT, outDir: OUT_DIR });
    } catch (error) {
      console.error(`synth failed: ${error.message}`);
      process.exit(1);
    }
  }
  runBundle(bundle);
}

main();
