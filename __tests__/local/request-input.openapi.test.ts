/** The suite of request-input.test.ts, against stacks whose routes are the REST API's OpenAPI body (apiDefinition "openapi"). */
import "../support/openapi-mode";
import "./request-input.test";
