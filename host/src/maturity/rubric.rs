//! The rubric: levels and criteria as data (`policies/maturity.toml`, schema in docs/maturity.md).
use std::collections::BTreeSet;

use miette::NamedSource;
use serde::Deserialize;

use crate::error::{ConfigError, Error};

/// The built-in rubric.
pub const BUILTIN: &str = include_str!("../../../policies/maturity.toml");
pub const BUILTIN_NAME: &str = "policies/maturity.toml (built in)";
/// The strict rubric: every criterion gates (`--rubric policies/maturity-strict.toml`,
/// or `rubric = "strict"` in `[maturity]`).
pub const STRICT: &str = include_str!("../../../policies/maturity-strict.toml");
pub const STRICT_NAME: &str = "policies/maturity-strict.toml (built in)";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rubric {
    /// The schema version (this opslint reads 1).
    pub version: u32,
    /// The rubric's own revision: bumped when its criteria change, so a verdict
    /// document says which judgement it came from.
    #[serde(default)]
    pub revision: u32,
    #[serde(rename = "level")]
    pub levels: Vec<Level>,
    #[serde(rename = "criterion")]
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Level {
    pub level: u32,
    pub name: String,
    pub summary: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Criterion {
    pub id: String,
    pub level: u32,
    pub title: String,
    pub description: String,
    pub when: Expr,
    /// Advisory criteria are judged and reported (evidence, improvement plan)
    /// but never block a level; gating ones (the default) decide the level.
    #[serde(default)]
    pub advisory: bool,
    /// When this holds (records that say something that could decide the
    /// criterion could not be read), the criterion is "not assessed", naming
    /// what could not be read, unless a `flag` record that is `false` refutes
    /// it (a database that was read has no backup: nothing unread undoes that).
    pub unknown_when: Option<Expr>,
    /// What counts as evidence, in words (`opslint explain`, docs/maturity.md).
    #[serde(default)]
    pub counts: Option<String>,
    /// What does not count, in words.
    #[serde(default)]
    pub does_not_count: Option<String>,
    /// Plugins that must have run for the criterion to be judged at all.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Rule ids (`*` wildcards) whose findings stand in the way of this criterion.
    #[serde(default)]
    pub blocking_rules: Vec<String>,
    /// A finding of `blocking-rules` makes the criterion fail even when its evidence is there.
    #[serde(default)]
    pub fail_on_findings: bool,
    /// Evidence keys shown beside the verdict for orientation (each database, the runbook
    /// documents found); they do not decide it.
    #[serde(default)]
    pub context: Vec<String>,
    pub hint: String,
}

/// An expression over evidence keys: exactly one operator per table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Expr {
    /// Some record of one of these keys is present (flag true, count > 0, non-empty text or items).
    pub any: Option<Vec<String>>,
    /// Every one of these keys has a present record.
    pub all: Option<Vec<String>>,
    /// With `any` / `all`: only records whose text or items contain this (case-insensitive).
    pub matching: Option<String>,
    /// Records of this key exist and every one is `true`.
    pub flag: Option<String>,
    /// The counts of these keys (count values; any other present record counts 1) add up to `min`.
    pub count: Option<Vec<String>>,
    /// `M/N` fractions in the text of these keys' records, summed, reach `min` (0.0–1.0); N > 0.
    pub ratio: Option<Vec<String>>,
    /// With `ratio`: read the fraction after this word (`readiness 3/4, liveness 2/4`).
    pub part: Option<String>,
    pub min: Option<f64>,
    pub any_of: Option<Vec<Expr>>,
    pub all_of: Option<Vec<Expr>>,
}

impl Expr {
    /// Every evidence key the expression reads.
    pub fn keys(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for list in [&self.any, &self.all, &self.count, &self.ratio].into_iter().flatten() {
            out.extend(list.iter().map(String::as_str));
        }
        out.extend(self.flag.as_deref());
        for sub in [&self.any_of, &self.all_of].into_iter().flatten() {
            for e in sub {
                out.extend(e.keys());
            }
        }
        out
    }

    fn check(&self, at: &str) -> Result<(), String> {
        let ops = [
            self.any.is_some(),
            self.all.is_some(),
            self.flag.is_some(),
            self.count.is_some(),
            self.ratio.is_some(),
            self.any_of.is_some(),
            self.all_of.is_some(),
        ];
        let n = ops.iter().filter(|x| **x).count();
        if n != 1 {
            return Err(format!(
                "{at}: `when` needs exactly one of any, all, flag, count, ratio, any-of, all-of (found {n})"
            ));
        }
        if self.matching.is_some() && self.any.is_none() && self.all.is_none() {
            return Err(format!("{at}: `matching` goes with `any` or `all`"));
        }
        if self.part.is_some() && self.ratio.is_none() {
            return Err(format!("{at}: `part` goes with `ratio`"));
        }
        match (self.count.is_some() || self.ratio.is_some(), self.min) {
            (true, None) => return Err(format!("{at}: `count` and `ratio` need `min`")),
            (false, Some(_)) => return Err(format!("{at}: `min` goes with `count` or `ratio`")),
            _ => {}
        }
        for k in self.keys() {
            if !k.split_once('/').is_some_and(|(p, r)| !p.is_empty() && !r.is_empty()) {
                return Err(format!("{at}: evidence key `{k}` is not `<plugin>/<fact>`"));
            }
        }
        for sub in [&self.any_of, &self.all_of].into_iter().flatten() {
            if sub.is_empty() {
                return Err(format!("{at}: an empty `any-of` / `all-of`"));
            }
            for e in sub {
                e.check(at)?;
            }
        }
        for list in [&self.any, &self.all, &self.count, &self.ratio].into_iter().flatten() {
            if list.is_empty() {
                return Err(format!("{at}: an empty list of evidence keys"));
            }
        }
        Ok(())
    }
}

impl Criterion {
    /// `gating` or `advisory`: the word the reports use.
    pub fn role(&self) -> &'static str {
        if self.advisory {
            "advisory"
        } else {
            "gating"
        }
    }

    /// Plugins the criterion reads evidence of, or needs: sorted, deduplicated.
    pub fn plugins(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self.needs.iter().cloned().collect();
        for k in self.when.keys() {
            set.insert(k.split_once('/').map_or(k, |(p, _)| p).to_string());
        }
        set.into_iter().collect()
    }
}

