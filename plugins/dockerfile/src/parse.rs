//! Placeholder parser: one instruction per non-comment line.
use opslint_sdk::{Ctx, FindingExt};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Instruction {
    pub keyword: String,
    pub args: String,
    pub span: Range<usize>,
    pub args_span: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
}

pub fn parse_reporting(cx: &mut Ctx) -> Option<Dockerfile> {
    let mut df = Dockerfile::default();
    let mut offset = 0;
    for line in cx.text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        let body = trimmed.trim_start();
        if !body.is_empty() && !body.starts_with('#') {
            let start = offset + (trimmed.len() - body.len());
            let (kw, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            let args_start = start + body.len() - args.len();
            df.instructions.push(Instruction {
                keyword: kw.to_ascii_uppercase(),
                args: args.to_string(),
                span: start..start + body.len(),
                args_span: args_start..start + body.len(),
            });
        }
        offset += line.len();
    }
    if df.instructions.is_empty() {
        cx.report_file("the Dockerfile has no instructions").help("add a FROM instruction");
    }
    Some(df)
}
