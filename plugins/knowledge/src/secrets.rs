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

/// Words a value is made of when it is an example to replace, not a secret
/// (`changeme`, `your-api-key`, `REPLACE_ME`, `<password>`…), compared
/// without case and separators.
const PLACEHOLDER_WORDS: &[&str] = &[
    "changeme",
    "changeit",
    "replaceme",
    "placeholder",
    "example",
    "dummy",
    "fake",
    "redacted",
    "secret",
    "password",
    "passwd",
    "token",
    "apikey",
    "todo",
    "tbd",
    "fixme",
    "none",
    "null",
    "empty",
    "xxx",
    "notset",
    "unset",
    "mysecret",
    "mypassword",
    "yoursecret",
    "yourpassword",
    "yourtoken",
    "yourapikey",
    "yourkey",
    "supersecret",
];

/// A value that stands for a secret instead of being one: a reference the
/// shell, the CI system or a template fills in (`$VAR`, `${VAR}`,
/// `${VAR:-x}`, `$(cmd)`, `${{ secrets.X }}`, `{{ .Values.x }}`, `%VAR%`,
/// `#{x}`), a marker a script replaces (`__SECRET__`, `@@TOKEN@@`,
/// `%%TOKEN%%`, `##TOKEN##`), an example (`<your-key>`, `[PASSWORD]`,
/// `changeme`, `your_token_here`, `xxxxxxxx`, `********`, `00000000`), or the
/// variable's own name; or a path to the file that holds it. Every secret
/// rule asks this before reporting a value.
pub fn placeholder(name: &str, value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '\'' || c == '"').trim();
    if v.is_empty() {
        return true;
    }
    // References filled in later.
    if v.starts_with('$')
        || v.starts_with('`')
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.contains("{%")
        || v.contains("<%")
        || v.contains("#{")
    {
        return true;
    }
    // A path to where the secret is (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`).
    if (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/")) && !v.contains(char::is_whitespace) {
        return true;
    }
    let bytes = v.as_bytes();
    let (first, last) = (bytes[0], bytes[bytes.len() - 1]);
    // Bracketed examples: `<your-key>`, `[PASSWORD]`.
    if (first == b'<' && last == b'>') || (first == b'[' && last == b']') {
        return true;
    }
    // Markers a script substitutes: the same run of punctuation around a name (`__X__`, `@@X@@`, `%X%`).
    let lead = bytes.iter().take_while(|b| b"_@%#".contains(b)).count();
    let trail = bytes.iter().rev().take_while(|b| b"_@%#".contains(b)).count();
    if lead > 0 && lead == trail && bytes[0] == bytes[bytes.len() - 1] && v.len() > 2 * lead {
        let inner = &v[lead..v.len() - trail];
        if inner.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.') {
            return true;
        }
    }
    // One character repeated, separators aside: `xxxxxxxx`, `********`, `00000000-0000-…`.
    let marks: Vec<u8> = bytes.iter().copied().filter(|b| !b"-_.:".contains(b)).collect();
    if let Some(&c) = marks.first() {
        if marks.len() >= 3 && marks.iter().all(|&b| b == c) && (!c.is_ascii_alphabetic() || matches!(c, b'x' | b'X')) {
            return true;
        }
    }
    let squashed: String = v.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let own_name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    if !own_name.is_empty() && squashed == own_name {
        return true;
    }
    let words: Vec<String> =
        v.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    // `your-api-key`, `your_token_here`, `<insert token>`: examples addressed to the reader.
    if words
        .first()
        .is_some_and(|w| w == "your" || w == "my" || w == "insert" || w == "enter" || w == "replace" || w == "change")
    {
        return true;
    }
    // A word that only placeholders use, anywhere in the value (`changeme-please`, `dummy_token`).
    const ONLY_IN_PLACEHOLDERS: &[&str] = &["changeme", "changeit", "replaceme", "placeholder", "redacted", "dummy"];
    if words.iter().any(|w| ONLY_IN_PLACEHOLDERS.contains(&w.as_str())) {
        return true;
    }
    // A vendor prefix before a capitalised name of the secret (`nvapi-NVKEY`, `sk-YOURKEY`):
    // real keys are random letters and digits, not a word in capitals.
    let last = v.rsplit(['-', '_', '.']).next().unwrap_or("");
    if v.len() > last.len()
        && last.len() >= 3
        && last.bytes().all(|b| b.is_ascii_uppercase())
        && ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASS"].iter().any(|w| last.ends_with(w))
        && !v.bytes().any(|b| b.is_ascii_digit())
    {
        return true;
    }
    PLACEHOLDER_WORDS.iter().any(|p| squashed == *p || squashed.trim_end_matches("here") == *p)
}

