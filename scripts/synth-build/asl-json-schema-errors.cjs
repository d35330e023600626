"use strict";
/**
 * Stands in for asl-validator/dist/src/checks/json-schema-errors.js inside the synth bundle.
 *
 * asl-validator builds a new Ajv instance and compiles its whole state machine schema on every
 * call (about 0.3 s each on a 2-core machine, once per workflow). build.cjs compiles that schema
 * once, at build time, from the very Ajv instance asl-validator configures (Ajv's standalone
 * code), and this module runs it. What follows the schema check is asl-validator's own code,
 * repeated unchanged: which errors it keeps and how it words them. Options other than the
 * defaults (checkPaths and checkArn both true) go to the library's own module.
 *
 * The repeated part is asl-validator's (Apache-2.0, https://github.com/ChristopheBougere/asl-validator).
 * Because this stands in for one of its internal files, package.json pins asl-validator exactly
 * (4.0.0); __tests__/synth-bundle.test.ts compares the two on valid and invalid definitions, so an
 * upgrade that changes that file fails the tests instead of changing messages silently.
 */
const { StateMachineErrorCode } = require("asl-validator/dist/src/types");
const validateStateMachine = require("asl-synth:state-machine-schema");

/**
 * @param {Record<string, unknown>} definition
 * @param {{ checkPaths?: boolean, checkArn?: boolean }} options
 */
function jsonSchemaErrors(definition, options) {
  if (!options.checkPaths || !options.checkArn) {
    return require("asl-synth:library-json-schema-errors").jsonSchemaErrors(definition, options);
  }
  validateStateMachine(definition);
  /** @type {Array<{ instancePath: string, schemaPath: string, keyword: string, message?: string }> | null} */
  const ajvErrors = validateStateMachine.errors;
  // From here on, asl-validator 4's json-schema-errors.js as it is.
  if (!ajvErrors) {
    return [];
  }
  // select the error with the deepest path
  /** @type {typeof ajvErrors} */
  let selectedErrors = [];
  let deepest = 0;
  ajvErrors.forEach(function (error) {
    const instancePath = error.instancePath;
    const depth = instancePath.split("/").length;
    if (depth === deepest) {
      selectedErrors.push(error);
    } else if (depth > deepest) {
      selectedErrors = [error];
    }
    deepest = Math.max(deepest, depth);
  });
  // if there is a oneOf keyword error, then remove the
  // other non-format related errors before proceeding
  const instancePathsWithOneOfKeyword = new Set();
  selectedErrors
    .filter(function (error) {
      return error.keyword === "oneOf";
    })
    .forEach(function (error) {
      instancePathsWithOneOfKeyword.add(error.instancePath);
    });
  return (
    selectedErrors
      .filter(function (error) {
        return error.keyword === "oneOf" || !instancePathsWithOneOfKeyword.has(error.instancePath);
      })
      .map(function (error) {
        return {
          "Error code": StateMachineErrorCode.SchemaValidationFailed,
          Message: `${error.instancePath} is invalid. ${error.message ?? ""}`,
          schemaError: {
            instancePath: error.instancePath,
            schemaPath: decodeURIComponent(error.schemaPath),
          },
        };
      })
      // avoid returning a list of errors with duplicates
      // this filter will only return items if they don't already appear in an earlier position in the array
      .filter(function (v, i, a) {
        return (
          a.findIndex(function (v2) {
            // duplicates are based on the schemaPath and instancePath
            return v2.schemaError.schemaPath === v.schemaError?.schemaPath && v2.schemaError.instancePath === v.schemaError?.instancePath;
          }) === i
        );
      })
  );
}

exports.jsonSchemaErrors = jsonSchemaErrors;
