//! The plugin runtime: wasmtime components, no WASI, one Store per batch.
mod cache;
pub(crate) mod cache_key;
mod findings_store;
mod limits;
mod results;
mod runtime;
mod split;

pub use cache::{sha256_hex, CacheDir};
pub use results::DocRef;
pub use runtime::{Batch, Loaded, RunError, Runtime, Source};
pub use split::{Call, Extracted, Pending, Split};

/// Host-side bindings of `wit/plugin.wit`.
pub mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "linter",
        // The findings cache (results.rs) stores plugin outputs as JSON.
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
    pub use self::opslint::plugin::types::*;

    /// The `linter-facts` world (0.1.1): `plugin` and `facts`, over the same types.
    pub mod facts {
        wasmtime::component::bindgen!({
            path: "../wit",
            world: "linter-facts",
            with: {
                "opslint:plugin/types": super::opslint::plugin::types,
                "opslint:plugin/host": super::opslint::plugin::host,
            },
        });
        pub use self::exports::opslint::plugin::facts::JoinRequest;
    }
}

include!(concat!(env!("OUT_DIR"), "/plugins/builtins.rs"));

/// The interface version this host speaks (`wit/plugin.wit`).
pub const INTERFACE_VERSION: (u64, u64, u64) = (0, 1, 1);
