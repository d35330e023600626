import { Construct } from "constructs";
import { TerraformBackend, TerraformProvider, type TerraformRemoteState, TerraformStack } from "cdktf";

export interface ModuleRequirementsProps {
  /** Versions of hashicorp/aws the module works with. @default ">= 5.100.0, < 7.0.0" */
  readonly awsProviderVersion?: string;
  /** Versions of Terraform the module works with (1.9 allows validations that compare variables). @default ">= 1.9.0" */
  readonly terraformVersion?: string;
}

/**
 * The `terraform` block of a reusable module: the Terraform and hashicorp/aws versions it needs
 * as ranges, and nothing else. A child module must not configure providers (the caller's provider,
 * region and credentials apply) nor carry a backend (the caller's state holds its resources).
 */
export class ModuleRequirements extends Construct {
  /** The required_version constraint. */
  public readonly terraformVersion: string;

  constructor(scope: Construct, id: string, props: ModuleRequirementsProps = {}) {
    super(scope, id);
    this.terraformVersion = props.terraformVersion ?? ">= 1.9.0";
    new AwsProviderRequirement(this, "Aws", props.awsProviderVersion ?? ">= 5.100.0, < 7.0.0");
    new NoBackend(this);
    TerraformStack.of(this).addOverride("terraform.required_version", this.terraformVersion);
  }
}

/**
 * Declares hashicorp/aws in required_providers with a version range, without a provider block.
 * It is a provider construct, so cdktf knows the stack's aws resources have their provider.
 */
class AwsProviderRequirement extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly versionRange: string,
  ) {
    super(scope, id, {
      terraformResourceType: "aws",
      terraformGeneratorMetadata: { providerName: "aws", providerVersionConstraint: versionRange },
      terraformProviderSource: "hashicorp/aws",
    });
  }

  private requirement() {
    return { terraform: { required_providers: { aws: { source: "hashicorp/aws", version: this.versionRange } } } };
  }

  public toTerraform() {
    return this.requirement();
  }

  public toHclTerraform() {
    return this.requirement();
  }
}

/** Stands in for a backend so that cdktf does not add its default local one; writes nothing. */
class NoBackend extends TerraformBackend {
  constructor(scope: Construct) {
    super(scope, "backend", "none");
  }

  public toTerraform() {
    return {};
  }

  public toHclTerraform() {
    return {};
  }

  public getRemoteStateDataSource(): TerraformRemoteState {
    throw new Error("the reusable module has no state of its own: read its outputs through the module block that calls it");
  }
}
