//! Backup and restore tools, and the other ways a restore is spelled: a dump
//! fed to a database client (`gunzip -c f | psql`, `docker compose exec -T db
//! psql < f`, `kubectl exec -i pod -- mysql`), and the names of scheduled
//! restore checks.
use crate::words::{find_word, may_hold, word_set};

/// A backup or restore tool: its command, the words that must follow it on
/// the line (any of; none: the command alone), the engines it serves (`*`:
/// any data) and whether it gives point-in-time recovery.
#[derive(Debug)]
pub struct Tool {
    pub name: &'static str,
    pub verbs: &'static [&'static str],
    pub engines: &'static [&'static str],
    pub pitr: bool,
}

const PG: &[&str] = &["postgres"];
const MY: &[&str] = &["mysql", "mariadb"];
const MONGO: &[&str] = &["mongodb"];
const ANY: &[&str] = &["*"];
const WALG: &[&str] = &["postgres", "mysql", "mariadb", "mongodb"];

const fn tool(name: &'static str, verbs: &'static [&'static str], engines: &'static [&'static str]) -> Tool {
    Tool { name, verbs, engines, pitr: false }
}

/// Commands that take a backup. Listed longest name first where one contains another.
pub const BACKUP_TOOLS: &[Tool] = &[
    tool("pg_dumpall", &[], PG),
    tool("pg_dump", &[], PG),
    tool("pg_basebackup", &[], PG),
    Tool { name: "pgbackrest", verbs: &["backup"], engines: PG, pitr: true },
    Tool { name: "pg_probackup", verbs: &["backup"], engines: PG, pitr: true },
    Tool { name: "wal-g", verbs: &["backup-push"], engines: WALG, pitr: true },
    Tool { name: "barman-cloud-backup", verbs: &[], engines: PG, pitr: true },
    Tool { name: "barman", verbs: &["backup"], engines: PG, pitr: true },
    tool("mysqldump", &[], MY),
    tool("mysqlpump", &[], MY),
    tool("mariadb-dump", &[], MY),
    tool("mydumper", &[], MY),
    tool("mariabackup", &["--backup"], MY),
    tool("mariadb-backup", &["--backup"], MY),
    tool("xtrabackup", &["--backup"], MY),
    tool("mongodump", &[], MONGO),
    tool("redis-cli", &["bgsave", "BGSAVE", "--rdb", "SAVE", "save"], &["redis"]),
    tool("clickhouse-backup", &["create", "create_remote"], &["clickhouse"]),
    tool("medusa", &["backup", "backup-cluster"], &["cassandra"]),
    tool("nodetool", &["snapshot"], &["cassandra"]),
    tool("neo4j-admin", &["dump", "backup"], &["neo4j"]),
    tool("influx", &["backup"], &["influxdb"]),
    tool("etcdctl", &["save"], &["etcd"]),
    tool("restic", &["backup"], ANY),
    tool("borg", &["create"], ANY),
    tool("kopia", &["create"], ANY),
    tool("duplicity", &["full", "incremental", "incr"], ANY),
    tool("velero", &["backup"], ANY),
    // Managed databases: a snapshot or export taken by hand.
    tool("aws", &["create-db-snapshot", "create-db-cluster-snapshot"], ANY),
    tool("gcloud", &["export", "backups create"], ANY),
    // Heroku Postgres: a backup taken by hand, or the provider's schedule set up.
    tool("heroku", &["pg:backups:capture", "pg:backups:schedule"], PG),
];

/// Commands that restore a backup.
pub const RESTORE_TOOLS: &[Tool] = &[
    tool("pg_restore", &[], PG),
    tool("pgbackrest", &["restore"], PG),
    tool("pg_probackup", &["restore"], PG),
    tool("wal-g", &["backup-fetch"], WALG),
    tool("barman-cloud-restore", &[], PG),
    tool("barman", &["recover"], PG),
    tool("mongorestore", &[], MONGO),
    tool("myloader", &[], MY),
    tool("mariabackup", &["--prepare", "--copy-back"], MY),
    tool("mariadb-backup", &["--prepare", "--copy-back"], MY),
    tool("xtrabackup", &["--prepare", "--copy-back"], MY),
    tool("clickhouse-backup", &["restore", "restore_remote"], &["clickhouse"]),
    tool("medusa", &["restore-cluster", "restore-node"], &["cassandra"]),
    tool("neo4j-admin", &["load", "restore"], &["neo4j"]),
    tool("influx", &["restore"], &["influxdb"]),
    tool("etcdctl", &["restore"], &["etcd"]),
    tool("restic", &["restore"], ANY),
    tool("borg", &["extract"], ANY),
    tool("kopia", &["restore"], ANY),
    tool("duplicity", &["restore"], ANY),
    tool("velero", &["restore"], ANY),
    // Managed databases: restored from the provider's snapshots or to a point in time.
    tool(
        "aws",
        &[
            "restore-db-instance-from-db-snapshot",
            "restore-db-instance-to-point-in-time",
            "restore-db-cluster-from-snapshot",
            "restore-db-cluster-to-point-in-time",
        ],
        ANY,
    ),
    tool("gcloud", &["restore", "import", "restores create"], ANY),
    tool("az", &["restore"], ANY),
    tool("heroku", &["pg:backups:restore"], PG),
];

/// What a backup or restore that serves any engine (`*`) reaches. A
/// cluster-level tool (Velero, Backup for GKE) copies the cluster's volumes:
/// not a managed database outside it. A provider's command (RDS snapshots,
/// `gcloud sql export`, `az … restore`) acts on managed databases only. File
/// tools and written procedures (restic, borg, a "Restore" section) reach the
/// databases whose files the team holds: not a managed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Files,
    Cluster,
    Provider,
}

/// The reach of `tool` as `line` runs it.
pub fn reach(tool: &str, line: &str) -> Reach {
    match tool {
        "velero" => Reach::Cluster,
        // `gcloud beta container backup-restore backups create`: Backup for GKE.
        "gcloud" if find_word(line, "backup-restore").is_some() => Reach::Cluster,
        "aws" | "gcloud" | "az" | "heroku" => Reach::Provider,
        _ => Reach::Files,
    }
}

/// A command that has the database's provider take backups on a schedule
/// (`heroku pg:backups:schedule DATABASE_URL --at '02:00 UTC'`): automated
/// backups, though run by the provider, not by the repository.
pub fn provider_schedule(line: &str) -> bool {
    find_word(line, "pg:backups:schedule").is_some()
}

/// Platform CLIs whose backup commands act on the platform's own database
/// (the app's attached database): they cover it without naming it.
pub fn platform_cli(tool: &str) -> bool {
    tool == "heroku"
}

/// Tools of `table` that `line` runs (with their verb when they need one), with their offset.
pub fn tools_in<'t>(line: &str, table: &'t [Tool]) -> Vec<(&'t Tool, usize)> {
    let mut out: Vec<(&Tool, usize)> = Vec::new();
    // Each search costs the whole line: rule out absent names first (a line can be megabytes).
    let words = word_set(line);
    for t in table.iter().filter(|t| may_hold(&words, t.name)) {
        if let Some(at) = find_word(line, t.name) {
            let rest = &line[at + t.name.len()..];
            if t.verbs.is_empty() || t.verbs.iter().any(|v| find_word(rest, v).is_some()) {
                // A shorter name found inside a longer one already listed is not a second tool.
                if !out.iter().any(|(o, a)| *a == at && o.name.starts_with(t.name)) {
                    out.push((t, at));
                }
            }
        }
    }
    out
}

