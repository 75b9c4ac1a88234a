//! ## What it does
//! Reports, once per Helm chart, that its templates are not plain YAML (Go
//! template actions such as `{{ if }}` or `replicas: {{ .Values.n }}`) and so
//! were not analysed. A template is a file under the `templates/` directory
//! next to a `Chart.yaml`, or any YAML file containing `{{` that does not
//! parse. Templates that happen to be valid YAML are linted as manifests.
//!
//! ## Why is this bad?
//! Nothing is wrong with the chart; the finding says that its manifests were
//! not checked, so a clean run does not mean a clean chart.
//!
//! ## Example
//! ```yaml
//! # mychart/templates/deployment.yaml
//! spec:
//!   replicas: {{ .Values.replicas }}
//! ```
//!
//! ## Use instead
//! Lint the rendered output:
//! ```sh
//! helm template mychart | opslint check - --stdin-filename rendered.yaml
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "Helm chart templates are not plain YAML and were not analysed",
    severity: Severity::Info,
    tags: &["helm"],
    ..Meta::DEFAULT
};

/// Reported while the files are read (`K8sPlugin::build`); this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &Repo) {}
