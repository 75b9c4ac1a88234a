//! Databases: which images, Helm values keys, Kubernetes operator objects and
//! Terraform resources deploy one, and of which engine.
//!
//! Engines are named `postgres`, `mysql`, `mariadb`, `mongodb`, `redis`,
//! `elasticsearch`, `clickhouse`, `cassandra`, `sqlserver`, `neo4j`,
//! `couchdb`, `influxdb`, `etcd`. Wire-compatible forks take the engine whose
//! tools back them up (TimescaleDB, PostGIS, CockroachDB: postgres; Percona
//! Server: mysql; Valkey, KeyDB: redis; OpenSearch: elasticsearch).

/// Words of an image's name (split at `-`, `_`, `.`) that name an engine.
const IMAGE_WORDS: &[(&str, &str)] = &[
    ("postgres", "postgres"),
    ("postgresql", "postgres"),
    ("postgis", "postgres"),
    ("pgautoupgrade", "postgres"),
    ("timescaledb", "postgres"),
    ("spilo", "postgres"),
    ("citus", "postgres"),
    ("pgvector", "postgres"),
    ("pgvecto", "postgres"),
    ("paradedb", "postgres"),
    ("cockroach", "postgres"),
    ("cockroachdb", "postgres"),
    ("mysql", "mysql"),
    ("percona", "mysql"),
    ("mariadb", "mariadb"),
    ("mongo", "mongodb"),
    ("mongodb", "mongodb"),
    ("redis", "redis"),
    ("valkey", "redis"),
    ("keydb", "redis"),
    ("dragonfly", "redis"),
    ("elasticsearch", "elasticsearch"),
    ("opensearch", "elasticsearch"),
    ("clickhouse", "clickhouse"),
    ("cassandra", "cassandra"),
    ("scylla", "cassandra"),
    ("mssql", "sqlserver"),
    ("neo4j", "neo4j"),
    ("couchdb", "couchdb"),
    ("influxdb", "influxdb"),
];

/// Words of an image's name that make it a tool beside a database, not the
/// database: exporters, backup jobs, admin UIs, proxies, operators, sidecars.
const NOT_A_DATABASE: &[&str] = &[
    "exporter",
    "backup",
    "backups",
    "admin",
    "pgadmin",
    "pgadmin4",
    "commander",
    "express",
    "ui",
    "web",
    "proxy",
    "pgbouncer",
    "bouncer",
    "pgpool",
    "operator",
    "metrics",
    "migrate",
    "migrator",
    "migrations",
    "client",
    "cli",
    "dump",
    "restore",
    "tools",
    "init",
    "sidecar",
    "agent",
    "insight",
    "dashboards",
    "sentinel",
    "router",
    "reaper",
    "keeper",
    "curator",
    "kibana",
    "ha-proxy",
    "upgrade",
    "hq",
    "head",
    "gui",
    "browser",
    "console",
    "viewer",
    "compass",
];

/// The default of a whole-value variable reference (`${PG_IMAGE:-postgres:16}`), else the text.
fn default_of(image: &str) -> &str {
    let t = image.trim().trim_matches(['"', '\'']);
    if let Some(inner) = t.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        if let Some((_, d)) = inner.split_once(":-").or_else(|| inner.split_once('-')) {
            return d;
        }
    }
    t
}

/// The engine an image runs: `postgres:16`, `docker.io/bitnami/postgresql:16`,
/// `postgis/postgis`, `timescale/timescaledb-ha:pg16`, `percona/percona-server-mongodb`;
/// `None` for `nginx`, `prometheuscommunity/postgres-exporter`, `prodrigestivill/postgres-backup-local`.
pub fn image_engine(image: &str) -> Option<&'static str> {
    let image = default_of(image);
    let path = image.split('@').next().unwrap_or(image);
    // `mcr.microsoft.com/mssql/server:2022`: the name is in the repository path.
    let lower = path.to_ascii_lowercase();
    if lower.contains("mssql/server") || lower.contains("azure-sql-edge") {
        return Some("sqlserver");
    }
    let last = lower.rsplit('/').next()?;
    let name = last.split(':').next()?;
    name_engine(name)
}

