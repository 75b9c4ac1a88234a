//! The rubric: levels and criteria as data (`policies/maturity.toml`, schema in docs/maturity.md).
use std::collections::BTreeSet;

use miette::NamedSource;
use serde::Deserialize;

use crate::error::{ConfigError, Error};

/// The built-in rubric.
pub const BUILTIN: &str = include_str!("../../../policies/maturity.toml");
pub const BUILTIN_NAME: &str = "policies/maturity.toml (built in)";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rubric {
    pub version: u32,
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
        if let Some(k) = c.context.iter().find(|k| !k.contains('/')) {
            return Err(invalid(format!("criterion `{}`: context key `{k}` is not `<plugin>/<fact>`", c.id)));
        }
    }
    for l in &rubric.levels {
        if !rubric.criteria.iter().any(|c| c.level == l.level) {
            return Err(invalid(format!("level {} has no criterion", l.level)));
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

    #[test]
    fn an_expression_has_one_operator() {
        let text = "version = 1\n[[level]]\nlevel = 1\nname = \"a\"\nsummary = \"b\"\n[[criterion]]\nid = \"x\"\nlevel = 1\ntitle = \"t\"\ndescription = \"d\"\nhint = \"h\"\nwhen = { any = [\"k8s/hpa\"], flag = \"backup/x\" }\n";
        let e = parse("r.toml", text).unwrap_err().to_string();
        assert!(e.contains("exactly one"), "{e}");
        let e = parse("r.toml", &text.replace(", flag = \"backup/x\"", ", colour = 1")).unwrap_err().to_string();
        assert!(e.contains("unknown field `colour`"), "{e}");
    }
}
