//! Platforms that run a service from a manifest in the repository (Kamal,
//! Heroku, Fly.io, Render, Railway, DigitalOcean App Platform): which files
//! are their manifests (deployment configuration), and which databases a
//! manifest or a platform command declares.
//!
//! Read line by line (this crate has no parser): the manifests are small and
//! their shapes fixed, and a database is recognised by the words that declare
//! it (an accessory's image, an add-on plan, a `databases:` entry).
use crate::databases::image_engine;
use crate::words::find_word;

/// A platform's manifest, by its path and (to tell `app.json` of Heroku from
/// Expo's) its text: the platform's name.
pub fn manifest(path: &str, text: &str) -> Option<&'static str> {
    let lower = path.replace('\\', "/").to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let dir = lower.strip_suffix(name).unwrap_or("");
    let top = |key: &str| text.lines().any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')));
    match name {
        // Kamal: config/deploy.yml, config/deploy.<destination>.yml.
        n if dir.ends_with("config/")
            && n.starts_with("deploy")
            && (n.ends_with(".yml") || n.ends_with(".yaml"))
            && top("service")
            && (top("servers") || top("image")) =>
        {
            Some("Kamal")
        }
        "app.json"
            if !text.contains("\"expo\"")
                && ["\"addons\"", "\"buildpacks\"", "\"formation\"", "\"stack\""].iter().any(|k| text.contains(k)) =>
        {
            Some("Heroku")
        }
        "heroku.yml" | "heroku.yaml" if top("build") || top("setup") || top("run") => Some("Heroku"),
        // Heroku, Dokku and other buildpack platforms: the processes, a web one at least.
        "procfile" if text.lines().any(|l| l.starts_with("web:") || l.starts_with("release:")) => Some("Procfile"),
        "fly.toml" if text.lines().any(|l| l.trim_start().starts_with("app ") || l.starts_with("[http_service]")) => {
            Some("Fly.io")
        }
        "render.yaml" | "render.yml" if top("services") || top("databases") => Some("Render"),
        "railway.json" | "railway.toml" => Some("Railway"),
        "app.yaml" | "app.yml" | "deploy.template.yaml"
            if dir.ends_with(".do/") && (top("services") || top("databases") || top("static_sites")) =>
        {
            Some("DigitalOcean App Platform")
        }
        _ => None,
    }
}

/// A manifest setting that has the platform deploy every push by itself
/// (Render `autoDeploy: true`, DigitalOcean `deploy_on_push: true`): its line.
/// Only an explicit setting counts (the platforms' defaults live in their dashboards).
pub fn deploys_on_push(platform: &str, text: &str) -> Option<(u32, &'static str)> {
    let (key, what) = match platform {
        "Render" => ("autoDeploy", "Render autoDeploy: every push deploys"),
        "DigitalOcean App Platform" => ("deploy_on_push", "DigitalOcean deploy_on_push: every push deploys"),
        _ => return None,
    };
    let n = text.lines().position(|l| yaml_value(l, key) == Some("true"))?;
    Some((n as u32 + 1, what))
}

/// Prometheus metrics the platform scrapes from the service (fly.toml `[metrics]`): its line.
pub fn scraped_metrics(platform: &str, text: &str) -> Option<u32> {
    if platform != "Fly.io" {
        return None;
    }
    let n = text.lines().position(|l| l.trim() == "[metrics]" || l.trim() == "[[metrics]]")?;
    Some(n as u32 + 1)
}

/// A database a platform runs for the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformDatabase {
    /// The name the manifest gives it (accessory, add-on alias, database name).
    pub name: String,
    pub engine: &'static str,
    /// 1-based line that declares it.
    pub line: u32,
    /// How it is declared: "Kamal accessory `db`", "Heroku add-on heroku-postgresql:standard-0".
    pub what: String,
    /// Run by the platform's provider (an add-on, a managed database): its
    /// backups, if any, are the provider's and not visible in the repository.
    /// `false` for a container the platform starts from an image (a Kamal accessory).
    pub provider: bool,
}

/// Add-on and managed-database plans of platforms, by the plan's name before `:`.
const ADDONS: &[(&str, &str)] = &[
    ("heroku-postgresql", "postgres"),
    ("heroku-redis", "redis"),
    ("jawsdb", "mysql"),
    ("jawsdb-maria", "mariadb"),
    ("cleardb", "mysql"),
    ("stackhero-postgresql", "postgres"),
    ("stackhero-mysql", "mysql"),
    ("stackhero-mariadb", "mariadb"),
    ("stackhero-redis", "redis"),
    ("mongolab", "mongodb"),
    ("ormongo", "mongodb"),
    ("rediscloud", "redis"),
    ("redistogo", "redis"),
    ("bonsai", "elasticsearch"),
    ("searchbox", "elasticsearch"),
];

