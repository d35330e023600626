/** The suite of ec2-faults-option.test.ts, against stacks whose routes are the REST API's OpenAPI body (apiDefinition "openapi"). */
import "../support/openapi-mode";
import "./ec2-faults-option.test";
