//! Migrations split over several files, and what earlier migrations of the
//! same folder say (repository scope: `unit.rs`).
use opslint_plugin_sql::SqlPlugin;
use opslint_sdk::testing::check_repo_texts;

fn rules(docs: &[(&str, &str)], rule: &str) -> Vec<String> {
    check_repo_texts::<SqlPlugin>(docs, "{}").into_iter().filter(|f| f.rule == rule).map(|f| f.path).collect()
}

const DIR: &str = "persistence/sql/migrations/sql";

#[test]
fn restating_a_type_the_folder_created_is_no_type_change() {
    let create = format!("{DIR}/20191100000004000000_errors.postgres.up.sql");
    let alter = format!("{DIR}/20191100000010000000_errors.postgres.up.sql");
    let docs = [
        (create.as_str(), "CREATE TABLE \"selfservice_errors\" (\n\"id\" UUID NOT NULL,\nPRIMARY KEY(\"id\"),\n\"seen_at\" timestamp NOT NULL,\n\"token\" VARCHAR (32) NOT NULL\n);"),
        (alter.as_str(), "ALTER TABLE \"selfservice_errors\" ALTER COLUMN \"seen_at\" TYPE timestamp, ALTER COLUMN \"seen_at\" DROP NOT NULL;"),
    ];
    assert_eq!(rules(&docs, "column-type-change"), Vec::<String>::new());
    let widen = format!("{DIR}/20200101000000000000_x.postgres.up.sql");
    let narrow = format!("{DIR}/20200101000001000000_x.postgres.up.sql");
    let more = [
        docs[0],
        (widen.as_str(), "ALTER TABLE selfservice_errors ALTER COLUMN token TYPE varchar(64);"),
        (narrow.as_str(), "ALTER TABLE selfservice_errors ALTER COLUMN seen_at TYPE timestamptz;"),
    ];
    assert_eq!(rules(&more, "column-type-change"), [narrow]);
}

#[test]
fn a_file_for_another_dialect_does_not_change_the_type_seen() {
    let pg = format!("{DIR}/20191100000004000000_errors.postgres.up.sql");
    let lite = format!("{DIR}/20191100000004000000_errors.sqlite3.up.sql");
    let alter = format!("{DIR}/20191100000010000000_errors.postgres.up.sql");
    let docs = [
        (pg.as_str(), "CREATE TABLE \"selfservice_errors\" (\"id\" UUID NOT NULL, \"seen_at\" timestamp NOT NULL);"),
        (lite.as_str(), "CREATE TABLE \"selfservice_errors\" (\"id\" TEXT PRIMARY KEY, \"seen_at\" DATETIME NOT NULL);"),
        (alter.as_str(), "ALTER TABLE \"selfservice_errors\" ALTER COLUMN \"seen_at\" TYPE timestamp, ALTER COLUMN \"seen_at\" DROP NOT NULL;"),
    ];
    assert_eq!(rules(&docs, "column-type-change"), Vec::<String>::new());
}

fn one(path: &str, text: &str, rule: &str) -> usize {
    rules(&[(path, text)], rule).len()
}

#[test]
fn a_backfill_counts_only_columns_added_for_its_dialect() {
    let add_pg = format!("{DIR}/20210410175418000000_network.postgres.up.sql");
    let add_my = format!("{DIR}/20210410175418000000_network.mysql.up.sql");
    let add_all = format!("{DIR}/20210410175418000000_network.up.sql");
    let fill = format!("{DIR}/20210410175418000001_network.postgres.up.sql");
    let other_unit = format!("{DIR}/20210410175419000001_network.postgres.up.sql");
    let update = "UPDATE selfservice_login_flows SET nid = (SELECT id FROM networks LIMIT 1);";
    let add = "ALTER TABLE selfservice_login_flows ADD COLUMN nid UUID;";
    assert!(rules(&[(&add_pg, add), (&fill, update)], "missing-where").is_empty());
    assert!(rules(&[(&add_all, add), (&fill, update)], "missing-where").is_empty());
    assert_eq!(rules(&[(&add_my, add), (&fill, update)], "missing-where"), vec![fill.clone()]);
    assert_eq!(rules(&[(&add_pg, add), (&other_unit, update)], "missing-where"), vec![other_unit]);
    // A step after the UPDATE does not make it a backfill.
    let late = format!("{DIR}/20210410175418000002_network.postgres.up.sql");
    assert_eq!(rules(&[(&fill, update), (&late, add)], "missing-where"), vec![fill.clone()]);
}