/// Whether the comment on a value's line tells the reader to put their own
/// value there (`# REQUIRED - replace with your access key`, `# change me`):
/// the value is an example, whatever it looks like.
pub fn placeholder_comment(comment: &str) -> bool {
    let words: Vec<String> = comment
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    has("replace")
        || has("your")
        || has("changeme")
        || has("placeholder")
        || has("dummy")
        || has("fake")
        || (has("change") && (has("me") || has("this") || has("it")))
        || (has("fill") && has("in"))
}

/// The `#` comment after a byte offset on its line of YAML or shell text, if any.
pub fn comment_after(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let hash = line.char_indices().find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))?.0;
    Some(&line[hash + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_that_ask_for_the_readers_value() {
        let text =
            "  value: 8312341g-5678  #REQUIRED - replace with your access key\n  value: s3cr3t # rotated monthly\n";
        assert!(comment_after(text, 22).is_some_and(placeholder_comment));
        let second = text.find("s3cr3t").unwrap() + 6;
        assert_eq!(comment_after(text, second), Some(" rotated monthly"));
        assert!(!placeholder_comment(" rotated monthly"));
        assert!(placeholder_comment(" change this before deploying"));
        assert_eq!(comment_after("value: a#b\n# x", 7), None);
    }

    #[test]
    fn placeholders_are_not_secrets() {
        for (name, v) in [
            ("DB_PASSWORD", "${DB_PASSWORD}"),
            ("DB_PASSWORD", "$DB_PASSWORD"),
            ("DB_PASSWORD", "${DB_PASSWORD:-postgres}"),
            ("TOKEN", "$(cat /run/secrets/token)"),
            ("TOKEN", "${{ secrets.TOKEN }}"),
            ("password", "{{ .Values.db.password }}"),
            ("API_KEY", "<your-key>"),
            ("API_KEY", "<API_KEY>"),
            ("API_KEY", "[API_KEY]"),
            ("SECRET", "__SECRET__"),
            ("TOKEN", "@@TOKEN@@"),
            ("TOKEN", "%%TOKEN%%"),
            ("TOKEN", "%TOKEN%"),
            ("PASSWORD", "changeme"),
            ("PASSWORD", "change_me"),
            ("PASSWORD", "CHANGE-ME"),
            ("API_KEY", "your-api-key"),
            ("API_KEY", "your_api_key_here"),
            ("PASSWORD", "xxxxxxxx"),
            ("PASSWORD", "********"),
            ("MTP_SECRET", "00000000000000000000000000000000"),
            ("TOKEN", "00000000-0000-0000-0000-000000000000"),
            ("PASSWORD", "password"),
            ("DB_PASSWORD", "db_password"),
            ("SECRET_KEY", "REPLACE_ME"),
            ("TOKEN", ""),
            ("DEPLOY_TOKEN", "changeme-please"),
            ("API_KEY", "dummy_key_for_tests"),
            ("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json"),
            ("NGC_API_KEY", "nvapi-NVKEY"),
            ("OPENAI_API_KEY", "sk-YOURKEY"),
        ] {
            assert!(placeholder(name, v), "{name}={v}");
        }
        for (name, v) in [
            ("DB_PASSWORD", "hunter2"),
            ("API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            ("TOKEN", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
            ("PASSWORD", "correct horse battery staple"),
            ("MG_PASS", "admin"),
            ("SECRET", "a8f5f167f44f4964e6c998dee827110c"),
            ("PASSWORD", "p@ssw0rd!"),
            ("API_KEY", "nvapi-4fG7hQ2kLmN9pR3sT6vW8xY1zA5bC0dE"),
        ] {
            assert!(!placeholder(name, v), "{name}={v}");
        }
    }

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
