job "tracker-postgres" {
  datacenters = ["dc1"]
  type        = "service"

  group "db" {
    volume "pgdata" {
      type   = "host"
      source = "tracker-pgdata"
    }

    task "postgres" {
      driver = "docker"
      config {
        image = "postgres:15"
      }
      volume_mount {
        volume      = "pgdata"
        destination = "/var/lib/postgresql/data"
      }
    }
  }
}
