//! Compose files, however they are named and written: which services run a
//! database (by image, by the data directory they mount, by the server set-up
//! in their environment), with images resolved from `.env` files; templates
//! (`docker-compose.yml.j2`) and files the YAML layer cannot read are read
//! line by line, and reported as not fully read.
use std::collections::BTreeMap;

use opslint_knowledge::databases::{data_dir_engine, image_engine, server_env_engine};
use opslint_yaml::Node;

/// Suffixes of templates rendered into a compose or values file before use.
pub const TEMPLATE_SUFFIXES: &[&str] = &[".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template", ".gotmpl"];

/// The file name without a template suffix (`docker-compose.yml.j2` → `docker-compose.yml`), and whether it had one.
pub fn untemplated(name: &str) -> (&str, bool) {
    for s in TEMPLATE_SUFFIXES {
        if let Some(base) = name.strip_suffix(s) {
            return (base, true);
        }
    }
    (name, false)
}

/// A compose file by its name: `docker-compose*.yml`, `compose*.yaml`, `*.compose.yml`, templates of them.
pub fn compose_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let (name, _) = untemplated(&name);
    let name = name.strip_suffix(".example").or_else(|| name.strip_suffix(".dist")).unwrap_or(name);
    (name.starts_with("docker-compose")
        || name.starts_with("compose")
        || name.contains(".compose.")
        || name.contains("-compose."))
        && (name.ends_with(".yml") || name.ends_with(".yaml"))
}

/// A document that is a compose file whatever its name (`manual-install/latest.yml`,
/// `stack.yml`): top-level `services:` whose entries run an image or a build, and no
/// Kubernetes `apiVersion`/`kind`.
pub fn looks_like_compose(root: &Node) -> bool {
    if root.get("apiVersion").is_some() || root.get("kind").is_some() {
        return false;
    }
    let Some(services) = root.get("services").filter(|s| s.is_map()) else { return false };
    services.entries().iter().any(|e| e.value.str("image").is_some() || e.value.get("build").is_some())
}

/// Variables of `.env` files, by directory (`""`: the repository root).
#[derive(Debug, Default)]
pub struct EnvFiles {
    by_dir: BTreeMap<String, BTreeMap<String, String>>,
}

impl EnvFiles {
    /// Whether a file is an env file: `.env`, `prod.env`, or a sample of one a person
    /// copies into place (`.env.example`, `env.example`, `.env.dist`), read with lower priority.
    pub fn is_env(name: &str) -> bool {
        let n = name.to_ascii_lowercase();
        n == ".env" || n.ends_with(".env") || Self::sample(&n)
    }

    fn sample(n: &str) -> bool {
        let base = n.strip_suffix(".example").or_else(|| n.strip_suffix(".dist")).or_else(|| n.strip_suffix(".sample"));
        base.is_some_and(|b| b == ".env" || b == "env" || b.ends_with(".env"))
    }

    pub fn add(&mut self, path: &str, text: &str) {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        // Samples go in a shadow folder consulted after the real files.
        let dir = if Self::sample(&name.to_ascii_lowercase()) { format!("{dir}\u{0}sample") } else { dir.to_string() };
        let vars = self.by_dir.entry(dir).or_default();
        for l in text.lines() {
            let t = l.trim().trim_start_matches("export ");
            if t.starts_with('#') {
                continue;
            }
            let Some((k, v)) = t.split_once('=') else { continue };
            let v = match v.find(" #") {
                Some(i) => &v[..i],
                None => v,
            };
            vars.entry(k.trim().to_string()).or_insert_with(|| v.trim().trim_matches(['"', '\'']).to_string());
        }
    }

