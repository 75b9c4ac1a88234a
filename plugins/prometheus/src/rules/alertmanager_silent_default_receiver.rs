//! ## What it does
//! Flags an Alertmanager configuration whose top-level route sends to a
//! receiver with no notification settings (only a `name`).
//!
//! ## Why is this bad?
//! Every alert that no child route matches goes to the default receiver: a
//! new alert, or one whose labels changed, is silently dropped and pages
//! nobody.
//!
//! ## Example
//! ```yaml
//! route:
//!   receiver: "null"
//! receivers:
//!   - name: "null"
//! ```
//!
//! ## Use instead
//! ```yaml
//! route:
//!   receiver: team-ops
//! receivers:
//!   - name: team-ops
//!     slack_configs: [{channel: "#ops-alerts"}]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "Alertmanager's default receiver notifies nobody",
    severity: Severity::Medium,
    tags: &["alerting"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for am in &repo.alertmanagers {
        let Some(r) = am.node.get("route").and_then(|r| r.get("receiver")) else { continue };
        let Some(name) = r.as_str() else { continue };
        let receivers = am.node.get("receivers").map(Node::items).unwrap_or(&[]);
        let Some(receiver) = receivers.iter().find(|x| x.str("name") == Some(name)) else { continue };
        if receiver.entries().iter().all(|e| e.key_str() == Some("name")) {
            cx.report_in(am.doc, r.span.clone(), format!("the default receiver `{name}` has no notification settings: alerts no child route matches go nowhere"))
                .help("send the default route to a receiver that notifies a team (slack_configs, pagerduty_configs, webhook_configs, ...)");
        }
    }
}
