//! ## What it does
//! Reports a Dockerfile that cannot be read: no instructions, an unterminated
//! heredoc or quote, an unknown instruction.
//!
//! ## Why is this bad?
//! A file the linter cannot read is a file nobody checked; `docker build`
//! would most likely reject it too.
//!
//! ## Example
//! ```dockerfile
//! RUN <<EOF
//! echo never closed
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! RUN <<EOF
//! echo closed
//! EOF
//! ```
use crate::prelude::*;

pub const META: Meta = Meta { summary: "the Dockerfile cannot be parsed", severity: Severity::High, ..Meta::DEFAULT };

/// Parse errors are reported by the parser; this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &Dockerfile) {}