/// The engine of an add-on plan: `heroku-postgresql:standard-0`, `jawsdb-maria`.
pub fn addon_engine(plan: &str) -> Option<&'static str> {
    let p = plan.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    let base = p.split(':').next().unwrap_or("");
    ADDONS.iter().find(|(n, _)| *n == base).map(|(_, e)| *e)
}

/// DigitalOcean's engine names (`engine: PG`).
fn do_engine(name: &str) -> Option<&'static str> {
    match name.trim().trim_matches(['"', '\'']).to_ascii_uppercase().as_str() {
        "PG" => Some("postgres"),
        "MYSQL" => Some("mysql"),
        "REDIS" | "VALKEY" => Some("redis"),
        "MONGODB" => Some("mongodb"),
        "OPENSEARCH" => Some("elasticsearch"),
        _ => None,
    }
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start().len()
}

/// `key: value` on a YAML line (after an optional `- `): the value, unquoted.
fn yaml_value<'t>(line: &'t str, key: &str) -> Option<&'t str> {
    let t = line.trim_start().trim_start_matches("- ");
    let rest = t.strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.split(" #").next().unwrap_or(rest).trim().trim_matches(['"', '\'']))
}

/// The lines of a top-level YAML section (`accessories:`), with their 1-based numbers.
fn section<'t>(text: &'t str, key: &str) -> Vec<(u32, &'t str)> {
    let mut out = Vec::new();
    let mut inside = false;
    for (n, l) in text.lines().enumerate() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        if indent(l) == 0 {
            inside = l.strip_prefix(key).is_some_and(|r| r.trim() == ":");
            continue;
        }
        if inside {
            out.push((n as u32 + 1, l));
        }
    }
    out
}

/// The databases a platform manifest declares (`platform` as [`manifest`] named it).
pub fn databases_in(platform: &str, text: &str) -> Vec<PlatformDatabase> {
    match platform {
        "Kamal" => kamal(text),
        "Heroku" => heroku(text),
        "Render" => render(text),
        "DigitalOcean App Platform" => digitalocean(text),
        _ => Vec::new(),
    }
}

/// Kamal accessories whose image is a database: a container on a host, not provider-run.
fn kamal(text: &str) -> Vec<PlatformDatabase> {
    let lines = section(text, "accessories");
    let base = lines.iter().map(|(_, l)| indent(l)).min().unwrap_or(0);
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for (n, l) in lines {
        if indent(l) == base {
            current = l.trim().strip_suffix(':').map(str::to_string);
            continue;
        }
        let (Some(name), Some(image)) = (&current, yaml_value(l, "image")) else { continue };
        if indent(l) != base + 2 && !l.trim_start().starts_with("image:") {
            continue;
        }
        if let Some(engine) = image_engine(image) {
            out.push(PlatformDatabase {
                name: name.clone(),
                engine,
                line: n,
                what: format!("Kamal accessory `{name}` ({image})"),
                provider: false,
            });
        }
    }
    out
}

/// Heroku add-ons: `"addons": ["heroku-postgresql", {"plan": "heroku-redis:mini", "as": "CACHE"}]`
/// in app.json, `setup: addons: - plan: heroku-postgresql` in heroku.yml.
fn heroku(text: &str) -> Vec<PlatformDatabase> {
    let mut out = Vec::new();
    let mut push = |plan: &str, line: u32| {
        if let Some(engine) = addon_engine(plan) {
            let plan = plan.trim().trim_matches(['"', '\'']);
            let name = plan.split(':').next().unwrap_or(plan).to_string();
            if !out.iter().any(|d: &PlatformDatabase| d.name == name) {
                out.push(PlatformDatabase {
                    name,
                    engine,
                    line,
                    what: format!("Heroku add-on {plan}"),
                    provider: true,
                });
            }
        }
    };
    if let Some(start) = text.find("\"addons\"") {
        // Every string of the add-ons array.
        let rest = &text[start + 8..];
        let end = rest.find(']').unwrap_or(rest.len());
        let array = &rest[..end];
        let base_line = text[..start].matches('\n').count() as u32 + 1;
        for (i, part) in array.split('"').enumerate().filter(|(i, _)| i % 2 == 1) {
            let _ = i;
            let offset = array.find(&format!("\"{part}\"")).unwrap_or(0);
            push(part, base_line + array[..offset].matches('\n').count() as u32);
        }
    } else {
        for (n, l) in text.lines().enumerate() {
            if let Some(plan) = yaml_value(l, "plan") {
                push(plan, n as u32 + 1);
            }
        }
    }
    out
}