/// The engine a bare name says (`postgresql`, `redis-cluster`, `mongodb-sharded`): a Helm
/// values key, a chart or a service name.
pub fn name_engine(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    if NOT_A_DATABASE.iter().any(|w| name == *w) {
        return None;
    }
    let words: Vec<&str> = name.split(['-', '_', '.']).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| NOT_A_DATABASE.contains(w)) {
        return None;
    }
    let engines: Vec<&'static str> =
        words.iter().filter_map(|w| IMAGE_WORDS.iter().find(|(k, _)| k == w).map(|(_, e)| *e)).collect();
    // `percona-server-mongodb` is MongoDB: a named engine beats the publisher's word.
    engines.iter().copied().find(|e| *e == "mongodb").or_else(|| engines.first().copied())
}

/// Engines whose data is the system of record: a missing backup loses it.
/// Redis and Elasticsearch are mostly caches and search indexes rebuilt from
/// such a store: judged only when something backs them up or persists them.
pub fn needs_backup(engine: &str) -> bool {
    !matches!(engine, "redis" | "elasticsearch")
}

/// Relational and document stores (not caches, not indexes).
pub fn is_primary(engine: &str) -> bool {
    matches!(engine, "postgres" | "mysql" | "mariadb" | "mongodb" | "sqlserver")
}

/// Engines a backup tool of `engine` also serves (a mysqldump backs up MariaDB).
pub fn compatible(engine: &str) -> &'static [&'static str] {
    match engine {
        "mysql" | "mariadb" => &["mysql", "mariadb"],
        "postgres" => &["postgres"],
        "mongodb" => &["mongodb"],
        "redis" => &["redis"],
        _ => &[],
    }
}

/// A Kubernetes operator object that is a database: (API group, kind, how it is described).
pub const OPERATOR_KINDS: &[(&str, &str, &str)] = &[
    ("postgresql.cnpg.io", "Cluster", "postgres (CloudNativePG)"),
    ("acid.zalan.do", "postgresql", "postgres (Zalando operator)"),
    ("postgres-operator.crunchydata.com", "PostgresCluster", "postgres (Crunchy)"),
    ("pgv2.percona.com", "PerconaPGCluster", "postgres (Percona operator)"),
    ("stackgres.io", "SGCluster", "postgres (StackGres)"),
    ("kubedb.com", "Postgres", "postgres (KubeDB)"),
    ("kubedb.com", "MySQL", "mysql (KubeDB)"),
    ("kubedb.com", "MariaDB", "mariadb (KubeDB)"),
    ("kubedb.com", "MongoDB", "mongodb (KubeDB)"),
    ("mysql.oracle.com", "InnoDBCluster", "mysql (MySQL operator)"),
    ("ps.percona.com", "PerconaServerMySQL", "mysql (Percona operator)"),
    ("pxc.percona.com", "PerconaXtraDBCluster", "mysql (Percona XtraDB operator)"),
    ("moco.cybozu.com", "MySQLCluster", "mysql (MOCO)"),
    ("mysql.presslabs.org", "MysqlCluster", "mysql (Bitpoke operator)"),
    ("k8s.mariadb.com", "MariaDB", "mariadb (MariaDB operator)"),
    ("mariadb.mmontes.io", "MariaDB", "mariadb (MariaDB operator)"),
    ("mongodbcommunity.mongodb.com", "MongoDBCommunity", "mongodb (community operator)"),
    ("psmdb.percona.com", "PerconaServerMongoDB", "mongodb (Percona operator)"),
    ("mongodb.com", "MongoDB", "mongodb (enterprise operator)"),
    ("redis.redis.opstreelabs.in", "RedisCluster", "redis (operator)"),
    ("redis.redis.opstreelabs.in", "Redis", "redis (operator)"),
    ("databases.spotahome.com", "RedisFailover", "redis (Spotahome operator)"),
    ("elasticsearch.k8s.elastic.co", "Elasticsearch", "elasticsearch (ECK)"),
    ("clickhouse.altinity.com", "ClickHouseInstallation", "clickhouse (Altinity operator)"),
    ("k8ssandra.io", "K8ssandraCluster", "cassandra (K8ssandra)"),
    ("cassandra.datastax.com", "CassandraDatacenter", "cassandra (cass-operator)"),
];