#[test]
fn recomputing_from_the_row_is_not_a_forgotten_where() {
    let m = "migrations/V4__x.sql";
    assert_eq!(one(m, "UPDATE p SET search_vector = to_tsvector('english', coalesce(name, ''));", "missing-where"), 0);
    assert_eq!(one(m, "UPDATE sessions SET logout_token = token;", "missing-where"), 0);
    assert_eq!(one(m, "UPDATE \"t\" SET \"ui\" = \"_ui_tmp\";", "missing-where"), 0);
    assert_eq!(one(m, "UPDATE users SET plan = 'free';", "missing-where"), 1);
    assert_eq!(one(m, "UPDATE users SET plan = NULL, flag = true;", "missing-where"), 1);
    assert_eq!(one(m, "UPDATE users SET plan_id = (SELECT id FROM plans LIMIT 1);", "missing-where"), 1);
    assert_eq!(one(m, "UPDATE users SET a = b, plan = 'free';", "missing-where"), 1);
    assert_eq!(one(m, "DELETE FROM sessions;", "missing-where"), 1);
}

#[test]
fn split_table_rebuilds_are_not_data_loss() {
    let step = |n: u32, d: &str| format!("{DIR}/20210410175418{n:06}_network.{d}.up.sql");
    let (create, copy, drop, rename) =
        (step(30, "sqlite3"), step(31, "sqlite3"), step(32, "sqlite3"), step(33, "sqlite3"));
    let docs = [
        (create.as_str(), "CREATE TABLE \"_selfservice_errors_tmp\" (\"id\" TEXT PRIMARY KEY);"),
        (copy.as_str(), "INSERT INTO \"_selfservice_errors_tmp\" (id) SELECT id FROM \"selfservice_errors\";"),
        (drop.as_str(), "DROP TABLE \"selfservice_errors\";"),
        (rename.as_str(), "ALTER TABLE \"_selfservice_errors_tmp\" RENAME TO \"selfservice_errors\";"),
    ];
    assert!(rules(&docs, "drop-table").is_empty());
    assert!(rules(&docs, "rename-column-or-table").is_empty());
    // Without the rename into place the rows are gone.
    assert_eq!(rules(&docs[..3], "drop-table"), vec![drop.clone()]);
    // A rename for another dialect does not count.
    let elsewhere = step(33, "cockroach");
    assert_eq!(rules(&[docs[2], (&elsewhere, docs[3].1)], "drop-table"), vec![drop.clone()]);
}

#[test]
fn a_table_moved_aside_is_dropped_only_after_its_rows_were_copied() {
    let m = "migrations/0118-mod-task-table.sql";
    let copied = "CREATE TABLE new_task (LIKE task INCLUDING ALL);\nINSERT INTO new_task SELECT * FROM task;\nALTER TABLE task RENAME TO old_task;\nALTER TABLE new_task RENAME TO task;\nDROP TABLE old_task;";
    assert_eq!(one(m, copied, "drop-table"), 0);
    let sqlite = "ALTER TABLE tokens RENAME TO tokens_;\nCREATE TABLE tokens (id TEXT);\nINSERT INTO tokens SELECT * FROM tokens_;\nDROP TABLE tokens_;";
    assert_eq!(one(m, sqlite, "drop-table"), 0);
    let lost = "ALTER TABLE task RENAME TO old_task;\nCREATE TABLE task (id bigint);\nDROP TABLE old_task;";
    assert_eq!(one(m, lost, "drop-table"), 1);
}

#[test]
fn truncate_in_a_migration_is_flagged_only_with_cascade() {
    assert_eq!(one("migrations/0072-x.sql", "TRUNCATE TABLE thumbnails;", "truncate-table"), 0);
    assert_eq!(one("migrations/0012-x.sql", "TRUNCATE TABLE color_library CASCADE;", "truncate-table"), 1);
    assert_eq!(one("scripts/reset.sql", "TRUNCATE TABLE thumbnails;", "truncate-table"), 1);
}

#[test]
fn django_state_operations_run_no_sql() {
    let py = r#"from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL("DROP TABLE IF EXISTS legacy_a;"),
            ],
            state_operations=[
                migrations.DeleteModel(name="Legacy"),
                migrations.RemoveField(model_name="order", name="note"),
            ],
        ),
    ]
