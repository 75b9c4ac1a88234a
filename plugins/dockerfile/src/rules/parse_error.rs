//! ## What it does
//! Reports what keeps a Dockerfile from being read as Docker would: an empty
//! file or no `FROM`, an instruction other than `ARG` before the first
//! `FROM`, an unknown instruction, an instruction without arguments, an
//! unterminated heredoc or exec-form string, a line continuation at the end
//! of the file, an invalid `# escape=` directive, a flag that needs a value
//! written without `=` (`COPY --from build …`). Parsing continues after an
//! error, so the other rules still check the rest of the file.
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