/// The description of an operator database object (`postgres (CloudNativePG)`), by API group and kind.
pub fn operator_database(group: &str, kind: &str) -> Option<&'static str> {
    OPERATOR_KINDS.iter().find(|(g, k, _)| *g == group && *k == kind).map(|(_, _, d)| *d)
}

/// The engine of a description (`postgres (CloudNativePG)` → `postgres`).
pub fn engine_of(description: &str) -> &str {
    description.split([' ', '(']).next().unwrap_or(description)
}

/// Terraform resource types of managed databases, with the engine when the type says it
/// (`None`: read the `engine` / `database_version` attribute).
pub const MANAGED_RESOURCES: &[(&str, Option<&str>)] = &[
    ("aws_db_instance", None),
    ("aws_rds_cluster", None),
    ("google_sql_database_instance", None),
    ("google_alloydb_cluster", Some("postgres")),
    ("azurerm_postgresql_server", Some("postgres")),
    ("azurerm_postgresql_flexible_server", Some("postgres")),
    ("azurerm_mysql_server", Some("mysql")),
    ("azurerm_mysql_flexible_server", Some("mysql")),
    ("azurerm_mariadb_server", Some("mariadb")),
    ("azurerm_mssql_database", Some("sqlserver")),
    ("aws_docdb_cluster", Some("mongodb")),
    ("digitalocean_database_cluster", None),
];

/// The engine an `engine` / `database_version` attribute names (`aurora-postgresql`, `POSTGRES_15`, `pg`).
pub fn engine_attribute(value: &str) -> Option<&'static str> {
    let v = value.to_ascii_lowercase();
    Some(if v.contains("postgres") || v == "pg" {
        "postgres"
    } else if v.contains("mariadb") {
        "mariadb"
    } else if v.contains("mysql") || v == "aurora" {
        "mysql"
    } else if v.contains("sqlserver") || v.contains("mssql") {
        "sqlserver"
    } else if v.contains("oracle") {
        "oracle"
    } else if v.contains("mongo") {
        "mongodb"
    } else if v.contains("redis") || v.contains("valkey") {
        "redis"
    } else {
        return None;
    })
}

/// Terraform modules that create a managed database, by words of their `source`
/// (registry modules of the clouds and the community): the provider whose defaults apply.
pub const MANAGED_MODULES: &[(&str, &str)] = &[
    ("terraform-aws-modules/rds", "aws"),
    ("rds-aurora", "aws"),
    ("/rds/aws", "aws"),
    ("aurora", "aws"),
    ("sql-db/google", "gcp"),
    ("cloudsql", "gcp"),
    ("cloud-sql", "gcp"),
    ("alloy-db", "gcp"),
    ("azure/postgresql", "azure"),
    ("azure/mysql", "azure"),
    ("postgresql/azurerm", "azure"),
    ("mysql/azurerm", "azure"),
];

/// The provider and engine of a managed-database Terraform module: from its `source`
/// (`GoogleCloudPlatform/sql-db/google//modules/postgresql`) and its `engine` or
/// `database_version` attribute (`POSTGRES_14`, `aurora-postgresql`).
pub fn managed_module(source: &str, engine: Option<&str>) -> Option<(&'static str, &'static str)> {
    let s = source.to_ascii_lowercase();
    let provider = MANAGED_MODULES.iter().find(|(k, _)| s.contains(k)).map(|(_, p)| *p)?;
    let engine = engine.and_then(engine_attribute).or_else(|| engine_attribute(s.rsplit('/').next().unwrap_or("")))?;
    Some((provider, engine))
}

