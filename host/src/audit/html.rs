//! The scorecard as one self-contained HTML page: inline CSS and SVG, no
//! script and no network (a Content-Security-Policy forbids both), filters
//! made of radio buttons and CSS, a repositories × criteria heat map whose
//! cells link to each repository's verdicts and evidence.
use std::fmt::Write;

use super::merge::{by_rank, Row, Scorecard, SPOTLIGHT_SHOWN};

const STYLE: &str = include_str!("scorecard.css");

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// `pass` → ✓ and so on; the class carries the colour.
fn mark(verdict: &str) -> (&'static str, &'static str) {
    match verdict {
        "pass" => ("pass", "✓"),
        "fail" => ("fail", "✗"),
        "not-assessed" => ("na", "?"),
        _ => ("none", ""),
    }
}

fn level_key(r: &Row) -> String {
    match (&r.error, r.level) {
        (Some(_), _) => "error".into(),
        (None, l) => l.unwrap_or(0).to_string(),
    }
}

/// `path:line` as a link into the repository's web view when it has one.
fn evidence_link(row: &Row, loc: &str) -> String {
    let Some(base) = &row.browse else { return format!("<code>{}</code>", esc(loc)) };
    let (path, line) = match loc.rsplit_once(':') {
        Some((p, l)) if l.chars().all(|c| c.is_ascii_digit()) && !l.is_empty() => (p, Some(l)),
        _ => (loc, None),
    };
    let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
    format!("<a href=\"{}{}{}\"><code>{}</code></a>", esc(base), esc(path), anchor, esc(loc))
}

fn level_chart(sc: &Scorecard) -> String {
    let max = sc.levels.iter().map(|l| l.repositories).max().unwrap_or(0).max(sc.errors).max(1);
    let mut bars: Vec<(String, usize, String)> = sc
        .levels
        .iter()
        .map(|l| (format!("L{} {}", l.level, l.name), l.repositories, format!("l{}", l.level.min(3))))
        .collect();
    if sc.errors > 0 {
        bars.push(("error".into(), sc.errors, "err".into()));
    }
    let (row, label_w, bar_w) = (28, 130, 260);
    let h = row * bars.len() + 8;
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"Repositories by level\" viewBox=\"0 0 {} {h}\" width=\"{}\" height=\"{h}\">",
        label_w + bar_w + 50,
        label_w + bar_w + 50
    );
    for (i, (label, n, class)) in bars.iter().enumerate() {
        let y = i * row + 4;
        let w = if *n == 0 { 0 } else { (bar_w * n / max).max(2) };
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" class=\"lbl\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"3\" class=\"bar {class}\"/><text x=\"{}\" y=\"{}\" class=\"num\">{n}</text>",
            y + 15,
            esc(label),
            row - 8,
            label_w + w + 6,
            y + 15
        );
    }
    s.push_str("</svg>");
    s
}

fn criteria_chart(sc: &Scorecard) -> String {
    let shown: Vec<_> = sc.most_failed.iter().take(10).filter_map(|id| sc.criterion(id)).collect();
    if shown.is_empty() {
        return "<p>Every criterion passes in every repository assessed.</p>".into();
    }
    let (row, label_w, bar_w) = (26, 170, 260);
    let h = row * shown.len() + 8;
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"Criteria most often failed\" viewBox=\"0 0 {} {h}\" width=\"{}\" height=\"{h}\">",
        label_w + bar_w + 60,
        label_w + bar_w + 60
    );
    for (i, c) in shown.iter().enumerate() {
        let y = i * row + 4;
        let total = (c.pass + c.fail + c.not_assessed).max(1);
        let wf = bar_w * c.fail / total;
        let wn = bar_w * c.not_assessed / total;
        let wp = bar_w - wf - wn;
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" class=\"lbl\">{}</text><title>{}</title>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{wf}\" height=\"{}\" class=\"bar fail\"/>\
             <rect x=\"{}\" y=\"{y}\" width=\"{wn}\" height=\"{}\" class=\"bar na\"/>\
             <rect x=\"{}\" y=\"{y}\" width=\"{wp}\" height=\"{}\" class=\"bar pass\"/>\
             <text x=\"{}\" y=\"{}\" class=\"num\">{}/{}</text>",
            y + 14,
            esc(&c.id),
            esc(&c.title),
            row - 8,
            label_w + wf,
            row - 8,
            label_w + wf + wn,
            row - 8,
            label_w + bar_w + 6,
            y + 14,
            c.fail,
            total
        );
    }
    s.push_str("</svg>");
    s
}

