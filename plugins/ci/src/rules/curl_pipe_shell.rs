//! ## What it does
//! Flags scripts (`run:`, GitLab `script:`/`before_script:`/`after_script:`)
//! that download a script and run it in one go: `curl … | sh`,
//! `wget -O- … | bash`, `bash <(curl …)`, `sh -c "$(curl …)"`.
//!
//! ## Why is this bad?
//! Whatever the server returns runs with the job's token and secrets: a
//! compromised host, a hijacked domain or a truncated download changes what
//! your pipeline does, and nothing records which version ran.
//!
//! ## Example
//! ```yaml
//! - run: curl -fsSL https://get.example.sh | bash
//! ```
//!
//! ## Use instead
//! ```yaml
//! - run: |
//!     curl -fsSLo install.sh https://get.example.sh/v1.2.3/install.sh
//!     echo "<sha256>  install.sh" | sha256sum -c -
//!     bash install.sh
//! ```
//! Or use a pinned action or a package from the distribution.
use crate::model::locate_cooked;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a downloaded script is piped into a shell",
    severity: Severity::Medium,
    tags: &["security", "supply-chain"],
    aliases: &["Pinned-Dependencies"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let mut lines: Vec<(usize, &Node)> = repo.steps().iter().filter_map(|s| Some((s.doc, s.run()?))).collect();
    for p in &repo.pipelines {
        for j in &p.jobs {
            for key in ["before_script", "script", "after_script"] {
                if let Some(n) = j.node.get(key) {
                    lines.extend(script_lines(n).into_iter().map(|n| (j.doc, n)));
                }
            }
        }
        for key in ["before_script", "after_script"] {
            for (d, e) in p.top(key) {
                lines.extend(script_lines(&e.value).into_iter().map(|n| (d, n)));
            }
        }
        for (d, e) in p.top("default") {
            for key in ["before_script", "after_script"] {
                if let Some(n) = e.value.get(key) {
                    lines.extend(script_lines(n).into_iter().map(|n| (d, n)));
                }
            }
        }
    }
    for (doc, node) in lines {
        let Some(script) = node.as_str() else { continue };
        let Some(r) = detect::pipe_to_shell(script) else { continue };
        let t = text(cx, doc);
        let tool = &script[r.clone()];
        cx.report_in(doc, locate_cooked(t, node, r.clone()), format!("`{tool}` output is piped straight into a shell"))
            .help("download to a file, check its checksum or signature, then run it; or use a pinned release");
    }
}
