//! The repository as the backup rules see it: every database (from the
//! evidence of the other plugins, compose files, Helm values and Terraform),
//! every backup, restore, alert and document that says something about them.
use std::collections::HashMap;
use std::ops::Range;

use opslint_yaml::Node;
use serde::Deserialize;

use crate::hcl;
use crate::shell::{self, Tool, BACKUP_TOOLS, RESTORE_TOOLS};
use opslint_knowledge::backup::{backups_in, Reach};
use opslint_knowledge::words::find;

/// A 1-based line of a repository file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub path: String,
    pub line: u32,
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// One record of the host's evidence document.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub value: serde_json::Value,
    pub path: Option<String>,
    pub line: Option<u32>,
}

impl Record {
    pub fn text(&self) -> String {
        match &self.value {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        }
    }
    fn loc(&self) -> Option<Loc> {
        Some(Loc { path: self.path.clone()?, line: self.line.unwrap_or(1) })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    K8s,
    Compose,
    Helm,
    Terraform,
    Nomad,
    /// Installed and started by the repository's scripts or playbooks.
    Script,
    /// Declared in a platform's manifest or created by its CLI (a Kamal
    /// accessory, a Heroku add-on, a Render or Fly.io database).
    Platform,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Nomad => "nomad",
            Source::Script => "script",
            Source::Platform => "platform",
            Source::K8s => "k8s",
            Source::Compose => "compose",
            Source::Helm => "helm",
            Source::Terraform => "terraform",
        }
    }
}

/// Managed-database settings read from Terraform.
#[derive(Debug, Clone, Default)]
pub struct Managed {
    pub resource: String,
    /// Days of automated backups (provider default when unset), and where it is set.
    pub retention: Option<(i64, Option<Loc>)>,
    pub pitr: bool,
    /// `Some(false)` when storage is not encrypted, with where that is decided.
    pub encrypted: Option<(bool, Loc)>,
    pub deletion_protection: Option<(bool, Loc)>,
    pub skip_final_snapshot: Option<Loc>,
}

#[derive(Debug, Clone)]
pub struct Database {
    pub name: String,
    /// postgres, mysql, mariadb, mongodb, redis, …
    pub engine: String,
    /// How the engine is described (`postgres (CloudNativePG)`).
    pub flavour: String,
    pub source: Source,
    pub at: Loc,
    /// Defined for local development only (a compose file that says so).
    pub dev: bool,
    pub managed: Option<Managed>,
    /// The object as evidence named it (`StatefulSet/postgres`).
    pub object: String,
    /// Index in `Repo::databases`.
    pub id: usize,
}

impl Database {
    /// "postgres database `orders-db` (StatefulSet/orders-db, k8s/db.yaml:12)".
    pub fn describe(&self) -> String {
        let what = if self.object.is_empty() { self.source.name().to_string() } else { self.object.clone() };
        format!("{} database `{}` ({what}, {})", self.engine, self.name, self.at)
    }

    /// Engines whose data is kept for later restores (not caches).
    pub fn is_primary(&self) -> bool {
        opslint_knowledge::databases::is_primary(&self.engine)
    }

    /// Redis and Elasticsearch are mostly caches and search indexes rebuilt
    /// from a primary store: judged only when something backs them up.
    pub fn needs_backup(&self) -> bool {
        opslint_knowledge::databases::needs_backup(&self.engine) || self.flavour.contains("persistent")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Script,
    CronJob,
    Ci,
    Compose,
    Velero,
    Operator,
    Managed,
    Helm,
    Doc,
}

#[derive(Debug, Clone)]
pub struct Backup {
    pub kind: BackupKind,
    /// "scripts/backup.sh", "CronJob/pg-backup", "workflow `nightly` job `dump`".
    pub name: String,
    pub at: Loc,
    pub tools: Vec<&'static str>,
    /// Engines it can back up (`*`: any).
    pub engines: Vec<String>,
    /// Only this database (operator and managed backups).
    pub only: Option<String>,
    /// The text it runs, to match database names and destinations.
    pub text: String,
    pub scheduled: bool,
    pub offsite: Option<&'static str>,
    /// Where a local-only backup writes, for messages (`hostPath /var/backups`).
    pub local: Option<String>,
    pub encrypted: bool,
    pub pitr: bool,
    /// Retention in days, with where it is set.
    pub retention: Option<(f64, Loc)>,
    /// A script path this job runs (so the script counts as scheduled).
    pub runs_script: Vec<String>,
    /// Reaches only databases under this directory (a compose service: its compose file's).
    pub within: Option<String>,
    /// What it reaches when it serves any engine (`*`).
    pub reach: Reach,
}

impl Backup {
    fn new(kind: BackupKind, name: String, at: Loc, text: String) -> Backup {
        Backup {
            kind,
            name,
            at,
            tools: Vec::new(),
            engines: Vec::new(),
            only: None,
            text,
            scheduled: false,
            offsite: None,
            local: None,
            encrypted: false,
            pitr: false,
            retention: None,
            runs_script: Vec::new(),
            within: None,
            reach: Reach::Files,
        }
    }