/// Backup tools a line runs, unless it dumps the schema only (no data: not a backup).
pub fn backups_in(line: &str) -> Vec<&'static Tool> {
    if schema_only(line) {
        return Vec::new();
    }
    tools_in(line, BACKUP_TOOLS).into_iter().map(|(t, _)| t).collect()
}

/// The `&'static` name of a backup or restore tool or a database client,
/// for a plugin that reads one back from a stored fact.
pub fn tool_named(name: &str) -> Option<&'static str> {
    let tools = BACKUP_TOOLS.iter().chain(RESTORE_TOOLS).map(|t| t.name);
    tools.chain(CLIENTS.iter().map(|(c, _)| *c)).find(|t| *t == name)
}

/// Database clients that load a dump they are fed, and their engines.
pub const CLIENTS: &[(&str, &[&str])] = &[
    ("psql", PG),
    ("mysql", MY),
    ("mariadb", MY),
    ("mongosh", MONGO),
    ("mongo", MONGO),
    ("clickhouse-client", &["clickhouse"]),
    ("cqlsh", &["cassandra"]),
    ("sqlcmd", &["sqlserver"]),
];

/// Commands that put a dump on a pipe: decompressors, `cat`, object-store reads, decryption.
const STREAMERS: &[&str] = &[
    "gunzip", "zcat", "gzcat", "gzip", "xzcat", "xz", "zstdcat", "zstd", "unzstd", "bzcat", "bzip2", "bunzip2",
    "lz4cat", "lz4", "cat", "pv", "gpg", "age", "openssl", "restic", "aws", "gsutil", "rclone", "mc", "curl",
];

