//! Services that keep state on their disk: the databases of [`crate::databases`],
//! plus message brokers, object stores and observability stores (Prometheus,
//! Grafana, Loki…). Used to judge where that state lives (a volume that
//! outlives the container, or not).

use crate::databases::{data_dir_engine, image_engine, name_engine};

/// A stateful service an image runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// What it is, for messages: `postgres`, `RabbitMQ`, `Prometheus`.
    pub name: &'static str,
    /// Where its image keeps the data by default.
    pub data_dirs: &'static [&'static str],
    /// Keeps data on disk only when switched on (Redis and its forks: a cache
    /// unless `appendonly`/`save` is set).
    pub opt_in: bool,
}

const fn svc(name: &'static str, data_dirs: &'static [&'static str]) -> Service {
    Service { name, data_dirs, opt_in: false }
}

/// Words of an image's name (split at `-`, `_`, `.`) that name a stateful
/// service other than a database engine.
const SERVICE_WORDS: &[(&str, Service)] = &[
    ("rabbitmq", svc("RabbitMQ", &["/var/lib/rabbitmq", "/bitnami/rabbitmq"])),
    (
        "kafka",
        svc("Kafka", &["/var/lib/kafka", "/bitnami/kafka", "/kafka", "/opt/kafka/data", "/tmp/kraft-combined-logs"]),
    ),
    ("redpanda", svc("Redpanda", &["/var/lib/redpanda"])),
    ("zookeeper", svc("ZooKeeper", &["/data", "/datalog", "/var/lib/zookeeper", "/bitnami/zookeeper"])),
    ("pulsar", svc("Pulsar", &["/pulsar/data"])),
    ("activemq", svc("ActiveMQ", &["/opt/activemq/data", "/var/lib/artemis-instance"])),
    ("artemis", svc("ActiveMQ Artemis", &["/var/lib/artemis-instance"])),
    ("emqx", svc("EMQX", &["/opt/emqx/data"])),
    ("etcd", svc("etcd", &["/var/lib/etcd", "/etcd-data", "/var/etcd"])),
    ("minio", svc("MinIO", &["/data", "/export"])),
    ("prometheus", svc("Prometheus", &["/prometheus", "/data"])),
    ("grafana", svc("Grafana", &["/var/lib/grafana"])),
    ("loki", svc("Loki", &["/loki", "/var/loki", "/data/loki", "/tmp/loki"])),
    ("victoria", svc("VictoriaMetrics", &["/victoria-metrics-data", "/storage"])),
    ("mimir", svc("Mimir", &["/data"])),
];

/// Where each database engine's image keeps its data by default.
const ENGINE_DIRS: &[(&str, &[&str])] = &[
    (
        "postgres",
        &[
            "/var/lib/postgresql",
            "/var/lib/pgsql",
            "/bitnami/postgresql",
            "/home/postgres/pgdata",
            "/cockroach/cockroach-data",
        ],
    ),
    ("mysql", &["/var/lib/mysql", "/bitnami/mysql"]),
    ("mariadb", &["/var/lib/mysql", "/bitnami/mariadb"]),
    ("mongodb", &["/data/db", "/bitnami/mongodb"]),
    ("redis", &["/data", "/var/lib/redis", "/bitnami/redis"]),
    ("elasticsearch", &["/usr/share/elasticsearch/data", "/usr/share/opensearch/data", "/bitnami/elasticsearch"]),
    ("clickhouse", &["/var/lib/clickhouse"]),
    ("cassandra", &["/var/lib/cassandra", "/bitnami/cassandra"]),
    ("sqlserver", &["/var/opt/mssql"]),
    ("neo4j", &["/data"]),
    ("couchdb", &["/opt/couchdb/data"]),
    ("influxdb", &["/var/lib/influxdb", "/var/lib/influxdb2"]),
];

/// Words that make an image a tool beside the service, not the service
/// (besides the database tools [`name_engine`] already leaves out).
const NOT_THE_STORE: &[&str] = &[
    "exporter",
    "adapter",
    "reloader",
    "operator",
    "pushgateway",
    "agent",
    "canary",
    "sd",
    "connect",
    "registry",
    "rest",
    "ui",
    "renderer",
    "box",
    "proxy",
    "gateway",
    "client",
    "cli",
    "sidecar",
    "init",
    "dummy",
    "mcp",
    "stackdriver",
    "to",
    "promtail",
    "webhook",
    "controller",
    "config",
    "mixin",
    "ksm",
    "backup",
    "dashboards",
    // Roles beside the store: cluster discovery, Redis Sentinel's failover monitor.
    "discovery",
    "sentinel",
    // Clients and bridges named after the broker they talk to (`kafka-manager`, `kafka-pixy`, `etl-kafka`).
    "manager",
    "pixy",
    "mqtt",
    "etl",
];

/// The stateful service an image runs: `postgres:16` → postgres,
/// `rabbitmq:3-management`, `prom/prometheus:v2.53`, `grafana/grafana`;
/// `None` for `prom/node-exporter`, `prometheus-adapter`, `grafana/agent`.
pub fn image_service(image: &str) -> Option<Service> {
    if let Some(engine) = image_engine(image) {
        return Some(engine_service(engine));
    }
    let path = image.trim().split('@').next().unwrap_or(image).to_ascii_lowercase();
    let last = path.rsplit('/').next()?;
    let name = last.split(':').next()?;
    let words: Vec<&str> = name.split(['-', '_', '.']).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| NOT_THE_STORE.contains(w)) || name_engine(name).is_some() {
        return None;
    }
    words.iter().find_map(|w| SERVICE_WORDS.iter().find(|(k, _)| k == w).map(|(_, s)| *s))
}