    /// Whether this backup takes a copy of `db`.
    pub fn covers(&self, db: &Database, all: &[Database]) -> bool {
        if let Some(only) = &self.only {
            return *only == db.name;
        }
        if let Some(dir) = &self.within {
            if !db.at.path.starts_with(dir.as_str()) {
                return false;
            }
        }
        if (self.kind == BackupKind::Velero || self.reach == Reach::Cluster) && db.source != Source::K8s {
            return false;
        }
        // A provider's snapshot or export (`aws rds create-db-snapshot`) copies a managed database only.
        if self.reach == Reach::Provider && db.managed.is_none() {
            return false;
        }
        // The platform's CLI acts on the app's own database (`heroku pg:backups:capture`).
        let by_platform_cli = self.tools.iter().any(|t| opslint_knowledge::backup::platform_cli(t));
        if by_platform_cli && db.source != Source::Platform {
            return false;
        }
        let platform_cli = by_platform_cli && db.source == Source::Platform;
        if db.managed.is_some() && !matches!(self.kind, BackupKind::Managed) && !platform_cli {
            // A dump of a managed database still counts when it names it.
            if shell::find_word(&self.text, &db.name).is_none() {
                return false;
            }
        }
        let engine_ok = self.engines.iter().any(|e| e == "*" || *e == db.engine);
        if !engine_ok {
            return false;
        }
        // Several databases of the engine: a backup naming some of them covers those.
        let named: Vec<&Database> = all
            .iter()
            .filter(|o| o.engine == db.engine && !o.dev && shell::find_word(&self.text, &o.name).is_some())
            .collect();
        named.is_empty() || named.iter().any(|o| o.name == db.name)
    }
}

#[derive(Debug, Clone)]
pub struct Restore {
    pub at: Loc,
    pub engines: Vec<String>,
    /// Runs on a schedule (CI schedule, CronJob): a restore drill.
    pub automated: bool,
    /// Written down in a document or a script a person runs.
    pub documented: bool,
    pub what: String,
    /// The script (file name) it is written in: scheduled, the restore is a drill.
    pub script: Option<String>,
    /// What it reaches when it serves any engine (`*`).
    pub reach: Reach,
}

impl Restore {
    /// An engine's own tool covers the engine's databases; a restore of any
    /// engine covers those it reaches (a cluster restore: the cluster's own
    /// databases; a provider's: managed ones; files and procedures: the others).
    pub fn covers(&self, db: &Database) -> bool {
        if self.engines.contains(&db.engine) {
            return true;
        }
        self.engines.iter().any(|e| e == "*") && reaches(self.reach, db)
    }
}

fn reaches(reach: Reach, db: &Database) -> bool {
    match reach {
        Reach::Cluster => db.source == Source::K8s,
        Reach::Provider => db.managed.is_some(),
        Reach::Files => db.managed.is_none(),
    }
}

/// A CronJob that runs a backup tool: what the job-limits rule reads.
#[derive(Debug, Clone)]
pub struct CronJob {
    pub doc: usize,
    pub name: String,
    pub anchor: Range<usize>,
    pub missing: Vec<&'static str>,
}

/// A script that takes backups: what the script rules read.
#[derive(Debug, Clone)]
pub struct Script {
    pub doc: usize,
    pub path: String,
    pub makefile: bool,
    /// The first backup line.
    pub first: Range<usize>,
    pub errexit: bool,
    pub pipefail: bool,
    pub checks_status: bool,
    /// A backup tool whose output is piped (`pg_dump | gzip`), its range.
    pub piped: Option<Range<usize>>,
    pub credentials: Vec<(Range<usize>, &'static str)>,
}

/// A file that could define databases and could not be read in full: a
/// compose or Helm values file the YAML layer refused, a template that is not
/// rendered, an image named by an unset variable. Database verdicts cannot pass
/// while one exists (nothing says which databases it holds).
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub doc: usize,
    pub at: Loc,
    /// "compose file", "compose template", "Helm values file".
    pub what: &'static str,
    pub span: Range<usize>,
    pub message: String,
    /// A nesting or alias limit stopped the parse (a hostile file, not a mistake).
    pub limit: bool,
    /// The YAML layer refused the file (a syntax error at `span`): `backup/parse-error`.
    pub syntax: bool,
}

#[derive(Debug, Default)]
pub struct Repo {
    pub databases: Vec<Database>,
    /// Files that could hold databases and were not read in full.
    pub unreadable: Vec<Unreadable>,
    /// Databases the repository installs and runs itself: (engine, where it is set up).
    pub self_managed: Vec<(&'static str, Loc)>,
    /// Database subcharts a Chart.yaml depends on: (chart folder, name, condition, engine, where).
    pub chart_deps: Vec<(String, String, Option<String>, &'static str, Loc)>,
    /// Values files' settings of subcharts: (chart folder, `key.enabled`, value).
    pub values_enabled: Vec<(String, String, bool)>,
    pub backups: Vec<Backup>,
    pub restores: Vec<Restore>,
    pub cronjobs: Vec<CronJob>,
    pub scripts: Vec<Script>,
    /// Credentials inline in a backup CronJob's command: (doc, range, what).
    pub job_credentials: Vec<(usize, Range<usize>, &'static str, String)>,
    /// Alert rules about backups (name, where).
    pub alerts: Vec<(String, Loc)>,
    /// Lines of documents naming RTO and RPO.
    pub rto: Option<Loc>,
    pub rpo: Option<Loc>,
    pub min_retention_days: f64,
    /// Per backup (same index): the databases it covers.
    pub coverage: Vec<Vec<usize>>,
    /// Whether the host gave an evidence document (else k8s databases are unknown).
    pub has_evidence: bool,
    /// Every compose service, for a runbook's service table.
    pub compose_services: Vec<ComposeService>,
    /// Dockerfiles and the image their final stage starts from (a compose service may build one).
    pub dockerfiles: Vec<(String, String)>,
    /// Images of k8s workloads that run no known database image: (image, `Kind/name`, where).
    pub k8s_images: Vec<(String, String, Loc)>,
    /// Compose files the compose plugin read, by path: their services' lines and items (`compose/service`).
    pub compose_evidence: std::collections::BTreeMap<String, Vec<(u32, Vec<String>)>>,
}

/// A compose service as a runbook lists it.
#[derive(Debug, Clone)]
pub struct ComposeService {
    pub name: String,
    pub image: String,
    pub ports: Vec<String>,
    pub depends_on: Vec<String>,
    pub at: Loc,
    /// In a local development compose file.
    pub dev: bool,
}

impl Repo {
    /// Databases the rules judge: not local development ones, and caches
    /// only when something backs them up.
    pub fn judged(&self) -> impl Iterator<Item = &Database> {
        self.databases.iter().filter(|d| !d.dev && (d.needs_backup() || self.backups_of(d).next().is_some()))
    }

    pub fn backups_of<'a>(&'a self, db: &'a Database) -> impl Iterator<Item = &'a Backup> {
        self.manual_backups_of(db).filter(|b| b.kind != BackupKind::Doc)
    }

    /// Backups and documented backup commands.
    pub fn manual_backups_of<'a>(&'a self, db: &'a Database) -> impl Iterator<Item = &'a Backup> {
        self.backups.iter().zip(&self.coverage).filter(move |(_, c)| c.contains(&db.id)).map(|(b, _)| b)
    }

    /// The judged databases `b` covers.
    pub fn covered_by<'a>(&'a self, b: &'a Backup) -> impl Iterator<Item = &'a Database> {
        let at = self.backups.iter().position(|o| std::ptr::eq(o, b));
        let ids: &[usize] = at.map_or(&[], |i| &self.coverage[i]);
        ids.iter().map(|&i| &self.databases[i]).filter(|d| !d.dev)
    }

    pub fn restores_of<'a>(&'a self, db: &'a Database) -> impl Iterator<Item = &'a Restore> {
        self.restores.iter().filter(move |r| r.covers(db))
    }

    pub fn scheduled_script(&self, path: &str) -> bool {
        let base = path.rsplit('/').next().unwrap_or(path);
        self.backups.iter().any(|b| b.scheduled && b.runs_script.iter().any(|s| s == base))
    }
}

/// What one document holds, before the repository is assembled.
pub enum File {
    Evidence(Vec<Record>),
    Yaml(opslint_yaml::Stream),
    /// A YAML file that gives the model nothing ([`yields_nothing`], found
    /// by `extract`; or [`surely_yields_nothing`], found before parsing):
    /// the join keeps neither its tree nor a second look.
    YamlUnused,
    /// A compose file, not parsed yet.
    ComposeText,
    Terraform(Vec<hcl::Block>),
    Script,
    Markdown,
    Scheduler,
    /// A `.env` file: variables compose files use.
    Env,
    /// A Nomad job file.
    Nomad,
    /// A platform's manifest (Kamal, Heroku, Render…), by the platform's name.
    Platform(&'static str),
}

/// What the file's name says it is.
pub fn classify(path: &str, kind: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    // By path: native fixture runs give every document the first matcher's kind.
    let _ = kind;
    let yaml = {
        let (base, _) = crate::compose::untemplated(&lower);
        let base = base.strip_suffix(".example").or_else(|| base.strip_suffix(".dist")).unwrap_or(base);
        base.ends_with(".yaml") || base.ends_with(".yml")
    };
    if path == ".opslint/evidence.json" || path.ends_with("/.opslint/evidence.json") {
        "evidence"
    } else if lower.ends_with(".tf") {
        "terraform"
    } else if lower.ends_with(".nomad") || lower.ends_with(".nomad.hcl") {
        "nomad"
    } else if crate::compose::EnvFiles::is_env(&lower) {
        "env"
    } else if yaml {
        "yaml"
    } else if lower.ends_with(".md")
        || lower.ends_with(".markdown")
        || lower.ends_with(".rst")
        || lower.ends_with(".adoc")
    {
        "markdown"
    } else if lower == "crontab"
        || lower.ends_with(".cron")
        || lower.ends_with(".crontab")
        || lower.ends_with(".timer")
        || lower.ends_with(".service")
        || path.contains("cron.d/")
    {
        "scheduler"
    } else {
        "script"
    }
}

pub fn parse(path: &str, kind: &str, text: &str) -> Option<File> {
    let class = classify(path, kind);
    // Files of bin/, scripts/, files/… folders are scripts only when they say so (`#!`).
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let known = matches!(name, "Makefile" | "GNUmakefile" | "Justfile" | "justfile")
        || [".sh", ".bash", ".mk"].iter().any(|e| lower.ends_with(e));
    let shell = text.lines().next().is_some_and(|l| {
        l.starts_with("#!") && l.split(['/', ' ']).any(|w| matches!(w, "sh" | "bash" | "dash" | "ksh" | "zsh" | "ash"))
    });
    if let Some(platform) = opslint_knowledge::platforms::manifest(path, text) {
        return Some(File::Platform(platform));
    }
    if class == "script" && !known && (!shell || name.contains('.')) {
        return None;
    }
    Some(match class {
        "evidence" => File::Evidence(serde_json::from_str(text).unwrap_or_default()),
        "terraform" => File::Terraform(hcl::parse(text)),
        // A compose file is read by the compose plugin (its `compose/service` evidence); read
        // here only if that evidence does not cover it (`assemble`).
        "yaml" if crate::compose::compose_name(path) && !crate::compose::untemplated(&lower).1 => File::ComposeText,
        "yaml" if surely_yields_nothing(path, text) => File::YamlUnused,
        "yaml" => File::Yaml(parse_yaml(text)),
        "markdown" => File::Markdown,
        "scheduler" => File::Scheduler,
        "env" => File::Env,
        "nomad" => File::Nomad,
        _ => File::Script,
    })
}

/// YAML, or a template (Helm chart, Jinja) read with its tags blanked in place.
fn parse_yaml(text: &str) -> opslint_yaml::Stream {
    let stream = opslint_yaml::parse(text);
    if stream.error.is_some() && (text.contains("{{") || text.contains("{%")) {
        let blanked = opslint_yaml::parse(&crate::compose::blank_templates(text));
        if blanked.error.is_none() {
            return blanked;
        }
    }
    stream
}

// ---------------------------------------------------------------- assembling

pub use opslint_knowledge::databases::image_engine;

/// `postgres (CloudNativePG)` → postgres.
fn engine_of(flavour: &str) -> String {
    opslint_knowledge::databases::engine_of(flavour).to_string()
}

fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() as u32 + 1
}

fn node_words(node: &Node, out: &mut String) {
    match &node.value {
        opslint_yaml::Value::Scalar(s) => {
            out.push_str(&s.text);
            out.push(' ');
        }
        opslint_yaml::Value::Seq(items) => items.iter().for_each(|n| node_words(n, out)),
        opslint_yaml::Value::Map(entries) => entries.iter().for_each(|e| {
            if let Some(k) = e.key_str() {
                out.push_str(k);
                out.push_str(": ");
            }
            node_words(&e.value, out)
        }),
    }
}

fn words_of(node: Option<&Node>) -> String {
    let mut s = String::new();
    if let Some(n) = node {
        node_words(n, &mut s);
    }
    s
}

/// Days in a duration such as `720h0m0s`, `30d`, `2w`, `168h`.
pub fn duration_days(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('"');
    let mut total = 0.0;
    let mut num = String::new();
    let mut any = false;
    for c in s.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += match c {
            'w' => n * 7.0,
            'd' => n,
            'h' => n / 24.0,
            'm' => n / 1440.0,
            's' => n / 86400.0,
            _ => return None,
        };
        any = true;
    }
    if !num.is_empty() {
        return None;
    }
    any.then_some(total)
}

/// Everything the script-like text `text` says about backups and restores.
struct Scan {
    backup_tools: Vec<&'static Tool>,
    first_backup: Option<(usize, u32)>,
    restores: Vec<(&'static str, Vec<String>, u32, Reach)>,
}

/// Which tables of tools a text may name (a logical line's words are words
/// of the text: a table none of whose tools the text names is not searched
/// line by line; most files name none).
struct Named {
    backup: bool,
    restore: bool,
    client: bool,
}

/// [`Named`] in one pass over the text's words, each compared with the
/// tools' names of its length (most words have none): a name is a word, or
/// may always be named (then every table may be).
fn named_tools(text: &str) -> Named {
    use opslint_knowledge::words::word_char;
    const BACKUP: u8 = 1;
    const RESTORE: u8 = 2;
    const CLIENT: u8 = 4;
    type ByLength = Vec<Vec<(&'static str, u8)>>;
    static NAMES: std::sync::OnceLock<Option<ByLength>> = std::sync::OnceLock::new();
    let by_len = NAMES.get_or_init(|| {
        let tools = |table: &'static [Tool], bit: u8| table.iter().map(move |t| (t.name, bit));
        let clients = opslint_knowledge::backup::CLIENTS.iter().map(|(c, _)| (*c, CLIENT));
        let all: Vec<(&str, u8)> =
            tools(BACKUP_TOOLS, BACKUP).chain(tools(RESTORE_TOOLS, RESTORE)).chain(clients).collect();
        let mut by_len: ByLength = vec![Vec::new(); all.iter().map(|(n, _)| n.len() + 1).max().unwrap_or(0)];
        for (name, bit) in &all {
            match by_len[name.len()].iter_mut().find(|(n, _)| n == name) {
                Some((_, bits)) => *bits |= bit,
                None => by_len[name.len()].push((name, *bit)),
            }
        }
        all.iter().all(|(n, _)| n.chars().all(word_char)).then_some(by_len)
    });
    let Some(by_len) = by_len else { return Named { backup: true, restore: true, client: true } };
    // By bytes, through a table: a byte that is not ASCII is no word
    // character (nor is any byte of a character that is not ASCII). This
    // loop reads every byte of every YAML file of the repository.
    const WORD: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 128 {
            table[b] = word_char(b as u8 as char);
            b += 1;
        }
        table
    };
    let (bytes, mut at, mut named) = (text.as_bytes(), 0, 0);
    while at < bytes.len() {
        while at < bytes.len() && !WORD[usize::from(bytes[at])] {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && WORD[usize::from(bytes[at])] {
            at += 1;
        }
        let w = &bytes[start..at];
        let names = by_len.get(w.len()).map_or(&[][..], Vec::as_slice);
        if let Some((_, bits)) = names.iter().find(|(n, _)| n.as_bytes()[0] == w[0] && n.as_bytes() == w) {
            named |= bits;
            if named == BACKUP | RESTORE | CLIENT {
                break;
            }
        }
    }
    Named { backup: named & BACKUP != 0, restore: named & RESTORE != 0, client: named & CLIENT != 0 }
}

fn scan_text(text: &str) -> Scan {
    let mut s = Scan { backup_tools: Vec::new(), first_backup: None, restores: Vec::new() };
    let Named { backup: backup_named, restore: restore_named, client: client_named } = named_tools(text);
    // Most files name no tool: their lines would each be lower-cased and
    // searched for `todo` for nothing.
    if !(backup_named || restore_named || client_named) {
        return s;
    }
    for l in shell::logical_lines(text) {
        let lower = l.text.to_ascii_lowercase();
        if lower.contains("todo") || lower.contains("tbd") {
            continue;
        }
        // A schema-only dump copies no data: not a backup.
        let backups = if !backup_named || opslint_knowledge::backup::schema_only(&l.text) {
            Vec::new()
        } else {
            shell::tools_in(&l.text, BACKUP_TOOLS)
        };
        for (t, at) in backups {
            if !s.backup_tools.iter().any(|o| o.name == t.name) {
                s.backup_tools.push(t);
            }
            s.first_backup.get_or_insert((
                l.offset + text[l.offset..].find(t.name).unwrap_or(at).min(text.len() - l.offset),
                l.line,
            ));
        }
        let restores = if restore_named { shell::tools_in(&l.text, RESTORE_TOOLS) } else { Vec::new() };
        for (t, _) in restores {
            let reach = opslint_knowledge::backup::reach(t.name, &l.text);
            s.restores.push((t.name, t.engines.iter().map(|e| e.to_string()).collect(), l.line, reach));
        }
        if let Some(engines) = client_named.then(|| shell::restore_by_redirect(&l.text)).flatten() {
            s.restores.push((
                "a client fed a dump",
                engines.iter().map(|e| e.to_string()).collect(),
                l.line,
                Reach::Files,
            ));
        }
    }
    s
}

/// The reach of a backup whose tools all serve any engine (restic, velero, `aws … create-db-snapshot`).
fn reach_of(tools: &[&Tool], text: &str) -> Reach {
    match tools.first() {
        Some(t) if tools.iter().all(|t| t.engines == ["*"]) => opslint_knowledge::backup::reach(t.name, text),
        _ => Reach::Files,
    }
}

fn engines_of(tools: &[&Tool]) -> Vec<String> {
    let mut out: Vec<String> = tools.iter().flat_map(|t| t.engines.iter().map(|e| e.to_string())).collect();
    out.sort();
    out.dedup();
    out
}

/// Script paths a command mentions (`/scripts/backup.sh` → backup.sh).
fn script_names(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ';')
        .filter(|w| {
            let base = w.rsplit('/').next().unwrap_or(w);
            // `backup.sh`, or a program by path (`/usr/local/bin/pg-backup`).
            w.ends_with(".sh")
                || w.ends_with(".bash")
                || (w.contains('/') && !base.is_empty() && !base.contains('.') && !w.contains("://"))
        })
        .map(|w| w.rsplit('/').next().unwrap_or(w).to_string())
        .collect()
}

/// A Nomad job: its tasks that run a database (by image or the data directory a volume
/// is mounted at), and what it runs — a `periodic` job runs on a schedule.
fn from_nomad(repo: &mut Repo, path: &str, text: &str) {
    let loc = |line: u32| Loc { path: path.to_string(), line };
    let value = |l: &str, key: &str| {
        let t = l.trim();
        let rest = t.strip_prefix(key)?.trim_start().strip_prefix('=')?;
        Some(rest.trim().trim_matches('"').to_string())
    };
    let mut task: Option<(String, u32)> = None;
    let mut found: Vec<String> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if let Some(rest) = t.strip_prefix("task ") {
            task = Some((rest.trim_matches(['"', '{', ' ']).to_string(), i as u32 + 1));
            continue;
        }
        let Some((name, line)) = &task else { continue };
        let engine = value(t, "image")
            .filter(|i| !i.to_ascii_lowercase().contains("backup"))
            .and_then(|i| opslint_knowledge::databases::image_engine(&i))
            .or_else(|| value(t, "destination").and_then(|d| opslint_knowledge::databases::data_dir_engine(&d)));
        if let Some(engine) = engine.filter(|_| !found.contains(name)) {
            found.push(name.clone());
            repo.databases.push(Database {
                name: name.clone(),
                engine: engine.to_string(),
                flavour: format!("{engine} (Nomad task)"),
                source: Source::Nomad,
                at: loc(*line),
                dev: dev_path(path),
                managed: None,
                id: 0,
                object: format!("Nomad task `{name}`"),
            });
        }
    }
    let periodic = text.lines().any(|l| l.trim_start().starts_with("periodic"));
    let scan = scan_text(text);
    for (what, engines, line, reach) in &scan.restores {
        repo.restores.push(Restore {
            script: None,
            at: loc(*line),
            engines: engines.clone(),
            automated: periodic,
            documented: !periodic,
            what: format!("{path} ({what})"),
            reach: *reach,
        });
    }
    if let Some((_, line)) = scan.first_backup {
        let mut b = Backup::new(BackupKind::Script, path.to_string(), loc(line), text.to_string());
        b.tools = scan.backup_tools.iter().map(|t| t.name).collect();
        b.engines = engines_of(&scan.backup_tools);
        b.pitr = scan.backup_tools.iter().any(|t| t.pitr);
        b.scheduled = periodic;
        b.offsite = shell::offsite_marker(text);
        b.encrypted = shell::encryption_marker(text).is_some();
        if b.offsite.is_none() {
            b.local = Some(local_destination(text).unwrap_or_else(|| "the task's own filesystem".into()));
        }
        b.retention = retention_in(text).map(|(d, off)| (d, Loc { path: path.into(), line: line_of(text, off) }));
        repo.backups.push(b);
    }
}

fn name_of(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

/// Engines a program's name points at (`pg-restore-check` → postgres), else any.
fn engines_named(name: &str) -> Vec<String> {
    let words: Vec<String> =
        name.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_string).collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("pg") || has("postgres") || has("postgresql") || has("psql") {
        vec!["postgres".into()]
    } else if has("mysql") || has("mariadb") {
        vec!["mysql".into(), "mariadb".into()]
    } else if has("mongo") || has("mongodb") {
        vec!["mongodb".into()]
    } else {
        vec!["*".into()]
    }
}

/// The programs (file names) each scheduler file runs on a schedule: crontab lines that
/// are not comments, and the `ExecStart` of services a systemd timer starts (its `Unit=`,
/// or the service of the same name).
fn scheduled_programs(files: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    let base = |w: &str| w.rsplit('/').next().unwrap_or(w).trim_matches(['"', '\'', ';']).to_string();
    let mut services: Vec<(String, Vec<String>)> = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".service")) {
        let stem = base(path);
        let progs: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("ExecStart="))
            .filter_map(|v| v.trim_start_matches(['-', '@', '+', '!', ':']).split_whitespace().next())
            .map(base)
            .collect();
        services.push((stem, progs));
    }
    let mut out = Vec::new();
    for (path, text) in files {
        let names: Vec<String> = if path.ends_with(".timer") {
            let unit = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("Unit=").map(|u| u.trim().to_string()))
                .unwrap_or_else(|| format!("{}.service", base(path).trim_end_matches(".timer")));
            services.iter().filter(|(s, _)| *s == unit).flat_map(|(_, p)| p.clone()).collect()
        } else if path.ends_with(".service") {
            continue;
        } else {
            // crontab: the command of each line that is not a comment or a variable.
            text.lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty() && !l.starts_with('#') && !l.split_whitespace().next().unwrap_or("").contains('=')
                })
                .flat_map(|l| {
                    let skip = if l.starts_with('@') { 1 } else { 5 };
                    let mut words: Vec<&str> = l.split_whitespace().skip(skip).collect();
                    // cron.d lines name a user before the command.
                    if path.contains("cron.d/") && words.len() > 1 {
                        words.remove(0);
                    }
                    words
                        .into_iter()
                        .filter(|w| w.contains('/') || w.ends_with(".sh") || w.ends_with(".bash"))
                        .map(base)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        if !names.is_empty() {
            out.push((path.to_string(), names));
        }
    }
    out
}