/// A word naming a dump: a variable, a compressed or dump-format file, or a
/// name saying dump, backup or snapshot. A plain `schema.sql` or
/// `001_init.up.sql` is a migration, not a dump.
pub fn dump_like(word: &str) -> bool {
    let w = word.trim_matches(['"', '\'', '(', ')', ';']).to_ascii_lowercase();
    // `$1` (a restore script's argument), `$DUMP_FILE`; not `$DB_INIT_DIR/*.sql`.
    let var = w.trim_start_matches('$').trim_start_matches('{');
    let positional = w.starts_with('$') && var.chars().next().is_some_and(|c| c.is_ascii_digit());
    positional
        || [".dump", ".gz", ".bak", ".zst", ".xz", ".bz2", ".lz4", ".archive", ".pgdump", ".age", ".gpg"]
            .iter()
            .any(|e| w.ends_with(e))
        || ["dump", "backup", "snapshot", "restore"].iter().any(|k| w.contains(k))
}

/// The engines a line restores by feeding a dump to a database client:
/// `psql -h db shop < dump.sql`, `gunzip -c x.gz | mysql shop`,
/// `zcat f | docker compose exec -T db psql -U app`, `kubectl exec -i pg-0 -- psql < f`,
/// `psql -f /backups/shop.sql`. Not `psql -c 'select 1'`, `psql <<SQL`, `echo 'select 1' | psql`.
pub fn client_restore(line: &str) -> Option<&'static [&'static str]> {
    for (client, engines) in CLIENTS {
        let mut from = 0;
        while let Some(i) = find_word(&line[from..], client) {
            let at = from + i;
            from = at + client.len();
            // Inside a quoted query (`psql -c "… mysql …"`) or a path (`/var/lib/mysql`) it is not the client.
            if line[..at].ends_with('/') && !line[..at].ends_with("bin/") {
                continue;
            }
            let (before, after) = line.split_at(at);
            let after = &after[client.len()..];
            // The client's own command: up to the next `|`, `;`, `&&`.
            let own_end = after.find(['|', ';']).or_else(|| after.find("&&")).unwrap_or(after.len());
            let own = &after[..own_end];
            if own.contains("<<") {
                continue;
            }
            let redirected = own.split(" < ").skip(1).any(|r| r.split_whitespace().next().is_some_and(dump_like))
                || own.contains(" <$")
                || own.contains(" <\"$");
            let from_file = ["-f", "--file", "--file="].iter().any(|flag| {
                let mut words = own.split_whitespace();
                while let Some(w) = words.next() {
                    if let Some(v) = w.strip_prefix("--file=") {
                        return dump_like(v);
                    }
                    if w == *flag {
                        return words.next().is_some_and(dump_like);
                    }
                }
                false
            }) || own.contains("source ")
                && own.split("source ").nth(1).is_some_and(|r| r.split_whitespace().next().is_some_and(dump_like));
            let piped = fed_by_pipe(before);
            if redirected || from_file || piped {
                return Some(engines);
            }
        }
    }
    None
}

/// A word of a command line without quotes, backticks and the path: the file name.
fn file_name(word: &str) -> &str {
    let w = word.trim_matches(['"', '\'', '`', ';', ')', '(']);
    w.rsplit('/').next().unwrap_or(w)
}

