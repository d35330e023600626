variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region to deploy to."
}

variable "authorization" {
  type        = string
  default     = "AWS_IAM"
  description = "How callers are authorized: AWS_IAM, API_KEY or NONE (passed on to the module)."
}
