//! A manifest's fact for the join (interface 0.1.1 `facts`): the parsed
//! file, its objects' trees in `opslint_yaml::codec` form, and what the
//! one-file rules found in it, with the ids of those rules that also judge
//! kustomize patches (the join knows which files are patches), and the
//! evidence its objects make alone (dropped for a patch, as its objects are).
use opslint_sdk::{read_evidence, read_findings, skip_findings, write_evidence, write_findings, Evidence, Finding};
use opslint_yaml::codec::{read_range, read_str, read_usize, write_range, write_str, write_usize, Shape};

use crate::model::{File, Object};

/// One file's fact: the file, and the one-file findings. As a patch, the
/// file's objects are judged only by the rules that read patches, which then
/// find the same as in a whole file: those rules' ids.
pub struct Fact {
    pub file: File,
    pub findings: Vec<Finding>,
    pub patch_rules: Vec<String>,
    /// [`crate::evidence::per_object`] of the file's objects.
    pub evidence: Vec<Evidence>,
}

/// Appends `fact` of the file at `path` whose text is `source`.
pub fn write(fact: Fact, path: &str, source: &str, out: &mut Vec<u8>) {
    let f = &fact.file;
    write_usize(f.objects.len(), out);
    for o in &f.objects {
        opslint_yaml::codec::write(&o.node, source, out);
    }
    opslint_yaml::codec::write_error(f.error.as_ref(), out);
    match &f.chart {
        None => out.push(0),
        Some((name, span)) => {
            out.push(1);
            write_str(name, out);
            write_range(span, out);
        }
    }
    match &f.template_at {
        None => out.push(0),
        Some(span) => {
            out.push(1);
            write_range(span, out);
        }
    }
    out.push(f.looks_like_manifest as u8);
    strings(&f.patches, out);
    strings(&f.built_images, out);
    write_findings(fact.findings, path, out);
    strings(&fact.patch_rules, out);
    write_evidence(&fact.evidence, out);
}

/// `None`: bytes [`write`] did not write for the file (path, text). `findings`: whether
/// the run reports the file's findings (else they are passed over, unread).
/// `shape`: what to build of its objects' trees (`None`: all of them).
pub fn read(mut input: &[u8], (path, source): (&str, &str), findings: bool, shape: Option<Shape>) -> Option<Fact> {
    let input = &mut input;
    let n = read_usize(input)?;
    let mut objects = Vec::with_capacity(n.min(input.len()));
    for _ in 0..n {
        let node = match shape {
            Some(shape) => opslint_yaml::codec::read_shaped(input, source, shape)?,
            None => opslint_yaml::codec::read(input, source)?,
        };
        objects.push(Object::from_node(node)?);
    }
    let error = opslint_yaml::codec::read_error(input)?;
    let chart = match byte(input)? {
        0 => None,
        _ => Some((read_str(input)?, read_range(input)?)),
    };
    let template_at = match byte(input)? {
        0 => None,
        _ => Some(read_range(input)?),
    };
    let looks_like_manifest = byte(input)? == 1;
    let patches = read_strings(input)?;
    let built_images = read_strings(input)?;
    let file = File { objects, error, chart, template_at, looks_like_manifest, patches, built_images };
    let findings = match findings {
        true => read_findings(input, path)?,
        false => skip_findings(input).map(|_| Vec::new())?,
    };
    let patch_rules = read_strings(input)?;
    Some(Fact { file, findings, patch_rules, evidence: read_evidence(input)? })
}

fn byte(input: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = input.split_first()?;
    *input = rest;
    Some(b)
}

fn strings(xs: &[String], out: &mut Vec<u8>) {
    write_usize(xs.len(), out);
    xs.iter().for_each(|s| write_str(s, out));
}

fn read_strings(input: &mut &[u8]) -> Option<Vec<String>> {
    let n = read_usize(input)?;
    (0..n.min(input.len())).map(|_| read_str(input)).collect::<Option<Vec<_>>>().filter(|v| v.len() == n)
}
