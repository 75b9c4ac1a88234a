//! CI systems read for the maturity assessment only (no rules): CircleCI,
//! Woodpecker and Drone. What each job or step runs, on which events, and
//! whether a person approves it first.
use std::ops::Range;

use opslint_yaml::Node;

/// One job (CircleCI) or step (Woodpecker, Drone).
#[derive(Debug)]
pub struct Job {
    pub name: String,
    /// Its commands, one per line.
    pub script: String,
    /// Events it runs on (`push`, `pull_request`, `tag`, `cron`…); `None`: every event.
    pub events: Option<Vec<String>>,
    /// Only these branches (a deploy to main).
    pub branches: Option<Vec<String>>,
    /// A person starts or approves it (CircleCI approval job, Woodpecker/Drone `promote`/`deployment`).
    pub manual: bool,
    /// Runs only on a schedule.
    pub scheduled: bool,
    pub span: Range<usize>,
}

fn strings(n: Option<&Node>) -> Option<Vec<String>> {
    let n = n?;
    if let Some(s) = n.as_str() {
        return Some(vec![s.to_string()]);
    }
    let v: Vec<String> = n.items().iter().filter_map(|i| i.as_str().map(str::to_string)).collect();
    (!v.is_empty()).then_some(v)
}

/// A shell command list: a string, a list of strings, or CircleCI `run:` steps.
fn commands(n: Option<&Node>) -> String {
    let Some(n) = n else { return String::new() };
    if let Some(s) = n.as_str() {
        return s.to_string();
    }
    let mut out = String::new();
    for i in n.items() {
        if let Some(s) = i.as_str() {
            out.push_str(s);
        } else if let Some(run) = i.get("run") {
            out.push_str(run.as_str().or_else(|| run.str("command")).unwrap_or(""));
        }
        out.push('\n');
    }
    out
}

/// Woodpecker/Drone `when:` (a map or a list of maps) or Drone `trigger:`: events and branches.
fn conditions(n: Option<&Node>) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let Some(n) = n else { return (None, None) };
    let maps: Vec<&Node> = if n.is_seq() { n.items().iter().collect() } else { vec![n] };
    let mut events: Option<Vec<String>> = None;
    let mut branches: Option<Vec<String>> = None;
    for m in maps {
        if let Some(e) = strings(m.get("event")) {
            events.get_or_insert_with(Vec::new).extend(e);
        }
        let b = m.get("branch").and_then(|b| strings(Some(b)).or_else(|| strings(b.get("include"))));
        if let Some(b) = b {
            branches.get_or_insert_with(Vec::new).extend(b);
        }
    }
    (events, branches)
}

/// The jobs of a CircleCI config: each job of a workflow, with its branch filters and approvals.
pub fn circleci(root: &Node) -> Vec<Job> {
    let mut out = Vec::new();
    let defs = root.get("jobs");
    let mut seen = Vec::new();
    for (_, wf) in root.get("workflows").map(Node::entries).unwrap_or(&[]).iter().map(|e| (e.key_str(), &e.value)) {
        let triggers_schedule =
            wf.get("triggers").is_some_and(|t| t.items().iter().any(|i| i.get("schedule").is_some()));
        let list = wf.get("jobs").map(Node::items).unwrap_or(&[]);
        let approvals: Vec<String> = list
            .iter()
            .filter_map(|j| {
                j.entries()
                    .first()
                    .filter(|e| e.value.str("type") == Some("approval"))
                    .and_then(|e| e.key_str().map(str::to_string))
            })
            .collect();
        for j in list {
            let (name, conf) = match j.as_str() {
                Some(n) => (n.to_string(), None),
                None => match j.entries().first() {
                    Some(e) => (e.key_str().unwrap_or("").to_string(), Some(&e.value)),
                    None => continue,
                },
            };
            let Some(def) = defs.and_then(|d| d.get(&name)) else { continue };
            let requires = conf.and_then(|c| strings(c.get("requires"))).unwrap_or_default();
            let branches = conf.and_then(|c| c.at("filters.branches.only")).and_then(|b| strings(Some(b)));
            seen.push(name.clone());
            out.push(Job {
                script: commands(def.get("steps")),
                events: None,
                branches,
                manual: requires.iter().any(|r| approvals.contains(r)),
                scheduled: triggers_schedule,
                span: defs.and_then(|d| d.key_span(&name)).unwrap_or(0..0),
                name,
            });
        }
    }
    out
}

