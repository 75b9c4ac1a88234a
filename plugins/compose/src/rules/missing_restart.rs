//! ## What it does
//! Flags a long-running service with no `restart:` policy (and no
//! `deploy.restart_policy`). Not flagged: services of files for local
//! development or tests (by name, folder or opening comment, or a service
//! built from the source it bind-mounts or watches with `develop:`),
//! services in a profile, and one-shot jobs (a name or command that
//! migrates, seeds, initialises, builds or tests, clients and shells).
//!
//! Only projects written to be run for real are judged: some service of the
//! project has a restart policy or `deploy:` settings.
//!
//! ## Why is this bad?
//! The default is `no`: a crash, an out-of-memory kill or a reboot of the
//! host leaves the service down until someone notices and starts it again.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     restart: unless-stopped
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a long-running service with no restart policy",
    severity: Severity::Low,
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in repo.views.iter().filter(|v| v.deployed()) {
        for s in view.judged() {
            if s.fragment() || s.dev(repo) || s.dev_setup(view) || !s.profiles().is_empty() || one_shot(s) {
                continue;
            }
            if s.get("restart").is_some() || s.get("deploy").is_some_and(|d| d.value().get("restart_policy").is_some()) {
                continue;
            }
            let home = s.home();
            if repo.first(cx, home.doc, &home.key) {
                cx.report_in(home.doc, home.key.clone(), format!("service `{}` has no restart policy: after a crash or a reboot it stays down", s.name))
                    .help("add `restart: unless-stopped` (or `on-failure` for a job that may finish)");
            }
        }
    }
}

/// A job that runs and exits: by its name or its command.
pub fn one_shot(s: &Service) -> bool {
    const WORDS: &[&str] = &[
        "migrate", "migration", "migrations", "migrator", "init", "setup", "seed", "seeder", "bootstrap", "build", "builder",
        "test", "tests", "cli", "tool", "tools", "backup", "restore", "certbot", "createbuckets", "provision", "job", "once",
        "install", "installer", "upgrade", "generate", "generator", "loader", "load", "import", "download", "cron",
        "client", "shell", "console", "kafkacat", "kcat", "debug", "exec", "train", "predict", "visualize", "evaluate",
    ];
    let words = |t: &str| t.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| WORDS.contains(&w));
    if words(&s.name) {
        return true;
    }
    let Some(cmd) = s.get("command").or_else(|| s.get("entrypoint")) else { return false };
    let text = match cmd.value().as_str() {
        Some(t) => t.to_string(),
        None => cmd.value().items().iter().filter_map(Node::as_str).collect::<Vec<_>>().join(" "),
    };
    // A data-only container (`entrypoint: /bin/true`) exits at once.
    matches!(text.trim(), "true" | "/bin/true") || (words(&text) && !text.contains("serve") && !text.contains("server"))
}
