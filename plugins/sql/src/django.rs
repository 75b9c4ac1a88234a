//! Django migration operations as the SQL Django runs for them, so the SQL
//! rules judge them with the same ids and messages: `RemoveField` is
//! `ALTER TABLE ... DROP COLUMN`, `AddIndex` a `CREATE INDEX` without
//! `CONCURRENTLY`, `AddField` of a NOT NULL column without a default an
//! `ADD COLUMN ... NOT NULL`, a `ForeignKey` also its index and constraint.
//! Every byte of the SQL maps into the operation: keywords to its name,
//! table and column names to the strings that give them.
//!
//! Tables are named after the model (`book`, not `library_book`): the
//! migration does not say the app label's table prefix, and messages read
//! better with the model's name. `AlterField` is not translated: the field's
//! previous definition is in another migration, so whether the type changes
//! is unknown here.
use std::ops::Range;

use crate::extract::{python_literal, skip_ws, Builder, Chunk};

/// One argument of a call: `key=value` or a positional value.
struct Arg {
    key: Option<String>,
    value: Range<usize>,
}

/// The arguments of the call whose `(` is at `open`, and the index after its `)`.
fn call_args(text: &str, open: usize) -> (Vec<Arg>, usize) {
    let b = text.as_bytes();
    let mut args = Vec::new();
    let mut depth = 0u32;
    let mut start = open + 1;
    let mut i = open + 1;
    let push = |args: &mut Vec<Arg>, s: usize, e: usize| {
        let part = &text[s..e];
        if part.trim().is_empty() {
            return;
        }
        let lead = s + (part.len() - part.trim_start().len());
        let trimmed = part.trim();
        let key_len = trimmed.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
        let after = trimmed[key_len..].trim_start();
        if key_len > 0 && after.starts_with('=') && !after.starts_with("==") {
            let v = lead + trimmed.find('=').unwrap_or(0) + 1;
            let v = skip_ws(b, v);
            args.push(Arg { key: Some(trimmed[..key_len].to_string()), value: v..lead + trimmed.len() });
        } else {
            args.push(Arg { key: None, value: lead..lead + trimmed.len() });
        }
    };
    while i < b.len() {
        let c = b[i];
        if c == b'#' {
            i = text[i..].find('\n').map_or(b.len(), |p| i + p);
            continue;
        }
        let in_name = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if c == b'"' || c == b'\'' || (c.is_ascii_alphabetic() && !in_name) {
            if let Some((end, _)) = python_literal(text, i) {
                i = end;
                continue;
            }
        }
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth > 0 => depth -= 1,
            b')' => {
                push(&mut args, start, i);
                return (args, i + 1);
            }
            b',' if depth == 0 => {
                push(&mut args, start, i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    push(&mut args, start, b.len());
    (args, b.len())
}

/// A string literal value: its text and the range of its body in the file.
fn string(text: &str, r: &Range<usize>) -> Option<(String, Range<usize>)> {
    let (end, lit) = python_literal(text, r.start)?;
    (end >= r.end).then(|| {
        let q = text[r.start..].find(['"', '\'']).map_or(r.start, |p| r.start + p + 1);
        (lit.text, q..(end - 1).max(q + 1))
    })
}

/// A call value (`models.ForeignKey(...)`): its last name and its arguments.
fn call(text: &str, r: &Range<usize>) -> Option<(String, Vec<Arg>)> {
    let v = &text[r.clone()];
    let paren = v.find('(')?;
    let name = v[..paren].trim().rsplit('.').next()?.to_string();
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    Some((name, call_args(text, r.start + paren).0))
}

fn arg<'a>(args: &'a [Arg], key: &str, position: usize) -> Option<&'a Arg> {
    args.iter()
        .find(|a| a.key.as_deref() == Some(key))
        .or_else(|| args.iter().filter(|a| a.key.is_none()).nth(position))
}

fn str_arg(text: &str, args: &[Arg], key: &str, position: usize) -> Option<(String, Range<usize>)> {
    string(text, &arg(args, key, position)?.value)
}

fn is_true(text: &str, args: &[Arg], key: &str) -> bool {
    args.iter().any(|a| a.key.as_deref() == Some(key) && text[a.value.clone()].trim() == "True")
}

fn has(args: &[Arg], key: &str) -> bool {
    args.iter().any(|a| a.key.as_deref() == Some(key))
}

/// The strings of a list or tuple value (`fields=['a', 'b']`).
fn strings(text: &str, r: &Range<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = r.start;
    while i < r.end {
        match python_literal(text, i).filter(|_| matches!(text.as_bytes()[i], b'"' | b'\'')) {
            Some((end, lit)) => {
                out.push(lit.text);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The SQL type of a model field class (what the rules look at: serial, json).
fn sql_type(class: &str) -> &'static str {
    match class {
        "AutoField" => "serial",
        "BigAutoField" => "bigserial",
        "SmallAutoField" => "smallserial",
        "BigIntegerField" | "ForeignKey" | "OneToOneField" => "bigint",
        "IntegerField" | "PositiveIntegerField" => "integer",
        "SmallIntegerField" | "PositiveSmallIntegerField" => "smallint",
        "BooleanField" | "NullBooleanField" => "boolean",
        "DateTimeField" => "timestamptz",
        "DateField" => "date",
        "DecimalField" => "numeric",
        "FloatField" => "double precision",
        "UUIDField" => "uuid",
        "JSONField" => "jsonb",
        "CharField" | "SlugField" | "EmailField" | "URLField" => "varchar(255)",
        _ => "text",
    }
}

/// SQL for one operation, built piece by piece with the source each piece stands for.
struct Sql<'a> {
    b: Builder,
    op: Range<usize>,
    text: &'a str,
}

impl Sql<'_> {
    /// Keywords and punctuation: they point at the operation's name.
    fn kw(&mut self, s: &str) -> &mut Self {
        self.b.push_synthetic(s, self.op.clone());
        self
    }
    /// A name given by a string of the migration: it points at that string.
    fn name(&mut self, s: &str, at: &Range<usize>) -> &mut Self {
        let ident: String = s.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        self.b.push_synthetic(if ident.is_empty() { "_" } else { &ident }, at.clone());
        self
    }
    fn done(self) -> Chunk {
        let mut chunk = self.b.finish(self.text.len());
        chunk.synthetic = true;
        chunk
    }
}

/// The Django operations of a migration file, as chunks of SQL.
pub fn operations(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    // `migrations.AddField(`, or a name imported from django.contrib.postgres.operations.
    let next = |from: usize| {
        if from >= text.len() {
            return None;
        }
        let a = text[from..].find("migrations.").map(|p| from + p + "migrations.".len());
        let b = ["AddIndexConcurrently(", "RemoveIndexConcurrently(", "AddConstraintNotValid("]
            .iter()
            .filter_map(|n| text[from..].find(n).map(|p| from + p))
            .filter(|&p| p == 0 || !(text.as_bytes()[p - 1].is_ascii_alphanumeric() || text.as_bytes()[p - 1] == b'.'))
            .min();
        a.into_iter().chain(b).min()
    };
    while let Some(start) = next(from) {
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        let name_len = b[start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        let open = skip_ws(b, start + name_len);
        if name_len == 0 || b.get(open) != Some(&b'(') {
            continue;
        }
        let op_name = &text[start..start + name_len];
        let op = start..start + name_len;
        let (args, _) = call_args(text, open);
        let mut sql = Sql { b: Builder::new(), op: op.clone(), text };
        if translate(text, op_name, &args, &mut sql) {
            out.push(sql.done());
        }
    }
    out
}

/// Writes the SQL of one operation; false for operations without schema SQL to judge.
fn translate(text: &str, op: &str, args: &[Arg], sql: &mut Sql) -> bool {
    let model = |key: &str, position: usize| str_arg(text, args, key, position);
    match op {
        "CreateModel" => {
            let Some((m, at)) = model("name", 0) else { return false };
            sql.kw("CREATE TABLE ").name(&m, &at).kw(" (id bigint)");
        }
        "DeleteModel" => {
            let Some((m, at)) = model("name", 0) else { return false };
            sql.kw("DROP TABLE ").name(&m, &at);
        }
        "RenameModel" => {
            let (Some((old, oat)), Some((new, nat))) = (model("old_name", 0), model("new_name", 1)) else {
                return false;
            };
            sql.kw("ALTER TABLE ").name(&old, &oat).kw(" RENAME TO ").name(&new, &nat);
        }
        "RemoveField" => {
            let (Some((m, mat)), Some((f, fat))) = (model("model_name", 0), model("name", 1)) else { return false };
            sql.kw("ALTER TABLE ").name(&m, &mat).kw(" DROP COLUMN ").name(&f, &fat);
        }
        "RenameField" => {
            let (Some((m, mat)), Some((old, oat)), Some((new, nat))) =
                (model("model_name", 0), model("old_name", 1), model("new_name", 2))
            else {
                return false;
            };
            sql.kw("ALTER TABLE ").name(&m, &mat).kw(" RENAME COLUMN ").name(&old, &oat).kw(" TO ").name(&new, &nat);
        }
        "AddField" => return add_field(text, args, sql),
        "AddIndex" | "AddIndexConcurrently" => {
            let (Some((m, mat)), Some(index)) = (model("model_name", 0), arg(args, "index", 1)) else { return false };
            let Some((_, iargs)) = call(text, &index.value) else { return false };
            let Some((iname, iat)) = str_arg(text, &iargs, "name", usize::MAX) else { return false };
            sql.kw("CREATE INDEX ");
            if op == "AddIndexConcurrently" {
                sql.kw("CONCURRENTLY ");
            }
            sql.name(&iname, &iat).kw(" ON ").name(&m, &mat).kw(" (id)");
        }
        "RemoveIndex" | "RemoveIndexConcurrently" => {
            let (Some(_), Some((iname, iat))) = (model("model_name", 0), model("name", 1)) else { return false };
            sql.kw(if op == "RemoveIndex" { "DROP INDEX " } else { "DROP INDEX CONCURRENTLY " }).name(&iname, &iat);
        }
        "AddConstraint" | "AddConstraintNotValid" => {
            let (Some((m, mat)), Some(c)) = (model("model_name", 0), arg(args, "constraint", 1)) else { return false };
            let Some((class, cargs)) = call(text, &c.value) else { return false };
            let Some((cname, cat)) = str_arg(text, &cargs, "name", usize::MAX) else { return false };
            let not_valid = if op == "AddConstraintNotValid" { " NOT VALID" } else { "" };
            match class.as_str() {
                // A partial or expression unique constraint is a unique index.
                "UniqueConstraint" if has(&cargs, "condition") || cargs.iter().any(|a| a.key.is_none()) => {
                    sql.kw("CREATE UNIQUE INDEX ").name(&cname, &cat).kw(" ON ").name(&m, &mat).kw(" (id)");
                }
                "UniqueConstraint" => {
                    sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&cname, &cat).kw(" UNIQUE (id)");
                }
                "CheckConstraint" => {
                    sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&cname, &cat);
                    sql.kw(" CHECK (id IS NOT NULL)").kw(not_valid);
                }
                // ExclusionConstraint and others: an index-backed constraint built under lock.
                _ => {
                    sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&cname, &cat).kw(" UNIQUE (id)");
                }
            }
        }
        "AlterUniqueTogether" => {
            let (Some((m, mat)), Some(together)) = (model("name", 0), arg(args, "unique_together", 1)) else {
                return false;
            };
            if strings(text, &together.value).is_empty() {
                return false;
            }
            sql.kw("ALTER TABLE ")
                .name(&m, &mat)
                .kw(" ADD CONSTRAINT ")
                .name(&format!("{m}_uniq"), &mat)
                .kw(" UNIQUE (id)");
        }
        "AlterIndexTogether" => {
            let (Some((m, mat)), Some(together)) = (model("name", 0), arg(args, "index_together", 1)) else {
                return false;
            };
            if strings(text, &together.value).is_empty() {
                return false;
            }
            sql.kw("CREATE INDEX ").name(&format!("{m}_idx"), &mat).kw(" ON ").name(&m, &mat).kw(" (id)");
        }
        _ => return false,
    }
    true
}

