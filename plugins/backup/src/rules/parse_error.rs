//! ## What it does
//! Reports a compose file (`docker-compose*.yml`, `compose*.yaml`) or a Helm
//! values file (`values*.yaml`) that is not valid YAML. opslint reads what
//! Docker Compose, Helm, PyYAML and Go's yaml read, so a finding here is a
//! file those tools refuse too (or a template that is not YAML until
//! rendered).
//!
//! ## Why is this bad?
//! These files are where databases are declared. One opslint cannot read is
//! one whose databases nobody checked for backups: the backup rules and the
//! maturity assessment cannot judge what they did not see, and say so instead
//! of passing.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!    volumes: [pgdata:/var/lib/postgresql/data]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     volumes: [pgdata:/var/lib/postgresql/data]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a compose or Helm values file cannot be parsed",
    severity: Severity::High,
    tags: &["backup", "correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    // Nesting and alias bombs are k8s/parse-error's, for every YAML file;
    // templates and unset image variables are the maturity report's "not assessed".
    for u in repo.unreadable.iter().filter(|u| u.syntax) {
        let help = if u.what == "compose file" {
            "fix the YAML syntax (`docker compose config` shows what Compose reads); until then its databases are not checked"
        } else {
            "fix the YAML syntax (`helm lint` shows what Helm reads); until then its databases are not checked"
        };
        let text = cx.documents()[u.doc].1;
        let (line, col) = opslint_yaml::line_col(text, u.span.start);
        let message = format!("{} `{}` cannot be parsed: {} (line {line}, column {col})", u.what, u.at.path, u.message);
        cx.report_in(u.doc, u.span.clone(), message).help(help);
    }
}
