import { ITerraformDependable } from "cdktf";

/**
 * Something that changes the behaviour of the deployed API. The stage's deployment hashes every
 * part's fingerprint and waits for every part's resources, so a change to any part redeploys.
 */
export interface DeploymentPart {
  /** What the deployment must wait for before it snapshots the API. */
  readonly dependables: readonly ITerraformDependable[];
  /** Everything about the part that changes the API's behaviour, as Terraform references. */
  readonly deploymentFingerprint: unknown;
}
