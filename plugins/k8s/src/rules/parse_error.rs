//! ## What it does
//! Reports a manifest that cannot be read: invalid YAML in a file that looks
//! like a Kubernetes manifest (it has `apiVersion:` and `kind:` lines), and
//! any YAML file nested deeper than 200 levels or whose aliases expand past
//! 100,000 nodes (a "billion laughs" file). Other YAML files with syntax
//! errors (CI configurations, Helm values) are left to the plugins that own
//! them; Helm templates are `k8s/helm-template-not-analysed`.
//!
//! ## Why is this bad?
//! `kubectl apply` rejects a file it cannot parse, and a file the linter
//! cannot read is a file nobody checked. A file built to explode on parsing
//! is an attack on every tool that reads it.
//!
//! ## Example
//! ```yaml
//! apiVersion: v1
//! kind: Service
//! metadata:
//!   name: web
//!  labels: {app: web}
//! ```
//!
//! ## Use instead
//! ```yaml
//! apiVersion: v1
//! kind: Service
//! metadata:
//!   name: web
//!   labels: {app: web}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta { summary: "the manifest cannot be parsed", severity: Severity::High, ..Meta::DEFAULT };

/// Reported while the files are read (`K8sPlugin::build`); this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &Repo) {}
