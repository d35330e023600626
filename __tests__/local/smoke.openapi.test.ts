/** The suite of smoke.test.ts, against stacks whose routes are the REST API's OpenAPI body (apiDefinition "openapi"). */
import "../support/openapi-mode";
import "./smoke.test";