/// A database a repository installs and runs itself (no image): the engine a line sets up —
/// `initdb -D …`, `pg_createcluster`, `mysqld --initialize`, `mysql_install_db`, or a package
/// install of a server (`apt-get install -y postgresql-16`, Ansible `name: [postgresql-16]`).
/// `installing` says whether the file installs packages at all.
pub fn self_managed(line: &str, installing: bool) -> Option<&'static str> {
    use crate::words::find_word;
    let l = line.to_ascii_lowercase();
    if l.trim_start().starts_with('#') {
        return None;
    }
    if ["initdb", "pg_createcluster"].iter().any(|w| find_word(&l, w).is_some()) {
        return Some("postgres");
    }
    if find_word(&l, "mysql_install_db").is_some() || (find_word(&l, "mysqld").is_some() && l.contains("--initialize"))
    {
        return Some("mysql");
    }
    if find_word(&l, "mariadb-install-db").is_some() {
        return Some("mariadb");
    }
    if !installing || l.contains("purge") || l.contains("remove") {
        return None;
    }
    l.split(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '"' | '\'' | ':')).find_map(|w| {
        let pg_version =
            w.strip_prefix("postgresql-").is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()));
        if pg_version || w == "postgresql-server" || (w.starts_with("postgresql") && w.ends_with("-server")) {
            Some("postgres")
        } else if w == "mysql-server" || w == "percona-server-server" {
            Some("mysql")
        } else if w == "mariadb-server" {
            Some("mariadb")
        } else if w == "mongodb-org" || w == "mongodb-org-server" || w == "mongodb-server" {
            Some("mongodb")
        } else {
            None
        }
    })
}

/// Every line of a script or playbook that sets up a database server itself
/// (see [`self_managed`]), with its engine and 1-based line. The text is
/// searched once for the names that function answers for before any line is
/// read: most files name none.
pub fn self_managed_lines(text: &str) -> Vec<(&'static str, u32)> {
    let lower = text.to_ascii_lowercase();
    // Each name `self_managed` answers for holds one of these.
    const HINTS: [&str; 7] =
        ["initdb", "pg_createcluster", "mysql", "mariadb", "postgresql", "percona-server", "mongodb"];
    if !HINTS.iter().any(|h| crate::words::find(&lower, h).is_some()) {
        return Vec::new();
    }
    let installing = installs_in_lowercase(&lower);
    let found = text.lines().enumerate();
    found.filter_map(|(i, l)| self_managed(l, installing).map(|engine| (engine, i as u32 + 1))).collect()
}

/// Whether a script or playbook installs packages (so a package name in it is an install).
pub fn installs_packages(text: &str) -> bool {
    installs_in_lowercase(&text.to_ascii_lowercase())
}