fn filters(sc: &Scorecard) -> (String, String) {
    let mut inputs = String::from("<input type=\"radio\" name=\"f\" id=\"f-all\" class=\"f\" checked>");
    let mut labels = format!("<label for=\"f-all\">All <b>{}</b></label>", sc.repositories_total);
    for l in &sc.levels {
        let _ = write!(inputs, "<input type=\"radio\" name=\"f\" id=\"f-{}\" class=\"f\">", l.level);
        let _ = write!(
            labels,
            "<label for=\"f-{}\">L{} {} <b>{}</b></label>",
            l.level,
            l.level,
            esc(&l.name),
            l.repositories
        );
    }
    if sc.errors > 0 {
        inputs.push_str("<input type=\"radio\" name=\"f\" id=\"f-error\" class=\"f\">");
        let _ = write!(labels, "<label for=\"f-error\">Errors <b>{}</b></label>", sc.errors);
    }
    // A second group, combined with the first: the repositories a spotlight question names.
    inputs.push_str("<input type=\"radio\" name=\"s\" id=\"s-any\" class=\"f\" checked>");
    labels.push_str("<span class=\"sep\"></span><label for=\"s-any\">Any</label>");
    for sp in &sc.spotlights {
        let _ = write!(inputs, "<input type=\"radio\" name=\"s\" id=\"s-{}\" class=\"f\">", esc(&sp.criterion));
        let _ = write!(
            labels,
            "<label for=\"s-{}\" title=\"{}\">{} <b>{}</b></label>",
            esc(&sp.criterion),
            esc(&sp.question),
            esc(&sp.label),
            sp.repositories.len()
        );
    }
    (inputs, labels)
}

/// The CSS rules that make each filter show only its repositories.
fn filter_css(sc: &Scorecard) -> String {
    let mut keys: Vec<String> = sc.levels.iter().map(|l| l.level.to_string()).collect();
    keys.push("error".into());
    let mut css: String = keys.iter()
        .map(|k| format!("#f-{k}:checked~main .repo:not([data-level=\"{k}\"]){{display:none}}#f-{k}:checked~nav label[for=\"f-{k}\"]{{background:var(--ink);color:#fff}}"))
        .collect();
    css.push_str("#f-all:checked~nav label[for=\"f-all\"],#s-any:checked~nav label[for=\"s-any\"]{background:var(--ink);color:#fff}");
    for sp in &sc.spotlights {
        let k = esc(&sp.criterion);
        let _ = write!(
            css,
            "#s-{k}:checked~main .repo:not([data-s~=\"{k}\"]){{display:none}}#s-{k}:checked~nav label[for=\"s-{k}\"]{{background:var(--fail);border-color:var(--fail);color:#fff}}"
        );
    }
    css
}

/// The spotlight criteria a repository does not pass, for the question filters.
fn spotlit(sc: &Scorecard, r: &Row) -> String {
    let ids: Vec<String> = sc
        .spotlights
        .iter()
        .filter(|sp| {
            r.error.is_some()
                || r.cells
                    .iter()
                    .any(|c| c.criterion == sp.criterion && (c.verdict == "fail" || c.verdict == "not-assessed"))
        })
        .map(|sp| esc(&sp.criterion))
        .collect();
    ids.join(" ")
}

