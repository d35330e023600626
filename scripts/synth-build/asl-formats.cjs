"use strict";
/**
 * The string formats asl-validator registers on its Ajv instance (see
 * asl-validator/dist/src/checks/json-schema-errors.js), for the schema validator that build.cjs
 * compiles ahead of time with Ajv's standalone code: the generated code reads each format from
 * this module. Same functions, same results: asl-path-validator's own registerAll() supplies the
 * path formats, asl-validator's isArnFormatValid the ARN format, ajv-formats the standard ones, and
 * the two JSONata formats repeat asl-validator's (jsonata itself loads only when a string needs it).
 * __tests__/synth-bundle.test.ts checks the bundled validator against asl-validator itself.
 */
const { fullFormats } = require("ajv-formats/dist/formats");
const { registerAll } = require("asl-path-validator");
const { isArnFormatValid } = require("asl-validator/dist/src/checks/formats");

/** @type {Record<string, unknown>} */
const formats = { ...fullFormats };

// asl-validator registers these with its default options (checkPaths and checkArn true): the only
// options build.cjs precompiles.
registerAll({
  addFormat(/** @type {string} */ name, /** @type {unknown} */ format) {
    formats[name] = format;
  },
  logger: console,
});
formats.asl_arn = isArnFormatValid;

/** @type {((expression: string) => unknown) | undefined} */
let jsonata;
function validateJsonataString(/** @type {string} */ value) {
  const trimmed = value.trim();
  try {
    let expr = trimmed.startsWith("{%") ? trimmed.slice(2) : trimmed;
    expr = expr.endsWith("%}") ? expr.slice(0, -2) : expr;
    if (!jsonata) {
      const loaded = require("jsonata");
      jsonata = loaded && loaded.__esModule ? loaded.default : loaded;
    }
    /** @type {(expression: string) => unknown} */ (jsonata)(expr);
    return true;
  } catch {
    return false;
  }
}
formats.jsonata_string = validateJsonataString;
formats.maybe_jsonata_string = function maybeJsonataString(/** @type {string} */ value) {
  const trimmed = value.trim();
  if (trimmed.startsWith("{%") || trimmed.endsWith("%}")) return validateJsonataString(trimmed);
  return true;
};

module.exports = formats;
