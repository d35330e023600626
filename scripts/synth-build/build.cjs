"use strict";
/**
 * Compiles main.ts, what it imports and the packages they use into one CommonJS file for
 * scripts/synth.cjs (`npm run synth` and cdktf.json's app), so that synth runs as plain JavaScript
 * instead of through tsx's loader, and node reads one file instead of some 600 modules.
 *
 * - TypeScript is transpiled by esbuild (no type check, as with tsx; `npm run typecheck` does that).
 * - `__dirname` in a project file keeps meaning that file's folder (templates/ and cdktf.json are
 *   found from it), whatever folder the bundle is written to.
 * - asl-validator compiles its whole state machine schema on every call (about 0.3 s, once per
 *   workflow): in the bundle its schema check is the same schema compiled once, here, from the Ajv
 *   instance asl-validator configures (Ajv's standalone code; see asl-json-schema-errors.cjs).
 * - A bundled package must not depend on where its files are: one that uses __dirname, __filename,
 *   require.main or import.meta (cdktf's zip helper runs its own file with node; that one is pointed
 *   back at node_modules below) would not work from the bundle, so any other such package makes
 *   the build fall back to leaving packages in node_modules (slower, but the same output).
 * - Every file read for the build is recorded in the stamp (project files one by one, packages by
 *   their package.json) with its size, modification time and SHA-1, so that the launcher can tell
 *   when the bundle is stale. Files are written under temporary names and renamed, so processes
 *   building at the same time never see half a bundle.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** Changes whenever what the build produces changes in a way its inputs do not show. */
const FORMAT = 1;
const VIRTUAL = "asl-synth";
/** Bundled package files that use their own location, and how the bundle keeps them working. */
const LOCATION_FIXES = [
  {
    file: "cdktf/lib/private/fs.js",
    // archiveSync() zips a folder asset by running this very file with node.
    from: "node ${__filename}",
    to: 'node ${require.resolve("cdktf/lib/private/fs.js")}',
  },
];
/**
 * Requires in project files that name their package file at run time, which esbuild cannot follow:
 * each is pointed at the file it loads, so that the bundle holds that module once (velocityjs's
 * parser, which velocityjs itself also loads) instead of reading it again from node_modules. A file
 * whose text no longer matches keeps its require as it is (it then loads from node_modules).
 */
const RUNTIME_REQUIRES = [
  {
    file: "local/vtl.ts",
    pattern: /require\(\s*path\.join\(path\.dirname\(require\.resolve\("velocityjs"\)\), "parse", "index\.cjs"\),?\s*\)/,
    resolve: (/** @type {string} */ root) => path.join(path.dirname(require.resolve("velocityjs", { paths: [root] })), "parse", "index.cjs"),
  },
];
const USES_LOCATION = /\b__dirname\b|\b__filename\b|\brequire\.main\b|\bimport\.meta\b/;

function sha1(/** @type {Buffer | string} */ data) {
  return crypto.createHash("sha1").update(data).digest("hex");
}

/** A project-relative path with "/" separators. */
function relative(/** @type {string} */ root, /** @type {string} */ file) {
  return path.relative(root, file).split(path.sep).join("/");
}

/** How the stamp names an input: relative to the project, or absolute when outside it (a linked node_modules). */
function inputPath(/** @type {string} */ root, /** @type {string} */ file) {
  const rel = relative(root, file);
  return rel.startsWith("../") || path.isAbsolute(rel) ? file : rel;
}