fn heat_map(sc: &Scorecard) -> String {
    // The first criterion of each level starts a group (a wider gap, a label above).
    let first: Vec<bool> =
        sc.criteria.iter().enumerate().map(|(i, c)| i == 0 || sc.criteria[i - 1].level != c.level).collect();
    let mut s =
        String::from("<div class=\"scroll\"><table class=\"heat\"><thead><tr class=\"groups\"><th></th><th></th>");
    for (i, c) in sc.criteria.iter().enumerate().filter(|(i, _)| first[*i]) {
        let span = sc.criteria[i..].iter().take_while(|k| k.level == c.level).count();
        let name = sc.levels.iter().find(|l| l.level == c.level).map(|l| l.name.as_str()).unwrap_or("");
        let _ = write!(s, "<th class=\"first\" colspan=\"{span}\">L{} {}</th>", c.level, esc(name));
    }
    s.push_str("<th></th></tr><tr><th class=\"name\">Repository</th><th>Level</th>");
    for (i, c) in sc.criteria.iter().enumerate() {
        let _ = write!(
            s,
            "<th class=\"crit {}{}\" title=\"L{} {}: {}\"><span>{}</span></th>",
            if c.role == "gating" { "gating" } else { "advisory" },
            if first[i] { " first" } else { "" },
            c.level,
            c.role,
            esc(&c.title),
            esc(&c.id)
        );
    }
    s.push_str("<th>Findings</th></tr></thead><tbody>");
    for (i, r) in sc.repositories.iter().enumerate() {
        let key = level_key(r);
        let _ = write!(
            s,
            "<tr class=\"repo\" data-level=\"{key}\" data-s=\"{}\"><th class=\"name\"><a href=\"#r{i}\">{}</a></th><td class=\"lv l{}\">{}</td>",
            spotlit(sc, r),
            esc(&r.name),
            esc(&key),
            if r.error.is_some() { "error".to_string() } else { format!("L{key}") }
        );
        if let Some(e) = &r.error {
            let _ = write!(s, "<td class=\"err\" colspan=\"{}\">{}</td>", sc.criteria.len(), esc(e));
        } else {
            for (k, c) in r.cells.iter().enumerate() {
                let (class, sym) = mark(&c.verdict);
                let class = if first[k] { format!("{class} first") } else { class.to_string() };
                // The reason is in the section the cell links to: a fleet's page stays small.
                let _ = write!(
                    s,
                    "<td class=\"v {class}\"><a href=\"#r{i}-{0}\" title=\"{0}: {1}\">{sym}</a></td>",
                    esc(&c.criterion),
                    esc(&c.verdict),
                );
            }
        }
        let _ = write!(s, "<td class=\"n\">{}</td></tr>", r.findings);
    }
    s.push_str("</tbody></table></div>");
    s
}

fn details(sc: &Scorecard) -> String {
    let mut s = String::new();
    for (i, r) in sc.repositories.iter().enumerate() {
        let key = level_key(r);
        let head = match &r.error {
            Some(_) => "error".to_string(),
            None => format!("L{key}"),
        };
        let _ = write!(
            s,
            "<details class=\"repo\" id=\"r{i}\" data-level=\"{key}\" data-s=\"{}\"><summary><b>{}</b> <span class=\"lv l{key}\">{head}</span> <span class=\"src\">{}{}</span></summary>",
            spotlit(sc, r),
            esc(&r.name),
            // A path's source is its name: said once.
            if r.source == r.name { String::new() } else { esc(&r.source) },
            r.commit.as_deref().map(|c| format!(" @ {}", esc(&c[..c.len().min(12)]))).unwrap_or_default()
        );
        if let Some(e) = &r.error {
            let _ = write!(s, "<p class=\"err\">{}</p></details>", esc(e));
            continue;
        }
        let sev: Vec<String> = by_rank(&r.findings_by_severity).iter().map(|(k, n)| format!("{n} {k}")).collect();
        let _ = write!(
            s,
            "<p>{} findings{}</p><table class=\"verdicts\"><tbody>",
            r.findings,
            if sev.is_empty() { String::new() } else { format!(": {}", sev.join(", ")) }
        );
        for c in &r.cells {
            let (class, sym) = mark(&c.verdict);
            let ev: Vec<String> = c.evidence.iter().take(5).map(|l| evidence_link(r, l)).collect();
            let more = if c.evidence.len() > 5 { format!(" and {} more", c.evidence.len() - 5) } else { String::new() };
            let _ = write!(
                s,
                "<tr id=\"r{i}-{}\"><td class=\"v {class}\">{sym}</td><th>{}</th><td>{}<div class=\"ev\">{}{more}</div></td></tr>",
                esc(&c.criterion),
                esc(&c.criterion),
                esc(&c.reason),
                ev.join(" ")
            );
        }
        s.push_str("</tbody></table></details>");
    }
    s
}

