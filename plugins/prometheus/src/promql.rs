//! Questions the rules ask of a parsed PromQL expression.
use std::collections::BTreeSet;

use promql_parser::label::MatchOp;
use promql_parser::parser::{Expr, LabelModifier, VectorMatchCardinality};

/// Calls `f` on every node, parents before children; `inside` lists the
/// functions and aggregations that enclose the node (outermost first).
pub fn visit<'e>(expr: &'e Expr, inside: &mut Vec<String>, f: &mut dyn FnMut(&'e Expr, &[String])) {
    f(expr, inside);
    match expr {
        Expr::Aggregate(a) => {
            inside.push(a.op.to_string().to_lowercase());
            if let Some(p) = &a.param {
                visit(p, inside, f);
            }
            visit(&a.expr, inside, f);
            inside.pop();
        }
        Expr::Unary(u) => visit(&u.expr, inside, f),
        Expr::Binary(b) => {
            visit(&b.lhs, inside, f);
            visit(&b.rhs, inside, f);
        }
        Expr::Paren(p) => visit(&p.expr, inside, f),
        Expr::Subquery(s) => visit(&s.expr, inside, f),
        Expr::Call(c) => {
            inside.push(c.func.name.to_string());
            for a in &c.args.args {
                visit(a, inside, f);
            }
            inside.pop();
        }
        _ => {}
    }
}

pub fn unparen(mut e: &Expr) -> &Expr {
    while let Expr::Paren(p) = e {
        e = &p.expr;
    }
    e
}

/// The metric names the expression reads.
pub fn metric_names(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    visit(expr, &mut Vec::new(), &mut |e, _| match e {
        Expr::VectorSelector(v) => out.extend(v.name.clone()),
        Expr::MatrixSelector(m) => out.extend(m.vs.name.clone()),
        _ => {}
    });
    out
}

/// The labels the result's series can carry: `None` when any label of the
/// input may survive (a selector, or a shape this analysis does not follow).
pub fn kept_labels(expr: &Expr) -> Option<BTreeSet<String>> {
    match expr {
        Expr::Paren(p) => kept_labels(&p.expr),
        Expr::Unary(u) => kept_labels(&u.expr),
        Expr::Subquery(s) => kept_labels(&s.expr),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => Some(BTreeSet::new()),
        Expr::VectorSelector(_) | Expr::MatrixSelector(_) | Expr::Extension(_) => None,
        Expr::Aggregate(a) => {
            let op = a.op.to_string().to_lowercase();
            let inner = kept_labels(&a.expr);
            // These keep the input series as they are.
            if ["topk", "bottomk", "limitk", "limit_ratio"].contains(&op.as_str()) {
                return inner;
            }
            let mut set = match &a.modifier {
                None => BTreeSet::new(),
                Some(LabelModifier::Include(ls)) => ls.labels.iter().cloned().collect(),
                Some(LabelModifier::Exclude(ls)) => {
                    let mut s = inner?;
                    for l in &ls.labels {
                        s.remove(l);
                    }
                    s
                }
            };
            if op == "count_values" {
                if let Some(Expr::StringLiteral(s)) = a.param.as_deref() {
                    set.insert(s.val.clone());
                }
            }
            Some(set)
        }
        Expr::Call(c) => {
            let args = &c.args.args;
            match c.func.name {
                "absent" | "absent_over_time" => Some(equality_labels(args.first()?)),
                "vector" | "time" | "scalar" | "pi" => Some(BTreeSet::new()),
                "label_replace" | "label_join" => {
                    let mut s = kept_labels(args.first()?)?;
                    if let Some(Expr::StringLiteral(d)) = args.get(1).map(|a| &**a) {
                        s.insert(d.val.clone());
                    }
                    Some(s)
                }
                "histogram_quantile" => {
                    let mut s = kept_labels(args.get(1)?)?;
                    s.remove("le");
                    Some(s)
                }
                _ => {
                    // Functions of one vector keep its labels; take the first vector argument.
                    let v = args.iter().find(|a| !matches!(&***a, Expr::NumberLiteral(_) | Expr::StringLiteral(_)))?;
                    kept_labels(v)
                }
            }
        }
        Expr::Binary(b) => {
            let (l, r) = (kept_labels(&b.lhs), kept_labels(&b.rhs));
            let l_scalar = is_scalar(&b.lhs);
            let r_scalar = is_scalar(&b.rhs);
            if r_scalar {
                return l;
            }
            if l_scalar {
                return r;
            }
            let op = b.op.to_string().to_lowercase();
            let modifier = b.modifier.as_ref();
            let card = modifier.map(|m| &m.card);
            match op.as_str() {
                "or" => {
                    let (mut l, r) = (l?, r?);
                    l.extend(r);
                    Some(l)
                }
                "and" | "unless" => l,
                _ => match card {
                    Some(VectorMatchCardinality::ManyToOne(extra)) => {
                        let mut s = l?;
                        s.extend(extra.labels.iter().cloned());
                        Some(s)
                    }
                    Some(VectorMatchCardinality::OneToMany(extra)) => {
                        let mut s = r?;
                        s.extend(extra.labels.iter().cloned());
                        Some(s)
                    }
                    _ if is_comparison(&op) && !modifier.is_some_and(|m| m.return_bool) => l,
                    _ => match modifier.and_then(|m| m.matching.as_ref()) {
                        Some(LabelModifier::Include(on)) => Some(on.labels.iter().cloned().collect()),
                        _ => {
                            let (l, r) = (l?, r?);
                            Some(l.intersection(&r).cloned().collect())
                        }
                    },
                },
            }
        }
    }
}

