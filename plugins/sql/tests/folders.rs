//! The plugin says it is folder-scope (`RepoPlugin::FOLDER_SCOPE`): the host
//! may then check a large repository's folders in separate batches. That
//! holds only if nothing relates two folders: the same output in one batch
//! and folder by folder, on every fixture and on both shared corpora.
mod common;

use opslint_plugin_sql::SqlPlugin;
use opslint_sdk::testing::{documents_under, folder_scope_problems, shared_input};
use opslint_sdk::RepoPlugin;

#[test]
fn the_plugin_is_folder_scope() {
    const { assert!(<SqlPlugin as RepoPlugin>::FOLDER_SCOPE) };
    let meta = opslint_sdk::metadata_repo::<SqlPlugin>();
    assert!(meta.files.iter().any(|m| m.kind == opslint_sdk::FOLDER_SCOPE_KIND && m.globs.is_empty()));
}

#[test]
fn nothing_relates_two_folders_of_the_fixtures() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let kind = |p: &str| common::kind(p).map(str::to_string);
    // All fixtures as one repository: dozens of folders, several migrations each.
    let docs = documents_under(&fixtures, kind);
    assert!(docs.len() > 50, "{}", docs.len());
    let problems = folder_scope_problems::<SqlPlugin>(&docs, "{}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn nothing_relates_two_folders_of_the_shared_corpora() {
    for name in ["corpus", "repos"] {
        let Some(dir) = shared_input(name) else { continue };
        let docs = documents_under(&dir, |p| common::kind(p).map(str::to_string));
        assert!(docs.len() > 100, "{name}: {}", docs.len());
        let problems = folder_scope_problems::<SqlPlugin>(&docs, "{}");
        assert!(problems.is_empty(), "{name}:\n{}", problems[..problems.len().min(20)].join("\n"));
    }
}