/// Assembles the repository from every parsed document.
pub fn assemble(docs: &[(&str, &str)], files: Vec<(usize, File)>, min_retention_days: f64) -> Repo {
    let mut repo = Repo { min_retention_days, ..Repo::default() };
    let mut yaml = Vec::new();
    let mut tf = Vec::new();
    let mut scripts = Vec::new();
    let mut markdown = Vec::new();
    let mut schedulers = Vec::new();
    let mut env = crate::compose::EnvFiles::default();
    let mut unused = Vec::new();
    for (i, f) in files {
        match f {
            File::Evidence(records) => {
                repo.has_evidence = true;
                from_evidence(&mut repo, &records);
            }
            File::Yaml(stream) => yaml.push((i, Some(stream))),
            File::YamlUnused => unused.push(i),
            File::ComposeText => yaml.push((i, None)),
            File::Terraform(blocks) => tf.push((i, blocks)),
            File::Script => scripts.push(i),
            File::Markdown => markdown.push(i),
            File::Scheduler => schedulers.push(i),
            File::Env => env.add(docs[i].0, docs[i].1),
            File::Nomad => from_nomad(&mut repo, docs[i].0, docs[i].1),
            File::Platform(platform) => from_platform(&mut repo, docs[i].0, docs[i].1, platform),
        }
    }
    // Its compose evidence (the services the compose plugin read) is dropped, as `from_yaml` would.
    for i in unused {
        repo.compose_evidence.remove(docs[i].0);
    }
    for (i, stream) in yaml {
        let (path, text) = docs[i];
        match (stream, repo.compose_evidence.remove(path)) {
            (Some(stream), _) => from_yaml(&mut repo, i, path, text, &stream, &env),
            (None, Some(mut services)) => {
                services.sort_by_key(|(line, _)| *line);
                let services =
                    services.into_iter().filter_map(|(line, items)| Svc::from_items(text, line, &items)).collect();
                from_compose(&mut repo, i, (path, text), &opslint_yaml::Stream::default(), services, &env, false);
            }
            (None, None) => from_yaml(&mut repo, i, path, text, &parse_yaml(text), &env),
        }
    }
    for (i, blocks) in &tf {
        from_terraform(&mut repo, docs[*i].0, blocks);
    }
    for &i in &scripts {
        from_script(&mut repo, i, docs[i].0, docs[i].1);
    }
    // crontab lines and systemd timers' services schedule the programs they run.
    let sched: Vec<(&str, &str)> = schedulers.iter().map(|&i| docs[i]).collect();
    for (path, names) in scheduled_programs(&sched) {
        let mut b = Backup::new(BackupKind::Doc, path.clone(), Loc { path: path.clone(), line: 1 }, String::new());
        b.scheduled = true;
        b.runs_script = names;
        repo.backups.push(b);
    }
    for &i in &markdown {
        from_markdown(&mut repo, docs[i].0, docs[i].1);
    }
    // CI backup jobs: where their commands send the dump (the ci evidence names the job's line).
    for b in repo.backups.iter_mut().filter(|b| b.kind == BackupKind::Ci) {
        if let Some(&(_, text)) = docs.iter().find(|(p, _)| *p == b.at.path) {
            let job = yaml_block(text, b.at.line);
            b.offsite = shell::offsite_marker(job);
            b.encrypted = shell::encryption_marker(job).is_some();
            if b.offsite.is_none() {
                b.local = Some("the CI runner's disk".into());
            }
            b.retention = retention_in(job)
                .map(|(d, off)| (d, Loc { path: b.at.path.clone(), line: b.at.line + line_of(job, off) - 1 }));
            b.runs_script.extend(script_names(job));
            b.text = format!("{} {job}", b.text);
        }
    }
    // A script a scheduled job runs is scheduled, and so is everything it does.
    let scheduled: Vec<String> =
        repo.backups.iter().filter(|b| b.scheduled).flat_map(|b| b.runs_script.iter().cloned()).collect();
    for b in repo.backups.iter_mut().filter(|b| b.kind == BackupKind::Script) {
        let base = b.name.rsplit('/').next().unwrap_or(&b.name).to_string();
        if scheduled.contains(&base) {
            b.scheduled = true;
        }
    }
    // A restore written in a script that runs on a schedule is a restore drill; so is a
    // scheduled program named for it (`pg-restore-check`), even when its text is not here.
    // (A script that also takes backups runs on its schedule to back up: its restore part
    // is a procedure for a person, unless the script is named for checking restores.)
    let backup_scripts: Vec<String> = repo
        .backups
        .iter()
        .filter(|b| b.kind == BackupKind::Script)
        .map(|b| b.name.rsplit('/').next().unwrap_or(&b.name).to_string())
        .collect();
    for r in repo.restores.iter_mut() {
        let Some(s) = &r.script else { continue };
        let drill = !backup_scripts.contains(s) || opslint_knowledge::backup::restore_check_name(s);
        if scheduled.contains(s) && drill {
            r.automated = true;
        }
    }
    for (name, at) in repo
        .backups
        .iter()
        .filter(|b| b.scheduled)
        .flat_map(|b| b.runs_script.iter().map(move |s| (s.clone(), b.at.clone())))
        .collect::<Vec<_>>()
    {
        if opslint_knowledge::backup::restore_check_name(&name)
            && !repo.restores.iter().any(|r| r.automated && r.script.as_deref() == Some(&name))
        {
            repo.restores.push(Restore {
                at,
                engines: engines_named(&name),
                automated: true,
                documented: false,
                what: format!("scheduled `{name}`"),
                reach: Reach::Files,
                script: Some(name),
            });
        }
    }
    // A CloudNativePG cluster's backup settings are scheduled by a ScheduledBackup.
    let scheduled_clusters: Vec<String> = repo
        .backups
        .iter()
        .filter(|b| b.kind == BackupKind::Operator && b.name.starts_with("ScheduledBackup/"))
        .filter_map(|b| b.only.clone())
        .collect();
    for b in repo.backups.iter_mut().filter(|b| b.kind == BackupKind::Operator) {
        if b.only.as_ref().is_some_and(|c| scheduled_clusters.contains(c)) {
            b.scheduled = true;
        }
    }
    // Database subcharts of a Chart.yaml that its values do not switch off (nor name already).
    for (dir, chart, condition, engine, at) in std::mem::take(&mut repo.chart_deps) {
        let cond = condition.unwrap_or_else(|| format!("{chart}.enabled"));
        let off =
            repo.values_enabled.iter().any(|(d, k, on)| *d == dir && cond.split(',').any(|c| c.trim() == k) && !on);
        let known =
            repo.databases.iter().any(|d| d.source == Source::Helm && d.name == chart && d.at.path.starts_with(&dir));
        if off || known {
            continue;
        }
        repo.databases.push(Database {
            name: chart.clone(),
            engine: engine.to_string(),
            flavour: format!("{engine} (Helm subchart)"),
            source: Source::Helm,
            at,
            dev: dev_environment(&dir),
            managed: None,
            id: 0,
            object: format!("Chart.yaml dependency `{chart}`"),
        });
    }
    // A database the repository installs itself: one per engine, where it is first set up
    // (a service's own files first, development set-ups only when there is nothing else).
    let mut managed: Vec<(&'static str, Loc)> = std::mem::take(&mut repo.self_managed);
    managed.sort_by_key(|(_, at)| (dev_path(&at.path), at.clone()));
    let mut engines_seen: Vec<&str> = Vec::new();
    for (engine, at) in managed {
        if engines_seen.contains(&engine) || repo.databases.iter().any(|d| d.engine == engine && !d.dev) {
            continue;
        }
        engines_seen.push(engine);
        repo.databases.push(Database {
            name: engine.to_string(),
            engine: engine.to_string(),
            flavour: format!("{engine} (installed by the repository)"),
            source: Source::Script,
            dev: dev_path(&at.path),
            at: at.clone(),
            managed: None,
            id: 0,
            object: format!("set up in `{}`", at.path),
        });
    }
    // A k8s workload running the repository's own image built `FROM` a database image: the
    // image's name is the folder of its Dockerfile (`…/ledger-db:v1` ← `src/ledger/ledger-db/Dockerfile`).
    // (By folder name, the first such Dockerfile; and the k8s objects already
    // known as databases: thousands of workloads are not matched pair by pair.)
    let mut built_by_folder: HashMap<String, (String, String)> = HashMap::new();
    for (p, base) in repo.dockerfiles.iter().filter(|(_, base)| image_engine(base).is_some()) {
        let dir = p.rsplit_once('/').map_or("", |(d, _)| d);
        let folder = dir.rsplit('/').next().unwrap_or(dir);
        if !folder.is_empty() {
            built_by_folder.entry(folder.to_string()).or_insert_with(|| (p.clone(), base.clone()));
        }
    }
    let mut k8s_databases: std::collections::HashSet<String> =
        repo.databases.iter().filter(|d| d.source == Source::K8s).map(|d| d.object.clone()).collect();
    for (image, object, at) in std::mem::take(&mut repo.k8s_images) {
        if k8s_databases.contains(&object) {
            continue;
        }
        let last = image.rsplit('/').next().unwrap_or(&image);
        let name = last.split(['@', ':']).next().unwrap_or(last);
        if let Some((dockerfile, base)) = built_by_folder.get(name) {
            k8s_databases.insert(object.clone());
            let engine = image_engine(base).unwrap_or_default();
            repo.databases.push(Database {
                name: object.rsplit('/').next().unwrap_or(&object).to_string(),
                engine: engine.to_string(),
                flavour: format!("{engine} (image built from {dockerfile})"),
                source: Source::K8s,
                dev: dev_path(&at.path),
                at,
                managed: None,
                object,
                id: 0,
            });
        }
    }
    repo.databases.sort_by(|a, b| (&a.at, &a.name).cmp(&(&b.at, &b.name)));
    repo.databases.dedup_by(|a, b| a.at == b.at && a.name == b.name);
    for (i, d) in repo.databases.iter_mut().enumerate() {
        d.id = i;
    }
    repo.coverage = repo
        .backups
        .iter()
        .map(|b| repo.databases.iter().filter(|d| b.covers(d, &repo.databases)).map(|d| d.id).collect())
        .collect();
    repo
}

/// The YAML block starting at 1-based `line`: that line and every following
/// line indented deeper (or blank).
pub fn yaml_block(text: &str, line: u32) -> &str {
    let starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let Some(&start) = starts.get(line.saturating_sub(1) as usize) else { return "" };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut lines = text[start..].split_inclusive('\n');
    let Some(first) = lines.next() else { return "" };
    let base = indent(first);
    let mut end = start + first.len();
    for l in lines {
        if !l.trim().is_empty() && indent(l) <= base {
            break;
        }
        end += l.len();
    }
    &text[start..end]
}

/// The evidence keys [`from_evidence`] reads: the globs of the plugin's
/// `evidence` matcher, so the host sends these records and no other.
pub const EVIDENCE_KEYS: &[&str] = &[
    "k8s/database",
    "k8s/container-image",
    "ci/backup-job",
    "ci/restore-drill",
    "dockerfile/final-base",
    "compose/file",
    "compose/service",
];

fn from_evidence(repo: &mut Repo, records: &[Record]) {
    for r in records {
        let Some(at) = r.loc() else { continue };
        let text = r.text();
        match r.key.as_str() {
            "k8s/database" => {
                // "postgres (CloudNativePG): Cluster/orders" or "postgres: StatefulSet/db".
                let Some((flavour, object)) = text.rsplit_once(": ") else { continue };
                let name = object.rsplit('/').next().unwrap_or(object).to_string();
                // A Deployment of a backup tool's image (`postgres-backup-local`) is not a database.
                if name.contains("backup") {
                    continue;
                }
                repo.databases.push(Database {
                    name,
                    engine: engine_of(flavour),
                    flavour: flavour.to_string(),
                    source: Source::K8s,
                    at,
                    dev: false,
                    managed: None,
                    object: object.to_string(),
                    id: 0,
                });
            }
            // The dockerfile plugin's reading of a Dockerfile (one reading, not two).
            "dockerfile/final-base" => repo.dockerfiles.push((at.path.clone(), text)),
            // The compose plugin's reading of a compose file, likewise.
            "compose/file" if !text.starts_with("format=1") => {
                repo.compose_evidence.entry(at.path.clone()).or_default();
            }
            "compose/service" => {
                let items: Vec<String> = match &r.value {
                    serde_json::Value::Array(v) => v.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
                    _ => continue,
                };
                repo.compose_evidence.entry(at.path.clone()).or_default().push((at.line, items));
            }
            "k8s/container-image" => {
                if let Some((image, object)) = text.split_once(' ') {
                    repo.k8s_images.push((image.to_string(), object.to_string(), at));
                }
            }
            "ci/backup-job" => {
                let tools: Vec<&Tool> = shell::tools_in(&text, BACKUP_TOOLS).into_iter().map(|(t, _)| t).collect();
                let tools: Vec<&Tool> = if tools.is_empty() {
                    BACKUP_TOOLS.iter().filter(|t| shell::find_word(&text, t.name).is_some()).collect()
                } else {
                    tools
                };
                let name = text.split(" runs ").next().unwrap_or(&text).to_string();
                let mut b = Backup::new(BackupKind::Ci, name, at, text.clone());
                b.tools = tools.iter().map(|t| t.name).collect();
                b.reach = reach_of(&tools, &text);
                b.engines = engines_of(&tools);
                b.pitr = tools.iter().any(|t| t.pitr);
                b.scheduled = text.ends_with(", scheduled") || text.contains(", scheduled");
                repo.backups.push(b);
            }
            "ci/restore-drill" => {
                let mut engines: Vec<String> = RESTORE_TOOLS
                    .iter()
                    .filter(|t| shell::find_word(&text, t.name).is_some())
                    .flat_map(|t| t.engines.iter().map(|e| e.to_string()))
                    .collect();
                if engines.is_empty() {
                    engines.push("*".into());
                }
                let reach = RESTORE_TOOLS
                    .iter()
                    .find(|t| shell::find_word(&text, t.name).is_some())
                    .map_or(Reach::Files, |t| opslint_knowledge::backup::reach(t.name, &text));
                repo.restores.push(Restore {
                    script: None,
                    at,
                    engines,
                    automated: text.contains(", scheduled"),
                    // A drill proves restores work; a person still needs the steps written down.
                    documented: false,
                    what: text.split(" runs ").next().unwrap_or(&text).to_string(),
                    reach,
                });
            }
            _ => {}
        }
    }
}

/// Databases a platform's manifest declares. One the provider runs is managed:
/// its backups count only where the repository shows them (a provider schedule
/// set up, a dump by hand), never from the provider's unseen defaults.
fn from_platform(repo: &mut Repo, path: &str, text: &str, platform: &str) {
    for d in opslint_knowledge::platforms::databases_in(platform, text) {
        push_platform_db(repo, d.name, d.engine, Loc { path: path.into(), line: d.line }, d.what, d.provider);
    }
}

fn push_platform_db(repo: &mut Repo, name: String, engine: &str, at: Loc, what: String, provider: bool) {
    if repo.databases.iter().any(|d| d.source == Source::Platform && d.name == name && d.engine == engine) {
        return;
    }
    let managed = provider.then(|| Managed { resource: what.clone(), ..Managed::default() });
    repo.databases.push(Database {
        name,
        engine: engine.to_string(),
        flavour: format!("{engine} ({what})"),
        source: Source::Platform,
        dev: dev_path(&at.path),
        at,
        managed,
        object: what,
        id: 0,
    });
}

/// A platform command that creates or attaches the service's database (`fly postgres attach`).
fn platform_command(repo: &mut Repo, path: &str, line: u32, text: &str) {
    if let Some((engine, what, provider)) = opslint_knowledge::platforms::database_command(text) {
        push_platform_db(repo, engine.to_string(), engine, Loc { path: path.into(), line }, what, provider);
    }
}

fn is_values(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("values") && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// A path for local development or tests: a word of its file name (`docker-compose.dev.yml`,
/// `compose.override.yaml`, `docker-compose.test.yml`; not `latest.yml`) or of a folder
/// (`devenv/`, `discourse_dev/`) says so.
pub fn dev_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let words = |s: &'_ str| s.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_string).collect::<Vec<_>>();
    let dev_word = |w: &str| matches!(w, "dev" | "devel" | "develop" | "development" | "devenv" | "local" | "localdev");
    let test_word = |w: &str| matches!(w, "test" | "tests" | "testing" | "ci" | "e2e");
    words(name).iter().any(|w| dev_word(w) || test_word(w) || w == "override")
        || parts.iter().any(|d| words(d).iter().any(|w| dev_word(w) || test_word(w)))
}

/// Infrastructure for a development environment (`env-development.tf`, `environments/dev/`).
fn dev_environment(path: &str) -> bool {
    path.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "dev" | "devel" | "develop" | "development"))
}

