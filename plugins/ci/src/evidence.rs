//! Facts for the maturity and backup assessments: which CI systems run,
//! whether pull requests are tested, what deploys where and behind which
//! gate, what runs on a schedule, dependency updates and security scanning.
use std::collections::BTreeSet;

use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue};

use crate::detect;
use crate::model::{is_production, production_names, Kind, Repo};

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    vec![
        e("ci/systems", "CI systems configured: `github-actions`, `gitlab-ci`, and (read for evidence only) `circleci`, `woodpecker`, `drone`"),
        e("ci/tests-on-pull-requests", "a job that runs tests for pull/merge requests (one fact per job, located: the test command); `false` at the first CI file when none does"),
        e("ci/deploy", "a job that deploys (one fact per job, located): how it deploys, to which environment, and whether it starts automatically"),
        e("ci/production-approval", "a production deploy (one fact per job, located): the gate in front of it (`environment` protection rules, `when: manual`, `workflow_dispatch` only), or `false` when there is none (also for an automatic deploy with no environment that is not named as a preview, test or staging deploy)"),
        e("ci/scheduled", "a scheduled pipeline (one fact per schedule, located): the cron and what the scheduled jobs run (backup, restore drill, other)"),
        e("ci/backup-job", "a CI job that takes backups (one per job, located): the tools it runs (pg_dump, velero, restic…) and whether it is scheduled"),
        e("ci/restore-drill", "a CI job that restores a backup (one per job, located): the tools and whether it is scheduled"),
        e("ci/dependency-updates", "Dependabot or Renovate configuration (one per file, located): the ecosystems it updates"),
        e("ci/security-scanning", "a security scanning step (one per step, located): the tool and the job"),
    ]
}

fn text(v: String) -> EvidenceValue {
    EvidenceValue::Text(v)
}