    /// A variable for a compose file at `path`: from the `.env` of its folder or of a folder above.
    pub fn get(&self, path: &str, var: &str) -> Option<&str> {
        let mut dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        loop {
            if let Some(v) = self.by_dir.get(dir).and_then(|m| m.get(var)) {
                return Some(v);
            }
            if let Some(v) = self.by_dir.get(&format!("{dir}\u{0}sample")).and_then(|m| m.get(var)) {
                return Some(v);
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
    }
}

/// `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` replaced from `lookup`;
/// `Err(var)` names the first variable neither set nor defaulted.
pub fn resolve<'a>(value: &str, lookup: impl Fn(&str) -> Option<&'a str>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(inner) = after.strip_prefix('{') {
            let Some(end) = inner.find('}') else { return Err(after.to_string()) };
            let body = &inner[..end];
            let (var, default) = match body.split_once(":-").or_else(|| body.split_once('-')) {
                Some((v, d)) => (v, Some(d)),
                None => (body.split_once(":?").map_or(body, |(v, _)| v), None),
            };
            match lookup(var).filter(|v| !v.is_empty()).or(default) {
                Some(v) => out.push_str(v),
                None => return Err(var.to_string()),
            }
            rest = &inner[end + 1..];
        } else if let Some(after2) = after.strip_prefix('$') {
            out.push('$');
            rest = after2;
        } else {
            let n = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
            let var = &after[..n];
            match lookup(var) {
                Some(v) => out.push_str(v),
                None => return Err(var.to_string()),
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// What makes a service a database.
pub struct Engine {
    pub engine: &'static str,
    /// How it was recognised (`image postgres:16`, `volume at /var/lib/postgresql/data`).
    pub why: String,
}

/// The database a service runs: by its image, else by the data directory a
/// volume is mounted at, else by the server set-up in its environment.
pub fn service_engine(image: Option<&str>, mounts: &[String], env_keys: &[String]) -> Option<Engine> {
    if let Some(img) = image {
        if img.to_ascii_lowercase().contains("backup") {
            return None;
        }
        if let Some(e) = image_engine(img) {
            return Some(Engine { engine: e, why: format!("image `{img}`") });
        }
    }
    if let Some((m, e)) = mounts.iter().find_map(|m| data_dir_engine(m).map(|e| (m, e))) {
        return Some(Engine { engine: e, why: format!("a volume at `{m}`") });
    }
    server_env_engine(env_keys.iter().map(String::as_str))
        .map(|e| Engine { engine: e, why: "its environment sets up a database server".into() })
}

/// The Dockerfile a compose service builds (`build: ./db`, `build: {context: db, dockerfile: Dockerfile.pg}`),
/// as a repository path, from the compose file at `compose_path`.
pub fn build_dockerfile(compose_path: &str, svc: &Node) -> Option<String> {
    let build = svc.get("build")?;
    let (context, file) = match build.as_str() {
        Some(c) => (c.to_string(), "Dockerfile".to_string()),
        None => (
            build.str("context").unwrap_or(".").to_string(),
            build.str("dockerfile").unwrap_or("Dockerfile").to_string(),
        ),
    };
    if context.contains("://") || context.contains('$') {
        return None;
    }
    let dir = compose_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split('/').chain(context.split('/')).chain(file.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Container paths of a service's volumes (`pgdata:/var/lib/postgresql/data`, long syntax `target:`).
pub fn mounts(svc: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for v in svc.get("volumes").map(Node::items).unwrap_or(&[]) {
        if let Some(s) = v.as_str() {
            let parts: Vec<&str> = s.split(':').collect();
            if parts.len() >= 2 {
                out.push(parts[1].to_string());
            }
        } else if let Some(t) = v.str("target") {
            out.push(t.to_string());
        }
    }
    out
}

/// Names of a service's environment variables (list `K=V` or map).
pub fn env_keys(svc: &Node) -> Vec<String> {
    let Some(env) = svc.get("environment") else { return Vec::new() };
    if env.is_map() {
        env.entries().iter().filter_map(|e| e.key_str().map(str::to_string)).collect()
    } else {
        env.items().iter().filter_map(|i| i.as_str().map(|s| s.split('=').next().unwrap_or(s).to_string())).collect()
    }
}

/// A service found by reading a compose file line by line: (name, offset of its key, image, volume targets).
pub struct LineService {
    pub name: String,
    pub offset: usize,
    pub image: Option<String>,
    pub mounts: Vec<String>,
    pub env_keys: Vec<String>,
}

/// Services of a compose file that is not YAML (a template, a file the parser refused):
/// keys one level under a top-level `services:`, their `image:`, volumes and environment names.
pub fn scan_lines(text: &str) -> Vec<LineService> {
    let mut out: Vec<LineService> = Vec::new();
    let mut in_services = false;
    let mut level: Option<usize> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with("{%") || t.starts_with("{{-") && t.ends_with("}}") {
            continue;
        }
        let indent = line.len() - t.len();
        if indent == 0 {
            in_services = t.starts_with("services:");
            level = None;
            continue;
        }
        if !in_services {
            continue;
        }
        let lvl = *level.get_or_insert(indent);
        if indent == lvl {
            if let Some(name) = t.strip_suffix(':') {
                let name = name.trim_matches(['"', '\'']).to_string();
                out.push(LineService {
                    name,
                    offset: start + indent,
                    image: None,
                    mounts: Vec::new(),
                    env_keys: Vec::new(),
                });
            }
            continue;
        }
        let Some(svc) = out.last_mut() else { continue };
        let item = t.trim_start_matches("- ");
        if let Some(v) = t.strip_prefix("image:") {
            svc.image = Some(v.trim().trim_matches(['"', '\'']).to_string());
        } else if let Some(data_dir) = item.split(':').nth(1).filter(|_| t.starts_with("- ") && item.contains(":/")) {
            svc.mounts.push(data_dir.to_string());
        } else if let Some((k, _)) = item.split_once(['=', ':']) {
            if k.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') && !k.is_empty() {
                svc.env_keys.push(k.to_string());
            }
        }
    }
    out
}

/// The text with template syntax blanked, byte for byte (so spans and lines still
/// point into the original): `{{ … }}` becomes `x…x` (a plain scalar where a value
/// was), a line holding only `{{- if … }}`, `{{- end }}` or `{% … %}` becomes spaces.
pub fn blank_templates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let t = body.trim();
        let only_tag = (t.starts_with("{{") && t.ends_with("}}") && t.matches("{{").count() == 1)
            || (t.starts_with("{%") && t.ends_with("%}"))
            || t.starts_with("{{/*");
        if only_tag {
            out.extend(body.chars().map(|c| if c.is_whitespace() { c } else { ' ' }));
        } else {
            let mut rest = body;
            while let Some(i) = rest.find("{{").or_else(|| rest.find("{%")) {
                out.push_str(&rest[..i]);
                let close = if rest[i..].starts_with("{{") { "}}" } else { "%}" };
                let Some(j) = rest[i..].find(close) else {
                    out.push_str(&rest[i..]);
                    rest = "";
                    break;
                };
                let tag = &rest[i..i + j + 2];
                out.extend(tag.chars().map(|c| if c.len_utf8() == 1 { 'x' } else { c }));
                rest = &rest[i + j + 2..];
            }
            out.push_str(rest);
        }
        out.push_str(&line[body.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dockerfile_a_service_builds() {
        let svc = |y: &str| opslint_yaml::parse(y).docs.remove(0).root;
        assert_eq!(
            build_dockerfile("deploy/compose.yml", &svc("build: ./db\n")).as_deref(),
            Some("deploy/db/Dockerfile")
        );
        assert_eq!(
            build_dockerfile("compose.yml", &svc("build:\n  context: ../images/pg\n  dockerfile: Dockerfile.prod\n"))
                .as_deref(),
            Some("images/pg/Dockerfile.prod")
        );
        assert_eq!(build_dockerfile("compose.yml", &svc("image: postgres\n")), None);
    }

    #[test]
    fn names_and_templates() {
        assert!(compose_name("deploy/docker-compose.yml.j2"));
        assert!(compose_name("compose.prod.yaml"));
        assert!(compose_name("app.compose.yml"));
        assert!(compose_name("docker-compose.yml.example"));
        assert!(!compose_name("values.yaml"));
        assert_eq!(untemplated("docker-compose.yml.j2"), ("docker-compose.yml", true));
    }

    #[test]
    fn templates_blanked_in_place() {
        let t = "{{- if .Values.backup.enabled }}\nkind: CronJob\nspec:\n  schedule: {{ .Values.backup.schedule | quote }}\n{{- end }}\n";
        let b = blank_templates(t);
        assert_eq!(b.len(), t.len());
        let s = opslint_yaml::parse(&b);
        assert!(s.error.is_none(), "{:?}", s.error);
        assert_eq!(s.docs[0].root.str("kind"), Some("CronJob"));
    }

    #[test]
    fn variables() {
        let env = |v: &str| match v {
            "PG" => Some("postgres:16"),
            "TAG" => Some("1.2"),
            _ => None,
        };
        assert_eq!(resolve("${PG}", env), Ok("postgres:16".into()));
        assert_eq!(resolve("app:${TAG}", env), Ok("app:1.2".into()));
        assert_eq!(resolve("${X:-mysql:8}", env), Ok("mysql:8".into()));
        assert_eq!(resolve("$PG", env), Ok("postgres:16".into()));
        assert_eq!(resolve("${NOPE}", env), Err("NOPE".into()));
    }

    #[test]
    fn services_of_a_template() {
        let t = "# rendered by ansible\nservices:\n  web:\n    image: \"{{ web_image }}\"\n{% if with_db %}\n  db:\n    image: postgres:{{ pg_version }}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    environment:\n      POSTGRES_PASSWORD: \"{{ pw }}\"\n{% endif %}\nvolumes:\n  pgdata:\n";
        let s = scan_lines(t);
        assert_eq!(s.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["web", "db"]);
        assert_eq!(s[1].image.as_deref(), Some("postgres:{{ pg_version }}"));
        assert_eq!(s[1].mounts, ["/var/lib/postgresql/data"]);
        assert_eq!(&t[s[1].offset..s[1].offset + 3], "db:");
    }
}