"#;
    let f = check_repo_texts::<SqlPlugin>(&[("app/migrations/0204_x.py", py)], "{}");
    let drops: Vec<_> = f.iter().filter(|f| f.rule == "drop-table" || f.rule == "drop-column").collect();
    assert_eq!(drops.len(), 1, "{drops:?}");
    assert!(drops[0].message.contains("legacy_a"), "{}", drops[0].message);
}

#[test]
fn dropping_indexes_of_one_table_holds_one_lock() {
    let create = format!("{DIR}/20220512102703000000_missing_indices.up.sql");
    let drop = format!("{DIR}/20241023142500000001_drop_unused_indices_identity_credentials.up.sql");
    let docs = [
        (create.as_str(), "CREATE INDEX identity_credentials_id_nid_idx ON identity_credentials (id, nid);\nCREATE INDEX identity_credentials_nid_id_idx ON identity_credentials (nid, id);\nCREATE INDEX sessions_nid_idx ON sessions (nid);"),
        (drop.as_str(), "DROP INDEX IF EXISTS identity_credentials_id_nid_idx;\nDROP INDEX IF EXISTS identity_credentials_nid_id_idx;"),
    ];
    assert!(rules(&docs, "statements-after-exclusive-lock").is_empty());
    let f = check_repo_texts::<SqlPlugin>(&docs, "{}");
    let timeout: Vec<_> = f.iter().filter(|f| f.rule == "missing-lock-timeout" && f.path == drop).collect();
    assert!(timeout.len() == 1 && timeout[0].message.contains("`identity_credentials`"), "{timeout:?}");
    // An index of another table is another lock.
    let other = [docs[0], (drop.as_str(), "DROP INDEX identity_credentials_id_nid_idx;\nDROP INDEX sessions_nid_idx;")];
    assert_eq!(rules(&other, "statements-after-exclusive-lock"), vec![drop.clone()]);
}

#[test]
fn cascade_that_reaches_only_tables_emptied_first_is_not_flagged() {
    let dir = "backend/src/app/migrations/sql";
    let create = format!("{dir}/0005-add-libraries-tables.sql");
    let reset = format!("{dir}/0012-make-libraries-linked-to-a-file.sql");
    let schema = "CREATE TABLE color_library (id uuid PRIMARY KEY);\nCREATE TABLE color (\n  id uuid PRIMARY KEY,\n  library_id uuid REFERENCES color_library(id) ON DELETE CASCADE\n);";
    let both = "TRUNCATE TABLE color;\nTRUNCATE TABLE color_library CASCADE;";
    assert!(rules(&[(&create, schema), (&reset, both)], "truncate-table").is_empty());
    // The referencing table is not emptied first: CASCADE empties it.
    let only = "TRUNCATE TABLE color_library CASCADE;";
    assert_eq!(rules(&[(&create, schema), (&reset, only)], "truncate-table"), vec![reset.clone()]);
    // No migration shows the table: what CASCADE reaches is unknown.
    assert_eq!(rules(&[(&reset, both)], "truncate-table"), vec![reset.clone()]);
}

#[test]
fn reindex_in_a_server_upgrade_or_of_the_catalogs_is_not_flagged() {
    let loop_ = "for db in ${DBS}; do\n  psql -d ${db} -c \"reindex system ${db}\"\n  psql -d ${db} -c \"reindex database ${db};\"\ndone\n";
    let upgrade = format!("docker run --rm -v old:/a -v new:/b tianon/postgres-upgrade:9.6-to-14\n{loop_}");
    assert_eq!(one("install/upgrade-postgres.sh", &upgrade, "blocking-maintenance"), 0);
    // Elsewhere only the database reindex is flagged: REINDEX SYSTEM cannot be concurrent.
    assert_eq!(one("ops/reindex.sh", loop_, "blocking-maintenance"), 1);
}

#[test]
fn lock_timeout_is_judged_where_the_file_is_the_place_to_set_it() {
    let alter = "ALTER TABLE site_sitesettings ADD COLUMN flag boolean;";
    let py = format!("from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL(\"{alter}\")]\n");
    assert_eq!(one("saleor/site/migrations/0037_flag.py", &py, "missing-lock-timeout"), 0);
    assert_eq!(one("db/migrations/V37__flag.sql", alter, "missing-lock-timeout"), 1);
}

