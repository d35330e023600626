terraform {
  required_version = ">= 1.9.0"

  required_providers {
    # The module works with hashicorp/aws 5.100 and every 6.x (docs/module.md): pin either major here.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