/// A compose file for local development: its name, its folder or its opening comment says so.
fn dev_compose(path: &str, text: &str) -> bool {
    if dev_path(path) {
        return true;
    }
    text.lines().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#')).any(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("development") || l.contains("local dev") || l.contains("for local") || l.contains("local stack")
    })
}

/// A compose service as its file writes it: read here, or from the compose plugin's evidence.
struct Svc {
    name: String,
    /// Where its name is in the file.
    offset: usize,
    image: Option<String>,
    /// The Dockerfile it builds (repository path).
    build: Option<String>,
    ports: Vec<String>,
    depends_on: Vec<String>,
    /// Container paths of its volumes.
    mounts: Vec<String>,
    env_keys: Vec<String>,
    command: String,
    entrypoint: String,
    environment: String,
}

impl Svc {
    fn from_node(path: &str, name: &str, offset: usize, svc: &Node) -> Svc {
        let scalars = |n: Option<&Node>| -> Vec<String> {
            match n {
                Some(n) if n.is_map() => n.entries().iter().filter_map(|e| e.key_str().map(str::to_string)).collect(),
                Some(n) => n.items().iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
                None => Vec::new(),
            }
        };
        Svc {
            name: name.to_string(),
            offset,
            image: svc.str("image").map(str::to_string),
            build: crate::compose::build_dockerfile(path, svc),
            ports: scalars(svc.get("ports")),
            depends_on: scalars(svc.get("depends_on")),
            mounts: crate::compose::mounts(svc),
            env_keys: crate::compose::env_keys(svc),
            command: words_of(svc.get("command")),
            entrypoint: words_of(svc.get("entrypoint")),
            environment: words_of(svc.get("environment")),
        }
    }

    /// From a `compose/service` record: `name=`, `image=`, `build=`, `port=`…, at a line of `text`.
    fn from_items(text: &str, line: u32, items: &[String]) -> Option<Svc> {
        let one = |k: &str| items.iter().find_map(|i| i.strip_prefix(k)).map(str::to_string);
        let all = |k: &str| items.iter().filter_map(|i| i.strip_prefix(k)).map(str::to_string).collect::<Vec<_>>();
        let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum();
        let indent =
            text[start.min(text.len())..].len() - text[start.min(text.len())..].trim_start_matches([' ', '\t']).len();
        Some(Svc {
            name: one("name=")?,
            offset: start + indent,
            image: one("image="),
            build: one("build="),
            ports: all("port="),
            depends_on: all("depends_on="),
            mounts: all("mount="),
            env_keys: all("env="),
            command: one("command=").unwrap_or_default(),
            entrypoint: one("entrypoint=").unwrap_or_default(),
            environment: one("environment=").unwrap_or_default(),
        })
    }
}

