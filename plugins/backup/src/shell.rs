//! What a shell command line says about backups: the tools it runs, where
//! it writes, whether it encrypts, inline credentials. Word matching over
//! text, not a shell parser: scripts, CronJob commands, compose commands and
//! commands quoted in docs are all read the same way.

pub use opslint_knowledge::backup::{tools_in, Tool, BACKUP_TOOLS, RESTORE_TOOLS};
pub use opslint_knowledge::words::find_word;

/// A restore fed from a dump (`psql … < dump.sql`, `gunzip -c x | mysql …`,
/// through `docker compose exec -T` or `kubectl exec -i`): the engines it restores.
pub fn restore_by_redirect(line: &str) -> Option<&'static [&'static str]> {
    opslint_knowledge::backup::client_restore(line)
}

/// Destinations that leave the machine and its volumes.
const OFFSITE: &[&str] = &[
    "s3://",
    "gs://",
    "az://",
    "azure://",
    "abfs://",
    "b2://",
    "swift://",
    "sftp://",
    "ssh://",
    "rsync://",
    "s3:",
    "gs:",
    "b2:",
    "azure:",
    "rest:http",
    "sftp:",
    ".blob.core.windows.net",
    "storage.googleapis.com",
    "aws s3 cp",
    "aws s3 sync",
    "aws s3 mv",
    "aws s3api put-object",
    "gsutil cp",
    "gsutil rsync",
    "gcloud storage cp",
    "az storage blob upload",
    "azcopy",
    "rclone copy",
    "rclone sync",
    "rclone move",
    "rclone rcat",
    "mc cp",
    "mc mirror",
    "s3cmd put",
    "s3cmd sync",
    "barmanObjectStore",
    "WALG_S3_PREFIX",
    "WALG_GS_PREFIX",
    "WALG_AZ_PREFIX",
    "repo1-type=s3",
    "repo1-type=gcs",
    "repo1-type=azure",
    "repo1-host",
    "scp ",
];

/// Whether `text` sends data off the host (object storage, another machine).
pub fn offsite_marker(text: &str) -> Option<&'static str> {
    OFFSITE.iter().copied().find(|m| text.contains(m)).or_else(|| repository_elsewhere(text))
}

/// restic, borg and kopia write to a repository named outside the command (`RESTIC_REPOSITORY`
/// from the environment): off the host unless the command names a local path (`-r /mnt/b`).
fn repository_elsewhere(text: &str) -> Option<&'static str> {
    let uses = ["restic", "borg", "kopia"]
        .iter()
        .any(|t| tools_in(text, BACKUP_TOOLS).iter().any(|(tool, _)| tool.name == *t));
    let local = ["-r /", "--repo /", "--repo=/", "-r ./", "-r ~", "REPOSITORY=/", "BORG_REPO=/", "-r \"/", "::/"]
        .iter()
        .any(|m| text.contains(m));
    (uses && !local).then_some("a restic/borg/kopia repository named by the environment")
}

/// Client-side or server-side encryption of a backup.
const ENCRYPTION: &[&str] = &[
    "gpg ",
    "gpg2 ",
    "age ",
    "age -",
    "openssl enc",
    "openssl smime",
    "--sse",
    "--server-side-encryption",
    "--encrypt",
    "x-amz-server-side-encryption",
    "kms",
    "KMS",
    "repo1-cipher-type",
    "WALG_LIBSODIUM_KEY",
    "WALG_PGP_KEY",
    "restic ",
    "borg ",
    "encryption:",
    "sse:",
];

pub fn encryption_marker(text: &str) -> Option<&'static str> {
    ENCRYPTION.iter().copied().find(|m| text.contains(m))
}