fn equality_labels(arg: &Expr) -> BTreeSet<String> {
    let vs = match unparen(arg) {
        Expr::VectorSelector(v) => v,
        Expr::MatrixSelector(m) => &m.vs,
        _ => return BTreeSet::new(),
    };
    vs.matchers
        .matchers
        .iter()
        .filter(|m| matches!(m.op, MatchOp::Equal) && m.name != "__name__")
        .map(|m| m.name.clone())
        .collect()
}

pub fn is_scalar(e: &Expr) -> bool {
    match unparen(e) {
        Expr::NumberLiteral(_) => true,
        Expr::Unary(u) => is_scalar(&u.expr),
        Expr::Call(c) => {
            ["scalar", "time", "pi", "minute", "hour", "day_of_month", "day_of_week", "month", "year", "days_in_month"]
                .contains(&c.func.name)
                && (c.func.name == "scalar" || c.func.name == "time" || c.func.name == "pi" || c.args.args.is_empty())
        }
        Expr::Binary(b) => is_scalar(&b.lhs) && is_scalar(&b.rhs),
        _ => false,
    }
}

pub fn is_comparison(op: &str) -> bool {
    ["==", "!=", ">", "<", ">=", "<="].contains(&op)
}

/// How an alert's expression filters: what the top level does.
pub enum Condition {
    /// A comparison, a set operation, `absent()`: only some series fire.
    Filters,
    /// A comparison with `bool`: every series returns 0 or 1 and fires.
    Bool,
    /// Nothing filters the series: every series fires.
    None,
    /// Deliberately always firing (`vector(1)`), or a recording rule's output that may already be filtered.
    Intended,
}

pub fn condition(expr: &Expr) -> Condition {
    match unparen(expr) {
        Expr::Binary(b) => {
            let op = b.op.to_string().to_lowercase();
            if ["and", "unless", "or"].contains(&op.as_str()) {
                return match (condition(&b.lhs), condition(&b.rhs)) {
                    (Condition::None, Condition::None) if op == "or" => Condition::None,
                    (Condition::Bool, _) if op != "or" => Condition::Bool,
                    _ => Condition::Filters,
                };
            }
            if is_comparison(&op) {
                if b.return_bool() {
                    return Condition::Bool;
                }
                return Condition::Filters;
            }
            // Arithmetic on a filtered side filters too (`(x > 1) * 100`).
            match (condition(&b.lhs), condition(&b.rhs)) {
                (Condition::Filters, _) | (_, Condition::Filters) => Condition::Filters,
                (Condition::Intended, _) | (_, Condition::Intended) => Condition::Intended,
                _ => Condition::None,
            }
        }
        Expr::Call(c) => match c.func.name {
            "absent" | "absent_over_time" => Condition::Filters,
            "vector" => Condition::Intended,
            _ => c.args.args.iter().map(|a| condition(a)).fold(Condition::None, |acc, c| match (acc, c) {
                (Condition::Filters, _) | (_, Condition::Filters) => Condition::Filters,
                (Condition::Intended, _) | (_, Condition::Intended) => Condition::Intended,
                _ => Condition::None,
            }),
        },
        Expr::Aggregate(a) => condition(&a.expr),
        Expr::Subquery(s) => condition(&s.expr),
        Expr::Unary(u) => condition(&u.expr),
        Expr::NumberLiteral(_) => Condition::Intended,
        Expr::VectorSelector(v) => selector_condition(&v.name),
        Expr::MatrixSelector(m) => selector_condition(&m.vs.name),
        _ => Condition::None,
    }
}

/// A recording rule's output (`job:slo_errors:alert`) or `ALERTS` may be filtered where it is recorded.
fn selector_condition(name: &Option<String>) -> Condition {
    match name {
        Some(n) if n.contains(':') || n == "ALERTS" || n == "ALERTS_FOR_STATE" => Condition::Intended,
        _ => Condition::None,
    }
}