/// A compose file's services: databases (by image, data directory or server
/// set-up; images resolved from `.env`), and services that back them up.
/// A file the YAML layer refused, or a template whose services or images are
/// templated, is read line by line and recorded as not read in full.
fn from_compose(
    repo: &mut Repo,
    doc: usize,
    (path, text): (&str, &str),
    stream: &opslint_yaml::Stream,
    services: Vec<Svc>,
    env: &crate::compose::EnvFiles,
    template: bool,
) {
    use crate::compose;
    let loc = |offset: usize| Loc { path: path.to_string(), line: line_of(text, offset) };
    let dev = dev_compose(path, text);
    let within = match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/"),
        None => String::new(),
    };
    let database = |repo: &mut Repo, name: &str, engine: &str, offset: usize| {
        repo.databases.push(Database {
            name: name.to_string(),
            engine: engine.to_string(),
            flavour: engine.to_string(),
            source: Source::Compose,
            at: loc(offset),
            dev,
            managed: None,
            id: 0,
            object: format!("compose service `{name}`"),
        });
    };
    let mut unread: Vec<(usize, String)> = Vec::new();
    if let Some(e) = &stream.error {
        unread.push((e.span.start, e.message.clone()));
    }
    let rendered = |s: &str| !(s.contains("{{") || s.contains("{%"));
    let mut seen: Vec<String> = Vec::new();
    {
        for svc in &services {
            let name = svc.name.as_str();
            seen.push(name.to_string());
            repo.compose_services.push(ComposeService {
                name: name.to_string(),
                // As run: variables set by the `.env` files resolved.
                image: svc
                    .image
                    .as_deref()
                    .map(|i| compose::resolve(i, |v| env.get(path, v)).unwrap_or_else(|_| i.to_string()))
                    .unwrap_or_default(),
                ports: svc
                    .ports
                    .iter()
                    .map(|p| compose::resolve(p, |v| env.get(path, v)).unwrap_or(p.clone()))
                    .collect(),
                depends_on: svc.depends_on.clone(),
                at: loc(svc.offset),
                dev,
            });
            let raw = svc.image.as_deref();
            let image = match raw.map(|i| compose::resolve(i, |v| env.get(path, v))) {
                Some(Ok(i)) => Some(i),
                Some(Err(var)) => {
                    // The name may still show (`${REGISTRY}/app:${TAG}`); a variable in it hides it.
                    let shown = raw.unwrap_or("");
                    let name_part = shown.rsplit('/').next().unwrap_or(shown).split(':').next().unwrap_or("");
                    if name_part.contains('$') {
                        unread.push((
                            svc.offset,
                            format!("service `{name}` runs image `{shown}`: `{var}` is set by no .env file"),
                        ));
                    }
                    Some(shown.to_string())
                }
                None => None,
            };
            if template && (!rendered(name) || image.as_deref().is_some_and(|i| !rendered(i))) {
                unread.push((svc.offset, format!("service `{name}` is templated")));
            }
            let (mounts, keys) = (&svc.mounts, &svc.env_keys);
            // A service built from the repository's own Dockerfile runs what its final stage starts from.
            let built = svc
                .build
                .as_ref()
                .and_then(|f| repo.dockerfiles.iter().find(|(p, _)| p == f).map(|(_, base)| base.clone()));
            let image = match (&image, built) {
                (Some(i), Some(base)) if image_engine(i).is_none() => Some(base),
                (None, Some(base)) => Some(base),
                _ => image,
            };
            if let Some(found) = compose::service_engine(image.as_deref(), mounts, keys) {
                let run = format!("{} {}", svc.command, svc.entrypoint);
                let persistent = found.engine == "redis" && opslint_knowledge::databases::redis_persistence(&run);
                database(repo, name, found.engine, svc.offset);
                if persistent {
                    if let Some(d) = repo.databases.last_mut() {
                        d.flavour = "redis (persistent: appendonly)".into();
                    }
                }
                continue;
            }
            let image = image.unwrap_or_default();
            let backup_image = image.to_ascii_lowercase().contains("backup");
            let run = format!("{} {} {}", svc.command, svc.entrypoint, image);
            let tools: Vec<&Tool> = shell::logical_lines(&run).iter().flat_map(|l| backups_in(&l.text)).collect();
            if tools.is_empty() && !backup_image {
                continue;
            }
            let env_text = svc.environment.clone();
            let mut b = Backup::new(
                BackupKind::Compose,
                format!("compose service `{name}`"),
                loc(svc.offset),
                format!("{run} {env_text}"),
            );
            b.tools = tools.iter().map(|t| t.name).collect();
            b.reach = reach_of(&tools, &run);
            b.engines = if tools.is_empty() { image_engine_of_backup(&image) } else { engines_of(&tools) };
            b.scheduled = backup_image || env_text.contains("SCHEDULE") || run.contains("cron");
            b.offsite = shell::offsite_marker(&b.text);
            b.encrypted = shell::encryption_marker(&b.text).is_some();
            if b.offsite.is_none() {
                b.local = Some("a volume of the same host".into());
            }
            b.within = Some(within.clone());
            repo.backups.push(b);
        }
    }
    // What the YAML layer could not give (a refused file, a template): read line by line.
    if stream.error.is_some() || template {
        for s in compose::scan_lines(text).into_iter().filter(|s| !seen.contains(&s.name)) {
            let image =
                s.image.as_deref().map(|i| compose::resolve(i, |v| env.get(path, v)).unwrap_or_else(|_| i.to_string()));
            if let Some(found) = compose::service_engine(image.as_deref(), &s.mounts, &s.env_keys) {
                database(repo, &s.name, found.engine, s.offset);
            }
        }
    }
    if template && unread.is_empty() && (text.contains("{{") || text.contains("{%")) {
        let at = text.find("{{").into_iter().chain(text.find("{%")).min().unwrap_or(0);
        unread.push((at, "a template: what it renders to is not in the repository".into()));
    }
    // A local development stack is inventoried, not judged: what it hides does not decide anything.
    if dev {
        unread.clear();
    }
    if let Some((offset, message)) = unread.into_iter().next() {
        let limit = stream.error.as_ref().is_some_and(|e| e.kind != opslint_yaml::ErrorKind::Syntax);
        // The parse error comes first in `unread` when there is one.
        let syntax = !template && stream.error.as_ref().is_some_and(|e| e.kind == opslint_yaml::ErrorKind::Syntax);
        let span = stream.error.as_ref().filter(|_| syntax).map_or(offset..offset, |e| e.span.clone());
        repo.unreadable.push(Unreadable {
            doc,
            at: loc(offset),
            what: if template { "compose template" } else { "compose file" },
            span,
            message,
            limit,
            syntax,
        });
    }
}

/// Whether a YAML file surely adds nothing to the model, known without
/// parsing it ([`yields_nothing`] needs the parse, most of `extract`'s time
/// over a CI folder): a CI configuration, whose commands `from_yaml` leaves
/// to the ci plugin's evidence, that is not a compose, values, chart or
/// helmfile file, and whose text names none of the keys `from_yaml` reads in
/// any other YAML (`kind`, `apiVersion`, `services`, `groups`) nor holds an
/// escape that could spell one in a quoted key.
///
/// Or any other such YAML (a repository's thousands of manifests) whose text
/// holds none of the words a branch of `from_yaml` needs ([`BRANCH_WORDS`]:
/// the kinds and API groups it reads, the keys of compose files, rule files
/// and operators' backup settings) and nothing `yaml_commands` looks for.
pub fn surely_yields_nothing(path: &str, text: &str) -> bool {
    const READ: [&str; 7] = ["kind", "apiVersion", "services", "groups", "\\u", "\\U", "\\x"];
    let plain = !crate::compose::compose_name(path)
        && !is_values(path)
        && !matches!(name_of(path).as_str(), "chart.yaml" | "chart.yml" | "helmfile.yaml" | "helmfile.yml");
    let ci = || opslint_knowledge::ci::system_of(path).is_some() && !READ.iter().any(|w| find(text, w).is_some());
    plain && (ci() || !holds_a_branch_word(text) && names_no_command(text))
}

/// Whether `text` holds one of [`BRANCH_WORDS`] (a repository's every YAML
/// file is asked: each word's searcher is built once).
fn holds_a_branch_word(text: &str) -> bool {
    use memchr::memmem::Finder;
    static FINDERS: std::sync::OnceLock<Vec<Finder<'static>>> = std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| BRANCH_WORDS.iter().map(Finder::new).collect());
    finders.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// Words without which no branch of `from_yaml` for a file that is not a
/// compose, values, chart or helmfile file reads anything: compose services
/// (`services`), rule groups, the kinds and API groups it reads (a CronJob,
/// Flux and Argo CD charts, Velero, CloudNativePG's ScheduledBackup,
/// PrometheusRule), operators' `backup`/`backups` settings, and escapes
/// that could spell any of them in a quoted scalar.
const BRANCH_WORDS: [&str; 12] = [
    "services",
    "groups",
    "CronJob",
    "fluxcd.io",
    "argoproj.io",
    "velero",
    "ScheduledBackup",
    "PrometheusRule",
    "backup",
    "\\u",
    "\\U",
    "\\x",
];

/// Whether `yaml_commands` surely finds nothing in `text`: it names no
/// backup, restore or client tool (`scan_text`), installs no database
/// (`self_managed_lines`) and says no `cron` (an Ansible cron task).
fn names_no_command(text: &str) -> bool {
    let Named { backup, restore, client } = named_tools(text);
    !backup
        && !restore
        && !client
        && find(text, "cron").is_none()
        && opslint_knowledge::databases::self_managed_lines(text).is_empty()
}

/// Whether a parsed YAML file adds nothing to the model, whatever the rest of
/// the repository holds: it is not a compose file (the only case where
/// `from_yaml` reads other files: the `.env` files) and `from_yaml`, which
/// otherwise only appends to the model, appends nothing for it.
pub fn yields_nothing(path: &str, text: &str, stream: &opslint_yaml::Stream) -> bool {
    if crate::compose::compose_name(path) || stream.docs.iter().any(|d| crate::compose::looks_like_compose(&d.root)) {
        return false;
    }
    let mut scratch = Repo::default();
    from_yaml(&mut scratch, 0, path, text, stream, &crate::compose::EnvFiles::default());
    format!("{scratch:?}") == format!("{:?}", Repo::default())
}

fn from_yaml(
    repo: &mut Repo,
    doc: usize,
    path: &str,
    text: &str,
    stream: &opslint_yaml::Stream,
    env: &crate::compose::EnvFiles,
) {
    let loc = |offset: usize| Loc { path: path.to_string(), line: line_of(text, offset) };
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let template = crate::compose::untemplated(&name).1;
    if crate::compose::compose_name(path) || stream.docs.iter().any(|d| crate::compose::looks_like_compose(&d.root)) {
        let services = stream
            .docs
            .iter()
            .flat_map(|d| d.root.get("services").map(Node::entries).unwrap_or(&[]))
            .filter_map(|e| Some(Svc::from_node(path, e.key_str()?, e.key.span.start, &e.value)))
            .collect();
        from_compose(repo, doc, (path, text), stream, services, env, template);
        return;
    }
    if let Some(e) = stream.error.as_ref().filter(|_| is_values(path)) {
        repo.unreadable.push(Unreadable {
            doc,
            at: loc(e.span.start),
            what: "Helm values file",
            span: e.span.clone(),
            message: e.message.clone(),
            limit: e.kind != opslint_yaml::ErrorKind::Syntax,
            syntax: e.kind == opslint_yaml::ErrorKind::Syntax,
        });
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    if name == "chart.yaml" {
        // Subcharts are deployed unless their condition is false in the values.
        for d in &stream.docs {
            for dep in d.root.get("dependencies").map(Node::items).unwrap_or(&[]) {
                let Some(chart) = dep.str("name") else { continue };
                let Some(engine) = opslint_knowledge::databases::name_engine(chart) else { continue };
                let shown = dep.str("alias").unwrap_or(chart).to_string();
                let at = loc(dep.value_span("name").map_or(dep.span.start, |s| s.start));
                repo.chart_deps.push((dir.clone(), shown, dep.str("condition").map(str::to_string), engine, at));
            }
        }
        return;
    }
    if is_values(path) {
        for d in &stream.docs {
            for e in d.root.entries() {
                let Some(key) = e.key_str() else { continue };
                if let Some(on) = e.value.bool_at("enabled") {
                    repo.values_enabled.push((dir.clone(), format!("{key}.enabled"), on));
                }
                // A database image configured for the chart's own templates (`db.image.repository: postgres`).
                let job = key.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
                    matches!(
                        w,
                        "backup"
                            | "backups"
                            | "restore"
                            | "migrate"
                            | "migration"
                            | "migrations"
                            | "job"
                            | "jobs"
                            | "cron"
                            | "cronjob"
                            | "init"
                            | "test"
                            | "tests"
                            | "exporter"
                            | "metrics"
                    )
                });
                if opslint_knowledge::databases::name_engine(key).is_none()
                    && !job
                    && e.value.bool_at("enabled") != Some(false)
                {
                    let image = e.value.str_at("image.repository").or_else(|| e.value.str("image"));
                    if let Some(engine) = image.and_then(image_engine) {
                        repo.databases.push(Database {
                            name: key.to_string(),
                            engine: engine.to_string(),
                            flavour: format!("{engine} (Helm values image)"),
                            source: Source::Helm,
                            at: loc(e.key.span.start),
                            dev: false,
                            managed: None,
                            id: 0,
                            object: format!("Helm values `{key}` image"),
                        });
                        continue;
                    }
                }
                let Some(engine) = opslint_knowledge::databases::name_engine(key) else { continue };
                if e.value.bool_at("enabled") != Some(true) {
                    continue;
                }
                let at = loc(e.key.span.start);
                repo.databases.push(Database {
                    name: key.to_string(),
                    engine: engine.to_string(),
                    flavour: format!("{engine} (Helm subchart)"),
                    source: Source::Helm,
                    at: at.clone(),
                    dev: false,
                    managed: None,
                    id: 0,
                    object: format!("Helm values `{key}.enabled`"),
                });
                // Bitnami-style `backup.enabled` with a CronJob writing to a PVC.
                if e.value.bool_at("backup.enabled") == Some(true) {
                    let span = e.value.key_span("backup").unwrap_or(e.key.span.clone());
                    let text = words_of(e.value.get("backup"));
                    let mut b =
                        Backup::new(BackupKind::Helm, format!("Helm `{key}.backup`"), loc(span.start), text.clone());
                    b.only = Some(key.to_string());
                    b.engines = vec![engine.to_string()];
                    b.scheduled = true;
                    b.offsite = shell::offsite_marker(&text);
                    if b.offsite.is_none() {
                        b.local = Some("a PersistentVolumeClaim of the cluster".into());
                    }
                    repo.backups.push(b);
                }
            }
        }
        return;
    }
    for d in &stream.docs {
        let root = &d.root;
        let kind = root.str("kind").unwrap_or("");
        let api = root.str("apiVersion").unwrap_or("");
        let name = root.str_at("metadata.name").unwrap_or("?").to_string();
        let anchor = root.value_span("kind").unwrap_or(root.span.clone());
        match kind {
            "CronJob" => cronjob(repo, doc, path, text, root, &name, anchor),
            // A GitOps object installing a database chart (Flux HelmRelease, Argo CD Application).
            "HelmRelease" | "Application" if api.contains("fluxcd.io") || api.contains("argoproj.io") => {
                let chart = root
                    .str_at("spec.chart.spec.chart")
                    .or_else(|| root.str_at("spec.source.chart"))
                    .or_else(|| root.at("spec.sources").and_then(|s| s.items().iter().find_map(|i| i.str("chart"))));
                let engine =
                    chart.and_then(|c| opslint_knowledge::databases::name_engine(c.rsplit('/').next().unwrap_or(c)));
                if let (Some(chart), Some(engine)) = (chart, engine) {
                    repo.databases.push(Database {
                        name: name.clone(),
                        engine: engine.to_string(),
                        flavour: format!("{engine} (Helm chart `{chart}`)"),
                        source: Source::Helm,
                        at: loc(anchor.start),
                        dev: false,
                        managed: None,
                        id: 0,
                        object: format!("{kind}/{name}"),
                    });
                }
            }
            "" if name_of(path) == "helmfile.yaml" || name_of(path) == "helmfile.yml" => {
                for r in root.get("releases").map(Node::items).unwrap_or(&[]) {
                    let (Some(release), Some(chart)) = (r.str("name"), r.str("chart")) else { continue };
                    let Some(engine) =
                        opslint_knowledge::databases::name_engine(chart.rsplit('/').next().unwrap_or(chart))
                    else {
                        continue;
                    };
                    repo.databases.push(Database {
                        name: release.to_string(),
                        engine: engine.to_string(),
                        flavour: format!("{engine} (Helm chart `{chart}`)"),
                        source: Source::Helm,
                        at: loc(r.value_span("name").map_or(r.span.start, |s| s.start)),
                        dev: dev_environment(path),
                        managed: None,
                        id: 0,
                        object: format!("helmfile release `{release}`"),
                    });
                }
            }
            "Schedule" | "Backup" if api.starts_with("velero.io") => {
                let mut b = Backup::new(
                    BackupKind::Velero,
                    format!("Velero {kind}/{name}"),
                    loc(anchor.start),
                    words_of(root.get("spec")),
                );
                b.tools = vec!["velero"];
                b.engines = vec!["*".into()];
                b.scheduled = kind == "Schedule";
                b.offsite = Some("Velero's object-store location");
                // Velero's default TTL is 30 days.
                let ttl_at = root.value_span("spec.template.ttl").or_else(|| root.value_span("spec.ttl"));
                let ttl = root.str_at("spec.template.ttl").or_else(|| root.str_at("spec.ttl"));
                b.retention = match (ttl.and_then(duration_days), ttl_at) {
                    (Some(days), Some(at)) => Some((days, loc(at.start))),
                    _ => None,
                };
                repo.backups.push(b);
            }
            "ScheduledBackup" if api.starts_with("postgresql.cnpg.io") => {
                let cluster = root.str_at("spec.cluster.name").unwrap_or("").to_string();
                let mut b = Backup::new(
                    BackupKind::Operator,
                    format!("ScheduledBackup/{name}"),
                    loc(anchor.start),
                    String::new(),
                );
                b.only = Some(cluster);
                b.engines = vec!["postgres".into()];
                b.scheduled = true;
                b.offsite = Some("the cluster's barmanObjectStore");
                b.encrypted = true;
                b.pitr = true;
                repo.backups.push(b);
            }
            "PrometheusRule" => {
                for g in root.at("spec.groups").map(Node::items).unwrap_or(&[]) {
                    alert_rules(repo, g, &loc);
                }
            }
            "" if root.get("groups").is_some() => {
                // A plain Prometheus rule file.
                for g in root.get("groups").map(Node::items).unwrap_or(&[]) {
                    alert_rules(repo, g, &loc);
                }
            }
            _ => operator_backup(repo, root, kind, api, &name, &loc(anchor.start), &loc),
        }
    }
    // Playbooks and container templates (Ansible tasks, pups templates) hold shell commands.
    let objects = stream.docs.iter().any(|d| d.root.get("kind").is_some() || d.root.get("apiVersion").is_some());
    if !objects && opslint_knowledge::ci::system_of(path).is_none() && !is_values(path) {
        yaml_commands(repo, path, text);
    }
}

