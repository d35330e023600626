/** The suite of workflow-errors.test.ts, against stacks whose routes are the REST API's OpenAPI body (apiDefinition "openapi"). */
import "../support/openapi-mode";
import "./workflow-errors.test";
