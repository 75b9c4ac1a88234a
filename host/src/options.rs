//! Plugin and rule options checked before any plugin runs, against the JSON
//! Schema the plugin declares (the subset plugins use: `type`, `enum`,
//! `minimum`/`maximum`, `items`, `properties`, `required`), so a mistake is
//! a configuration error with its TOML span, like any other key.
use serde_json::Value as Json;

/// What is wrong with one option, and where: the key or its value.
#[derive(Debug, PartialEq)]
pub struct Problem {
    pub on_key: bool,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

/// Checks option `key = value` of plugin `plugin` against its schema (`None`: it takes no options).
pub fn check(plugin: &str, schema: Option<&Json>, key: &str, value: &toml::Value) -> Result<(), Problem> {
    // The key the host itself fills for plugins that read context files (docs/configuration.md).
    if key == "context_files" {
        return Ok(());
    }
    let props = schema.and_then(|s| s.get("properties")).and_then(Json::as_object);
    let Some(prop) = props.and_then(|p| p.get(key)) else {
        let known: Vec<&str> = props.map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
        let help = match crate::catalog::closest(key, known.iter().copied()) {
            Some(s) => Some(format!("did you mean `{s}`?")),
            None if known.is_empty() => Some(format!("plugin `{plugin}` takes no options")),
            None => Some(format!("plugin `{plugin}` takes: {}", known.join(", "))),
        };
        return Err(Problem {
            on_key: true,
            message: format!("unknown option `{key}` for plugin `{plugin}`"),
            label: "not an option of this plugin".into(),
            help,
        });
    };
    let json = serde_json::to_value(value).unwrap_or(Json::Null);
    value_problem(prop, &json).map_or(Ok(()), |(message, help)| {
        Err(Problem { on_key: false, message: format!("option `{key}`: {message}"), label: "here".into(), help })
    })
}

/// Why `v` does not fit `schema`, with a help line.
fn value_problem(schema: &Json, v: &Json) -> Option<(String, Option<String>)> {
    if let Some(allowed) = schema.get("enum").and_then(Json::as_array) {
        if !allowed.contains(v) {
            let list: Vec<String> = allowed.iter().map(Json::to_string).collect();
            let near = v.as_str().and_then(|s| crate::catalog::closest(s, allowed.iter().filter_map(Json::as_str)));
            let help = near.map_or_else(|| format!("one of {}", list.join(", ")), |n| format!("did you mean \"{n}\"?"));
            return Some((format!("{v} is not one of the allowed values"), Some(help)));
        }
    }
    if let Some(ty) = schema.get("type").and_then(Json::as_str) {
        let fits = match ty {
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => true,
        };
        if !fits {
            return Some((format!("expected {}, found {}", article(ty), kind(v)), None));
        }
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Json::as_f64).filter(|m| n < *m) {
            return Some((format!("{v} is below the minimum, {min}"), None));
        }
        if let Some(max) = schema.get("maximum").and_then(Json::as_f64).filter(|m| n > *m) {
            return Some((format!("{v} is above the maximum, {max}"), None));
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, item) in list.iter().enumerate() {
            if let Some((m, h)) = value_problem(items, item) {
                return Some((format!("item {}: {m}", i + 1), h));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Json::as_object);
        for req in schema.get("required").and_then(Json::as_array).into_iter().flatten().filter_map(Json::as_str) {
            if !obj.contains_key(req) {
                return Some((format!("`{req}` is required"), None));
            }
        }
        if let Some(props) = props {
            for (k, x) in obj {
                match props.get(k) {
                    None => {
                        let near = crate::catalog::closest(k, props.keys().map(String::as_str));
                        return Some((format!("unknown key `{k}`"), near.map(|n| format!("did you mean `{n}`?"))));
                    }
                    Some(s) => {
                        if let Some((m, h)) = value_problem(s, x) {
                            return Some((format!("`{k}`: {m}"), h));
                        }
                    }
                }
            }
        }
    }
    None
}

fn article(ty: &str) -> String {
    match ty {
        "integer" | "array" | "object" => format!("an {ty}"),
        _ => format!("a {ty}"),
    }
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "nothing",
        Json::Bool(_) => "a boolean",
        Json::Number(n) if n.is_f64() => "a number",
        Json::Number(_) => "an integer",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Json {
        serde_json::json!({"type": "object", "properties": {
            "dialect": {"enum": ["postgres", "mysql"]},
            "postgres-version": {"type": "integer", "minimum": 9},
            "allowed-owners": {"type": "array", "items": {"type": "string"}},
            "kinds": {"type": "array", "items": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}}
        }})
    }

    fn problem(key: &str, toml_value: &str) -> Option<Problem> {
        let v: toml::Table = toml::from_str(&format!("v = {toml_value}")).unwrap();
        check("sql", Some(&schema()), key, &v["v"]).err()
    }

    #[test]
    fn finds_each_kind_of_mistake() {
        assert_eq!(problem("dialect", "\"postgres\""), None);
        let p = problem("dialekt", "\"postgres\"").unwrap();
        assert!(p.on_key && p.help.as_deref() == Some("did you mean `dialect`?"), "{p:?}");
        let p = problem("dialect", "\"postgre\"").unwrap();
        assert_eq!(p.help.as_deref(), Some("did you mean \"postgres\"?"));
        assert!(problem("postgres-version", "\"16\"").unwrap().message.contains("expected an integer, found a string"));
        assert!(problem("postgres-version", "8").unwrap().message.contains("below the minimum"));
        assert!(problem("allowed-owners", "[\"a\", 2]").unwrap().message.contains("item 2: expected a string"));
        assert!(problem("kinds", "[{ kynd = \"X\" }]").unwrap().message.contains("`kind` is required"));
        let none = check("dockerfile", None, "x", &toml::Value::Boolean(true)).unwrap_err();
        assert_eq!(none.help.as_deref(), Some("plugin `dockerfile` takes no options"));
    }
}
