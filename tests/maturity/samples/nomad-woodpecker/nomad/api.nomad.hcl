job "tracker-api" {
  datacenters = ["dc1"]
  type        = "service"

  group "api" {
    count = 2

    network {
      port "http" { to = 8000 }
    }

    task "api" {
      driver = "docker"
      config {
        image = "registry.acme.dev/tracker-api:4.1.0"
        ports = ["http"]
      }
      env {
        DATABASE_URL = "postgres://tracker@postgres.service.consul:5432/tracker"
      }
    }
  }
}