/// Shell commands inside YAML that is not a Kubernetes object, a compose, values or CI file:
/// backups they take, restores in blocks named for restoring, databases they install, and
/// programs an Ansible `cron` task schedules.
fn yaml_commands(repo: &mut Repo, path: &str, text: &str) {
    let loc = |line: u32| Loc { path: path.to_string(), line };
    let scan = scan_text(text);
    let lines: Vec<&str> = text.lines().collect();
    for (what, engines, line, reach) in &scan.restores {
        // An upgrade step that reloads a dump is not a restore procedure: the block must say restore.
        let from = (*line as usize).saturating_sub(8);
        let named = lines[from..(*line as usize).min(lines.len())].iter().any(|l| {
            let l = l.to_ascii_lowercase();
            (l.contains("restore") || l.contains("recover")) && !l.contains("pg_restore") && !l.contains("mongorestore")
        }) || path.to_ascii_lowercase().contains("restore");
        if named {
            repo.restores.push(Restore {
                script: None,
                at: loc(*line),
                engines: engines.clone(),
                automated: false,
                documented: true,
                what: format!("{path} ({what})"),
                reach: *reach,
            });
        }
    }
    if let Some((_, line)) = scan.first_backup {
        let mut b = Backup::new(BackupKind::Script, path.to_string(), loc(line), text.to_string());
        b.tools = scan.backup_tools.iter().map(|t| t.name).collect();
        b.engines = engines_of(&scan.backup_tools);
        b.pitr = scan.backup_tools.iter().any(|t| t.pitr);
        b.offsite = shell::offsite_marker(text);
        b.encrypted = shell::encryption_marker(text).is_some();
        if b.offsite.is_none() {
            b.local = Some(local_destination(text).unwrap_or_else(|| "a local path".into()));
        }
        repo.backups.push(b);
    }
    self_managed_in(repo, path, text);
    // Ansible `cron:` tasks: `job: /usr/local/bin/pg-backup`.
    let jobs: Vec<String> = lines
        .iter()
        .filter_map(|l| l.trim().strip_prefix("job:"))
        .flat_map(|j| script_names(j.trim().trim_matches(['"', '\''])))
        .collect();
    if !jobs.is_empty() && text.contains("cron") {
        let mut b = Backup::new(BackupKind::Doc, path.to_string(), loc(1), String::new());
        b.scheduled = true;
        b.runs_script = jobs;
        repo.backups.push(b);
    }
}

/// Databases a script or playbook installs and starts itself.
fn self_managed_in(repo: &mut Repo, path: &str, text: &str) {
    // A database set up to import from or to upgrade is a tool's, not the service's; one a CI
    // folder's script installs is the tests'.
    let lower = path.to_ascii_lowercase();
    let ci_dir = [".github/", ".gitlab/", ".circleci/", ".buildkite/", ".woodpecker/", ".devcontainer/"]
        .iter()
        .any(|d| lower.starts_with(d) || lower.contains(&format!("/{d}")));
    if ci_dir
        || lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(w, "import" | "imports" | "migrate" | "migration" | "migrations" | "upgrade" | "upgrades")
        })
    {
        return;
    }
    for (engine, line) in opslint_knowledge::databases::self_managed_lines(text) {
        repo.self_managed.push((engine, Loc { path: path.to_string(), line }));
    }
}

fn image_engine_of_backup(image: &str) -> Vec<String> {
    let lower = image.to_ascii_lowercase();
    for (word, engines) in [
        ("postgres", vec!["postgres"]),
        ("pg", vec!["postgres"]),
        ("mysql", vec!["mysql", "mariadb"]),
        ("mariadb", vec!["mariadb", "mysql"]),
        ("mongo", vec!["mongodb"]),
    ] {
        if lower.contains(word) {
            return engines.into_iter().map(str::to_string).collect();
        }
    }
    vec!["*".into()]
}

fn alert_rules(repo: &mut Repo, group: &Node, loc: &dyn Fn(usize) -> Loc) {
    for rule in group.get("rules").map(Node::items).unwrap_or(&[]) {
        let Some(alert) = rule.str("alert") else { continue };
        let expr = rule.str("expr").unwrap_or("");
        let hay = format!("{alert} {expr}").to_ascii_lowercase();
        let about_backup = hay.contains("backup")
            || hay.contains("velero")
            || hay.contains("restic")
            || hay.contains("wal_archive")
            || hay.contains("pg_stat_archiver")
            || hay.contains("kube_job_failed")
            || hay.contains("kube_job_status_failed")
            || hay.contains("kube_cronjob_status_last_successful_time")
            || hay.contains("kube_cronjob_status_last_schedule_time");
        if about_backup {
            let at = rule.value_span("alert").unwrap_or(rule.span.clone());
            repo.alerts.push((alert.to_string(), loc(at.start)));
        }
    }
}

/// Backup settings of database operators: CloudNativePG `backup:`, Crunchy
/// `backups.pgbackrest`, and any `spec.backup(s)` that names a schedule.
fn operator_backup(
    repo: &mut Repo,
    root: &Node,
    kind: &str,
    api: &str,
    name: &str,
    at: &Loc,
    loc: &dyn Fn(usize) -> Loc,
) {
    let spec = match root.get("spec") {
        Some(s) => s,
        None => return,
    };
    let (engine, backup) = if api.starts_with("postgresql.cnpg.io") && kind == "Cluster" {
        ("postgres", spec.get("backup"))
    } else if api.starts_with("postgres-operator.crunchydata.com") {
        ("postgres", spec.get("backups"))
    } else if api.contains("percona") || api.contains("mysql") || api.contains("mongodb") || api.contains("zalan.do") {
        let engine = if api.contains("mongo") {
            "mongodb"
        } else if api.contains("zalan") {
            "postgres"
        } else {
            "mysql"
        };
        (engine, spec.get("backup").or_else(|| spec.get("backups")))
    } else {
        return;
    };
    let Some(backup) = backup else { return };
    let text = words_of(Some(backup));
    let span = spec.key_span(if spec.get("backup").is_some() { "backup" } else { "backups" });
    let at = span.map_or(at.clone(), |s| loc(s.start));
    let mut b = Backup::new(BackupKind::Operator, format!("{kind}/{name} backup settings"), at, text.clone());
    b.only = Some(name.to_string());
    b.engines = vec![engine.to_string()];
    b.offsite = shell::offsite_marker(&text).or_else(|| {
        ["s3:", "gcs:", "azure:", "destinationPath", "endpointURL", "bucket"]
            .iter()
            .find(|m| text.contains(*m))
            .map(|_| "object storage")
    });
    if b.offsite.is_none() {
        b.local = Some("a volume of the cluster".into());
    }
    b.pitr = text.contains("barmanObjectStore")
        || text.contains("pgbackrest")
        || text.contains("pitr")
        || text.contains("wal");
    b.encrypted = b.offsite.is_some()
        && (text.contains("encryption") || text.contains("barmanObjectStore") || text.contains("cipher"));
    // CNPG base backups need a ScheduledBackup; the others carry their schedules.
    b.scheduled = text.contains("schedule") || text.contains("full:") || text.contains("cron");
    if let Some(r) = backup.str_at("retentionPolicy").and_then(duration_days) {
        let rspan = backup.value_span("retentionPolicy").map_or(b.at.clone(), |s| loc(s.start));
        b.retention = Some((r, rspan));
    }
    repo.backups.push(b);
}

