//! A workflow's job facts in its fact (lib.rs `extract`), and those of a
//! GitLab file that includes nothing (its jobs read no other file): what each job
//! deploys, tests, backs up and restores, found by scanning its scripts,
//! the costliest part of building the model, so `extract` does it on every
//! core and the join reads it back. Names are `&'static` in the model: one
//! read back is looked up in the tables that give it; a name no table
//! knows (`None` inside) makes the join compute that workflow's facts again.
use opslint_yaml::codec::{read_range, read_str, read_usize, write_range, write_str, write_usize};

use crate::model::{Deploy, JobFacts};

pub fn write(facts: &[JobFacts], out: &mut Vec<u8>) {
    write_usize(facts.len(), out);
    for f in facts {
        write_deploy(f.deploy.as_ref(), out);
        write_deploy(f.site.as_ref(), out);
        match &f.tests {
            Some((name, _, span)) => {
                out.push(1);
                write_str(name, out);
                write_range(span, out);
            }
            None => out.push(0),
        }
        write_names(&f.backups, out);
        write_names(&f.restores, out);
    }
}

/// The facts of the workflow of document `doc`; `Some(None)` when a name is not known here.
pub fn read(input: &mut &[u8], doc: usize) -> Option<Option<Vec<JobFacts>>> {
    let n = read_usize(input)?;
    let mut facts = Vec::with_capacity(n.min(input.len()));
    let mut known = true;
    for _ in 0..n {
        let deploy = read_deploy(input)?;
        let site = read_deploy(input)?;
        let tests = match take(input)? {
            0 => None,
            _ => {
                let name = read_str(input)?;
                let span = read_range(input)?;
                let name = opslint_knowledge::commands::test_command_named(&name);
                known &= name.is_some();
                name.map(|name| (name, doc, span))
            }
        };
        let (backups, b) = read_names(input)?;
        let (restores, r) = read_names(input)?;
        known &= b && r;
        facts.push(JobFacts { deploy, site, tests, backups, restores });
    }
    Some(known.then_some(facts))
}

fn write_deploy(d: Option<&Deploy>, out: &mut Vec<u8>) {
    let Some(d) = d else { return out.push(0) };
    out.push(1 + u8::from(d.by_name));
    write_str(&d.reason, out);
    write_range(&d.span, out);
    match &d.environment {
        Some(e) => {
            out.push(1);
            write_str(e, out);
        }
        None => out.push(0),
    }
}

fn read_deploy(input: &mut &[u8]) -> Option<Option<Deploy>> {
    let tag = take(input)?;
    if tag == 0 {
        return Some(None);
    }
    let reason = read_str(input)?;
    let span = read_range(input)?;
    let environment = match take(input)? {
        0 => None,
        _ => Some(read_str(input)?),
    };
    Some(Some(Deploy { reason, span, environment, by_name: tag == 2 }))
}

fn write_names(names: &[&str], out: &mut Vec<u8>) {
    write_usize(names.len(), out);
    for n in names {
        write_str(n, out);
    }
}

/// The names, and whether every one was known.
fn read_names(input: &mut &[u8]) -> Option<(Vec<&'static str>, bool)> {
    let n = read_usize(input)?;
    let mut names = Vec::with_capacity(n.min(input.len()));
    let mut known = true;
    for _ in 0..n {
        match crate::detect::tool_named(&read_str(input)?) {
            Some(name) => names.push(name),
            None => known = false,
        }
    }
    Some((names, known))
}

fn take(input: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = input.split_first()?;
    *input = rest;
    Some(b)
}
