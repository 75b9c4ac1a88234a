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
//! better with the model's name. `AlterField` is translated against the
//! field as the earlier migrations of the same folder left it ([`State`]):
//! only what changes runs SQL (a new type, `null=True` dropped, `unique` or
//! `db_index` added); a field whose earlier definition is not in the
//! repository is not judged.
use std::collections::BTreeMap;
use std::ops::Range;

use crate::extract::{skip_ws, Chunk};
use crate::pycall::{arg, call, call_args, has, is_true, str_arg, strings, tuples, Arg, Sql};

/// The fields the migrations so far leave, by (model, field), lowercase.
pub type State = BTreeMap<(String, String), Field>;

/// What of a field decides the SQL an `AlterField` runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The column type, when the class is one Django maps to a known type.
    ty: Option<String>,
    null: bool,
    unique: bool,
    index: bool,
    fk: bool,
}

fn key(model: &str, field: &str) -> (String, String) {
    (model.to_lowercase(), field.to_lowercase())
}

/// A field call (`models.CharField(max_length=40, null=True)`) as [`Field`].
fn field_of(text: &str, r: &Range<usize>) -> Option<Field> {
    let (class, fargs) = call(text, r)?;
    // No column of its own: a join table, or computed.
    if class == "ManyToManyField" || class == "GeneratedField" {
        return None;
    }
    let fk = class == "ForeignKey" || class == "OneToOneField";
    let length = arg(&fargs, "max_length", usize::MAX).map(|a| text[a.value.clone()].trim().to_string());
    // A foreign key's column has its target's key type, which the migration does not say.
    // Django's default lengths: SlugField 50, EmailField 254, URLField 200; a CharField
    // without one is an unbounded varchar.
    let default_length = match class.as_str() {
        "SlugField" => "50",
        "EmailField" => "254",
        "URLField" => "200",
        _ => "",
    };
    let ty = known_type(&class).filter(|_| !fk).map(|t| match (t, length.as_deref().unwrap_or(default_length)) {
        ("varchar(255)", "") => "varchar".to_string(),
        ("varchar(255)", n) if n.bytes().all(|c| c.is_ascii_digit()) => format!("varchar({n})"),
        ("varchar(255)", _) => String::new(),
        (t, _) => t.to_string(),
    });
    Some(Field {
        ty: ty.filter(|t| !t.is_empty()),
        null: is_true(text, &fargs, "null"),
        unique: is_true(text, &fargs, "unique") || class == "OneToOneField",
        index: is_true(text, &fargs, "db_index") || (fk && !text[r.clone()].contains("db_index=False")),
        fk,
    })
}

/// The SQL type of a model field class (what the rules look at: serial, json).
fn sql_type(class: &str) -> &'static str {
    known_type(class).unwrap_or("text")
}

/// The column type of the field classes whose type is known (`None`: a
/// third-party or custom field).
fn known_type(class: &str) -> Option<&'static str> {
    Some(match class {
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
        "TextField" => "text",
        _ => return None,
    })
}

/// Re-reads each Django migration that alters a field with the fields the
/// earlier migrations of its folder left, in the order of their names (the
/// order Django numbers them in); the others only advance the state.
pub fn history(files: &mut [(usize, crate::model::SqlFile)], cx: &opslint_sdk::Ctx) {
    let docs = cx.documents();
    let mut dirs: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (k, (doc, file)) in files.iter().enumerate() {
        let Some((path, _)) = docs.get(*doc).filter(|_| file.tool == Some(crate::model::Tool::Django)) else {
            continue;
        };
        let path = path.replace('\\', "/");
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
        dirs.entry(dir.to_string()).or_default().push((crate::unit::natural(name), k));
    }
    for steps in dirs.values_mut() {
        steps.sort();
        let names: Vec<&str> = steps.iter().map(|&(_, k)| docs[files[k].0].0).collect();
        let order = applied_order(&names, |i| docs[files[steps[i].1].0].1);
        let mut state = State::new();
        for &(_, k) in order.iter().map(|&i| &steps[i]) {
            let doc = files[k].0;
            let text = docs[doc].1;
            if text.contains("AlterField") && !state.is_empty() {
                files[k].1 = crate::model::parse_with(&mut cx.for_document(doc), &mut state);
            } else {
                operations(text, &mut state);
            }
        }
    }
}