fn cronjob(repo: &mut Repo, doc: usize, path: &str, text: &str, root: &Node, name: &str, anchor: Range<usize>) {
    let loc = |offset: usize| Loc { path: path.to_string(), line: line_of(text, offset) };
    let pod = root.at("spec.jobTemplate.spec.template.spec");
    let containers = pod.and_then(|p| p.get("containers")).map(Node::items).unwrap_or(&[]);
    let mut run = String::new();
    let mut env = String::new();
    for c in containers {
        run.push_str(&words_of(c.get("command")));
        run.push_str(&words_of(c.get("args")));
        run.push(' ');
        env.push_str(&words_of(c.get("env")));
        env.push(' ');
    }
    let images: Vec<&str> = containers.iter().filter_map(|c| c.str("image")).collect();
    let tools: Vec<&Tool> = backups_in(&run);
    let scripts = script_names(&run);
    let scan = scan_text(&run);
    // A restore check known by its name, image or arguments (`restore-drill`,
    // `…/backup-verify`, `restic check --read-data`) though its commands live elsewhere.
    let check = opslint_knowledge::backup::restore_check_name(name)
        || images.iter().any(|i| opslint_knowledge::backup::restore_check_name(i.rsplit('/').next().unwrap_or(i)))
        || opslint_knowledge::backup::verify_command(&run);
    if check && scan.restores.is_empty() {
        repo.restores.push(Restore {
            script: None,
            at: loc(anchor.start),
            engines: engines_named(&format!("{name} {}", images.join(" "))),
            automated: true,
            documented: false,
            what: format!("CronJob/{name} (a restore check)"),
            reach: Reach::Files,
        });
    }
    // A backup image (`postgres-backup-s3`, `…/pg-backup`) backs up though no tool is named.
    let backup_image = images.iter().find(|i| {
        let n = i.rsplit('/').next().unwrap_or(i).to_ascii_lowercase();
        n.contains("backup") && !n.contains("restore") && !n.contains("verify")
    });
    if tools.is_empty() && scripts.is_empty() && !check {
        if let Some(image) = backup_image {
            let mut b = Backup::new(
                BackupKind::CronJob,
                format!("CronJob/{name}"),
                loc(anchor.start),
                format!("{run} {image}"),
            );
            b.engines = image_engine_of_backup(image);
            b.scheduled = true;
            b.offsite = shell::offsite_marker(&format!("{run} {image}"));
            if b.offsite.is_none() {
                b.local = Some("the job's own filesystem".into());
            }
            repo.backups.push(b);
            return;
        }
    }
    for (what, engines, _, reach) in &scan.restores {
        repo.restores.push(Restore {
            script: None,
            at: loc(anchor.start),
            engines: engines.clone(),
            automated: true,
            documented: false,
            what: format!("CronJob/{name} ({what})"),
            reach: *reach,
        });
    }
    if tools.is_empty() && scripts.is_empty() {
        return;
    }
    let mut b = Backup::new(BackupKind::CronJob, format!("CronJob/{name}"), loc(anchor.start), format!("{run} {env}"));
    b.tools = tools.iter().map(|t| t.name).collect();
    b.reach = reach_of(&tools, &run);
    b.engines = engines_of(&tools);
    b.pitr = tools.iter().any(|t| t.pitr);
    b.scheduled = true;
    b.runs_script = scripts;
    b.offsite = shell::offsite_marker(&b.text);
    b.encrypted = shell::encryption_marker(&b.text).is_some();
    if b.offsite.is_none() {
        let volumes = pod.and_then(|p| p.get("volumes")).map(Node::items).unwrap_or(&[]);
        let local: Vec<String> = volumes
            .iter()
            .filter_map(|v| {
                if let Some(p) = v.str_at("hostPath.path") {
                    Some(format!("hostPath {p}"))
                } else if let Some(c) = v.str_at("persistentVolumeClaim.claimName") {
                    Some(format!("PersistentVolumeClaim {c}"))
                } else {
                    v.get("emptyDir").map(|_| "an emptyDir (deleted with the pod)".to_string())
                }
            })
            .collect();
        b.local = Some(if local.is_empty() { "the job's own filesystem".into() } else { local.join(", ") });
    }
    if tools.is_empty() {
        // Runs a script: it is the script that backs up; the job schedules it.
        b.kind = BackupKind::Doc;
    } else {
        let spec = root.get("spec");
        let job = root.at("spec.jobTemplate.spec");
        let mut missing = Vec::new();
        if spec.and_then(|s| s.get("startingDeadlineSeconds")).is_none() {
            missing.push("startingDeadlineSeconds");
        }
        if !matches!(spec.and_then(|s| s.str("concurrencyPolicy")), Some("Forbid") | Some("Replace")) {
            missing.push("concurrencyPolicy: Forbid");
        }
        if job.and_then(|j| j.get("activeDeadlineSeconds")).is_none() {
            missing.push("activeDeadlineSeconds");
        }
        if job.and_then(|j| j.get("backoffLimit")).is_none() {
            missing.push("backoffLimit");
        }
        if spec.and_then(|s| s.get("failedJobsHistoryLimit")).is_none() {
            missing.push("failedJobsHistoryLimit");
        }
        if !missing.is_empty() {
            repo.cronjobs.push(CronJob { doc, name: format!("CronJob/{name}"), anchor: anchor.clone(), missing });
        }
        // Credentials in the command itself.
        for c in containers {
            for part in ["command", "args"] {
                for item in c.get(part).map(Node::items).unwrap_or(&[]) {
                    if let Some(s) = item.as_str() {
                        if let Some((r, what)) = shell::inline_credential(s) {
                            let src = &text[item.span.clone()];
                            let at = src
                                .find(&s[r.clone()])
                                .map_or(item.span.clone(), |o| item.span.start + o..item.span.start + o + r.len());
                            repo.job_credentials.push((doc, at, what, format!("CronJob/{name}")));
                        }
                    }
                }
            }
        }
        let _ = scan;
    }
    repo.backups.push(b);
}

fn from_terraform(repo: &mut Repo, path: &str, blocks: &[hcl::Block]) {
    let loc = |line: u32| Loc { path: path.to_string(), line };
    // Registry modules that create a managed database (`terraform-aws-modules/rds/aws`,
    // `GoogleCloudPlatform/sql-db/google//modules/postgresql`), with the providers' defaults.
    for b in blocks.iter().filter(|b| b.kind == "module" && b.labels.len() == 1) {
        let name = b.labels[0].as_str();
        let source = b.string("source").unwrap_or("");
        let engine_attr = b.string("engine").or_else(|| b.string("database_version"));
        let Some((provider, engine)) = opslint_knowledge::databases::managed_module(source, engine_attr) else {
            continue;
        };
        let attr_loc = |key: &str| b.attr(key).map(|a| loc(a.line));
        let (days, set_at) = match provider {
            // The AWS default is one day of automated backups.
            "aws" => (b.int("backup_retention_period").unwrap_or(1), attr_loc("backup_retention_period")),
            // Google's module turns backups on only when `backup_configuration` says so.
            "gcp" => {
                let conf = b.attr("backup_configuration").map(|a| a.value.replace(' ', "")).unwrap_or_default();
                (if conf.contains("enabled=true") { 7 } else { 0 }, attr_loc("backup_configuration"))
            }
            // Azure keeps 7 days by default.
            _ => (b.int("backup_retention_days").unwrap_or(7), attr_loc("backup_retention_days")),
        };
        let at = loc(b.line);
        let m = Managed {
            resource: format!("module {source}"),
            retention: Some((days, set_at.clone())),
            pitr: days > 0,
            ..Managed::default()
        };
        if days > 0 {
            let mut backup = Backup::new(
                BackupKind::Managed,
                format!("module.{name} automated backups"),
                set_at.unwrap_or(at.clone()),
                String::new(),
            );
            backup.only = Some(name.to_string());
            backup.engines = vec![engine.to_string()];
            backup.scheduled = true;
            backup.offsite = Some("the provider's backup storage");
            backup.encrypted = true;
            backup.pitr = true;
            backup.retention = Some((days as f64, backup.at.clone()));
            repo.backups.push(backup);
        }
        repo.databases.push(Database {
            name: name.to_string(),
            engine: engine.to_string(),
            flavour: format!("{engine} (module {source})"),
            source: Source::Terraform,
            at,
            dev: dev_environment(path),
            managed: Some(m),
            id: 0,
            object: format!("module.{name}"),
        });
    }
    for b in blocks.iter().filter(|b| b.kind == "resource" && b.labels.len() == 2) {
        let (ty, name) = (b.labels[0].as_str(), b.labels[1].as_str());
        let engine_attr =
            b.string("engine").or_else(|| b.string("database_version")).unwrap_or("").to_ascii_lowercase();
        let engine_from = |s: &str| -> &'static str {
            if s.contains("postgres") || s.contains("aurora-postgresql") {
                "postgres"
            } else if s.contains("mariadb") {
                "mariadb"
            } else if s.contains("mysql") || s == "aurora" {
                "mysql"
            } else if s.contains("sqlserver") || s.contains("mssql") {
                "sqlserver"
            } else if s.contains("oracle") {
                "oracle"
            } else if s.is_empty() && ty == "aws_rds_cluster" {
                // An Aurora cluster's default engine is MySQL-compatible.
                "mysql"
            } else {
                "unknown"
            }
        };
        let mut m = Managed { resource: ty.to_string(), ..Managed::default() };
        let attr_loc = |key: &str| b.attr(key).map(|a| loc(a.line));
        let engine = match ty {
            // A read replica is backed up through its source.
            "aws_db_instance" if b.attr("replicate_source_db").is_some() => continue,
            "aws_db_instance" | "aws_rds_cluster" => {
                // The AWS default is one day of automated backups.
                let days = b.int("backup_retention_period").unwrap_or(1);
                m.retention = Some((days, attr_loc("backup_retention_period")));
                m.pitr = days > 0;
                let enc = b.bool("storage_encrypted");
                if enc != Some(true) && b.attr("storage_encrypted").is_none_or(|a| !a.value.starts_with("var.")) {
                    // Aurora Serverless v1 clusters are always encrypted.
                    if b.string("engine_mode") != Some("serverless") && b.attr("replicate_source_db").is_none() {
                        m.encrypted = Some((false, attr_loc("storage_encrypted").unwrap_or(loc(b.line))));
                    }
                }
                let dp = b.bool("deletion_protection");
                if dp != Some(true) && b.attr("deletion_protection").is_none_or(|a| a.value == "false") {
                    m.deletion_protection = Some((false, attr_loc("deletion_protection").unwrap_or(loc(b.line))));
                }
                if b.bool("skip_final_snapshot") == Some(true) {
                    m.skip_final_snapshot = attr_loc("skip_final_snapshot");
                }
                engine_from(&engine_attr)
            }
            "google_sql_database_instance" => {
                let on = b.bool("settings.backup_configuration.enabled") == Some(true);
                let days =
                    b.int("settings.backup_configuration.backup_retention_settings.retained_backups").unwrap_or(7);
                m.retention = Some((if on { days } else { 0 }, attr_loc("settings.backup_configuration.enabled")));
                m.pitr = on
                    && (b.bool("settings.backup_configuration.point_in_time_recovery_enabled") == Some(true)
                        || b.bool("settings.backup_configuration.binary_log_enabled") == Some(true));
                if b.bool("deletion_protection") == Some(false) {
                    m.deletion_protection = Some((false, attr_loc("deletion_protection").unwrap_or(loc(b.line))));
                }
                engine_from(&engine_attr)
            }
            t if t.starts_with("azurerm_postgresql")
                || t.starts_with("azurerm_mysql")
                || t.starts_with("azurerm_mssql")
                || t.starts_with("azurerm_mariadb") =>
            {
                if t.ends_with("_database") && !t.starts_with("azurerm_mssql")
                    || t.ends_with("_configuration")
                    || t.ends_with("_firewall_rule")
                    || t.contains("virtual_network")
                    || t.contains("_administrator")
                {
                    continue;
                }
                if t == "azurerm_mssql_server" {
                    continue;
                }
                // Azure keeps 7 days by default, restorable to any point in them.
                let days = b.int("backup_retention_days").unwrap_or(7);
                m.retention = Some((days, attr_loc("backup_retention_days")));
                m.pitr = true;
                if t.contains("postgresql") {
                    "postgres"
                } else if t.contains("mariadb") {
                    "mariadb"
                } else if t.contains("mysql") {
                    "mysql"
                } else {
                    "sqlserver"
                }
            }
            _ => continue,
        };
        let at = loc(b.line);
        let mut backup = Backup::new(
            BackupKind::Managed,
            format!("{ty}.{name} automated backups"),
            m.retention.as_ref().and_then(|r| r.1.clone()).unwrap_or(at.clone()),
            String::new(),
        );
        let days = m.retention.as_ref().map_or(0, |r| r.0);
        if m.retention.as_ref().is_some_and(|r| r.1.is_none()) {
            backup.text = "retention unset".into();
        }
        if days > 0 {
            backup.only = Some(name.to_string());
            backup.engines = vec![engine.to_string()];
            backup.scheduled = true;
            backup.offsite = Some("the provider's backup storage");
            backup.encrypted = m.encrypted.is_none();
            backup.pitr = m.pitr;
            backup.retention = Some((days as f64, backup.at.clone()));
            repo.backups.push(backup);
        }
        repo.databases.push(Database {
            name: name.to_string(),
            engine: engine.to_string(),
            flavour: format!("{engine} ({ty})"),
            source: Source::Terraform,
            at,
            dev: dev_environment(path),
            managed: Some(m),
            id: 0,
            object: format!("{ty}.{name}"),
        });
    }
}

