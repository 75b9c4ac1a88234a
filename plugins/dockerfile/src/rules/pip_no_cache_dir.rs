//! ## What it does
//! Flags `pip install` in the final image without `--no-cache-dir`, unless
//! `PIP_NO_CACHE_DIR` is set with `ENV` or the pip cache is a cache mount.
//! Build stages that are not part of the final image are not flagged.
//!
//! ## Why is this bad?
//! pip keeps downloaded wheels in `~/.cache/pip`; in an image that is dead
//! weight, often as large as the installed packages.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN pip install -r requirements.txt
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "pip install without --no-cache-dir",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3042"],
    tags: &["image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let final_stages = final_lineage(df);
    let env_set = df.instructions.iter().filter(|i| i.is("ENV")).flat_map(|i| i.pairs()).any(|kv| {
        kv.key == "PIP_NO_CACHE_DIR" && kv.value.as_ref().is_some_and(|v| !matches!(v.value.as_str(), "0" | "false" | ""))
    });
    if env_set {
        return;
    }
    for (_, ins) in runs(df) {
        if !ins.stage.is_some_and(|s| final_stages.contains(&s)) || has_cache_mount(ins, &["/root/.cache", "/root/.cache/pip"]) {
            continue;
        }
        for c in &ins.commands {
            let args = c.args();
            let install = match c.name() {
                "pip" | "pip3" => args.iter().find(|a| !a.value.starts_with('-')).filter(|a| a.value == "install"),
                n if n.starts_with("python") => {
                    let m = args.windows(2).position(|w| w[0].value == "-m" && (w[1].value == "pip" || w[1].value == "pip3"));
                    m.and_then(|i| args.get(i + 2)).filter(|a| a.value == "install")
                }
                _ => None,
            };
            let Some(install) = install else { continue };
            if c.has_option(&["--no-cache-dir", "--no-cache"], None) {
                continue;
            }
            let edit = insert_after(cx.text, install, " --no-cache-dir");
            let f = cx.report(install.span.clone(), "`pip install` keeps its download cache in the image")
                .help("add `--no-cache-dir` (or set `ENV PIP_NO_CACHE_DIR=1`)");
            if let Some(edit) = edit {
                f.fix("add `--no-cache-dir`", Applicability::Safe, vec![edit]);
            }
        }
    }
}