/// Render: every `databases:` entry is a PostgreSQL database; `type: redis` / `keyvalue` services.
fn render(text: &str) -> Vec<PlatformDatabase> {
    let mut out = Vec::new();
    for (n, l) in section(text, "databases") {
        if let Some(name) = l.trim_start().strip_prefix("- ").and_then(|r| yaml_value(r, "name")) {
            out.push(PlatformDatabase {
                name: name.to_string(),
                engine: "postgres",
                line: n,
                what: format!("Render database `{name}`"),
                provider: true,
            });
        }
    }
    let services = section(text, "services");
    for (i, (n, l)) in services.iter().enumerate() {
        let Some(kind) = yaml_value(l, "type") else { continue };
        if !matches!(kind, "redis" | "keyvalue") {
            continue;
        }
        // The entry's name: the nearest `name:` of the same list item.
        let item = |x: &str| x.trim_start().starts_with("- ");
        let start = services[..=i].iter().rposition(|(_, x)| item(x)).unwrap_or(0);
        let end = services[i + 1..].iter().position(|(_, x)| item(x)).map_or(services.len(), |e| i + 1 + e);
        let name = services[start..end].iter().find_map(|(_, x)| yaml_value(x, "name")).unwrap_or(kind);
        out.push(PlatformDatabase {
            name: name.to_string(),
            engine: "redis",
            line: *n,
            what: format!("Render {kind} `{name}`"),
            provider: true,
        });
    }
    out
}

/// DigitalOcean App Platform: `databases: - name: db engine: PG`.
fn digitalocean(text: &str) -> Vec<PlatformDatabase> {
    let mut out = Vec::new();
    let mut name: Option<(String, u32)> = None;
    for (n, l) in section(text, "databases") {
        if l.trim_start().starts_with("- ") {
            name = None;
        }
        if let Some(v) = yaml_value(l, "name") {
            name = Some((v.to_string(), n));
        }
        if let Some(engine) = yaml_value(l, "engine").and_then(do_engine) {
            let (db, at) = name.clone().unwrap_or_else(|| ("db".into(), n));
            out.push(PlatformDatabase {
                name: db.clone(),
                engine,
                line: at,
                what: format!("DigitalOcean App Platform database `{db}`"),
                provider: true,
            });
        }
    }
    out
}