/// Files a backup line writes its dump to: `mysqldump shop > bookings.sql`,
/// `pg_dump -f shop.sql shop`, `pg_dump --file=shop.sql`. (File names only.)
pub fn dump_outputs(line: &str) -> Vec<String> {
    let Some((_, at)) = tools_in(line, BACKUP_TOOLS).into_iter().next() else { return Vec::new() };
    let mut out = Vec::new();
    let mut words = line[at..].split_whitespace().peekable();
    while let Some(w) = words.next() {
        let target = match w {
            ">" | "-f" | "--file" => words.peek().copied(),
            _ => w
                .strip_prefix("--file=")
                .or_else(|| w.strip_prefix('>').filter(|r| !r.is_empty() && !r.starts_with(['>', '&']))),
        };
        if let Some(t) = target.map(file_name).filter(|t| t.contains('.') && !t.starts_with('$') && *t != "/dev/null") {
            out.push(t.to_string());
        }
    }
    out
}

/// The engines of a database client that `line` feeds the file `name` (a dump
/// written earlier in the same document): `mysql shop < bookings.sql`,
/// `kamal accessory exec -i db "mysql shop" < bookings.sql`, `psql -f ./shop.sql`.
pub fn client_loads(line: &str, name: &str) -> Option<&'static [&'static str]> {
    for (client, engines) in CLIENTS {
        let Some(at) = find_word(line, client) else { continue };
        let mut words = line[at..].split_whitespace().peekable();
        while let Some(w) = words.next() {
            let fed = match w {
                "<" | "-f" | "--file" => words.peek().copied(),
                _ => w.strip_prefix('<').filter(|r| !r.is_empty() && !r.starts_with('<')),
            };
            if fed.map(file_name) == Some(name) {
                return Some(engines);
            }
        }
    }
    None
}

/// Whether the command segment ending at the client is fed by a pipe from
/// something that streams a dump: `gunzip -c f |`, `cat dump.sql | docker exec -i db`.
fn fed_by_pipe(before: &str) -> bool {
    let Some(pipe) = before.rfind('|') else { return false };
    if before[..pipe].ends_with('|') {
        return false; // `||`
    }
    // Between the pipe and the client: nothing, or a wrapper that runs it elsewhere.
    let between = before[pipe + 1..].trim();
    if !between.is_empty() && !wrapper(between) {
        return false;
    }
    // The feeding command: from the previous separator to the pipe.
    let upstream = &before[..pipe];
    let start = upstream.rfind(['|', ';']).map_or(0, |i| i + 1).max(upstream.rfind("&&").map_or(0, |i| i + 2));
    let upstream = upstream[start..].trim();
    let first = upstream.split_whitespace().find(|w| !w.contains('=') && *w != "sudo").unwrap_or("");
    let first = first.rsplit('/').next().unwrap_or(first);
    STREAMERS.contains(&first)
        && (first != "cat" && first != "curl" || upstream.split_whitespace().skip(1).any(dump_like))
        || upstream.split_whitespace().any(dump_like)
            && !upstream.starts_with("echo")
            && !upstream.starts_with("printf")
}

/// Words that run the next command somewhere else: `docker compose exec -T db`,
/// `kubectl exec -i pg-0 -n data --`, `ssh host`, `sudo -u postgres`, `env X=1`.
fn wrapper(cmd: &str) -> bool {
    let first = cmd.split_whitespace().find(|w| !w.contains('=')).unwrap_or("");
    let first = first.rsplit('/').next().unwrap_or(first).trim_start_matches('$').trim_matches(['{', '}']);
    matches!(
        first,
        "docker"
            | "docker-compose"
            | "podman"
            | "podman-compose"
            | "kubectl"
            | "oc"
            | "ssh"
            | "sudo"
            | "env"
            | "nomad"
            | "fly"
            | "flyctl"
            | "heroku"
            | "compose"
            | "dc"
            | "DC"
            | "COMPOSE"
            | "DOCKER_COMPOSE"
    ) || cmd.split_whitespace().all(|w| w.contains('='))
}

