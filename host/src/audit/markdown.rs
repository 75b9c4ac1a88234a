//! The scorecard as a Markdown summary: levels by count, the criteria most
//! often failed, the spotlight questions, findings; one line per repository.
use super::merge::{by_rank, Scorecard, SPOTLIGHT_SHOWN};

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(sc: &Scorecard) -> String {
    let mut o = format!("# {}\n\n", sc.title);
    if let Some(at) = &sc.generated_at {
        o.push_str(&format!("Generated {at}. "));
    }
    o.push_str(&format!(
        "{} repositories: {} assessed, {} failed to run. opslint {}; rubric {}.\n\n",
        sc.repositories_total,
        sc.assessed,
        sc.errors,
        sc.opslint_versions.join(", "),
        sc.rubric_labels().iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
    ));
    o.push_str("## Levels\n\n| Level | Repositories |\n|---|---:|\n");
    for l in &sc.levels {
        o.push_str(&format!("| L{} {} | {} |\n", l.level, cell(&l.name), l.repositories));
    }
    if sc.errors > 0 {
        o.push_str(&format!("| not assessed (error) | {} |\n", sc.errors));
    }
    o.push_str("\n## Criteria most often failed\n\n| Criterion | Level | Role | Fail | Not assessed | Pass |\n|---|---:|---|---:|---:|---:|\n");
    for id in sc.most_failed.iter().take(10) {
        if let Some(c) = sc.criterion(id) {
            o.push_str(&format!(
                "| `{}` {} | L{} | {} | {} | {} | {} |\n",
                c.id,
                cell(&c.title),
                c.level,
                c.role,
                c.fail,
                c.not_assessed,
                c.pass
            ));
        }
    }
    for s in &sc.spotlights {
        o.push_str(&format!("\n## {} ({})\n\n", s.question, s.repositories.len()));
        if s.repositories.is_empty() {
            o.push_str(&format!("None: `{}` passes everywhere it was assessed.\n", s.criterion));
        }
        for m in s.repositories.iter().take(SPOTLIGHT_SHOWN) {
            let tag = match m.verdict.as_str() {
                "fail" => "fails",
                "error" => "could not be judged",
                _ => "not assessed",
            };
            o.push_str(&format!("- `{}`: {tag}: {}\n", m.name, cell(&m.reason)));
        }
        if s.repositories.len() > SPOTLIGHT_SHOWN {
            o.push_str(&format!(
                "- and {} more (scorecard.json lists them all)\n",
                s.repositories.len() - SPOTLIGHT_SHOWN
            ));
        }
    }
    if !sc.top_rules.is_empty() {
        let sev: Vec<String> = by_rank(&sc.findings_by_severity).iter().map(|(s, n)| format!("{n} {s}")).collect();
        o.push_str(&format!(
            "\n## Findings\n\n{}.\n\n| Rule | Repositories | Findings |\n|---|---:|---:|\n",
            sev.join(", ")
        ));
        for r in &sc.top_rules {
            o.push_str(&format!("| `{}` | {} | {} |\n", r.rule, r.repositories, r.findings));
        }
    }
    o.push_str(
        "\n## Repositories\n\n| Repository | Level | Failing gating criteria | Findings |\n|---|---:|---|---:|\n",
    );
    for r in &sc.repositories {
        let (level, failing) = match &r.error {
            Some(e) => ("error".to_string(), cell(e)),
            None => {
                let ids: Vec<String> = r
                    .cells
                    .iter()
                    .filter(|c| c.verdict != "pass" && c.verdict != "-")
                    .filter(|c| sc.criterion(&c.criterion).is_some_and(|k| k.role == "gating"))
                    .map(|c| format!("`{}`", c.criterion))
                    .collect();
                (format!("L{}", r.level.unwrap_or(0)), ids.join(" "))
            }
        };
        o.push_str(&format!("| `{}` | {level} | {failing} | {} |\n", cell(&r.name), r.findings));
    }
    o
}