#[test]
fn renames_on_sqlite_break_no_running_release() {
    let rename = "ALTER TABLE flows RENAME COLUMN request_id TO flow_id;";
    assert_eq!(one(&format!("{DIR}/20200402142539000001_rename.sqlite3.up.sql"), rename, "rename-column-or-table"), 0);
    assert_eq!(one(&format!("{DIR}/20200402142539000001_rename.postgres.up.sql"), rename, "rename-column-or-table"), 1);
}

#[test]
fn rollback_sql_takes_no_lock_for_the_forward_statements() {
    let py = r#"from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.RunSQL(
            sql="CREATE UNIQUE INDEX IF NOT EXISTS u1 ON discount_a (id);",
            reverse_sql="ALTER TABLE discount_a DROP CONSTRAINT IF EXISTS u1;",
        ),
        migrations.RunSQL(
            sql="CREATE UNIQUE INDEX IF NOT EXISTS u2 ON discount_b (id);",
            reverse_sql="ALTER TABLE discount_b DROP CONSTRAINT IF EXISTS u2;",
        ),
    ]
"#;
    assert_eq!(one("saleor/discount/migrations/0075_x.py", py, "statements-after-exclusive-lock"), 0);
}

#[test]
fn dropping_a_column_copied_whole_into_another_loses_nothing() {
    let step = |n: u32| format!("{DIR}/20210410175418{n:06}_network.cockroach.up.sql");
    let (rename, add, copy, drop) = (step(120), step(121), step(122), step(123));
    let docs = [
        (rename.as_str(), "ALTER TABLE \"identity_recovery_tokens\" RENAME COLUMN \"nid\" TO \"_nid_tmp\";"),
        (add.as_str(), "ALTER TABLE \"identity_recovery_tokens\" ADD COLUMN \"nid\" UUID;"),
        (copy.as_str(), "UPDATE \"identity_recovery_tokens\" SET \"nid\" = \"_nid_tmp\";"),
        (drop.as_str(), "ALTER TABLE \"identity_recovery_tokens\" DROP COLUMN \"_nid_tmp\";"),
    ];
    assert!(rules(&docs, "drop-column").is_empty());
    // Without the copy the values are gone.
    assert_eq!(rules(&[docs[0], docs[1], docs[3]], "drop-column"), vec![drop.clone()]);
    let back = "ALTER TABLE t ADD COLUMN a_old varchar(36);\nUPDATE t SET a_old = a;\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t RENAME COLUMN a_old TO a;";
    assert_eq!(one("migrations/V3__x.sql", back, "drop-column"), 0);
    // Copied under a new name: code reading the old one breaks.
    assert_eq!(one("migrations/V3__x.sql", "UPDATE t SET b = a;\nALTER TABLE t DROP COLUMN a;", "drop-column"), 1);
    assert_eq!(
        one("migrations/V3__x.sql", "UPDATE t SET b = lower(a);\nALTER TABLE t DROP COLUMN a;", "drop-column"),
        1
    );
}