function isInside(/** @type {string} */ dir, /** @type {string} */ file) {
  const rel = path.relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** The folder of the installed package a file belongs to (node_modules/[@scope/]name), if any. */
function packageRoot(/** @type {string} */ file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const length = parts[at + 1].startsWith("@") ? at + 3 : at + 2;
  return parts.slice(0, length).join(path.sep);
}

/** The package name of a bare import specifier ("@scope/name/deep" -> "@scope/name"), else undefined. */
function packageName(/** @type {string} */ specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:") || path.isAbsolute(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/**
 * Compiles asl-validator's state machine schema with the Ajv instance asl-validator itself
 * configures (its schemas, options and formats), captured while it validates a minimal definition,
 * and returns Ajv's standalone code for it. The generated code reads formats from
 * `require("asl-synth:formats")` (asl-formats.cjs). Also returns the files this used.
 */
function compileAslSchema(/** @type {string} */ root) {
  const validatorFile = require.resolve("asl-validator", { paths: [root] });
  const schemaErrorsFile = require.resolve("./checks/json-schema-errors", { paths: [path.dirname(validatorFile)] });
  const fromAslValidator = { paths: [path.dirname(schemaErrorsFile)] };
  const ajvFile = require.resolve("ajv", fromAslValidator);
  const standaloneFile = require.resolve("ajv/dist/standalone", fromAslValidator);
  const ajvModule = require(ajvFile);
  const { _ } = require(require.resolve("ajv/dist/compile/codegen", fromAslValidator));
  const standaloneCode = require(standaloneFile).default;
  const validateAsl = require(validatorFile);

  const Ajv = ajvModule.default;
  /** @type {any[]} */
  const created = [];
  class CapturingAjv extends Ajv {
    constructor(/** @type {any} */ options = {}) {
      // Only code generation differs: keep the source, and read formats from asl-formats.cjs.
      super({ ...options, code: { ...options.code, source: true, formats: _`require("asl-synth:formats")` } });
      created.push(this);
    }
  }
  ajvModule.default = CapturingAjv;
  let result;
  try {
    result = validateAsl({ StartAt: "Done", States: { Done: { Type: "Succeed" } } });
  } finally {
    ajvModule.default = Ajv;
  }
  if (created.length !== 1 || !result.isValid) {
    throw new Error(
      "cannot precompile asl-validator's schema: expected it to create one Ajv instance and accept a minimal definition " +
        `(it created ${created.length}, valid: ${result.isValid}); has asl-validator changed?`,
    );
  }
  const ajv = created[0];
  const validate = ajv.getSchema("http://asl-validator.cloud/state-machine.json#");
  if (!validate) throw new Error("cannot precompile asl-validator's schema: state-machine.json# was not compiled");
  const code = standaloneCode(ajv, validate);

  // Every format the generated code uses must come from asl-formats.cjs, as a function where
  // asl-validator has a function and as an object where it has one.
  const formats = require("./asl-formats.cjs");
  for (const match of code.matchAll(/require\("asl-synth:formats"\)(?:\.([A-Za-z_$][\w$]*)|\[("[^"]*")\])/g)) {
    const name = match[1] ?? JSON.parse(match[2]);
    if (!(name in formats) || typeof formats[name] !== typeof ajv.formats[name]) {
      throw new Error(`cannot precompile asl-validator's schema: asl-formats.cjs does not provide the format "${name}" as asl-validator does`);
    }
  }
  const used = new Set();
  const visit = (/** @type {NodeModule | undefined} */ loaded) => {
    if (!loaded || used.has(loaded.filename)) return;
    used.add(loaded.filename);
    for (const child of loaded.children) visit(child);
  };
  for (const file of [validatorFile, schemaErrorsFile, ajvFile, standaloneFile, require.resolve("./asl-formats.cjs")]) visit(require.cache[file]);
  return { code, schemaErrorsFile, used: [...used] };
}

/**
 * @typedef {{ path: string, size: number, mtimeMs: number, sha1: string }} Input
 * @typedef {{ format: number, esbuild: string, bundle: string, builtAt: number, packages: "bundled" | "external", inputs: Input[] }} Stamp
 */

/**
 * Builds `entry` (default main.ts) into `outDir` (default .build/synth) and writes
 * `<bundleName>.stamp.json` there. Returns the absolute path of the bundle.
 *
 * @param {{ root: string, outDir?: string, entry?: string, bundleName?: string, packages?: "bundled" | "external" }} options
 * @returns {Promise<string>}
 */
async function build(options) {
  // Real paths: esbuild reports files by their real path, and a project file is told by its place.
  const root = fs.realpathSync(path.resolve(options.root));
  const outDir = path.resolve(root, options.outDir ?? path.join(".build", "synth"));
  fs.mkdirSync(outDir, { recursive: true });
  const entry = path.resolve(root, options.entry ?? "scripts/synth-entry.ts");
  const bundleName = options.bundleName ?? "main";
  const packages = options.packages ?? "bundled";
  const esbuild = require(require.resolve("esbuild", { paths: [root] }));

  /** @type {Map<string, Input>} */
  const inputs = new Map();
  /** Records a file the build depends on (an installed package by its package.json), stat first. */
  const record = (/** @type {string} */ file) => {
    const pkg = packageRoot(file);
    const recorded = pkg ? path.join(pkg, "package.json") : file;
    const name = inputPath(root, recorded);
    if (inputs.has(name)) return;
    const stat = fs.statSync(recorded);
    inputs.set(name, { path: name, size: stat.size, mtimeMs: stat.mtimeMs, sha1: sha1(fs.readFileSync(recorded)) });
  };
  /** Reads a file for the build, recording the stat taken before the read and the SHA-1 of what was read. */
  const read = (/** @type {string} */ file) => {
    if (packageRoot(file)) {
      record(file);
      return fs.readFileSync(file);
    }
    const stat = fs.statSync(file);
    const content = fs.readFileSync(file);
    const name = inputPath(root, file);
    inputs.set(name, { path: name, size: stat.size, mtimeMs: stat.mtimeMs, sha1: sha1(content) });
    return content;
  };
  for (const file of [
    path.join(root, "scripts", "synth.cjs"),
    __filename,
    path.join(__dirname, "asl-formats.cjs"),
    path.join(__dirname, "asl-json-schema-errors.cjs"),
    path.join(root, "tsconfig.json"),
    path.join(root, "package.json"),
    require.resolve("esbuild/package.json", { paths: [root] }),
  ]) {
    read(file);
  }

  /** @type {ReturnType<typeof compileAslSchema> | undefined} */
  let asl;
  const aslValidatorDir = path.dirname(require.resolve("asl-validator/package.json", { paths: [root] }));
  /** Bundled package files that depend on their location and have no fix. */
  const locationBound = new Set();
  const loaders = { ".ts": "ts", ".js": "js", ".cjs": "js", ".mjs": "js", ".json": "json" };
  const isProjectFile = (/** @type {string} */ file) => isInside(root, file) && !packageRoot(file) && !isInside(__dirname, file);

  /** @type {import("esbuild").Plugin} */
  const plugin = {
    name: "apigw-sfn-synth",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        if (args.path === `${VIRTUAL}:state-machine-schema`) return { path: args.path, namespace: VIRTUAL };
        if (args.path === `${VIRTUAL}:formats`) return { path: path.join(__dirname, "asl-formats.cjs") };
        if (args.path === `${VIRTUAL}:library-json-schema-errors`) {
          // Only for options the bundle does not precompile: asl-validator's own module, from node_modules.
          return { path: "asl-validator/dist/src/checks/json-schema-errors", external: true };
        }
        const importer = args.importer;
        if (args.path === "./checks/json-schema-errors" && path.dirname(importer) === path.join(aslValidatorDir, "dist", "src")) {
          return { path: path.join(__dirname, "asl-json-schema-errors.cjs") };
        }
        const name = packageName(args.path);
        if (name === undefined) return undefined;
        if (isInside(__dirname, importer)) {
          // The stand-ins use asl-validator's dependencies: resolve them as asl-validator does.
          return b.resolve(args.path, { kind: args.kind, importer: path.join(aslValidatorDir, "package.json"), resolveDir: aslValidatorDir });
        }
        // With packages external, node loads them from node_modules, except asl-validator (see above).
        if (packages === "external" && isProjectFile(importer) && name !== "asl-validator") return { path: args.path, external: true };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: VIRTUAL }, () => {
        asl = compileAslSchema(root);
        return { contents: asl.code, loader: "js", resolveDir: path.dirname(asl.schemaErrorsFile) };
      });
      b.onLoad({ filter: /.*/ }, (args) => {
        const loader = loaders[/** @type {keyof typeof loaders} */ (path.extname(args.path))];
        if (!loader) return undefined;
        let contents = read(args.path).toString("utf8");
        if (isProjectFile(args.path) && loader === "ts") {
          // The bundle lives in outDir: give each file its own folder back.
          const dir = relative(outDir, path.dirname(args.path)) || ".";
          contents = contents.replace(/\b__dirname\b/g, `require("path").join(__dirname, ${JSON.stringify(dir)})`);
          for (const runtime of RUNTIME_REQUIRES) {
            if (relative(root, args.path) === runtime.file) contents = contents.replace(runtime.pattern, `require(${JSON.stringify(runtime.resolve(root))})`);
          }
        } else if (packageRoot(args.path) && loader === "js") {
          const fix = LOCATION_FIXES.find((f) => args.path.split(path.sep).join("/").endsWith(`/node_modules/${f.file}`));
          if (fix && contents.includes(fix.from)) {
            // Reviewed: with this change the file works from the bundle (its `require.main === module`
            // branch is for that separate node process only).
            contents = contents.replace(fix.from, fix.to);
          } else if (USES_LOCATION.test(contents.replace(/\/\/# sourceMappingURL=.*$/gm, ""))) {
            locationBound.add(relative(root, args.path));
          }
        }
        return { contents, loader };
      });
    },
  };

  const result = await esbuild
    .build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      outdir: outDir,
      entryNames: bundleName,
      outExtension: { ".js": ".cjs" },
      sourcemap: "external",
      sourcesContent: false,
      write: false,
      logLevel: "silent",
      plugins: [plugin],
    })
    .catch((/** @type {any} */ error) => {
      const messages = esbuild.formatMessagesSync(error.errors ?? [], { kind: "error", color: false });
      throw new Error(`cannot compile ${relative(root, entry)}:\n${messages.join("\n")}`);
    });
  if (packages === "bundled" && locationBound.size > 0) {
    console.error(
      `synth: ${[...locationBound].join(", ")} depend on their location in node_modules; ` +
        "building with packages left in node_modules (slower start)",
    );
    return build({ ...options, packages: "external" });
  }

  if (asl) for (const file of asl.used) record(file);
  const sortedInputs = [...inputs.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  const digest = sha1(JSON.stringify([FORMAT, esbuild.version, packages, sortedInputs.map((input) => [input.path, input.sha1])])).slice(0, 16);
  const bundleFile = `${bundleName}-${digest}.cjs`;
  const writeAtomically = (/** @type {string} */ file, /** @type {string | Uint8Array} */ content) => {
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  };
  for (const output of result.outputFiles ?? []) {
    if (output.path.endsWith(".map")) {
      writeAtomically(path.join(outDir, `${bundleFile}.map`), output.contents);
    } else {
      writeAtomically(path.join(outDir, bundleFile), output.text.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${bundleFile}.map\n`));
    }
  }
  /** @type {Stamp} */
  const stamp = { format: FORMAT, esbuild: esbuild.version, bundle: bundleFile, builtAt: Date.now(), packages, inputs: sortedInputs };
  writeAtomically(path.join(outDir, `${bundleName}.stamp.json`), `${JSON.stringify(stamp, null, 1)}\n`);

  // Earlier builds' files: removed once no process can still be about to load them.
  for (const name of fs.readdirSync(outDir)) {
    if (!name.startsWith(`${bundleName}-`) || name.startsWith(bundleFile)) continue;
    try {
      if (Date.now() - fs.statSync(path.join(outDir, name)).mtimeMs > 60_000) fs.rmSync(path.join(outDir, name), { force: true });
    } catch {
      // another process removed it first
    }
  }
  return path.join(outDir, bundleFile);
}

module.exports = { build };
