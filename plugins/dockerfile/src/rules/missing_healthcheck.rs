//! ## What it does
//! Flags a service image without a `HEALTHCHECK`: the final stage (or a stage
//! it builds on) `EXPOSE`s a port or starts a server (`nginx`, `gunicorn`,
//! `uvicorn`, `java -jar`, `npm start`, `rails server`, …) and no stage of
//! its lineage declares `HEALTHCHECK`. `HEALTHCHECK NONE` counts as an
//! explicit choice. Images that are not services (CLIs, build images, jobs)
//! are not flagged. A base image's own HEALTHCHECK is not visible here; when
//! the base image has one, suppress this finding. Off by default: Kubernetes
//! ignores `HEALTHCHECK` (it uses the pod's probes), so for images deployed
//! there the instruction is a choice, not a fault; turn it on where images run
//! under Docker, Compose or Swarm.
//!
//! ## Why is this bad?
//! Without a health check, Docker and Compose only know whether the process
//! is running, not whether it answers. A deadlocked server stays "up" and
//! keeps receiving traffic.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY . /app
//! EXPOSE 8000
//! CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY . /app
//! EXPOSE 8000
//! HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
//! CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "service image without a HEALTHCHECK",
    severity: Severity::Medium,
    aliases: &["DL3057", "CKV_DOCKER_2", "DS026"],
    tags: &["reliability"],
    enabled: false,
    ..Meta::DEFAULT
};

const SERVERS: &[&str] = &[
    "nginx", "httpd", "apache2", "apache2-foreground", "gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve",
    "puma", "unicorn", "php-fpm", "caddy", "traefik", "envoy", "haproxy", "redis-server", "mongod", "mysqld",
    "postgres", "catalina.sh", "serve", "http-server", "next", "nuxt",
];

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let Some(last) = df.final_stage() else { return };
    let lineage = df.lineage(last);
    if lineage.iter().any(|s| in_stage(df, s, "HEALTHCHECK").next().is_some()) {
        return;
    }
    let expose = lineage.iter().find_map(|s| in_stage(df, s, "EXPOSE").next());
    let server = lineage
        .iter()
        .flat_map(|s| df.stage_instructions(s).iter().rev())
        .find(|i| i.is("CMD") || i.is("ENTRYPOINT"))
        .filter(|i| runs_server(i));
    let (why_span, why) = match (expose, server) {
        (Some(e), _) => (e.args_span(), format!("exposes `{}`", e.args_str())),
        (None, Some(s)) => (s.args_span(), format!("starts a server (`{}`)", s.args_str())),
        (None, None) => return,
    };
    cx.report(last.image_span.clone(), format!("the final stage {why} but has no `HEALTHCHECK`"))
        .related(why_span, "this makes it a service")
        .help("add `HEALTHCHECK CMD <command that probes the service>` (or `HEALTHCHECK NONE` to opt out explicitly)");
}

fn runs_server(ins: &Instruction) -> bool {
    let words: Vec<&str> = match &ins.exec {
        Some(e) => e.iter().map(|w| w.value.as_str()).collect(),
        None => ins.words.iter().map(|w| w.value.as_str()).collect(),
    };
    let base = |w: &str| w.rsplit('/').next().unwrap_or("").to_string();
    words.iter().any(|w| SERVERS.contains(&base(w).as_str()))
        || words.windows(2).any(|p| {
            matches!(
                (base(p[0]).as_str(), p[1]),
                ("java", "-jar") | ("npm", "start") | ("yarn", "start") | ("pnpm", "start") | ("rails", "server")
                    | ("rails", "s") | ("flask", "run") | ("manage.py", "runserver") | ("dotnet", _)
            ) && (base(p[0]) != "dotnet" || p[1].ends_with(".dll"))
        })
}