/// Issue 13: Django's `AlterField` runs SQL only for what changed since the field's earlier
/// definition in the same app's migrations: a new type, `null=True` dropped, `unique` or
/// `db_index` added; a field defined outside the repository is not judged.
#[test]
fn django_alter_field_against_the_earlier_migrations() {
    let initial = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    initial = True\n    operations = [\n        migrations.CreateModel(\n            name=\"Book\",\n            fields=[\n                (\"id\", models.BigAutoField(primary_key=True)),\n                (\"title\", models.CharField(max_length=100)),\n                # a comment (with parens)\n                (\"isbn\", models.CharField(max_length=13, null=True)),\n                (\"pages\", models.CharField(max_length=10)),\n                (\"slug\", models.SlugField(max_length=50)),\n            ],\n        ),\n    ]\n";
    let add = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AddField(model_name=\"book\", name=\"code\", field=models.CharField(max_length=20, null=True)),\n    ]\n";
    let alter = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.AlterField(model_name=\"book\", name=\"title\", field=models.CharField(max_length=200, verbose_name=\"Title\")),\n        migrations.AlterField(model_name=\"book\", name=\"isbn\", field=models.CharField(max_length=13)),\n        migrations.AlterField(model_name=\"book\", name=\"pages\", field=models.IntegerField()),\n        migrations.AlterField(model_name=\"book\", name=\"slug\", field=models.SlugField(max_length=50, unique=True)),\n        migrations.AlterField(model_name=\"book\", name=\"code\", field=models.CharField(max_length=20, null=True, db_index=True)),\n        migrations.AlterField(model_name=\"author\", name=\"name\", field=models.CharField(max_length=10)),\n    ]\n";
    let dir = "library/migrations";
    let docs = [
        (format!("{dir}/0001_initial.py"), initial),
        (format!("{dir}/0002_book_code.py"), add),
        (format!("{dir}/0003_alter_book.py"), alter),
    ];
    let docs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    let all = check_repo_texts::<SqlPlugin>(&docs, "{}");
    let at = |rule: &str| -> Vec<usize> {
        all.iter()
            .filter(|f| f.rule == rule)
            .map(|f| match &f.primary.location {
                opslint_sdk::Location::Span(s) => {
                    let text = docs.iter().find(|d| d.0 == f.path).map_or("", |d| d.1);
                    text[..s.start as usize].matches('\n').count() + 1
                }
                other => panic!("{other:?}"),
            })
            .collect()
    };
    // Lines of the AlterField calls in 0003: title 5, isbn 6, pages 7, slug 8, code 9, author 10.
    assert_eq!(at("column-type-change"), [7], "{all:#?}");
    assert_eq!(at("set-not-null"), [6], "{all:#?}");
    assert_eq!(at("unique-constraint-without-index"), [8], "{all:#?}");
    assert_eq!(at("create-index-non-concurrently"), [9], "{all:#?}");
}

/// Django applies `0001_auto_...` after the `0001_initial` it depends on, though it sorts first
/// by name; a SlugField without `max_length` is `varchar(50)`, so 128 lengthens it.
#[test]
fn django_migrations_in_dependency_order_with_default_lengths() {
    let dir = "shop/migrations";
    let initial = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.CreateModel(name=\"Cart\", fields=[(\"data\", models.TextField()), (\"slug\", models.SlugField()), (\"tags\", models.ManyToManyField(to=\"shop.Tag\"))]),\n    ]\n";
    let auto = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"shop\", \"0001_initial\")]\n    operations = [\n        migrations.AlterField(model_name=\"cart\", name=\"data\", field=models.JSONField()),\n    ]\n";
    let later = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"shop\", \"0001_auto_20170113_0435\")]\n    operations = [\n        migrations.AlterField(model_name=\"cart\", name=\"data\", field=models.JSONField(null=True)),\n        migrations.AlterField(model_name=\"cart\", name=\"slug\", field=models.SlugField(max_length=128)),\n        migrations.AlterField(model_name=\"cart\", name=\"tags\", field=models.ManyToManyField(to=\"shop.Tag\", blank=True)),\n    ]\n";
    let paths =
        [format!("{dir}/0001_auto_20170113_0435.py"), format!("{dir}/0001_initial.py"), format!("{dir}/0002_more.py")];
    let docs = [(paths[0].as_str(), auto), (paths[1].as_str(), initial), (paths[2].as_str(), later)];
    // text -> jsonb in 0001_auto is a type change; jsonb -> jsonb and a longer slug in 0002 are not.
    assert_eq!(rules(&docs, "column-type-change"), [paths[0].clone()]);
    // A many-to-many field has no column to alter.
    assert_eq!(rules(&docs, "set-not-null"), Vec::<String>::new());
}

/// The folder's leading create-only migrations are the initial schema: they run on an empty
/// database, so a reference to an earlier table takes no lock anyone waits for. Once a
/// migration changes an existing table, later ones run on live databases.
#[test]
fn the_initial_schema_needs_no_lock_timeout() {
    let dir = "backend/migrations/sql";
    let paths: Vec<String> = ["0001-users.sql", "0002-orders.sql", "0003-users-email.sql", "0004-payments.sql"]
        .iter()
        .map(|n| format!("{dir}/{n}"))
        .collect();
    let docs = [
        (paths[0].as_str(), "CREATE TABLE users (id bigint PRIMARY KEY);\n"),
        (paths[1].as_str(), "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user ON orders (user_id);\n"),
        (paths[2].as_str(), "ALTER TABLE users ADD COLUMN email text;\n"),
        (paths[3].as_str(), "CREATE TABLE payments (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n"),
    ];
    assert_eq!(rules(&docs, "missing-lock-timeout"), [paths[2].clone(), paths[3].clone()]);
}