/// `AddField`: the column, and for a foreign key its index and constraint, as Django adds them.
fn add_field(text: &str, args: &[Arg], sql: &mut Sql) -> bool {
    let (Some((m, mat)), Some((f, fat)), Some(field)) =
        (str_arg(text, args, "model_name", 0), str_arg(text, args, "name", 1), arg(args, "field", 2))
    else {
        return false;
    };
    let Some((class, fargs)) = call(text, &field.value) else { return false };
    if class == "ManyToManyField" || class == "GeneratedField" {
        return false;
    }
    let fk = class == "ForeignKey" || class == "OneToOneField";
    let column = if fk { format!("{f}_id") } else { f.clone() };
    sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ADD COLUMN ").name(&column, &fat).kw(" ").kw(sql_type(&class));
    if !is_true(text, &fargs, "null") && !class.contains("AutoField") {
        sql.kw(" NOT NULL");
    }
    // Django sets a one-off default while adding the column (a constant: it
    // evaluates callables in Python), then drops it: the field's default, the
    // time for `auto_now`, and '' for a text field that may be blank.
    // Fields that do not store strings (third-party fields usually extend CharField).
    let not_text = sql_type(&class) != "text" && !sql_type(&class).starts_with("varchar")
        || class == "GenericIPAddressField"
        || class.contains("Time")
        || class.contains("Duration");
    let text_field = !not_text;
    let implicit = is_true(text, &fargs, "auto_now")
        || is_true(text, &fargs, "auto_now_add")
        || (text_field && is_true(text, &fargs, "blank"));
    if has(&fargs, "default") || has(&fargs, "db_default") || implicit {
        sql.kw(" DEFAULT 0");
    }
    let unique = is_true(text, &fargs, "unique") || class == "OneToOneField";
    if unique {
        sql.kw(";\nALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&f, &fat);
        sql.kw(" UNIQUE (").name(&column, &fat).kw(")");
    } else if (fk && !text[field.value.clone()].contains("db_index=False")) || is_true(text, &fargs, "db_index") {
        sql.kw(";\nCREATE INDEX ").name(&format!("{m}_{column}"), &fat).kw(" ON ").name(&m, &mat);
        sql.kw(" (").name(&column, &fat).kw(")");
    }
    if fk && !text[field.value.clone()].contains("db_constraint=False") {
        sql.kw(";\nALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&f, &fat);
        sql.kw(" FOREIGN KEY (").name(&column, &fat).kw(") REFERENCES other (id) DEFERRABLE INITIALLY DEFERRED");
    }
    true
}