/// A credential written into a command: `PGPASSWORD=hunter2`, `mysqldump -psecret`,
/// `--password=secret`, `postgres://user:secret@host`. Returns the byte range of the secret.
pub fn inline_credential(line: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    let literal = |v: &str| {
        let v = v.trim_matches(|c| c == '\'' || c == '"');
        !v.starts_with('{') && !opslint_knowledge::secrets::placeholder("", v)
    };
    let value_end = |from: usize| {
        let rest = &line[from..];
        let quoted = rest.starts_with(['\'', '"']);
        let end = if quoted {
            let q = rest.as_bytes()[0] as char;
            rest[1..].find(q).map_or(rest.len(), |e| e + 2)
        } else {
            rest.find(|c: char| c.is_whitespace() || c == ';').unwrap_or(rest.len())
        };
        from..from + end
    };
    for var in
        ["PGPASSWORD=", "MYSQL_PWD=", "RESTIC_PASSWORD=", "BORG_PASSPHRASE=", "AWS_SECRET_ACCESS_KEY=", "--password="]
    {
        if let Some(at) = line.find(var) {
            let r = value_end(at + var.len());
            if literal(&line[r.clone()]) {
                return Some((r, "password"));
            }
        }
    }
    // mysql-family `-pSECRET` (no space; `-p` alone prompts).
    for client in ["mysqldump", "mysql", "mariadb-dump", "mariadb", "mysqladmin"] {
        if let Some(at) = find_word(line, client) {
            let rest = &line[at..];
            if let Some(p) = rest.find(" -p") {
                let from = at + p + 3;
                let r = value_end(from);
                if !r.is_empty() && literal(&line[r.clone()]) {
                    return Some((r, "password"));
                }
            }
        }
    }
    // scheme://user:secret@host
    if let Some(at) = line.find("://") {
        let rest = &line[at + 3..];
        let end = rest.find(|c: char| c.is_whitespace() || c == '/' || c == '"' || c == '\'').unwrap_or(rest.len());
        let auth = &rest[..end];
        if let Some(amp) = auth.rfind('@') {
            if let Some(colon) = auth[..amp].find(':') {
                let secret = &auth[colon + 1..amp];
                if literal(secret) {
                    let from = at + 3 + colon + 1;
                    return Some((from..from + secret.len(), "URL password"));
                }
            }
        }
    }
    None
}

/// One logical line of a script: continuation lines joined, comments removed.
pub struct Line {
    /// 1-based line of its first physical line.
    pub line: u32,
    /// Byte offset of its first physical line in the file.
    pub offset: usize,
    pub text: String,
}

/// Splits a shell script (or Makefile recipe) into logical lines.
pub fn logical_lines(text: &str) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut pending: Option<Line> = None;
    let mut offset = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if pending.is_none() && trimmed.starts_with('#') {
            continue;
        }
        let code = match body.find(" #") {
            Some(i) if !body[..i].contains(['\'', '"']) => &body[..i],
            _ => body,
        };
        let (code, continues) = match code.strip_suffix('\\') {
            Some(c) => (c, true),
            None => (code, false),
        };
        let line = pending.get_or_insert_with(|| Line { line: n as u32 + 1, offset: start, text: String::new() });
        line.text.push_str(code);
        line.text.push(' ');
        if !continues {
            out.extend(pending.take());
        }
    }
    out.extend(pending);
    out
}

