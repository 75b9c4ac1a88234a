//! The guest SDK for opslint plugins.
//!
//! A plugin is a crate; a rule is a file under `src/rules/` registered by
//! `opslint-sdk-build`. The plugin implements [`Plugin`] (how to parse one
//! document, which files it wants) and calls [`export_plugin!`]; the SDK does
//! the rest: metadata, rule selection, options, parse-error findings.
//! The same code runs natively, so fixtures are tested without wasmtime.
#![forbid(unsafe_code)]

#[allow(missing_docs, clippy::all)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        // Every plugin exports `facts` too; one that does not split its work
        // answers it with an error (facts.rs).
        world: "linter-facts",
        pub_export_macro: true,
        export_macro_name: "__export_linter",
        default_bindings_module: "opslint_sdk::bindings",
        // Findings a repository plugin keeps in a file's fact (facts.rs).
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
}

mod ctx;
mod driver;
mod facts;
mod lines;
mod registry;
#[cfg(feature = "testing")]
pub mod testing;

pub use bindings::exports::opslint::plugin::facts::{Guest as FactsGuest, JoinRequest};
pub use bindings::exports::opslint::plugin::plugin::Guest;
pub use bindings::opslint::plugin::types::{
    Applicability, CheckOutput, CheckRequest, DocPath, Document, Edit, Evidence, EvidenceMeta, EvidenceValue,
    FileMatcher, Finding, Fix, FixAvailability, Label, Location, PathSegment, PluginError, PluginMeta, RuleMeta,
    RuleStatus, Scope, Severity, Span,
};
pub use ctx::{Ctx, FindingExt};
pub use driver::{check, check_repo, metadata, metadata_repo, Plugin, RepoPlugin, FOLDER_SCOPE_KIND};
pub use facts::{
    extract_repo, extract_unsupported, facts_unsupported, join_repo, join_unsupported, read_evidence, read_findings,
    run_rules, skip_findings, write_evidence, write_findings, FactPlugin,
};
pub use lines::LineIndex;
pub use registry::{Meta, Registered};
pub use serde_json;

/// Logs through the host (shown with `opslint -v`); a no-op natively.
pub fn log(message: &str) {
    #[cfg(target_arch = "wasm32")]
    bindings::opslint::plugin::host::log(bindings::opslint::plugin::host::Level::Debug, message);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = message;
}

/// Exports a [`Plugin`] implementation as the component's `plugin` interface.
/// Only expands on wasm32, so the same crate builds natively for tests.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        $crate::__export!(
            $crate::metadata::<$plugin>,
            $crate::check::<$plugin>,
            $crate::extract_unsupported,
            $crate::join_unsupported
        );
    };
}

/// Exports a [`RepoPlugin`] implementation (repository scope).
#[macro_export]
macro_rules! export_repo_plugin {
    ($plugin:ty) => {
        $crate::__export!(
            $crate::metadata_repo::<$plugin>,
            $crate::check_repo::<$plugin>,
            $crate::extract_unsupported,
            $crate::join_unsupported
        );
    };
}

/// Exports a [`FactPlugin`] implementation: the `plugin` interface as
/// [`export_repo_plugin!`] does, and `facts` (extract per file, join).
#[macro_export]
macro_rules! export_fact_plugin {
    ($plugin:ty) => {
        $crate::__export!(
            $crate::metadata_repo::<$plugin>,
            $crate::check_repo::<$plugin>,
            $crate::extract_repo::<$plugin>,
            $crate::join_repo::<$plugin>
        );
    };
}

/// The component's exports (wasm32 only): `plugin` and `facts`, by the functions that answer them.
#[doc(hidden)]
#[macro_export]
macro_rules! __export {
    ($metadata:expr, $check:expr, $extract:expr, $join:expr) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct Export;
            impl $crate::Guest for Export {
                fn metadata() -> $crate::PluginMeta {
                    $metadata()
                }
                fn check(
                    request: $crate::CheckRequest,
                ) -> ::core::result::Result<$crate::CheckOutput, $crate::PluginError> {
                    $check(request)
                }
            }
            impl $crate::FactsGuest for Export {
                fn extract(
                    request: $crate::CheckRequest,
                ) -> ::core::result::Result<::std::vec::Vec<::std::vec::Vec<u8>>, $crate::PluginError> {
                    $extract(request)
                }
                fn join(
                    request: $crate::JoinRequest,
                ) -> ::core::result::Result<$crate::CheckOutput, $crate::PluginError> {
                    $join(request)
                }
            }
    $crate::bindings::__export_linter!(Export with_types_in $crate::bindings);
        };
    };
}