fn from_script(repo: &mut Repo, doc: usize, path: &str, text: &str) {
    self_managed_in(repo, path, text);
    for l in shell::logical_lines(text) {
        platform_command(repo, path, l.line, &l.text);
    }
    // A script that installs a cron entry schedules what the entry runs
    // (`printf '… /sbin/entrypoint.sh app:backup' > /etc/cron.d/autobackup`, `| crontab -`).
    for l in shell::logical_lines(text) {
        let installs_cron =
            l.text.contains("/etc/cron.d/") || l.text.contains("/etc/crontab") || l.text.contains("crontab -");
        if installs_cron && !l.text.trim_start().starts_with("rm ") {
            let names: Vec<String> = script_names(&l.text).into_iter().filter(|n| !n.starts_with("cron")).collect();
            if !names.is_empty() {
                let mut b = Backup::new(
                    BackupKind::Doc,
                    path.to_string(),
                    Loc { path: path.into(), line: l.line },
                    String::new(),
                );
                b.scheduled = true;
                b.runs_script = names;
                repo.backups.push(b);
            }
        }
    }
    let makefile = {
        let name = path.rsplit('/').next().unwrap_or(path);
        name == "Makefile" || name.ends_with(".mk") || name == "GNUmakefile"
    };
    let scan = scan_text(text);
    let base = path.rsplit('/').next().unwrap_or(path).to_string();
    for (what, engines, line, reach) in &scan.restores {
        repo.restores.push(Restore {
            script: Some(base.clone()),
            at: Loc { path: path.into(), line: *line },
            engines: engines.clone(),
            automated: false,
            documented: true,
            what: format!("{path} ({what})"),
            reach: *reach,
        });
    }
    let Some((first, first_line)) = scan.first_backup else { return };
    let tools = &scan.backup_tools;
    let mut b = Backup::new(
        BackupKind::Script,
        path.to_string(),
        Loc { path: path.into(), line: first_line },
        text.to_string(),
    );
    b.tools = tools.iter().map(|t| t.name).collect();
    b.reach = reach_of(tools, text);
    b.engines = engines_of(tools);
    b.pitr = tools.iter().any(|t| t.pitr);
    b.offsite = shell::offsite_marker(text);
    b.encrypted = shell::encryption_marker(text).is_some();
    if b.offsite.is_none() {
        b.local = Some(local_destination(text).unwrap_or_else(|| "a local path".into()));
    }
    // `find DIR -mtime +N -delete`, `restic forget --keep-daily N`.
    b.retention = retention_in(text).map(|(d, off)| (d, Loc { path: path.into(), line: line_of(text, off) }));
    // A script's own comment saying cron runs it elsewhere is not a schedule we can see.
    repo.backups.push(b);

    let (errexit, pipefail) = shell::strict_mode(text);
    let makefile_pipefail = makefile && text.contains(".SHELLFLAGS") && text.contains("pipefail");
    let checks_status = text.contains("$?")
        || text.contains("PIPESTATUS")
        || text.contains("|| exit")
        || text.contains("|| {")
        || text.contains("if ! ");
    let mut piped = None;
    let mut credentials = Vec::new();
    for l in shell::logical_lines(text) {
        let tools = if opslint_knowledge::backup::schema_only(&l.text) {
            Vec::new()
        } else {
            shell::tools_in(&l.text, BACKUP_TOOLS)
        };
        if tools.is_empty()
            && shell::tools_in(&l.text, RESTORE_TOOLS).is_empty()
            && shell::restore_by_redirect(&l.text).is_none()
        {
            continue;
        }
        if let Some((t, at)) = tools.first() {
            if piped.is_none() && l.text[*at..].contains(" | ") {
                let raw = &text[l.offset..];
                let off = raw.find(t.name).map_or(l.offset, |o| l.offset + o);
                piped = Some(off..off + t.name.len());
            }
        }
        // Map the secret back to the physical text (continuations are joined in `l.text`).
        if let Some((r, what)) = shell::inline_credential(&l.text) {
            let secret = &l.text[r];
            if let Some(o) = text[l.offset..].find(secret) {
                credentials.push((l.offset + o..l.offset + o + secret.len(), what));
            }
        }
    }
    repo.scripts.push(Script {
        doc,
        path: path.to_string(),
        makefile,
        first: first..first + b_len(text, first),
        errexit: errexit || makefile,
        pipefail: pipefail || makefile_pipefail,
        checks_status,
        piped,
        credentials,
    });
}

fn b_len(text: &str, at: usize) -> usize {
    text[at..].find(|c: char| c.is_whitespace()).unwrap_or(text.len() - at)
}

/// Where a script writes its backup: the directory of a `> /path` redirect or a variable set to a path.
fn local_destination(text: &str) -> Option<String> {
    for l in text.lines() {
        let t = l.trim();
        if let Some((k, v)) = t.split_once('=') {
            if k.to_ascii_uppercase().contains("DIR") || k.to_ascii_uppercase().contains("DEST") {
                let v = v.trim_matches(['"', '\'']);
                if v.starts_with('/') {
                    return Some(v.to_string());
                }
            }
        }
    }
    None
}

fn retention_in(text: &str) -> Option<(f64, usize)> {
    for (marker, unit) in
        [("-mtime +", 1.0), ("-mtime ", 1.0), ("--keep-daily ", 1.0), ("--keep-daily=", 1.0), ("--keep-within ", 0.0)]
    {
        if let Some(at) = text.find(marker) {
            let rest = &text[at + marker.len()..];
            let num: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if unit == 0.0 {
                let word: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                if let Some(d) = duration_days(&word) {
                    return Some((d, at));
                }
            } else if let Ok(n) = num.parse::<f64>() {
                return Some((n * unit, at));
            }
        }
    }
    None
}

/// Restore procedures and RTO/RPO in documentation; backup commands people can run.
fn from_markdown(repo: &mut Repo, path: &str, text: &str) {
    // A runbook draft's block restates what was found elsewhere: not a procedure of its own.
    let text = &*opslint_knowledge::blocks::blank_runbook(text);
    // Files the document's backup commands write: a client fed one later restores it.
    let mut dumped: Vec<String> = Vec::new();
    let mut in_restore_section = false;
    let mut heading_line = 0;
    let mut in_code = false;
    // Steps in prose under a restore heading: (words, says what to restore).
    let mut prose = (0usize, false);
    let prose_restore = |repo: &mut Repo, prose: (usize, bool), heading_line: u32| {
        if prose.1 && prose.0 >= 12 {
            repo.restores.push(Restore {
                script: None,
                at: Loc { path: path.into(), line: heading_line },
                engines: vec!["*".into()],
                automated: false,
                documented: true,
                what: format!("{path} (restore steps under a heading)"),
                reach: Reach::Files,
            });
        }
    };
    for (n, raw) in text.lines().enumerate() {
        let line = n as u32 + 1;
        let t = raw.trim();
        let lower = t.to_ascii_lowercase();
        if in_restore_section && !in_code && !t.starts_with('#') && !t.starts_with("```") && !t.starts_with("~~~") {
            let placeholder = lower.contains("todo") || lower.contains("tbd") || lower.contains("fixme");
            if !placeholder {
                let words: Vec<&str> =
                    lower.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').filter(|w| !w.is_empty()).collect();
                prose.0 += words.len();
                let act = words.iter().any(|w| {
                    matches!(
                        *w,
                        "restore"
                            | "restoring"
                            | "load"
                            | "loading"
                            | "import"
                            | "reimport"
                            | "recover"
                            | "replay"
                            | "pg_restore"
                            | "mongorestore"
                    )
                });
                let what = words.iter().any(|w| {
                    matches!(
                        *w,
                        "dump" | "dumps" | "backup" | "backups" | "snapshot" | "snapshots" | "archive" | "database"
                    )
                });
                prose.1 |= act && what;
            }
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            if in_code && in_restore_section {
                repo.restores.push(Restore {
                    script: None,
                    at: Loc { path: path.into(), line: heading_line },
                    engines: vec!["*".into()],
                    automated: false,
                    documented: true,
                    what: format!("{path} (restore section with commands)"),
                    reach: Reach::Files,
                });
                in_restore_section = false;
                prose = (0, false);
            }
            if in_code {
                continue;
            }
        }
        if !in_code && t.starts_with('#') {
            if in_restore_section {
                prose_restore(repo, prose, heading_line);
            }
            // "Restore", "Restoring from a backup", "Disaster recovery"; not "Password recovery".
            let other = ["password", "account", "2fa", "email", "key", "token"].iter().any(|w| lower.contains(w));
            in_restore_section = (lower.contains("restor") || lower.contains("recover")) && !other;
            prose = (0, false);
            heading_line = line;
            continue;
        }
        if lower.contains("todo") || lower.contains("tbd") || lower.contains("fixme") {
            continue;
        }
        for (word, slot) in [("RTO", 0), ("RPO", 1)] {
            let long = if slot == 0 { "recovery time objective" } else { "recovery point objective" };
            if shell::find_word(t, word).is_some() || lower.contains(long) {
                let target = if slot == 0 { &mut repo.rto } else { &mut repo.rpo };
                target.get_or_insert(Loc { path: path.into(), line });
            }
        }
        for (t2, _) in shell::tools_in(t, RESTORE_TOOLS) {
            repo.restores.push(Restore {
                script: None,
                at: Loc { path: path.into(), line },
                engines: t2.engines.iter().map(|e| e.to_string()).collect(),
                automated: false,
                documented: true,
                what: format!("{path} ({})", t2.name),
                reach: opslint_knowledge::backup::reach(t2.name, t),
            });
        }
        // A client fed a dump, or fed the file a backup command above wrote (`> bookings.sql`).
        let loaded = shell::restore_by_redirect(t)
            .or_else(|| dumped.iter().find_map(|f| opslint_knowledge::backup::client_loads(t, f)));
        if let Some(engines) = loaded {
            let engines = engines.iter().map(|e| e.to_string()).collect();
            repo.restores.push(Restore {
                script: None,
                at: Loc { path: path.into(), line },
                engines,
                automated: false,
                documented: true,
                what: format!("{path} (a client fed a dump)"),
                reach: Reach::Files,
            });
        }
        if in_code || t.contains('`') {
            dumped.extend(opslint_knowledge::backup::dump_outputs(t));
        }
        if in_code || t.contains('`') {
            platform_command(repo, path, line, t);
        }
        let tools: Vec<&Tool> = backups_in(t);
        if !tools.is_empty() && (in_code || t.contains('`')) {
            // The provider's schedule set up (`heroku pg:backups:schedule`): automated backups.
            let schedule = opslint_knowledge::backup::provider_schedule(t);
            let mut b = Backup::new(
                if schedule { BackupKind::Managed } else { BackupKind::Doc },
                format!("{path} (documented command)"),
                Loc { path: path.into(), line },
                t.to_string(),
            );
            b.tools = tools.iter().map(|t| t.name).collect();
            b.reach = reach_of(&tools, t);
            b.engines = engines_of(&tools);
            b.scheduled = schedule;
            repo.backups.push(b);
        }
    }
    if in_restore_section {
        prose_restore(repo, prose, heading_line);
    }
}

#[cfg(test)]
mod tests {
    /// The one pass over a text's words says of each table what a search of
    /// its sorted words says: on crafted texts (names with dashes and
    /// underscores, within longer words, beside characters that are not
    /// ASCII) and on every file of the plugin's fixtures.
    #[test]
    fn tables_named_as_a_word_set_says() {
        use super::{named_tools, Tool, BACKUP_TOOLS, RESTORE_TOOLS};
        use opslint_knowledge::words::{may_hold_any, word_set};
        let by_set = |text: &str| {
            let words = word_set(text);
            let named = |table: &[Tool]| may_hold_any(&words, table.iter().map(|t| t.name));
            let clients = opslint_knowledge::backup::CLIENTS.iter().map(|(c, _)| *c);
            (named(BACKUP_TOOLS), named(RESTORE_TOOLS), may_hold_any(&words, clients))
        };
        let mut texts: Vec<String> = [
            "wal-g backup-push /data",
            "run my-wal-g-wrapper and pg_dumpall_x",
            "é pg_dump«x» then mongorestore",
            "echo psql",
            "redis-cli --rdb /tmp/x",
            "mariadb-dump; aws s3 cp",
            "nothing here, az-ure",
            "",
        ]
        .map(String::from)
        .to_vec();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut dirs = vec![fixtures];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                match e.file_type().unwrap().is_dir() {
                    true => dirs.push(e.path()),
                    false => texts.extend(std::fs::read_to_string(e.path()).ok()),
                }
            }
        }
        assert!(texts.len() > 50);
        for text in &texts {
            let named = named_tools(text);
            assert_eq!((named.backup, named.restore, named.client), by_set(text), "{text}");
        }
    }

    /// Every key `from_evidence` matches is one the plugin asks the host
    /// for, and it asks for no other: a key read but not asked for would
    /// never arrive.
    #[test]
    fn the_evidence_asked_for_is_the_evidence_read() {
        let source = include_str!("model.rs");
        let start = source.find("\nfn from_evidence(").unwrap();
        let body = &source[start..start + source[start..].find("\n}\n").unwrap()];
        let mut read: Vec<&str> = body
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| s.split_once('/').is_some_and(|(p, k)| !p.is_empty() && !k.is_empty() && !s.contains(' ')))
            .collect();
        read.sort();
        read.dedup();
        let mut asked = EVIDENCE_KEYS.to_vec();
        asked.sort();
        assert_eq!(read, asked);
    }

    use super::*;

    #[test]
    fn yaml_blocks() {
        let text = "jobs:\n  dump:\n    steps:\n\n      - run: pg_dump\n  other:\n    steps: []\n";
        assert_eq!(yaml_block(text, 2), "  dump:\n    steps:\n\n      - run: pg_dump\n");
        assert_eq!(yaml_block(text, 99), "");
    }

    #[test]
    fn durations() {
        assert_eq!(duration_days("720h0m0s"), Some(30.0));
        assert_eq!(duration_days("30d"), Some(30.0));
        assert_eq!(duration_days("2w"), Some(14.0));
        assert_eq!(duration_days("x"), None);
        assert_eq!(duration_days("30"), None);
    }

    #[test]
    fn image_engines() {
        assert_eq!(image_engine("postgres:16"), Some("postgres"));
        assert_eq!(image_engine("docker.io/bitnami/postgresql:16"), Some("postgres"));
        assert_eq!(image_engine("mongo:7"), Some("mongodb"));
        assert_eq!(image_engine("nginx"), None);
    }

    #[test]
    fn retention_of_scripts() {
        assert_eq!(retention_in("find /b -name '*.gz' -mtime +3 -delete").map(|r| r.0), Some(3.0));
        assert_eq!(retention_in("restic forget --keep-daily 14").map(|r| r.0), Some(14.0));
        assert_eq!(retention_in("restic forget --keep-within 30d").map(|r| r.0), Some(30.0));
    }
}