/// `set -e` (or errexit) and `pipefail`, however they are written.
pub fn strict_mode(text: &str) -> (bool, bool) {
    let mut errexit = false;
    let mut pipefail = false;
    for l in text.lines().map(str::trim) {
        if l.starts_with("#!")
            && l.split_whitespace().skip(1).any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('e'))
        {
            errexit = true;
        }
        let Some(rest) = l.strip_prefix("set ") else { continue };
        for w in rest.split_whitespace() {
            if w.starts_with('-') && !w.starts_with("--") && w.contains('e') && !w.starts_with("-o") {
                errexit = true;
            }
        }
        errexit |= rest.contains("errexit");
        pipefail |= rest.contains("pipefail");
    }
    (errexit, pipefail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_are_words() {
        let names = |l: &str| tools_in(l, BACKUP_TOOLS).iter().map(|(t, _)| t.name).collect::<Vec<_>>();
        assert_eq!(names("pg_dump -h db shop | gzip > /b/x.gz"), ["pg_dump"]);
        assert_eq!(names("/usr/bin/pg_dumpall -h db"), ["pg_dumpall"]);
        assert!(names("tail pg_dump.log").is_empty());
        assert_eq!(names("redis-cli -h cache BGSAVE"), ["redis-cli"]);
        assert!(names("redis-cli -h cache ping").is_empty());
        assert_eq!(names("restic -r s3:s3.amazonaws.com/b backup /data"), ["restic"]);
        assert!(names("restic snapshots").is_empty());
        assert_eq!(tools_in("velero restore create --from-backup x", RESTORE_TOOLS)[0].0.name, "velero");
        assert!(tools_in("velero backup create x", RESTORE_TOOLS).is_empty());
    }

    #[test]
    fn restores_by_redirection() {
        assert_eq!(restore_by_redirect("psql -h db shop < dump.sql"), Some(&["postgres"][..]));
        assert_eq!(restore_by_redirect("gunzip -c x.gz | mysql shop"), Some(&["mysql", "mariadb"][..]));
        assert_eq!(restore_by_redirect("psql -c 'select 1'"), None);
        assert_eq!(restore_by_redirect("psql <<SQL"), None);
        assert_eq!(restore_by_redirect("psql -c \"select 1 where 2 < 3\""), None);
        assert!(restore_by_redirect("mysql shop < \"$DUMP\"").is_some());
    }

    #[test]
    fn inline_credentials() {
        let secret = |l: &str| inline_credential(l).map(|(r, _)| l[r].to_string());
        assert_eq!(secret("PGPASSWORD=hunter2 pg_dump -h db").as_deref(), Some("hunter2"));
        assert_eq!(secret("PGPASSWORD=\"$DB_PASS\" pg_dump"), None);
        assert_eq!(secret("mysqldump -u root -p'S3cret!' shop").as_deref(), Some("'S3cret!'"));
        assert_eq!(secret("mysqldump -u root -p shop"), None);
        assert_eq!(secret("mysqldump --password=abc shop").as_deref(), Some("abc"));
        assert_eq!(secret("pg_dump postgresql://shop:pw@db/shop").as_deref(), Some("pw"));
        assert_eq!(secret("pg_dump postgresql://shop:${PW}@db/shop"), None);
        assert_eq!(secret("pg_dump -h db -p 5432 shop"), None);
    }

    #[test]
    fn logical_lines_join_continuations_and_drop_comments() {
        let lines = logical_lines("#!/bin/sh\n# c\npg_dump \\\n  -h db # host\necho done\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 3);
        assert!(lines[0].text.contains("-h db"));
        assert!(!lines[0].text.contains("host"));
        assert_eq!(lines[1].line, 5);
    }

    #[test]
    fn strict_mode_spellings() {
        assert_eq!(strict_mode("set -euo pipefail\n"), (true, true));
        assert_eq!(strict_mode("set -o errexit -o pipefail\n"), (true, true));
        assert_eq!(strict_mode("#!/bin/bash -e\n"), (true, false));
        assert_eq!(strict_mode("set -u\n"), (false, false));
        assert_eq!(strict_mode("set -o pipefail\nset -e\n"), (true, true));
    }

    #[test]
    fn offsite_and_encryption() {
        assert!(offsite_marker("aws s3 cp x.gz s3://bucket/").is_some());
        assert!(offsite_marker("gzip > /backups/x.gz").is_none());
        assert!(encryption_marker("aws s3 cp x s3://b/ --sse aws:kms").is_some());
        assert!(encryption_marker("aws s3 cp x s3://b/").is_none());
    }
}
