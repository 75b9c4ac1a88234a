terraform {
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "orders/prod.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

variable "private_subnet_ids" {
  type = list(string)
}
