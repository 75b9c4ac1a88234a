resource "aws_db_instance" "orders" {
  identifier                = "orders-prod"
  engine                    = "postgres"
  engine_version            = "16.3"
  instance_class            = "db.m6g.large"
  allocated_storage         = 100
  multi_az                  = true
  storage_encrypted         = true
  backup_retention_period   = 14
  backup_window             = "02:00-03:00"
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "orders-prod-final"
  username                  = "orders"
  manage_master_user_password = true
}