/// Whether a container or script name says it is a tool beside a store, not
/// the store (`discovery`, `etcd-discovery.sh`, `redis-sentinel`, `backup`).
pub fn names_a_tool(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let stem = last.strip_suffix(".sh").unwrap_or(&last);
    stem.split(['-', '_', '.']).any(|w| NOT_THE_STORE.contains(&w))
}

/// A database engine as a service (its data directories).
pub fn engine_service(engine: &'static str) -> Service {
    let dirs = ENGINE_DIRS.iter().find(|(e, _)| *e == engine).map_or(&[][..], |(_, d)| *d);
    Service { name: engine, data_dirs: dirs, opt_in: engine == "redis" }
}

/// The ports a database engine's server listens on. An image named after an
/// engine whose container declares none of them is an application that
/// mentions its database (`wildfly-mysql-javaee7` serving 8080).
pub fn engine_ports(engine: &str) -> &'static [i64] {
    match engine {
        "postgres" => &[5432, 26257],
        "mysql" | "mariadb" => &[3306, 4567, 33060],
        "mongodb" => &[27017, 27018, 27019],
        "redis" => &[6379, 16379, 26379],
        "elasticsearch" => &[9200, 9300],
        "clickhouse" => &[8123, 9000, 9009],
        "cassandra" => &[9042, 7000, 7001],
        "sqlserver" => &[1433],
        "neo4j" => &[7474, 7687],
        "couchdb" => &[5984],
        "influxdb" => &[8086],
        _ => &[],
    }
}

/// The service whose data directory a mount path is (a team's own image built
/// `FROM postgres` with a volume at `/var/lib/postgresql/data`).
pub fn data_dir_service(mount: &str) -> Option<Service> {
    data_dir_engine(mount).map(engine_service)
}

/// Whether a mount path holds a data directory or lies inside one
/// (`/var/lib/postgresql` holds `/var/lib/postgresql/data`).
pub fn covers(mount: &str, dir: &str) -> bool {
    let m = mount.trim().trim_end_matches('/');
    let d = dir.trim_end_matches('/');
    m == d || d.starts_with(&format!("{m}/")) || m.starts_with(&format!("{d}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_their_tools() {
        for (image, name) in [
            ("postgres:16", "postgres"),
            ("rabbitmq:3.13-management", "RabbitMQ"),
            ("bitnami/kafka:3.7", "Kafka"),
            ("quay.io/prometheus/prometheus:v2.53.0", "Prometheus"),
            ("prom/prometheus", "Prometheus"),
            ("grafana/grafana:11.1.0", "Grafana"),
            ("grafana/loki:3.1.0", "Loki"),
            ("victoriametrics/victoria-metrics:v1.102.0", "VictoriaMetrics"),
            ("openshift/etcd-20-centos7", "etcd"),
            ("valkey/valkey:8", "redis"),
        ] {
            assert_eq!(image_service(image).map(|s| s.name), Some(name), "{image}");
        }
        for image in [
            "prom/node-exporter:v1.8",
            "registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.11.2",
            "gcr.io/google-containers/prometheus-to-sd:v0.5.0",
            "quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0",
            "grafana/agent:v0.40",
            "danielqsj/kafka-exporter:v1.6.0",
            "provectuslabs/kafka-ui",
            "prom/pushgateway",
            "nginx:1.27",
        ] {
            assert_eq!(image_service(image), None, "{image}");
        }
        assert!(image_service("redis:7").unwrap().opt_in);
        for name in ["discovery", "etcd-discovery.sh", "/usr/bin/redis-sentinel", "pg-backup"] {
            assert!(names_a_tool(name), "{name}");
        }
        for name in ["etcd", "postgres", "docker-entrypoint.sh", "accounts-db"] {
            assert!(!names_a_tool(name), "{name}");
        }
        assert!(engine_ports("mysql").contains(&3306) && !engine_ports("mysql").contains(&8080));
        assert!(covers("/var/lib/postgresql", "/var/lib/postgresql/data"));
        assert!(covers("/var/lib/postgresql/data/pgdata", "/var/lib/postgresql"));
        assert!(!covers("/var/lib/postgres", "/var/lib/postgresql"));
    }
}