/// The order Django applies a folder's migrations in: each after the ones of
/// the same folder it depends on (`dependencies = [("app", "0001_initial")]`),
/// otherwise by name. `paths` are sorted by name; returns their indexes.
fn applied_order<'a>(paths: &[&str], text: impl Fn(usize) -> &'a str) -> Vec<usize> {
    let stem = |p: &str| {
        let name = p.rsplit(['/', '\\']).next().unwrap_or(p);
        name.strip_suffix(".py").unwrap_or(name).to_string()
    };
    let stems: Vec<String> = paths.iter().map(|p| stem(p)).collect();
    let deps: Vec<Vec<usize>> = (0..paths.len())
        .map(|i| {
            let t = text(i);
            let Some(at) = t.find("dependencies") else { return Vec::new() };
            let end = t[at..].find(']').map_or(t.len(), |e| at + e);
            strings(t, &(at..end))
                .iter()
                .filter_map(|d| stems.iter().position(|s| s == d))
                .filter(|&j| j != i)
                .collect()
        })
        .collect();
    let mut done = vec![false; paths.len()];
    let mut out = Vec::with_capacity(paths.len());
    while out.len() < paths.len() {
        // The first by name whose dependencies ran; a cycle (not valid Django) falls back to name order.
        let next = (0..paths.len())
            .find(|&i| !done[i] && deps[i].iter().all(|&j| done[j]))
            .or_else(|| (0..paths.len()).find(|&i| !done[i]));
        let Some(i) = next else { break };
        done[i] = true;
        out.push(i);
    }
    out
}

/// The Django operations of a migration file, as chunks of SQL; `state` is
/// what the earlier migrations of its folder left, and what this one leaves.
pub fn operations(text: &str, state: &mut State) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    let mut state_only = Vec::new();
    // `migrations.AddField(`, or a name imported from django.contrib.postgres.operations.
    const IMPORTED: [&str; 3] = ["AddIndexConcurrently(", "RemoveIndexConcurrently(", "AddConstraintNotValid("];
    // Each imported name's first occurrence at or after the last search: `from`
    // only grows, so it is searched again only once passed (a file without
    // these names is scanned for them once, not once per operation).
    let mut seen: [Option<Option<usize>>; 3] = [None; 3];
    let mut next = |from: usize| {
        if from >= text.len() {
            return None;
        }
        let a = text[from..].find("migrations.").map(|p| from + p + "migrations.".len());
        let b = IMPORTED
            .iter()
            .zip(seen.iter_mut())
            .filter_map(|(n, seen)| {
                let stale = seen.is_none_or(|at| at.is_some_and(|p| p < from));
                if stale {
                    *seen = Some(text[from..].find(n).map(|p| from + p));
                }
                seen.flatten()
            })
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
        let translated = match op_name {
            "AlterField" => alter_field(text, &args, state, &mut sql),
            _ => translate(text, op_name, &args, &mut sql),
        };
        if translated {
            out.push(sql.done());
        }
        track(text, op_name, &args, state);
    }
    out
}

