/** The suite of authorize.test.ts, against stacks whose authorizers are security schemes of the REST API's OpenAPI body (apiDefinition "openapi"). */
import "../../../support/openapi-mode";
import "./authorize.test";