/// A platform command that creates or attaches a database for the service:
/// `heroku addons:create heroku-postgresql:essential-0`, `fly postgres create`,
/// `flyctl postgres attach my-db`, `fly mpg create`. (engine, what, provider-run)
pub fn database_command(line: &str) -> Option<(&'static str, String, bool)> {
    let l = line.to_ascii_lowercase();
    if let Some(at) = find_word(&l, "addons:create") {
        let plan = l[at + "addons:create".len()..].split_whitespace().next()?;
        let engine = addon_engine(plan)?;
        return Some((engine, format!("Heroku add-on {}", plan.trim_matches(['"', '\''])), true));
    }
    for cli in ["fly", "flyctl"] {
        let Some(at) = find_word(&l, cli) else { continue };
        let mut words = l[at + cli.len()..].split_whitespace();
        match (words.next(), words.next()) {
            // Fly Postgres is an app of Postgres machines the team runs (volume snapshots only).
            (Some("postgres" | "pg"), Some("create" | "attach")) => {
                return Some(("postgres", "Fly Postgres app".into(), false))
            }
            (Some("mpg"), Some("create" | "attach")) => return Some(("postgres", "Fly Managed Postgres".into(), true)),
            (Some("redis"), Some("create")) => return Some(("redis", "Upstash Redis on Fly.io".into(), true)),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_by_name_and_shape() {
        let kamal = "service: shop\nimage: acme/shop\nservers:\n  - 10.0.0.1\n";
        assert_eq!(manifest("config/deploy.yml", kamal), Some("Kamal"));
        assert_eq!(manifest("config/deploy.staging.yml", kamal), Some("Kamal"));
        // A deploy.yml of something else (no service/servers), or outside config/.
        assert_eq!(manifest("config/deploy.yml", "stages:\n  - prod\n"), None);
        assert_eq!(manifest("deploy.yml", kamal), None);
        assert_eq!(manifest("app.json", "{\"addons\": [\"heroku-postgresql\"]}"), Some("Heroku"));
        assert_eq!(manifest("app.json", "{\"expo\": {\"name\": \"x\"}, \"stack\": 1}"), None);
        assert_eq!(manifest("heroku.yml", "build:\n  docker:\n    web: Dockerfile\n"), Some("Heroku"));
        assert_eq!(manifest("Procfile", "web: gunicorn app.wsgi\n"), Some("Procfile"));
        assert_eq!(manifest("Procfile", "worker: celery\n"), None);
        assert_eq!(manifest("fly.toml", "app = \"shop\"\nprimary_region = \"ams\"\n"), Some("Fly.io"));
        assert_eq!(manifest("render.yaml", "services:\n  - type: web\n"), Some("Render"));
        assert_eq!(
            manifest(".do/app.yaml", "name: shop\nservices:\n  - name: web\n"),
            Some("DigitalOcean App Platform")
        );
        assert_eq!(manifest("app.yaml", "runtime: python39\n"), None);
    }

    #[test]
    fn platforms_that_deploy_every_push_and_scrape_metrics() {
        let render = "services:\n  - type: web\n    name: api\n    autoDeploy: true\n";
        assert_eq!(deploys_on_push("Render", render).map(|d| d.0), Some(4));
        assert_eq!(deploys_on_push("Render", "services:\n  - type: web\n    autoDeploy: false\n"), None);
        let app = "name: shop\nservices:\n  - name: web\n    github:\n      branch: main\n      deploy_on_push: true\n";
        assert_eq!(deploys_on_push("DigitalOcean App Platform", app).map(|d| d.0), Some(6));
        assert_eq!(scraped_metrics("Fly.io", "app = \"x\"\n\n[metrics]\n  port = 9091\n"), Some(3));
        assert_eq!(scraped_metrics("Fly.io", "app = \"x\"\n[http_service]\n"), None);
    }

    #[test]
    fn kamal_accessories_that_run_a_database() {
        let t = "service: b\nimage: a/b\naccessories:\n  db:\n    image: mysql:8.4\n    host: 10.0.1.20\n  cache:\n    image: redis:7\n  search:\n    image: getmeili/meilisearch\n  exporter:\n    image: prom/mysqld-exporter\n";
        let dbs = databases_in("Kamal", t);
        let got: Vec<(&str, &str, u32, bool)> =
            dbs.iter().map(|d| (d.name.as_str(), d.engine, d.line, d.provider)).collect();
        assert_eq!(got, vec![("db", "mysql", 5, false), ("cache", "redis", 8, false)]);
    }

    #[test]
    fn heroku_addons_in_app_json_and_heroku_yml() {
        let json = "{\n  \"name\": \"x\",\n  \"addons\": [\n    \"papertrail\",\n    { \"plan\": \"heroku-postgresql:standard-0\" },\n    { \"plan\": \"heroku-redis:mini\", \"as\": \"CACHE\" }\n  ]\n}\n";
        let dbs = databases_in("Heroku", json);
        let got: Vec<(&str, &str, u32)> = dbs.iter().map(|d| (d.name.as_str(), d.engine, d.line)).collect();
        assert_eq!(got, vec![("heroku-postgresql", "postgres", 5), ("heroku-redis", "redis", 6)]);
        assert!(dbs.iter().all(|d| d.provider));
        let yml = "setup:\n  addons:\n    - plan: jawsdb-maria:kitefin\n      as: DATABASE\nbuild:\n  docker:\n    web: Dockerfile\n";
        assert_eq!(databases_in("Heroku", yml)[0].engine, "mariadb");
        assert!(databases_in("Heroku", "{\"buildpacks\": [{\"url\": \"heroku/python\"}]}").is_empty());
    }

    #[test]
    fn render_and_digitalocean_databases() {
        let r = "services:\n  - type: web\n    name: api\n  - type: redis\n    name: cache\n    ipAllowList: []\ndatabases:\n  - name: shop-db\n    plan: basic-256mb\n";
        let got: Vec<(String, &str, u32)> =
            databases_in("Render", r).into_iter().map(|d| (d.name, d.engine, d.line)).collect();
        assert_eq!(got, vec![("shop-db".to_string(), "postgres", 8), ("cache".to_string(), "redis", 4)]);
        let d =
            "name: shop\nservices:\n  - name: web\ndatabases:\n  - name: db\n    engine: PG\n    production: true\n";
        let got: Vec<(String, &str)> =
            databases_in("DigitalOcean App Platform", d).into_iter().map(|d| (d.name, d.engine)).collect();
        assert_eq!(got, vec![("db".to_string(), "postgres")]);
    }

    #[test]
    fn platform_database_commands() {
        assert_eq!(
            database_command("heroku addons:create heroku-postgresql:essential-0 -a x").map(|d| d.0),
            Some("postgres")
        );
        assert_eq!(
            database_command("fly postgres create --name shop-db").map(|d| (d.0, d.2)),
            Some(("postgres", false))
        );
        assert_eq!(database_command("flyctl pg attach shop-db").map(|d| d.0), Some("postgres"));
        assert_eq!(database_command("fly mpg create").map(|d| d.2), Some(true));
        // Not a database: other add-ons, other fly commands.
        assert_eq!(database_command("heroku addons:create papertrail"), None);
        assert_eq!(database_command("fly deploy"), None);
        assert_eq!(database_command("fly postgres connect -a shop-db"), None);
    }
}