/// Parses and checks a rubric; `name` is shown in errors.
pub fn parse(name: &str, text: &str) -> Result<Rubric, Error> {
    let located = |message: String, span: std::ops::Range<usize>| {
        Error::Config(Box::new(ConfigError {
            message,
            src: NamedSource::new(name, text.to_string()),
            span: span.into(),
            label: "here".into(),
            help: Some("the rubric schema is in docs/maturity.md".into()),
        }))
    };
    let rubric: Rubric = toml::from_str(text).map_err(|e| {
        let msg = e.message().lines().next().unwrap_or("").to_string();
        located(format!("invalid maturity rubric: {msg}"), e.span().unwrap_or(0..0))
    })?;
    let invalid = |message: String| Error::Usage {
        message: format!("invalid maturity rubric {name}: {message}"),
        help: Some("the rubric schema is in docs/maturity.md".into()),
    };
    if rubric.version != 1 {
        return Err(invalid(format!("version {} is not supported (this opslint reads version 1)", rubric.version)));
    }
    if rubric.levels.is_empty() {
        return Err(invalid("no [[level]]".into()));
    }
    for (i, l) in rubric.levels.iter().enumerate() {
        if l.level != i as u32 + 1 {
            return Err(invalid(format!(
                "levels are numbered 1, 2, 3… in order; found level {} at position {}",
                l.level,
                i + 1
            )));
        }
    }
    let mut ids = BTreeSet::new();
    for c in &rubric.criteria {
        if !ids.insert(c.id.as_str()) {
            return Err(invalid(format!("criterion `{}` is defined twice", c.id)));
        }
        if !rubric.levels.iter().any(|l| l.level == c.level) {
            return Err(invalid(format!("criterion `{}` is at level {}, which is not defined", c.id, c.level)));
        }
        c.when.check(&format!("criterion `{}`", c.id)).map_err(invalid)?;
        if let Some(u) = &c.unknown_when {
            u.check(&format!("criterion `{}` (unknown-when)", c.id)).map_err(invalid)?;
        }
        if let Some(k) = c.context.iter().find(|k| !k.contains('/')) {
            return Err(invalid(format!("criterion `{}`: context key `{k}` is not `<plugin>/<fact>`", c.id)));
        }
    }
    for l in &rubric.levels {
        if !rubric.criteria.iter().any(|c| c.level == l.level && !c.advisory) {
            return Err(invalid(format!("level {} has no gating criterion", l.level)));
        }
    }
    Ok(rubric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rubric_parses() {
        let r = parse(BUILTIN_NAME, BUILTIN).unwrap();
        assert_eq!(r.levels.len(), 3);
        assert!(r.criteria.iter().any(|c| c.id == "manual-backup" && c.plugins() == ["backup"]));
    }

    /// The default rubric gates on the seed's checklist and nothing else; the
    /// strict one gates on every criterion. Both describe every criterion.
    #[test]
    fn the_default_rubric_gates_on_the_checklist_and_the_strict_one_on_everything() {
        let r = parse(BUILTIN_NAME, BUILTIN).unwrap();
        let gating = |r: &Rubric, level: u32| -> Vec<String> {
            r.criteria.iter().filter(|c| c.level == level && !c.advisory).map(|c| c.id.clone()).collect()
        };
        assert_eq!(gating(&r, 1), ["deploy-config", "manual-backup", "manual-restore", "readable-logs"]);
        assert_eq!(
            gating(&r, 2),
            [
                "automated-deploy",
                "backups-automated",
                "restore-verified",
                "metrics",
                "dashboards-as-code",
                "alert-rules",
                "runbook"
            ]
        );
        assert_eq!(gating(&r, 3), ["autoscaling", "multi-zone", "dr-drills", "chaos", "slo"]);
        let advisory: Vec<&str> = r.criteria.iter().filter(|c| c.advisory).map(|c| c.id.as_str()).collect();
        assert_eq!(
            advisory,
            [
                "tests-on-pull-requests",
                "backup-alerting",
                "alert-runbooks",
                "rto-rpo",
                "progressive-delivery",
                "postmortems"
            ]
        );
        let strict = parse("policies/maturity-strict.toml", STRICT).unwrap();
        assert!(strict.criteria.iter().all(|c| !c.advisory));
        let ids = |r: &Rubric| r.criteria.iter().map(|c| (c.id.clone(), c.level)).collect::<Vec<_>>();
        assert_eq!(ids(&r), ids(&strict), "the strict rubric judges the same criteria at the same levels");
        for c in r.criteria.iter().chain(&strict.criteria) {
            assert!(c.counts.is_some() && c.does_not_count.is_some(), "{} says what counts and what does not", c.id);
        }
    }

    #[test]
    fn advisory_and_unknown_when_are_checked() {
        let base = "version = 1\n[[level]]\nlevel = 1\nname = \"a\"\nsummary = \"b\"\n[[criterion]]\nid = \"x\"\nlevel = 1\ntitle = \"t\"\ndescription = \"d\"\nhint = \"h\"\nwhen = { any = [\"k8s/hpa\"] }\n";
        let e = parse("r.toml", &base.replace("hint =", "advisory = true\nhint =")).unwrap_err().to_string();
        assert!(e.contains("level 1 has no gating criterion"), "{e}");
        let e = parse("r.toml", &base.replace("hint =", "unknown-when = { any = [\"nokey\"] }\nhint ="))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown-when") && e.contains("`nokey`"), "{e}");
        let ok = parse("r.toml", &base.replace("hint =", "unknown-when = { any = [\"backup/unreadable\"] }\nhint ="))
            .unwrap();
        assert_eq!(ok.criteria[0].role(), "gating");
    }

    #[test]
    fn an_expression_has_one_operator() {
        let text = "version = 1\n[[level]]\nlevel = 1\nname = \"a\"\nsummary = \"b\"\n[[criterion]]\nid = \"x\"\nlevel = 1\ntitle = \"t\"\ndescription = \"d\"\nhint = \"h\"\nwhen = { any = [\"k8s/hpa\"], flag = \"backup/x\" }\n";
        let e = parse("r.toml", text).unwrap_err().to_string();
        assert!(e.contains("exactly one"), "{e}");
        let e = parse("r.toml", &text.replace(", flag = \"backup/x\"", ", colour = 1")).unwrap_err().to_string();
        assert!(e.contains("unknown field `colour`"), "{e}");
    }
}