/// Words in a job's, service's or script's name that say it checks restores:
/// `restore-test`, `verify-backup`, `backup-restore-check`, `dr-drill`.
pub fn restore_check_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let words: Vec<&str> = n.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.iter().any(|x| *x == w || (x.starts_with(w) && x.len() <= w.len() + 3));
    let restore = has("restore") || has("recovery");
    let check = has("test") || has("check") || has("verify") || has("verification") || has("drill") || has("validate");
    (restore && check)
        || (has("backup") && (has("verify") || has("verification") || has("validate")))
        || n.contains("dr-drill")
        || n.contains("drdrill")
}

/// Arguments that verify a backup by reading it back: `restic check --read-data`,
/// `pgbackrest verify`, `pg_verifybackup`, `borg check --verify-data`.
pub fn verify_command(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    find_word(&l, "pg_verifybackup").is_some()
        || (find_word(&l, "restic").is_some() && l.contains("check") && l.contains("--read-data"))
        || (find_word(&l, "borg").is_some() && l.contains("check") && l.contains("--verify-data"))
        || (find_word(&l, "pgbackrest").is_some() && find_word(&l, "verify").is_some())
}

/// Schema-only dumps copy no data: `pg_dump -s`, `--schema-only`, `mysqldump --no-data`, `-d`.
pub fn schema_only(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let pg = words.iter().any(|w| w.ends_with("pg_dump") || w.ends_with("pg_dumpall"));
    let my = words.iter().any(|w| w.ends_with("mysqldump") || w.ends_with("mariadb-dump") || w.ends_with("mysqlpump"));
    words.iter().any(|w| *w == "--schema-only" || w.starts_with("--schema-only="))
        || (pg && words.iter().any(|w| *w == "-s" || *w == "--schema-only" || short_flags(w, 's')))
        || (my && words.iter().any(|w| *w == "--no-data" || *w == "-d" || short_flags(w, 'd')))
}

