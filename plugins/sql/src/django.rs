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
use crate::extract::{skip_ws, Chunk};
use crate::pycall::{arg, call, call_args, has, is_true, str_arg, strings, Arg, Sql};

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

/// The Django operations of a migration file, as chunks of SQL.
pub fn operations(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    let mut state_only = Vec::new();
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
        // `state_operations` (of SeparateDatabaseAndState, RunSQL, RunPython)
        // only change Django's idea of the models: no SQL runs for them.
        if state_only.iter().any(|r: &std::ops::Range<usize>| r.contains(&start)) {
            continue;
        }
        let positional = if op_name == "SeparateDatabaseAndState" { Some(1) } else { None };
        state_only.extend(
            args.iter()
                .enumerate()
                .filter(|(i, a)| {
                    a.key.as_deref() == Some("state_operations") || (a.key.is_none() && Some(*i) == positional)
                })
                .map(|(_, a)| a.value.clone()),
        );
        let mut sql = Sql::new(op.clone(), text);
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
