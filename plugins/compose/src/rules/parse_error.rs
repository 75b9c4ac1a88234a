//! ## What it does
//! Reports a compose file (by its name: `compose.yaml`, `docker-compose.yml`,
//! overrides and overlays of them) that is not valid YAML.
//!
//! ## Why is this bad?
//! `docker compose` refuses the file, and nothing in it can be checked: an
//! unreadable file is not a clean one.
//!
//! ## Example
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!      ports: ["80:80"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     ports: ["80:80"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta { summary: "a compose file that is not valid YAML", severity: Severity::High, ..Meta::DEFAULT };

/// Reported while parsing (`model::parse`).
pub fn check(_cx: &mut Ctx, _repo: &Repo) {}