/// `-Fcs`-style bundles of short flags holding `flag` (and no value-taking letter before it).
fn short_flags(w: &str, flag: char) -> bool {
    let Some(rest) = w.strip_prefix('-') else { return false };
    if rest.starts_with('-') || rest.len() < 2 || !rest.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    // pg_dump: -F, -f, -h, -p, -U, -d, -n, -t, -Z take values: a letter after one is its value.
    let takes_value = ['F', 'f', 'h', 'p', 'U', 'd', 'n', 't', 'Z', 'N', 'T', 'j', 'u', 'P'];
    for c in rest.chars() {
        if c == flag {
            return true;
        }
        if takes_value.contains(&c) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(l: &str, table: &[Tool]) -> Vec<&'static str> {
        tools_in(l, table).iter().map(|(t, _)| t.name).collect()
    }

    #[test]
    fn a_dump_written_above_and_loaded_by_a_client_is_a_restore() {
        let dumped = dump_outputs("bin/kamal accessory exec db \"mysqldump -u root shop\" > bookings.sql");
        assert_eq!(dumped, ["bookings.sql"]);
        assert_eq!(dump_outputs("pg_dump -Fc -f /tmp/shop.dump shop"), ["shop.dump"]);
        assert!(dump_outputs("mysqldump shop 2>/dev/null").is_empty());
        let load = "bin/kamal accessory exec --interactive db \"mysql -u root shop\" < bookings.sql";
        assert_eq!(client_loads(load, "bookings.sql"), Some(MY));
        assert_eq!(client_loads("psql -f ./bookings.sql shop", "bookings.sql"), Some(PG));
        // Another file, or no client: not this dump's restore.
        assert_eq!(client_loads("mysql shop < schema.sql", "bookings.sql"), None);
        assert_eq!(client_loads("gzip < bookings.sql > b.gz", "bookings.sql"), None);
    }

    #[test]
    fn tools_are_words() {
        assert_eq!(names("pg_dump -h db shop | gzip > /b/x.gz", BACKUP_TOOLS), ["pg_dump"]);
        assert_eq!(names("/usr/bin/pg_dumpall -h db", BACKUP_TOOLS), ["pg_dumpall"]);
        assert!(names("tail pg_dump.log", BACKUP_TOOLS).is_empty());
        assert_eq!(names("redis-cli -h cache BGSAVE", BACKUP_TOOLS), ["redis-cli"]);
        assert_eq!(names("redis-cli -h cache --rdb /b/dump.rdb", BACKUP_TOOLS), ["redis-cli"]);
        assert!(names("redis-cli -h cache ping", BACKUP_TOOLS).is_empty());
        assert_eq!(names("restic -r s3:s3.amazonaws.com/b backup /data", BACKUP_TOOLS), ["restic"]);
        assert!(names("restic snapshots", BACKUP_TOOLS).is_empty());
        assert_eq!(names("velero restore create --from-backup x", RESTORE_TOOLS), ["velero"]);
        assert!(names("velero backup create x", RESTORE_TOOLS).is_empty());
        assert_eq!(names("mongorestore --gzip --archive=/b/x.gz", RESTORE_TOOLS), ["mongorestore"]);
        assert_eq!(names("barman-cloud-backup s3://b/pg main", BACKUP_TOOLS), ["barman-cloud-backup"]);
        let restore = "aws rds restore-db-instance-to-point-in-time --source-db-instance-identifier shop";
        assert_eq!(names(restore, RESTORE_TOOLS), ["aws"]);
        assert_eq!(names("gcloud sql backups restore 123 --restore-instance=shop", RESTORE_TOOLS), ["gcloud"]);
        assert!(
            names("aws s3 cp x s3://b/", RESTORE_TOOLS).is_empty()
                && names("gcloud run deploy", BACKUP_TOOLS).is_empty()
        );
    }

    #[test]
    fn dumps_fed_to_clients() {
        let yes = [
            "psql -h db shop < dump.sql",
            "gunzip -c x.gz | mysql shop",
            "gunzip -c \"$FILE\" | psql -U app shop",
            "zcat backup.sql.gz | mysql -u root shop",
            "zcat $1 | docker compose exec -T db psql -U app",
            "cat /backups/shop.sql | docker exec -i db psql -U app",
            "docker compose exec -T db psql -U app shop < dump.sql",
            "kubectl exec -i postgres-0 -n data -- psql -U app < backup.sql",
            "gunzip < x.sql.gz | kubectl exec -i pg-0 -- psql -U app",
            "mysql shop < \"$DUMP\"",
            "psql shop < \"$1\"",
            "psql -U app -f /backups/latest.sql shop",
            "aws s3 cp s3://b/x.sql.gz - | gunzip | psql shop",
            "mongosh shop < dump.js",
        ];
        for l in yes {
            assert!(client_restore(l).is_some(), "{l}");
        }
        let no = [
            "psql -c 'select 1'",
            "psql <<SQL",
            "psql -c \"select 1 where 2 < 3\"",
            "echo 'select 1' | psql",
            "psql -f migrations/001_init.up.sql",
            "ls /var/lib/mysql | wc -l",
            "docker compose exec db psql -U app",
            "pg_isready || psql -c 'select 1'",
            "sudo -u postgres psql -d ${POSTGRES_DB} -f ${MONOLITH_DIR}/${DB_INIT_DIR}/*.sql",
        ];
        for l in no {
            assert!(client_restore(l).is_none(), "{l}");
        }
        assert_eq!(client_restore("gunzip -c x.gz | mysql shop"), Some(MY));
    }

    #[test]
    fn restore_checks_by_name() {
        for n in [
            "restore-test",
            "verify-backup",
            "backup-verification",
            "nightly-restore-check",
            "dr-drill",
            "restore_drill",
            "test-restore.sh",
        ] {
            assert!(restore_check_name(n), "{n}");
        }
        for n in ["restore", "backup", "test", "restorer", "api-tests", "backup-cleanup"] {
            assert!(!restore_check_name(n), "{n}");
        }
        assert!(verify_command("restic check --read-data"));
        assert!(!verify_command("restic check"));
    }

    #[test]
    fn schema_only_dumps() {
        for l in [
            "pg_dump -s shop",
            "pg_dump --schema-only shop",
            "pg_dump -vs shop",
            "mysqldump --no-data shop",
            "mysqldump -d shop",
        ] {
            assert!(schema_only(l), "{l}");
        }
        for l in
            ["pg_dump -Fc shop", "pg_dump -h db -U s shop", "mysqldump --single-transaction shop", "pg_dump -d shop"]
        {
            assert!(!schema_only(l), "{l}");
        }
    }
}