fn installs_in_lowercase(t: &str) -> bool {
    [
        "apt-get install",
        "apt install",
        "yum install",
        "dnf install",
        "apk add",
        "zypper install",
        "builtin.apt",
        "builtin.package",
        "builtin.yum",
        "builtin.dnf",
        "\napt:",
        " apt:",
        " package:",
        " yum:",
        " dnf:",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// Settings that make Redis keep its data on disk (`--appendonly yes`, `save 60 1`).
pub fn redis_persistence(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("appendonly yes") || t.contains("--appendonly yes") || t.contains("appendonly: yes")
}

/// Where database servers keep their data: a volume mounted there means the
/// container is that database, whatever its image is called (a team's own
/// `accounts-db` image built `FROM postgres`).
const DATA_DIRS: &[(&str, &str)] = &[
    ("/var/lib/postgresql", "postgres"),
    ("/var/lib/pgsql", "postgres"),
    ("/bitnami/postgresql", "postgres"),
    ("/home/postgres/pgdata", "postgres"),
    ("/var/lib/mysql", "mysql"),
    ("/bitnami/mysql", "mysql"),
    ("/bitnami/mariadb", "mariadb"),
    ("/data/db", "mongodb"),
    ("/bitnami/mongodb", "mongodb"),
    ("/var/lib/clickhouse", "clickhouse"),
    ("/var/lib/cassandra", "cassandra"),
    ("/usr/share/elasticsearch/data", "elasticsearch"),
    ("/usr/share/opensearch/data", "elasticsearch"),
    ("/var/lib/redis", "redis"),
    ("/bitnami/redis", "redis"),
    ("/var/opt/mssql", "sqlserver"),
];

/// The engine whose data directory a volume is mounted at (`/var/lib/postgresql/data`).
pub fn data_dir_engine(mount: &str) -> Option<&'static str> {
    let m = mount.trim().trim_matches(['"', '\'']).trim_end_matches('/');
    DATA_DIRS.iter().find(|(d, _)| m == *d || m.starts_with(&format!("{d}/"))).map(|(_, e)| *e)
}

/// Environment variables only a database server reads (its official image's
/// set-up): a client connecting to it gets a host or a URL instead.
const SERVER_ENV: &[(&str, &str)] = &[
    ("PGDATA", "postgres"),
    ("POSTGRES_INITDB_ARGS", "postgres"),
    ("POSTGRES_HOST_AUTH_METHOD", "postgres"),
    ("MYSQL_ROOT_PASSWORD", "mysql"),
    ("MYSQL_RANDOM_ROOT_PASSWORD", "mysql"),
    ("MYSQL_ALLOW_EMPTY_PASSWORD", "mysql"),
    ("MARIADB_ROOT_PASSWORD", "mariadb"),
    ("MARIADB_RANDOM_ROOT_PASSWORD", "mariadb"),
    ("MONGO_INITDB_ROOT_USERNAME", "mongodb"),
    ("MONGO_INITDB_DATABASE", "mongodb"),
];

/// The engine a container's environment sets up, by variable names.
pub fn server_env_engine<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    names.into_iter().find_map(|n| SERVER_ENV.iter().find(|(k, _)| k.eq_ignore_ascii_case(n.trim())).map(|(_, e)| *e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_of_every_publisher() {
        for (image, engine) in [
            ("postgres:16", "postgres"),
            ("docker.io/library/postgres:16-alpine", "postgres"),
            ("bitnami/postgresql:16", "postgres"),
            ("docker.io/bitnami/postgresql-repmgr:15", "postgres"),
            ("postgis/postgis:16-3.4", "postgres"),
            ("pgautoupgrade/pgautoupgrade:16-alpine", "postgres"),
            ("timescale/timescaledb:latest-pg16", "postgres"),
            ("timescale/timescaledb-ha:pg16", "postgres"),
            ("ghcr.io/cloudnative-pg/postgresql:16", "postgres"),
            ("registry.opensource.zalan.do/acid/spilo-16:3.2", "postgres"),
            ("pgvector/pgvector:pg16", "postgres"),
            ("ghcr.io/immich-app/postgres:14-vectorchord", "postgres"),
            ("${POSTGRES_IMAGE:-postgres:15}", "postgres"),
            ("\"postgres:14.11-bookworm\"", "postgres"),
            ("mysql:8", "mysql"),
            ("mysql/mysql-server:8.0", "mysql"),
            ("percona:8", "mysql"),
            ("percona/percona-server:8.0", "mysql"),
            ("mariadb:11", "mariadb"),
            ("bitnami/mariadb:11", "mariadb"),
            ("mongo:7", "mongodb"),
            ("percona/percona-server-mongodb:7.0", "mongodb"),
            ("bitnami/mongodb:7", "mongodb"),
            ("redis:7-alpine", "redis"),
            ("valkey/valkey:8", "redis"),
            ("eqalpha/keydb", "redis"),
            ("docker.elastic.co/elasticsearch/elasticsearch:8.13.0", "elasticsearch"),
            ("opensearchproject/opensearch:2", "elasticsearch"),
            ("clickhouse/clickhouse-server:24.3", "clickhouse"),
            ("cassandra:4", "cassandra"),
            ("mcr.microsoft.com/mssql/server:2022-latest", "sqlserver"),
            ("cockroachdb/cockroach:v23.2.0", "postgres"),
        ] {
            assert_eq!(image_engine(image), Some(engine), "{image}");
        }
        for image in [
            "nginx:1.27",
            "prometheuscommunity/postgres-exporter",
            "quay.io/prometheuscommunity/postgres_exporter:v0.15.0",
            "prodrigestivill/postgres-backup-local:16",
            "dpage/pgadmin4",
            "mongo-express",
            "rediscommander/redis-commander",
            "oliver006/redis_exporter",
            "bitnami/pgbouncer",
            "opensearchproject/opensearch-dashboards:2",
            "ghcr.io/cloudnative-pg/cloudnative-pg:1.23",
            "bitnami/redis-sentinel",
            "redislabs/redisinsight",
            "elastichq/elasticsearch-hq",
            "ghcr.io/getsentry/snuba:24.1.0",
            "$DB_IMAGE",
        ] {
            assert_eq!(image_engine(image), None, "{image}");
        }
    }

    #[test]
    fn names_and_attributes() {
        assert_eq!(name_engine("postgresql"), Some("postgres"));
        assert_eq!(name_engine("redis-cluster"), Some("redis"));
        assert_eq!(name_engine("mongodb-sharded"), Some("mongodb"));
        assert_eq!(name_engine("ingress-nginx"), None);
        assert_eq!(engine_attribute("aurora-postgresql"), Some("postgres"));
        assert_eq!(engine_attribute("POSTGRES_15"), Some("postgres"));
        assert_eq!(engine_attribute("pg"), Some("postgres"));
        assert_eq!(engine_attribute("aurora-mysql"), Some("mysql"));
        assert_eq!(operator_database("postgresql.cnpg.io", "Cluster"), Some("postgres (CloudNativePG)"));
        assert_eq!(engine_of("postgres (CloudNativePG)"), "postgres");
        assert!(needs_backup("postgres") && !needs_backup("redis"));
        assert!(redis_persistence("redis-server --appendonly yes"));
        assert_eq!(data_dir_engine("/var/lib/postgresql/data"), Some("postgres"));
        assert_eq!(
            self_managed("sudo -u postgres /usr/lib/postgresql/16/bin/initdb -D /data", false),
            Some("postgres")
        );
        assert_eq!(self_managed("    name: [postgresql-16, restic]", true), Some("postgres"));
        assert_eq!(self_managed("apt-get install -y postgresql-client-16", true), None);
        assert_eq!(self_managed("apt-get purge -y postgresql-15", true), None);
        assert_eq!(self_managed("COPY init.sql /docker-entrypoint-initdb.d/", true), None);
        assert!(installs_packages("- ansible.builtin.apt:\n    name: x"));
        // The search before the lines never drops a line `self_managed` answers for.
        for (line, engine) in [
            ("sudo -u postgres /usr/lib/postgresql/16/bin/initdb -D /data", "postgres"),
            ("pg_createcluster 16 main", "postgres"),
            ("MYSQL_INSTALL_DB --user=mysql", "mysql"),
            ("mysqld --initialize-insecure", "mysql"),
            ("mariadb-install-db --user=mysql", "mariadb"),
            ("apt-get install -y postgresql-16", "postgres"),
            ("yum install -y postgresql15-server", "postgres"),
            ("apt install mysql-server", "mysql"),
            ("apt install percona-server-server", "mysql"),
            ("apk add mariadb-server", "mariadb"),
            ("dnf install mongodb-org", "mongodb"),
        ] {
            let text = format!("#!/bin/sh\nset -e\n{line}\n");
            assert_eq!(self_managed_lines(&text), [(engine, 3)], "{line}");
        }
        assert!(self_managed_lines("apt-get install -y redis-server\n").is_empty());
        assert_eq!(
            managed_module("GoogleCloudPlatform/sql-db/google//modules/postgresql", Some("POSTGRES_14")),
            Some(("gcp", "postgres"))
        );
        assert_eq!(managed_module("terraform-aws-modules/rds/aws", Some("mysql")), Some(("aws", "mysql")));
        assert_eq!(managed_module("terraform-aws-modules/vpc/aws", None), None);
        assert_eq!(data_dir_engine("/var/lib/mysql/"), Some("mysql"));
        assert_eq!(data_dir_engine("/var/lib/postgresql-tools"), None);
        assert_eq!(data_dir_engine("/data"), None);
        assert_eq!(server_env_engine(["TZ", "PGDATA"]), Some("postgres"));
        assert_eq!(server_env_engine(["POSTGRES_HOST", "POSTGRES_PASSWORD"]), None);
    }
}
