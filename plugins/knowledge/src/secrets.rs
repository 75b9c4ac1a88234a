//! Names of variables and keys that hold secrets.

/// Words of a name (split at anything not a letter or digit) that say it holds a secret.
pub const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PASSPHRASE",
    "PWD",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "APIKEY",
    "CREDENTIALS",
    "CREDENTIAL",
    "PRIVATEKEY",
];

/// Adjacent words that say the same (`API_KEY`, `PRIVATE_KEY`…).
pub const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "KEY"),
    ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("MASTER", "KEY"),
];

/// Last words of names that mention a secret but hold something else: where
/// it is (`TOKEN_FILE`), whether it is on (`PASSWORD_ENABLED`), how it looks (`TOKEN_TTL`).
pub const POINTERS: &[&str] = &[
    "FILE",
    "PATH",
    "DIR",
    "NAME",
    "ID",
    "TYPE",
    "LENGTH",
    "LEN",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "HEADER",
    "ENABLED",
    "ENABLE",
    "DISABLED",
    "MODE",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "TIMEOUT",
    "SIZE",
    "ALGORITHM",
    "VERSION",
    "COMMAND",
    "CMD",
    "LOCATION",
    "REF",
    "ARN",
    "DUMMY",
    "PLACEHOLDER",
    "EXAMPLE",
    "FORMAT",
    "PREFIX",
    "SCOPE",
    "SCOPES",
    "ISSUER",
    "AUDIENCE",
    "USER",
    "USERNAME",
    "REGION",
    "POLICY",
    "RESET",
    "HASH",
    "HASHER",
    "COUNT",
];

/// A name that says it holds a secret (`DB_PASSWORD`, `GITHUB_TOKEN`,
/// `api-key`, `STRIPE_SECRET_KEY`, `GH_PAT`), but not a pointer to one or a
/// setting about one (`TOKEN_FILE`, `PASSWORD_PATH`, `TOKEN_TTL`,
/// `AWS_ACCESS_KEY_ID`), nor a public or dummy value (`PUBLIC_KEY`, `SECRET_KEY_BASE_DUMMY`).
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let Some(&last) = words.last() else { return false };
    if POINTERS.contains(&last) || words.iter().any(|w| *w == "DUMMY" || *w == "PUBLIC") {
        return false;
    }
    if words.len() == 1 && last == "PWD" {
        return false; // the shell's working directory
    }
    words.iter().any(|w| SECRET_WORDS.contains(w))
        || words.windows(2).any(|p| SECRET_PAIRS.contains(&(p[0], p[1])))
        || last == "PAT"
        || upper.ends_with("PRIVATEKEY")
        || upper.ends_with("APIKEY")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "api-key",
            "AWS_SECRET_ACCESS_KEY",
            "NPM_TOKEN",
            "SECRET",
            "PrivateKey",
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "GH_PAT",
            "STRIPE_SECRET_KEY",
            "DJANGO_SECRET_KEY",
            "REDIS_PASS",
            "smtp.password",
            "RABBITMQ_DEFAULT_PASS",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "TOKEN_FILE",
            "PASSWORD_PATH",
            "SECRET_KEY_BASE_DUMMY",
            "AWS_ACCESS_KEY_ID",
            "PATH",
            "KEYCLOAK",
            "PUBLIC_KEY",
            "PASSENGER_VERSION",
            "MAX_TOKENS",
            "TOKEN_TTL",
            "POSTGRES_PASSWORD_FILE",
            "PWD",
            "PASSWORD_RESET_TIMEOUT",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }
}
