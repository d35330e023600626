/** The suite of cors.test.ts, against stacks whose routes are the REST API's OpenAPI body (apiDefinition "openapi"): the preflight, the answers and the gateway responses carry the same CORS headers. */
import "../support/openapi-mode";
import "./cors.test";