/// `AlterField`: the SQL Django runs for what changed since the field's
/// earlier definition; nothing when that is unknown or nothing changed.
fn alter_field(text: &str, args: &[Arg], state: &State, sql: &mut Sql) -> bool {
    let (Some((m, mat)), Some((f, fat)), Some(field)) =
        (str_arg(text, args, "model_name", 0), str_arg(text, args, "name", 1), arg(args, "field", 2))
    else {
        return false;
    };
    let (Some(new), Some(old)) = (field_of(text, &field.value), state.get(&key(&m, &f))) else { return false };
    let column = if new.fk { format!("{f}_id") } else { f.clone() };
    let mut steps = 0;
    let mut next = |sql: &mut Sql| {
        if steps > 0 {
            sql.kw(";\n");
        }
        steps += 1;
    };
    if let (Some(from), Some(to)) = (&old.ty, &new.ty) {
        if from != to && !lengthened(from, to) {
            next(sql);
            sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ALTER COLUMN ").name(&column, &fat).kw(" TYPE ").kw(to);
        }
    }
    if old.null && !new.null {
        next(sql);
        sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ALTER COLUMN ").name(&column, &fat).kw(" SET NOT NULL");
    }
    if new.unique && !old.unique {
        next(sql);
        sql.kw("ALTER TABLE ").name(&m, &mat).kw(" ADD CONSTRAINT ").name(&f, &fat);
        sql.kw(" UNIQUE (").name(&column, &fat).kw(")");
    } else if new.index && !old.index && !new.unique {
        next(sql);
        sql.kw("CREATE INDEX ").name(&format!("{m}_{column}"), &fat).kw(" ON ").name(&m, &mat);
        sql.kw(" (").name(&column, &fat).kw(")");
    }
    steps > 0
}

/// `varchar(40)` to `varchar(80)`, to `varchar` or to `text`: metadata only in PostgreSQL.
fn lengthened(from: &str, to: &str) -> bool {
    let len = |t: &str| t.strip_prefix("varchar(")?.strip_suffix(')')?.parse::<u64>().ok();
    match (len(from), len(to)) {
        (Some(a), Some(b)) => b >= a,
        (Some(_), None) => to == "text" || to == "varchar",
        _ => false,
    }
}

/// What an operation leaves of the fields, for the `AlterField`s after it.
fn track(text: &str, op: &str, args: &[Arg], state: &mut State) {
    let s = |k: &str, p: usize| str_arg(text, args, k, p).map(|(v, _)| v);
    match op {
        "CreateModel" => {
            let (Some(m), Some(fields)) = (s("name", 0), arg(args, "fields", 1)) else { return };
            for items in tuples(text, &fields.value) {
                let (Some(name), Some(def)) = (items.first(), items.get(1)) else { continue };
                if let (Some((f, _)), Some(field)) =
                    (crate::pycall::string(text, &name.value), field_of(text, &def.value))
                {
                    state.insert(key(&m, &f), field);
                }
            }
        }
        "AddField" | "AlterField" => {
            let (Some(m), Some(f), Some(def)) = (s("model_name", 0), s("name", 1), arg(args, "field", 2)) else {
                return;
            };
            match field_of(text, &def.value) {
                Some(field) => state.insert(key(&m, &f), field),
                None => state.remove(&key(&m, &f)),
            };
        }
        "RemoveField" => {
            if let (Some(m), Some(f)) = (s("model_name", 0), s("name", 1)) {
                state.remove(&key(&m, &f));
            }
        }
        "RenameField" => {
            if let (Some(m), Some(old), Some(new)) = (s("model_name", 0), s("old_name", 1), s("new_name", 2)) {
                if let Some(field) = state.remove(&key(&m, &old)) {
                    state.insert(key(&m, &new), field);
                }
            }
        }
        "DeleteModel" => {
            if let Some(m) = s("name", 0) {
                state.retain(|(model, _), _| *model != m.to_lowercase());
            }
        }
        "RenameModel" => {
            if let (Some(old), Some(new)) = (s("old_name", 0), s("new_name", 1)) {
                let (old, new) = (old.to_lowercase(), new.to_lowercase());
                let moved: Vec<_> = state.keys().filter(|(model, _)| *model == old).cloned().collect();
                for k in moved {
                    if let Some(field) = state.remove(&k) {
                        state.insert((new.clone(), k.1), field);
                    }
                }
            }
        }
        _ => {}
    }
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
