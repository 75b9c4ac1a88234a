//! ## What it does
//! Flags a key the Compose Specification does not know, at the top level or
//! in a service (`enviroment:`, `depends-on:`, `restart_policy:` in the
//! wrong place). Extension keys (`x-…`) are allowed; a format 1 file (services
//! at the top level) is judged against the keys of that format.
//!
//! ## Why is this bad?
//! `docker compose` refuses the file ("additional property … is not
//! allowed"); older versions ignored the key, so the setting silently did
//! nothing.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     enviroment:
//!       LOG_LEVEL: info
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     environment:
//!       LOG_LEVEL: info
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a key the Compose Specification does not know",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

const TOP: &[&str] = &["version", "name", "include", "services", "networks", "volumes", "secrets", "configs", "models"];

const SERVICE: &[&str] = &[
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command", "configs",
    "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
    "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules", "devices", "dns", "dns_opt",
    "dns_search", "domainname", "driver_opts", "entrypoint", "env_file", "environment", "expose", "extends", "external_links",
    "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file", "labels",
    "links", "logging", "mac_address", "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models",
    "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start",
    "pre_stop", "privileged", "profiles", "provider", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets",
    "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty",
    "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir",
];

/// Service keys of compose format 1 (the `docker-compose` v1 program).
const FORMAT_1: &[&str] = &[
    "build", "cap_add", "cap_drop", "cgroup_parent", "command", "container_name", "cpu_quota", "cpu_shares", "cpuset",
    "devices", "dns", "dns_search", "dockerfile", "domainname", "entrypoint", "env_file", "environment", "expose", "extends",
    "external_links", "extra_hosts", "hostname", "image", "ipc", "labels", "links", "log_driver", "log_opt", "mac_address",
    "mem_limit", "mem_swappiness", "memswap_limit", "net", "oom_score_adj", "pid", "ports", "privileged", "read_only",
    "restart", "security_opt", "shm_size", "stdin_open", "stop_signal", "tty", "ulimits", "user", "volume_driver", "volumes",
    "volumes_from", "working_dir",
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for f in repo.files.iter().filter(|f| f.v1 && !f.sample) {
        for svc in f.services() {
            for e in svc.value.entries() {
                let Some(k) = e.key_str() else { continue };
                if k.starts_with("x-") || FORMAT_1.contains(&k) {
                    continue;
                }
                let help = match FORMAT_1.iter().find(|c| close(c, k)) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "remove it".to_string(),
                };
                cx.report_in(f.doc, e.key.span.clone(), format!("`{k}` is not a key of compose format 1: the setting does nothing"))
                    .help(help);
            }
        }
    }
    for f in repo.files.iter().filter(|f| !f.v1 && !f.sample) {
        let mut unknown: Vec<(String, std::ops::Range<usize>, &str)> = Vec::new();
        for e in f.root.entries() {
            let Some(k) = e.key_str() else { continue };
            if !k.starts_with("x-") && !TOP.contains(&k) {
                unknown.push((k.to_string(), e.key.span.clone(), "at the top level"));
            }
        }
        for svc in f.services() {
            for e in svc.value.entries() {
                let Some(k) = e.key_str() else { continue };
                if !k.starts_with("x-") && !SERVICE.contains(&k) {
                    unknown.push((k.to_string(), e.key.span.clone(), "in a service"));
                }
            }
        }
        for (k, span, place) in unknown {
            let near = SERVICE.iter().chain(TOP).find(|c| close(c, &k));
            let help = match near {
                Some(c) => format!("did you mean `{c}`?"),
                None => "remove it, or prefix it with `x-` if it is an extension for other tools".to_string(),
            };
            cx.report_in(f.doc, span, format!("`{k}` is not a Compose key {place}: `docker compose` refuses the file")).help(help);
        }
    }
}

/// One edit apart, or the same with `-` for `_`.
fn close(a: &str, b: &str) -> bool {
    if a == b.replace('-', "_") {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let c = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + c);
        }
    }
    d[a.len()][b.len()] <= 1 && a.len() > 3
}
