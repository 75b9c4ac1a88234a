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
        world: "linter",
        pub_export_macro: true,
        export_macro_name: "__export_linter",
        default_bindings_module: "opslint_sdk::bindings",
    });
}

mod ctx;
mod driver;
mod lines;
mod registry;
#[cfg(feature = "testing")]
pub mod testing;

pub use bindings::exports::opslint::plugin::plugin::Guest;
pub use bindings::opslint::plugin::types::{
    Applicability, CheckOutput, CheckRequest, DocPath, Document, Edit, Evidence, EvidenceMeta, EvidenceValue,
    FileMatcher, Finding, Fix, FixAvailability, Label, Location, PathSegment, PluginError, PluginMeta, RuleMeta,
    RuleStatus, Scope, Severity, Span,
};
pub use ctx::{Ctx, FindingExt};
pub use driver::{check, check_repo, metadata, metadata_repo, Plugin, RepoPlugin};
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
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct Export;
            impl $crate::Guest for Export {
                fn metadata() -> $crate::PluginMeta {
                    $crate::metadata::<$plugin>()
                }
                fn check(
                    request: $crate::CheckRequest,
                ) -> ::core::result::Result<$crate::CheckOutput, $crate::PluginError> {
                    $crate::check::<$plugin>(request)
                }
            }
    $crate::bindings::__export_linter!(Export with_types_in $crate::bindings);
        };
    };
}

/// Exports a [`RepoPlugin`] implementation (repository scope).
#[macro_export]
macro_rules! export_repo_plugin {
    ($plugin:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct Export;
            impl $crate::Guest for Export {
                fn metadata() -> $crate::PluginMeta {
                    $crate::metadata_repo::<$plugin>()
                }
                fn check(
                    request: $crate::CheckRequest,
                ) -> ::core::result::Result<$crate::CheckOutput, $crate::PluginError> {
                    $crate::check_repo::<$plugin>(request)
                }
            }
    $crate::bindings::__export_linter!(Export with_types_in $crate::bindings);
        };
    };
}
