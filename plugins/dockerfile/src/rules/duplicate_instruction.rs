//! ## What it does
//! Flags a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that is followed by another
//! one of the same kind in the same stage. One rule covers the three because
//! the problem is the same: only the last one takes effect.
//!
//! ## Why is this bad?
//! The earlier instruction is dead code that readers will take at face
//! value. It is usually a merge leftover or a misunderstanding of how `CMD`
//! and `ENTRYPOINT` combine.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! CMD ["python", "manage.py", "migrate"]
//! CMD ["gunicorn", "app.wsgi"]
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! ENTRYPOINT ["/docker-entrypoint.sh"]
//! CMD ["gunicorn", "app.wsgi"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "CMD, ENTRYPOINT or HEALTHCHECK overridden in the same stage",
    severity: Severity::Low,
    aliases: &["DL4003", "DL4004", "DL3012", "DS007", "DS016", "DS023"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for stage in &df.stages {
        for kw in ["CMD", "ENTRYPOINT", "HEALTHCHECK"] {
            let all: Vec<&Instruction> = in_stage(df, stage, kw).collect();
            let Some((last, earlier)) = all.split_last() else { continue };
            for ins in earlier {
                let line = cx.lines().line(last.span.start);
                cx.report(ins.keyword_span.clone(), format!("this `{kw}` has no effect: line {line} replaces it"))
                    .related(last.keyword_span.clone(), format!("the `{kw}` that takes effect"))
                    .help(format!("keep a single `{kw}` per stage"));
            }
        }
    }
}
