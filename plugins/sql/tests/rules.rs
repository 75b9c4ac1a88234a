use opslint_plugin_sql::SqlPlugin;
use opslint_sdk::testing::{check_text, check_with};
use opslint_sdk::{Finding, Location};

fn spans<'a>(text: &'a str, findings: &[Finding], rule: &str) -> Vec<&'a str> {
    findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| match &f.primary.location {
            Location::Span(s) => &text[s.start as usize..s.end as usize],
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn volatile_defaults_depend_on_the_postgres_version() {
    let sql = "ALTER TABLE orders ADD COLUMN created_at timestamptz DEFAULT now();\nALTER TABLE orders ADD COLUMN r float8 DEFAULT random();\n";
    let path = "migrations/V1__x.sql";
    let v16 = check_text::<SqlPlugin>(path, sql);
    assert_eq!(spans(sql, &v16, "volatile-default"), ["DEFAULT random()"]);
    let v10 = check_with::<SqlPlugin>(path, sql, r#"{"postgres-version": 10}"#);
    assert_eq!(spans(sql, &v10, "volatile-default"), ["DEFAULT now()", "DEFAULT random()"]);
}

#[test]
fn parse_error_between_two_findings() {
    let sql = "DELETE FROM a;\nALTER TABLE t ADD COLUMN;\nUPDATE b SET x = 1;\n";
    let f = check_text::<SqlPlugin>("scripts/x.sql", sql);
    assert_eq!(spans(sql, &f, "parse-error"), ["ALTER TABLE t ADD COLUMN"]);
    assert_eq!(spans(sql, &f, "missing-where"), ["DELETE", "UPDATE"]);
}

/// Valid PostgreSQL sqlparser cannot read is no finding (and still checked by
/// the token rules); what no database accepts is one.
#[test]
fn parse_errors_only_for_statements_no_database_accepts() {
    let valid = [
        "CREATE SEQUENCE s AS integer START 1",
        "REINDEX TABLE t",
        "reindex database app",
        "ALTER TABLE t ALTER CONSTRAINT t_fk DEFERRABLE INITIALLY DEFERRED",
        "CREATE TABLE u (id int, CONSTRAINT u_id_not_null NOT NULL id)",
        "ALTER TABLE t ALTER COLUMN body SET STORAGE external",
        "CREATE TABLE t_copy (LIKE t INCLUDING ALL)",
        "CREATE USER app WITH PASSWORD 'secret'",
        "CREATE USER app PASSWORD 'secret'",
        "CREATE DATABASE app OWNER app",
        "ALTER DATABASE app OWNER TO app",
        "REASSIGN OWNED BY app TO postgres",
        "INSERT INTO users VALUES (:'account', :'username')",
        "CREATE TRIGGER v BEFORE INSERT ON t FOR EACH ROW EXECUTE PROCEDURE tsvector_update_trigger('search_vector', 'pg_catalog.english', 'body')",
        "(SELECT 1) UNION (SELECT 2)",
    ];
    for sql in valid {
        let f = check_text::<SqlPlugin>("migrations/V1__x.sql", sql);
        assert!(
            spans(sql, &f, "parse-error").is_empty(),
            "{sql}: {:?}",
            f.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
    }
    let invalid = [
        ("ALTER TABLE t ADD COLUMN", "it ends after `COLUMN`"),
        ("INSERT INTO t VALUES (1", "1 `(` but 0 `)`"),
        ("CRATE INDEX i ON t (id)", "`CRATE` is not an SQL command"),
        ("CREATE TABEL u (id int)", "PostgreSQL has no `CREATE TABEL`"),
        ("UPDATE t SET note = 'open", "a string is never closed"),
        ("CREATE TABLE {{ .Name }} (id int)", "a template"),
    ];
    for (sql, why) in invalid {
        let f = check_text::<SqlPlugin>("migrations/V1__x.sql", sql);
        let errors: Vec<&Finding> = f.iter().filter(|f| f.rule == "parse-error").collect();
        assert_eq!(errors.len(), 1, "{sql}");
        assert!(errors[0].message.contains(why), "{sql}: {}", errors[0].message);
    }
    // A file the path says is MySQL: its own commands are not errors.
    let my = "GRANT ALL ON radius.* TO 'radius'@'%';\nSET PASSWORD FOR 'radius'@'%' = PASSWORD('x');\n";
    assert!(spans(my, &check_text::<SqlPlugin>("mysql/setup.sql", my), "parse-error").is_empty());
}

#[test]
fn transactions_explicit_and_per_tool() {
    let idx = "CREATE INDEX CONCURRENTLY i ON t (a);\n";
    // A plain script: no transaction.
    assert!(spans(idx, &check_text::<SqlPlugin>("scripts/a.sql", idx), "concurrently-in-transaction").is_empty());
    // Explicit BEGIN ... COMMIT, and after COMMIT no more.
    let tx = format!("BEGIN;\n{idx}COMMIT;\n{idx}");
    assert_eq!(
        spans(&tx, &check_text::<SqlPlugin>("scripts/a.sql", &tx), "concurrently-in-transaction"),
        ["CONCURRENTLY"]
    );
    // Alembic wraps migrations; the option overrides.
    let py = format!("def upgrade():\n    op.execute(\"{}\")\n", idx.trim());
    let path = "alembic/versions/1_x.py";
    assert_eq!(spans(&py, &check_text::<SqlPlugin>(path, &py), "concurrently-in-transaction"), ["CONCURRENTLY"]);
    assert!(spans(
        &py,
        &check_with::<SqlPlugin>(path, &py, r#"{"transaction": false}"#),
        "concurrently-in-transaction"
    )
    .is_empty());
    // golang-migrate: one statement per file runs outside a transaction.
    assert!(
        spans(idx, &check_text::<SqlPlugin>("migrations/1_x.up.sql", idx), "concurrently-in-transaction").is_empty()
    );
    let two = format!("SET lock_timeout = '1s';\n{idx}");
    assert_eq!(
        spans(&two, &check_text::<SqlPlugin>("migrations/1_x.up.sql", &two), "concurrently-in-transaction").len(),
        1
    );
}

#[test]
fn lock_rules_are_postgres_only() {
    let sql = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nCREATE INDEX i ON users (a);\n";
    let pg = check_text::<SqlPlugin>("migrations/V1__x.sql", sql);
    assert_eq!(spans(sql, &pg, "set-not-null").len(), 1);
    let my = check_with::<SqlPlugin>("migrations/V1__x.sql", sql, r#"{"dialect": "mysql"}"#);
    assert!(my.iter().all(|f| f.rule != "set-not-null" && f.rule != "create-index-non-concurrently"), "{my:?}");
}

#[test]
fn locations_inside_ruby_python_and_shell() {
    let rb = "class X < ActiveRecord::Migration[7.1]\n  def up\n    execute \"ALTER TABLE \\\"users\\\" DROP COLUMN \\\"name\\\"\"\n  end\nend\n";
    let f = check_text::<SqlPlugin>("db/migrate/20240101000000_x.rb", rb);
    assert_eq!(spans(rb, &f, "drop-column"), ["DROP COLUMN \\\"name\\\""]);

    let py = "operations = [\n    migrations.RunSQL(\n        'ALTER TABLE t '\n        'RENAME COLUMN a TO b',\n    ),\n]\n";
    let f = check_text::<SqlPlugin>("app/migrations/0002_x.py", py);
    assert_eq!(spans(py, &f, "rename-column-or-table"), ["RENAME COLUMN a"]);

    let sh = "#!/bin/sh\npsql -h db <<EOF\nSET lock_timeout = '2s';\nCREATE INDEX i ON \"$TABLE\" (a);\nEOF\n";
    let f = check_text::<SqlPlugin>("ops/x.sh", sh);
    assert_eq!(spans(sh, &f, "create-index-non-concurrently"), ["CREATE INDEX"]);
}

#[test]
fn statements_after_lock_once_per_transaction() {
    let sql = "BEGIN;\nALTER TABLE a ADD COLUMN x int;\nALTER TABLE a ADD COLUMN y int;\nUPDATE b SET z = 1 WHERE id = 2;\nUPDATE c SET z = 1 WHERE id = 2;\nCOMMIT;\nUPDATE d SET z = 1 WHERE id = 2;\n";
    let f = check_text::<SqlPlugin>("scripts/x.sql", sql);
    assert_eq!(spans(sql, &f, "statements-after-exclusive-lock"), ["UPDATE"]);
    let first = f.iter().find(|f| f.rule == "statements-after-exclusive-lock").unwrap();
    assert!(first.message.contains("`a`"), "{}", first.message);
}

/// Rollback code undoes a forward migration: no destructive or lock finding
/// there, in any of the layouts that hold it; the same SQL forward fires.
#[test]
fn rollback_code_is_not_a_forward_migration() {
    let sql = "DROP TABLE users;\nCREATE INDEX users_email ON accounts (email);\n";
    let rules = |path: &str, text: &str| -> Vec<String> {
        let mut r: Vec<String> = check_text::<SqlPlugin>(path, text)
            .into_iter()
            .map(|f| f.rule)
            .filter(|r| r == "drop-table" || r == "create-index-non-concurrently")
            .collect();
        r.sort();
        r.dedup();
        r
    };
    let both = ["create-index-non-concurrently", "drop-table"];
    for forward in [
        "migrations/2024-01-01-000000_users/up.sql",
        "migrations/000001_users.up.sql",
        "db/migration/V2__users.sql",
        "deploy/users.sql",
    ] {
        assert_eq!(rules(forward, sql), both, "{forward}");
    }
    for rollback in [
        "migrations/2024-01-01-000000_users/down.sql", // Diesel
        "migrations/000001_users.down.sql",            // golang-migrate
        "db/migration/U2__users.sql",                  // Flyway undo
        "revert/users.sql",                            // Sqitch
    ] {
        assert!(rules(rollback, sql).is_empty(), "{rollback}: {:?}", rules(rollback, sql));
    }
    // dbmate and goose: the down section of one file.
    for (up, down) in [("-- migrate:up", "-- migrate:down"), ("-- +goose Up", "-- +goose Down")] {
        let text = format!("{up}\nALTER TABLE accounts ADD COLUMN note text;\n{down}\n{sql}");
        assert!(rules("db/migrations/20240101_users.sql", &text).is_empty(), "{down}");
        let text = format!("{down}\nALTER TABLE accounts DROP COLUMN note;\n{up}\n{sql}");
        assert_eq!(rules("db/migrations/20240101_users.sql", &text), both, "{up} after {down}");
    }
    // Django: `reverse_sql` is rollback, the forward SQL is not.
    let django = "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RunSQL(\"CREATE INDEX users_email ON accounts (email)\", reverse_sql=\"DROP TABLE users\"),\n    ]\n";
    assert_eq!(rules("app/migrations/0002_users.py", django), ["create-index-non-concurrently"]);
    // Alembic: `downgrade()`.
    let alembic = "def upgrade():\n    op.execute(\"CREATE INDEX users_email ON accounts (email)\")\n\n\ndef downgrade():\n    op.execute(\"DROP TABLE users\")\n";
    assert_eq!(rules("alembic/versions/1_users.py", alembic), ["create-index-non-concurrently"]);
}

/// Messages show what the file wrote, shell variables included, not the
/// placeholders the parser was given; a table the script just created is
/// not destroyed by an UPDATE or DELETE on it.
#[test]
fn messages_show_variables_as_written_and_new_tables_are_not_destroyed() {
    let sh = "#!/bin/sh\npsql -c \"DROP DATABASE ${DB_NAME}\"\npsql -c \"TRUNCATE $SCHEMA.events\"\n";
    let f = check_text::<SqlPlugin>("scripts/reset.sh", sh);
    let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("DROP DATABASE `${DB_NAME}`")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("`$SCHEMA.events`")), "{messages:?}");
    assert!(!messages.iter().any(|m| m.contains("__")), "{messages:?}");
    let sh = "psql -c \"ALTER TABLE users ALTER COLUMN ${COL} SET NOT NULL\"\n";
    let f = check_text::<SqlPlugin>("scripts/tighten.sh", sh);
    assert!(f.iter().any(|f| f.rule == "set-not-null" && f.message.contains("`users`.`${COL}`")), "{f:?}");

    let sql = "CREATE TABLE tmp_import (id int, name text);\nUPDATE tmp_import SET name = lower(name);\nDELETE FROM tmp_import;\nTRUNCATE tmp_import;\nUPDATE users SET plan = 'free';\n";
    let f = check_text::<SqlPlugin>("scripts/import.sql", sql);
    let destroyed: Vec<&str> = f
        .iter()
        .filter(|f| ["missing-where", "unguarded-destructive-script", "truncate-table"].contains(&f.rule.as_str()))
        .map(|f| f.message.as_str())
        .collect();
    assert!(!destroyed.is_empty() && destroyed.iter().all(|m| m.contains("`users`")), "{destroyed:?}");
}

/// Django operations carry the lock and data-loss risks of the SQL Django
/// runs for them: the same rules fire, at the operation.
#[test]
fn django_operations_are_judged_as_their_sql() {
    let text = include_str!("django_0002_changes.py");
    let f = check_text::<SqlPlugin>("library/migrations/0002_changes.py", text);
    let mut got: Vec<(String, usize)> = f
        .iter()
        .map(|f| {
            let Location::Span(s) = &f.primary.location else { panic!() };
            (f.rule.clone(), text[..s.start as usize].matches('\n').count() + 1)
        })
        .collect();
    got.sort();
    let want = [
        ("constraint-without-not-valid", 34),    // AddField ForeignKey: its constraint
        ("constraint-without-not-valid", 56),    // AddConstraint CheckConstraint
        ("create-index-non-concurrently", 34),   // AddField ForeignKey: its index
        ("create-index-non-concurrently", 48),   // AddIndex
        ("drop-column", 39),                     // RemoveField
        ("drop-table", 60),                      // DeleteModel
        ("not-null-column-without-default", 21), // AddField NOT NULL, no default
        ("rename-column-or-table", 43),          // RenameField
        ("rename-column-or-table", 63),          // RenameModel
        ("unique-constraint-without-index", 52), // AddConstraint UniqueConstraint
    ];
    let want: Vec<(String, usize)> = want.iter().map(|(r, l)| (r.to_string(), *l)).collect();
    assert_eq!(got, want);
    // Silent: a model created in the same migration, nullable / defaulted /
    // blank text columns, AlterField (its old type is in another migration).
    for silent in ["\"shelf\",\n            name=\"floor\"", "name=\"subtitle\"", "name=\"pages\"", "AlterField"] {
        let at = text.find(silent).unwrap();
        let line = text[..at].matches('\n').count() + 1;
        assert!(
            !got.iter().any(|(_, l)| (line.saturating_sub(3)..=line + 2).contains(l)),
            "{silent} at {line}: {got:?}"
        );
    }
    // AddIndexConcurrently outside a transaction is the safe form; inside one Django fails.
    let concurrent = "from django.contrib.postgres.operations import AddIndexConcurrently\nfrom django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    atomic = False\n    operations = [\n        AddIndexConcurrently(model_name=\"book\", index=models.Index(fields=[\"title\"], name=\"book_title_idx\")),\n        migrations.AddField(model_name=\"book\", name=\"note\", field=models.TextField(blank=True)),\n    ]\n";
    let f = check_text::<SqlPlugin>("library/migrations/0003_idx.py", concurrent);
    assert!(f.is_empty(), "{:?}", f.iter().map(|f| &f.message).collect::<Vec<_>>());
    let atomic = concurrent.replace("    atomic = False\n", "");
    let f = check_text::<SqlPlugin>("library/migrations/0003_idx.py", &atomic);
    let rules: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["concurrently-in-transaction"]);
}

/// Truncated or odd migration files never panic the Django reader.
#[test]
fn django_reader_survives_truncated_files() {
    for text in [
        "operations = [migrations.",
        "x = migrations.é(",
        "migrations.AddField(model_name=\"a\", name=",
        "AddIndexConcurrently(",
    ] {
        let _ = check_text::<SqlPlugin>("app/migrations/0001_x.py", text);
    }
}

/// Alembic's operations, like Django's, are judged as the SQL they run; what
/// `downgrade()` runs is rollback, an index built concurrently in an
/// autocommit block is the safe form.
#[test]
fn alembic_operations_are_judged_as_their_sql() {
    let text = include_str!("alembic_3a1b_changes.py");
    let f = check_text::<SqlPlugin>("alembic/versions/3a1b_changes.py", text);
    let mut got: Vec<(String, usize)> = f
        .iter()
        .map(|f| {
            let Location::Span(s) = &f.primary.location else { panic!() };
            (f.rule.clone(), text[..s.start as usize].matches('\n').count() + 1)
        })
        .collect();
    got.sort();
    let want = [
        ("column-type-change", 22),
        ("constraint-without-not-valid", 26),
        ("create-index-non-concurrently", 20),
        ("drop-column", 21),
        ("drop-table", 27),
        ("not-null-column-without-default", 17),
        ("prefer-jsonb", 19),
        ("rename-column-or-table", 24),
        ("set-not-null", 23),
        ("unique-constraint-without-index", 25),
    ];
    let want: Vec<(String, usize)> = want.iter().map(|(r, l)| (r.to_string(), *l)).collect();
    assert_eq!(got, want);
}

/// Rails migration methods (strong_migrations' ground) are judged as the SQL
/// they run; `def down` is rollback; a table created in the migration is new.
#[test]
fn rails_methods_are_judged_as_their_sql() {
    let text = include_str!("rails_20240101000000_changes.rb");
    let f = check_text::<SqlPlugin>("db/migrate/20240101000000_changes.rb", text);
    let mut got: Vec<(String, usize)> = f
        .iter()
        .map(|f| {
            let Location::Span(s) = &f.primary.location else { panic!() };
            (f.rule.clone(), text[..s.start as usize].matches('\n').count() + 1)
        })
        .collect();
    got.sort();
    let want = [
        ("column-type-change", 14),
        ("concurrently-in-transaction", 12), // algorithm: :concurrently without disable_ddl_transaction!
        ("constraint-without-not-valid", 17),
        ("create-index-non-concurrently", 11),
        ("create-index-non-concurrently", 17),
        ("drop-column", 13),
        ("drop-table", 19),
        ("not-null-column-without-default", 8),
        ("prefer-jsonb", 10),
        ("rename-column-or-table", 16),
        ("set-not-null", 15),
    ];
    let want: Vec<(String, usize)> = want.iter().map(|(r, l)| (r.to_string(), *l)).collect();
    assert_eq!(got, want);
    for odd in
        ["add_column :é, :x, :string, null: false\n", "remove_column ", "add_index(:t, [:a,\n", "rename_table :a"]
    {
        let _ = check_text::<SqlPlugin>("db/migrate/1_x.rb", odd);
    }
}

/// A table the migration emptied first has no rows to scan, index or refuse
/// a NOT NULL column for (penpot truncates before reshaping a table).
#[test]
fn a_table_emptied_earlier_in_the_file_has_no_rows_to_lock_for() {
    let sql = "TRUNCATE TABLE file_library_rel, other;\nALTER TABLE file_library_rel ADD COLUMN synced_at timestamptz NOT NULL;\nALTER TABLE file_library_rel ALTER COLUMN created_at SET NOT NULL;\nCREATE INDEX file_library_rel_synced ON file_library_rel (synced_at);\nALTER TABLE users ADD COLUMN plan text NOT NULL;\n";
    let f = check_text::<SqlPlugin>("migrations/0012-x.sql", sql);
    for rule in ["not-null-column-without-default", "set-not-null", "create-index-non-concurrently"] {
        let at: Vec<&str> = spans(sql, &f, rule);
        assert!(at.iter().all(|s| !s.contains("synced") && !s.contains("created_at")), "{rule}: {at:?}");
    }
    assert_eq!(spans(sql, &f, "not-null-column-without-default").len(), 1, "users was not emptied");
}

/// MySQL's backquoted table names match unquoted ones: a schema script that
/// creates `Config` and then empties config destroys nothing that existed.
#[test]
fn mysql_backquoted_names_match_unquoted_ones() {
    let sql = "CREATE TABLE `Config` (`Id` int);\ninsert into Config values (1);\ndelete from Config;\n";
    let f = check_text::<SqlPlugin>("mysql/create.sql", sql);
    assert!(
        spans(sql, &f, "unguarded-destructive-script").is_empty(),
        "{:?}",
        f.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
    assert!(spans(sql, &f, "missing-where").is_empty());
    let sh = "psql -c \"REINDEX DATABASE ${POSTGRES_DB}\"\n";
    let f = check_text::<SqlPlugin>("install/upgrade.sh", sh);
    assert!(
        f.iter().any(|f| f.rule == "blocking-maintenance" && f.message.contains("`${POSTGRES_DB}`")),
        "{:?}",
        f.iter().map(|f| &f.message).collect::<Vec<_>>()
    );
}

/// Issue 13: a rebuild's working copy renamed into place breaks no reader;
/// renaming a table or column that code uses still does.
#[test]
fn renaming_a_transient_copy_into_place_is_not_a_rename() {
    let sql = "ALTER TABLE \"_users_tmp\" RENAME TO \"users\";\nALTER TABLE orders_new RENAME TO orders;\nALTER TABLE accounts RENAME COLUMN \"_plan_tmp\" TO plan;\nALTER TABLE invoices RENAME TO _invoices_tmp;\nALTER TABLE prices RENAME COLUMN new_price TO price;\n";
    let f = check_text::<SqlPlugin>("migrations/V9__swap.sql", sql);
    // The flagged spans (`RENAME TO`, `RENAME COLUMN new_price`) are of the last two statements only.
    let at: Vec<usize> = f
        .iter()
        .filter(|f| f.rule == "rename-column-or-table")
        .map(|f| match &f.primary.location {
            Location::Span(s) => sql[..s.start as usize].lines().count(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(at, [4, 5], "{f:#?}");
}

/// Issue 13: a table rebuild (copy, drop, rename the copy into place) keeps
/// the data; dropping a table nothing replaces is still flagged.
#[test]
fn a_table_rebuild_is_not_a_drop() {
    let sql = "CREATE TABLE \"_users_tmp\" (id TEXT PRIMARY KEY, email TEXT);\nINSERT INTO \"_users_tmp\" (id, email) SELECT id, email FROM \"users\";\nDROP TABLE \"users\";\nALTER TABLE \"_users_tmp\" RENAME TO \"users\";\nDROP TABLE legacy;\n";
    let f = check_text::<SqlPlugin>("migrations/20240101_users.sqlite3.up.sql", sql);
    assert_eq!(spans(sql, &f, "drop-table"), ["DROP TABLE"], "{f:#?}");
    let at = f.iter().find(|f| f.rule == "drop-table").map(|f| match &f.primary.location {
        Location::Span(s) => s.start as usize,
        other => panic!("{other:?}"),
    });
    assert_eq!(at, sql.find("DROP TABLE legacy"));
}

/// squawk's prefer-timestamp-tz: a zone-less timestamp in a type position, with its precision and
/// `without time zone`; not `with time zone`, a cast, a default or an ORM's translated column.
#[test]
fn timestamps_without_a_zone() {
    let sql = "CREATE TABLE o (a timestamp NOT NULL, b timestamp(6) without time zone, c timestamp with time zone, d text DEFAULT 'x');\nALTER TABLE o ALTER COLUMN c TYPE timestamp;\nSELECT now()::timestamp;\n";
    let f = check_text::<SqlPlugin>("migrations/001_o.sql", sql);
    assert_eq!(
        spans(sql, &f, "prefer-timestamptz"),
        ["timestamp", "timestamp(6) without time zone", "timestamp"],
        "{f:#?}"
    );
    let rails =
        "class O < ActiveRecord::Migration[7.1]\n  def change\n    add_column :o, :placed_at, :datetime\n  end\nend\n";
    let f = check_text::<SqlPlugin>("db/migrate/20240101000000_o.rb", rails);
    assert!(!f.iter().any(|f| f.rule == "prefer-timestamptz"), "{f:#?}");
}

/// squawk's adding-foreign-key-constraint on `ADD COLUMN ... REFERENCES`: an inline foreign key
/// on an existing table is validated under lock; on a table the file created it is not judged.
#[test]
fn inline_foreign_key_on_a_new_column() {
    let sql = "ALTER TABLE orders ADD COLUMN coupon_id bigint NOT NULL DEFAULT 0 REFERENCES public.coupons (id), ADD COLUMN note text;\nCREATE TABLE carts (id bigint);\nALTER TABLE carts ADD COLUMN coupon_id bigint REFERENCES coupons (id);\n";
    let f = check_text::<SqlPlugin>("migrations/V13__fk.sql", sql);
    assert_eq!(spans(sql, &f, "constraint-without-not-valid"), ["REFERENCES"], "{f:#?}");
    assert!(f.iter().any(|f| f.message.contains("`public.coupons`")), "{f:#?}");
}

/// squawk's require-lock-timeout on a CREATE TABLE that references an existing table (SHARE ROW
/// EXCLUSIVE on it) and on triggers; a reference to a table created in the same file is not.
#[test]
fn lock_timeout_for_references_and_triggers() {
    let first = |sql: &str| -> Vec<String> {
        let f = check_text::<SqlPlugin>("migrations/V20__x.sql", sql);
        f.iter().filter(|f| f.rule == "missing-lock-timeout").map(|f| f.message.clone()).collect()
    };
    let refs = first("CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (id bigint, a_id bigint REFERENCES a (id), u_id bigint REFERENCES users (id));\n");
    assert!(refs.len() == 1 && refs[0].contains("SHARE ROW EXCLUSIVE lock on `users`"), "{refs:?}");
    assert!(
        first("CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (a_id bigint REFERENCES a (id));\n").is_empty()
    );
    let drop = first("DROP TRIGGER IF EXISTS t_audit ON accounts;\n");
    assert!(drop.len() == 1 && drop[0].contains("ACCESS EXCLUSIVE lock on `accounts`"), "{drop:?}");
    let create = first("CREATE TRIGGER t_audit AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION audit();\n");
    assert!(create.len() == 1 && create[0].contains("SHARE ROW EXCLUSIVE"), "{create:?}");
    assert!(first("SET lock_timeout = '5s';\nDROP TRIGGER t ON accounts;\n").is_empty());
}