pub fn collect(cx: &mut Ctx, repo: &Repo) {
    let prod_names = production_names(cx);
    let prod = |e: &str| is_production(e, prod_names.as_deref());
    let first_ci = repo
        .workflows
        .first()
        .map(|w| w.doc)
        .or_else(|| repo.pipelines.first().map(|p| p.doc))
        .or_else(|| repo.other_ci.first().map(|o| o.0));
    let mut systems = Vec::new();
    if !repo.workflows.is_empty() || !repo.actions.is_empty() {
        systems.push("github-actions".to_string());
    }
    if !repo.pipelines.is_empty() {
        systems.push("gitlab-ci".to_string());
    }
    for (_, sys, _) in &repo.other_ci {
        if !systems.iter().any(|s| s == sys) {
            systems.push(sys.to_string());
        }
    }
    if let Some(doc) = first_ci {
        cx.evidence_in(doc, "ci/systems", EvidenceValue::Items(systems), Some(0..0));
    }
    let mut pr_tests = 0;

    for wf in &repo.workflows {
        let path = &repo.paths[wf.doc];
        let name = wf.name(path).to_string();
        let pr = wf.pr_triggered().map(|(t, _)| t.clone());
        let auto: Vec<&str> =
            wf.triggers.iter().map(|(t, _)| t.as_str()).filter(|t| *t != "workflow_dispatch").collect();
        let crons: Vec<(String, std::ops::Range<usize>)> = wf
            .on_node()
            .and_then(|on| on.value.get("schedule"))
            .map(|s| {
                s.items().iter().filter_map(|i| Some((i.str("cron")?.to_string(), i.value_span("cron")?))).collect()
            })
            .unwrap_or_default();
        let mut scheduled_runs: BTreeSet<String> = BTreeSet::new();
        for job in wf.jobs() {
            if let (Some(trigger), Some((cmd, node))) = (&pr, job.tests()) {
                pr_tests += 1;
                cx.evidence_in(
                    wf.doc,
                    "ci/tests-on-pull-requests",
                    text(format!("workflow `{name}` job `{}` runs `{cmd}` on {trigger}", job.id)),
                    Some(node),
                );
            } else if let Some(trigger) = &pr {
                // Through the repository's own wrapper (`./ci/check.sh` running `npm test`).
                let docs: Vec<(&str, &str)> = cx.documents().to_vec();
                let wrapped = job.steps().iter().find_map(|s| {
                    let run = s.get("run")?;
                    detect::wrapped_test(run.as_str()?, &docs).map(|w| (w, run.span.clone()))
                });
                if let Some((what, span)) = wrapped {
                    pr_tests += 1;
                    cx.evidence_in(
                        wf.doc,
                        "ci/tests-on-pull-requests",
                        text(format!("workflow `{name}` job `{}` runs {what} on {trigger}", job.id)),
                        Some(span),
                    );
                }
            }
            // A documentation site published from CI is not the service being deployed.
            let docs_site =
                |reason: &str| reason.strip_prefix("uses ").is_some_and(opslint_knowledge::commands::docs_site_action);
            let pages = |d: &crate::model::Deploy| d.environment.as_deref() == Some("github-pages");
            // Publishing documentation, a package, an image or a chart is not deploying the service.
            let scripts: String = job.steps().iter().filter_map(|s| s.str("run")).collect::<Vec<_>>().join("\n");
            let norm = detect::normalise(&scripts);
            let publishes = detect::find_words(&norm, opslint_knowledge::commands::PUBLISH_COMMANDS).is_some();
            let docs = opslint_knowledge::commands::names_docs(path)
                || opslint_knowledge::commands::names_docs(&name)
                || opslint_knowledge::commands::names_docs(job.id);
            let service = |d: &crate::model::Deploy| {
                let by_command = d.reason.starts_with("runs ") || d.reason.starts_with("uses ");
                !docs_site(&d.reason) && !pages(d) && !docs && (by_command || !publishes)
            };
            if let Some(d) = job.deploys().filter(|d| service(d)) {
                let env = d
                    .environment
                    .clone()
                    .map_or("with no `environment:`".to_string(), |e| format!("to environment `{e}`"));
                let start = if auto.is_empty() {
                    "started by hand (workflow_dispatch)".to_string()
                } else {
                    format!("automatic on {}", auto.join(", "))
                };
                cx.evidence_in(
                    wf.doc,
                    "ci/deploy",
                    text(format!("workflow `{name}` job `{}` deploys ({}) {env}, {start}", job.id, d.reason)),
                    Some(d.span.clone()),
                );
                // Production: a production environment, a job named so, or (like
                // `production-deploy-without-gate`) an automatic deploy with no
                // environment that is not named as a preview, test or staging deploy.
                let auto_push = auto.iter().any(|t| !crate::model::PR_TRIGGERS.contains(t));
                let is_prod = d.environment.as_deref().is_some_and(prod)
                    || job.id.to_ascii_lowercase().contains("prod")
                    || (d.environment.is_none() && auto_push && !d.non_production(job.label()));
                if is_prod {
                    let v = match (&d.environment, auto.is_empty()) {
                        (Some(e), _) if prod(e) => text(format!(
                            "job `{}` deploys to environment `{e}`: required reviewers are set in the repository's environment settings (not visible in the repository)",
                            job.id
                        )),
                        (_, true) => text(format!("job `{}` deploys to production only when started by hand (workflow_dispatch)", job.id)),
                        _ => EvidenceValue::Flag(false),
                    };
                    cx.evidence_in(wf.doc, "ci/production-approval", v, Some(d.span.clone()));
                }
            }
            let (backups, restores) = (&job.facts.backups, &job.facts.restores);
            let sched = if crons.is_empty() { "" } else { ", scheduled" };
            let at = job.key.span.clone();
            if !backups.is_empty() {
                scheduled_runs.insert(format!("backup ({})", backups.join(", ")));
                cx.evidence_in(
                    wf.doc,
                    "ci/backup-job",
                    text(format!("workflow `{name}` job `{}` runs {}{sched}", job.id, backups.join(", "))),
                    Some(at.clone()),
                );
            }
            if !restores.is_empty() {
                scheduled_runs.insert(format!("restore drill ({})", restores.join(", ")));
                cx.evidence_in(
                    wf.doc,
                    "ci/restore-drill",
                    text(format!("workflow `{name}` job `{}` runs {}{sched}", job.id, restores.join(", "))),
                    Some(at.clone()),
                );
            }
            if backups.is_empty() && restores.is_empty() {
                scheduled_runs.insert(format!("job `{}`", job.id));
            }
            for s in job.steps() {
                let found = s
                    .str("uses")
                    .and_then(|u| detect::scanner_action(u).map(|t| (t, u.to_string())))
                    .or_else(|| s.str("run").and_then(|r| detect::scanner_command(r).map(|t| (t, "run".to_string()))));
                if let Some((tool, how)) = found {
                    cx.evidence_in(
                        wf.doc,
                        "ci/security-scanning",
                        text(format!("{tool} ({how}) in workflow `{name}` job `{}`", job.id)),
                        Some(s.span.clone()),
                    );
                }
            }
        }
        for (cron, span) in crons {
            let runs: Vec<String> = scheduled_runs.iter().cloned().collect();
            cx.evidence_in(
                wf.doc,
                "ci/scheduled",
                text(format!("workflow `{name}` cron `{cron}` runs: {}", runs.join("; "))),
                Some(span),
            );
        }
    }

    for p in &repo.pipelines {
        let mut sched_runs: BTreeSet<String> = BTreeSet::new();
        let mut sched_at = None;
        for job in p.visible_jobs() {
            let scheduled = p.scheduled(job);
            if let Some((cmd, d, node)) = p.tests(job) {
                if !scheduled {
                    pr_tests += 1;
                    cx.evidence_in(
                        d,
                        "ci/tests-on-pull-requests",
                        text(format!("GitLab job `{}` runs `{cmd}` (merge request and branch pipelines)", job.name)),
                        Some(node),
                    );
                }
            } else if !scheduled {
                // Through the repository's own wrapper (`./ci/test.sh`, `make ci`).
                let docs: Vec<(&str, &str)> = cx.documents().to_vec();
                let wrapped = p
                    .script(job)
                    .into_iter()
                    .find_map(|(d, n)| detect::wrapped_test(n.as_str()?, &docs).map(|w| (w, d, n.span.clone())));
                if let Some((what, d, span)) = wrapped {
                    pr_tests += 1;
                    cx.evidence_in(
                        d,
                        "ci/tests-on-pull-requests",
                        text(format!("GitLab job `{}` runs {what} (merge request and branch pipelines)", job.name)),
                        Some(span),
                    );
                }
            }
            if let Some(d) = p.deploys(job) {
                let manual = p.manual(job);
                let env = d
                    .environment
                    .clone()
                    .map_or("with no `environment:`".to_string(), |e| format!("to environment `{e}`"));
                let start = if manual { "started by hand (when: manual)" } else { "automatic" };
                cx.evidence_in(
                    job.doc,
                    "ci/deploy",
                    text(format!("GitLab job `{}` deploys ({}) {env}, {start}", job.name, d.reason)),
                    Some(d.span.clone()),
                );
                if d.environment.as_deref().is_some_and(prod) {
                    let v = if manual {
                        text(format!("GitLab job `{}` deploys to production with `when: manual`", job.name))
                    } else {
                        EvidenceValue::Flag(false)
                    };
                    cx.evidence_in(job.doc, "ci/production-approval", v, Some(d.span.clone()));
                }
            }
            let (backups, restores) = (&p.facts(job).backups, &p.facts(job).restores);
            let sched = if scheduled { ", scheduled" } else { "" };
            if !backups.is_empty() {
                cx.evidence_in(
                    job.doc,
                    "ci/backup-job",
                    text(format!("GitLab job `{}` runs {}{sched}", job.name, backups.join(", "))),
                    Some(job.key.clone()),
                );
            }
            if !restores.is_empty() {
                cx.evidence_in(
                    job.doc,
                    "ci/restore-drill",
                    text(format!("GitLab job `{}` runs {}{sched}", job.name, restores.join(", "))),
                    Some(job.key.clone()),
                );
            }
            if scheduled {
                sched_at.get_or_insert((job.doc, job.key.clone()));
                let what = if !backups.is_empty() {
                    format!("backup ({})", backups.join(", "))
                } else if !restores.is_empty() {
                    format!("restore drill ({})", restores.join(", "))
                } else {
                    format!("job `{}`", job.name)
                };
                sched_runs.insert(what);
            }
            for (d, n) in p.script(job) {
                if let Some(tool) = n.as_str().and_then(detect::scanner_command) {
                    cx.evidence_in(
                        d,
                        "ci/security-scanning",
                        text(format!("{tool} in GitLab job `{}`", job.name)),
                        Some(n.span.clone()),
                    );
                }
            }
        }
        if let Some((doc, span)) = sched_at {
            let runs: Vec<String> = sched_runs.into_iter().collect();
            cx.evidence_in(
                doc,
                "ci/scheduled",
                text(format!(
                    "GitLab jobs for scheduled pipelines (the cron is set in the project's pipeline schedules) run: {}",
                    runs.join("; ")
                )),
                Some(span),
            );
        }
        for (doc, e) in p.top("include") {
            let items: Vec<&opslint_yaml::Node> =
                if e.value.is_seq() { e.value.items().iter().collect() } else { vec![&e.value] };
            for item in items {
                let Some(t) = item.str("template") else { continue };
                if let Some((_, tool)) = detect::GITLAB_SCAN_TEMPLATES.iter().find(|(n, _)| t.contains(n)) {
                    cx.evidence_in(
                        doc,
                        "ci/security-scanning",
                        text(format!("{tool} (include template {t})")),
                        Some(item.span.clone()),
                    );
                }
            }
        }
    }

    // CircleCI, Woodpecker and Drone: tests on pull requests and deploys.
    for (doc, sys, roots) in &repo.other_ci {
        let label = match *sys {
            "circleci" => "CircleCI",
            "woodpecker" => "Woodpecker",
            _ => "Drone",
        };
        for root in roots {
            let jobs = if *sys == "circleci" { crate::other::circleci(root) } else { crate::other::steps(root) };
            for job in jobs {
                if let Some(cmd) = detect::test_command(&job.script).filter(|_| job.on_pull_requests()) {
                    pr_tests += 1;
                    cx.evidence_in(
                        *doc,
                        "ci/tests-on-pull-requests",
                        text(format!("{label} job `{}` runs `{cmd}` on pull requests", job.name)),
                        Some(job.span.clone()),
                    );
                }
                let named =
                    job.name.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "deploy");
                let how = detect::deploy_command(&job.script)
                    .map(|c| format!("runs `{c}`"))
                    .or_else(|| named.then(|| format!("job `{}`", job.name)));
                if let Some(how) = how {
                    let start = if job.automatic() {
                        match &job.branches {
                            Some(b) => format!("automatic on push to {}", b.join(", ")),
                            None => "automatic on push".to_string(),
                        }
                    } else {
                        "started or approved by hand".to_string()
                    };
                    cx.evidence_in(
                        *doc,
                        "ci/deploy",
                        text(format!("{label} job `{}` deploys ({how}), {start}", job.name)),
                        Some(job.span.clone()),
                    );
                }
            }
        }
    }

    if pr_tests == 0 {
        if let Some(doc) = first_ci {
            cx.evidence_in(doc, "ci/tests-on-pull-requests", EvidenceValue::Flag(false), Some(0..0));
        }
    }

    for (doc, kind) in &repo.dep_configs {
        let (path, body) = cx.documents()[*doc];
        let value = match kind {
            Kind::Dependabot => {
                let stream = opslint_yaml::parse(body);
                let eco: Vec<String> = stream
                    .docs
                    .first()
                    .and_then(|d| d.root.get("updates"))
                    .map(|u| {
                        u.items()
                            .iter()
                            .filter_map(|i| {
                                let e = i.str("package-ecosystem")?;
                                Some(match i.str_at("schedule.interval") {
                                    Some(s) => format!("{e} ({s})"),
                                    None => e.to_string(),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                format!("dependabot: {}", if eco.is_empty() { "no updates configured".into() } else { eco.join(", ") })
            }
            _ => format!("renovate ({})", path.rsplit('/').next().unwrap_or(path)),
        };
        cx.evidence_in(*doc, "ci/dependency-updates", text(value), Some(0..0));
    }
}