/// The steps of a Woodpecker pipeline (`steps:` as a map or a list, older `pipeline:`) or a
/// Drone pipeline (`steps:` list, pipeline `trigger:`).
pub fn steps(root: &Node) -> Vec<Job> {
    let (top_events, top_branches) = conditions(root.get("when").or_else(|| root.get("trigger")));
    let steps = root.get("steps").or_else(|| root.get("pipeline"));
    let Some(steps) = steps else { return Vec::new() };
    let entries: Vec<(String, &Node, Range<usize>)> = if steps.is_map() {
        steps.entries().iter().filter_map(|e| Some((e.key_str()?.to_string(), &e.value, e.key.span.clone()))).collect()
    } else {
        steps.items().iter().map(|i| (i.str("name").unwrap_or("").to_string(), i, i.span.clone())).collect()
    };
    entries
        .into_iter()
        .map(|(name, s, span)| {
            let (events, branches) = conditions(s.get("when"));
            let events = events.or_else(|| top_events.clone());
            let manual = events
                .as_ref()
                .is_some_and(|e| e.iter().all(|x| matches!(x.as_str(), "deployment" | "promote" | "manual")));
            let scheduled = events.as_ref().is_some_and(|e| e.iter().all(|x| x == "cron"));
            Job {
                name,
                script: commands(s.get("commands")),
                events,
                branches: branches.or_else(|| top_branches.clone()),
                manual,
                scheduled,
                span,
            }
        })
        .collect()
}

impl Job {
    /// Runs for pull requests: on every event, or on `pull_request`, and not only on some branches.
    pub fn on_pull_requests(&self) -> bool {
        let events_ok = self
            .events
            .as_ref()
            .is_none_or(|e| e.iter().any(|x| matches!(x.as_str(), "pull_request" | "pull-request" | "pr")));
        events_ok && self.branches.is_none() && !self.scheduled
    }

    /// Starts by itself on a push, a merge or a tag (not by a person, not only on a schedule).
    pub fn automatic(&self) -> bool {
        !self.manual
            && !self.scheduled
            && self.events.as_ref().is_none_or(|e| e.iter().any(|x| matches!(x.as_str(), "push" | "tag")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(t: &str) -> Node {
        opslint_yaml::parse(t).docs.remove(0).root
    }

    #[test]
    fn circleci_jobs_of_workflows() {
        let r = root("jobs:\n  test:\n    steps:\n      - checkout\n      - run: npm test\n  hold:\n    type: approval\n  deploy:\n    steps:\n      - run:\n          command: ./bin/deploy\nworkflows:\n  main:\n    jobs:\n      - test\n      - deploy:\n          requires: [test]\n          filters:\n            branches:\n              only: main\n");
        let jobs = circleci(&r);
        assert_eq!(jobs.len(), 2);
        assert!(jobs[0].on_pull_requests() && jobs[0].script.contains("npm test"));
        assert!(!jobs[1].on_pull_requests() && jobs[1].automatic());
    }

    #[test]
    fn woodpecker_and_drone_steps() {
        let r = root("steps:\n  test:\n    commands: [pytest -q]\n    when:\n      - event: [pull_request, push]\n  deploy:\n    commands:\n      - nomad job run api.nomad.hcl\n    when:\n      - event: push\n        branch: main\n  release:\n    commands: [make release]\n    when:\n      event: deployment\n");
        let s = steps(&r);
        assert!(s[0].on_pull_requests());
        assert!(s[1].automatic() && !s[1].on_pull_requests());
        assert!(!s[2].automatic());
        let drone = root("kind: pipeline\nname: default\nsteps:\n  - name: test\n    image: golang\n    commands:\n      - go test ./...\ntrigger:\n  event: [push, pull_request]\n");
        let s = steps(&drone);
        assert_eq!(s[0].name, "test");
        assert!(s[0].on_pull_requests());
    }
}
