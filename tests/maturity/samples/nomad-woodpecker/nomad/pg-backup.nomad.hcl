job "tracker-pg-backup" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    crons            = ["0 2 * * *"]
    prohibit_overlap = true
  }

  group "backup" {
    task "dump" {
      driver = "docker"
      config {
        image   = "registry.acme.dev/pg-restic:15"
        command = "/bin/sh"
        args    = ["-ec", "pg_dump -h postgres.service.consul -U tracker -Fc tracker | restic backup --stdin --stdin-filename tracker.dump"]
      }
      env {
        RESTIC_REPOSITORY = "s3:https://s3.eu-central-1.amazonaws.com/acme-tracker-backups"
      }
    }
  }
}