fn spotlights(sc: &Scorecard) -> String {
    let mut s = String::new();
    for sp in &sc.spotlights {
        let _ = write!(s, "<div class=\"spot\"><h3>{} <b>{}</b></h3><ul>", esc(&sp.question), sp.repositories.len());
        if sp.repositories.is_empty() {
            s.push_str("<li>none</li>");
        }
        for m in sp.repositories.iter().take(SPOTLIGHT_SHOWN) {
            // Rows are sorted by name.
            let i = sc.repositories.binary_search_by(|r| r.name.as_str().cmp(&m.name)).unwrap_or(0);
            let (class, _) = mark(&m.verdict);
            let _ = write!(
                s,
                "<li><a href=\"#r{i}\">{}</a> <span class=\"tag {class}\">{}</span></li>",
                esc(&m.name),
                esc(&m.verdict)
            );
        }
        if sp.repositories.len() > SPOTLIGHT_SHOWN {
            let _ = write!(
                s,
                "<li>and {} more (scorecard.json lists them all)</li>",
                sp.repositories.len() - SPOTLIGHT_SHOWN
            );
        }
        s.push_str("</ul></div>");
    }
    s
}

pub fn render(sc: &Scorecard) -> String {
    let (inputs, labels) = filters(sc);
    let mut meta = format!(
        "{} repositories · {} assessed · {} failed to run · opslint {} · rubric {}",
        sc.repositories_total,
        sc.assessed,
        sc.errors,
        esc(&sc.opslint_versions.join(", ")),
        esc(&sc.rubric_labels().join(", "))
    );
    if let Some(at) = &sc.generated_at {
        meta = format!("{} · {meta}", esc(at));
    }
    let sev: Vec<String> =
        by_rank(&sc.findings_by_severity).iter().map(|(k, n)| format!("<b>{n}</b> {}", esc(k))).collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
<style>{STYLE}{fcss}</style></head><body>\n\
<header><h1>{title}</h1><p class=\"meta\">{meta}</p></header>\n\
{inputs}<nav class=\"filters\" aria-label=\"Filter by level\">{labels}</nav>\n<main>\n\
<section class=\"charts\"><figure><figcaption>Repositories by level</figcaption>{levels}</figure>\
<figure><figcaption>Criteria most often failed <span class=\"key\"><i class=\"fail\"></i>fail <i class=\"na\"></i>not assessed <i class=\"pass\"></i>pass</span></figcaption>{crit}</figure></section>\n\
<section><h2>Heat map</h2><p class=\"legend\"><span class=\"v pass\">✓</span> pass <span class=\"v fail\">✗</span> fail <span class=\"v na\">?</span> not assessed (unknown is not a pass). Columns: criteria by level; gating ones underlined. A cell links to the verdict and its evidence.</p>{heat}</section>\n\
<section><h2>Questions</h2><div class=\"spots\">{spots}</div><p class=\"sev\">Findings: {sev}</p></section>\n\
<section><h2>Repositories</h2>{details}</section>\n</main></body></html>\n",
        title = esc(&sc.title),
        fcss = filter_css(sc),
        levels = level_chart(sc),
        crit = criteria_chart(sc),
        heat = heat_map(sc),
        spots = spotlights(sc),
        sev = if sev.is_empty() { "none".to_string() } else { sev.join(" · ") },
        details = details(sc),
    )
}
