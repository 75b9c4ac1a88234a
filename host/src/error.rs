//! Errors that stop a run before any finding is reported. Each maps to an exit code.
use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::exit;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    /// A configuration problem located in a TOML file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    #[error("{message}")]
    #[diagnostic(code(opslint::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(opslint::io))]
    Io { path: String, message: String },

    #[error("plugin `{name}` ({source_desc}) cannot be loaded: {message}")]
    #[diagnostic(code(opslint::plugin_load))]
    PluginLoad {
        name: String,
        source_desc: String,
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("{0}")]
    #[diagnostic(code(opslint::internal))]
    Internal(String),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), help: None }
    }

    /// The exit code this error ends the run with (see `exit`).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_) | Error::Usage { .. } | Error::Io { .. } => exit::USAGE,
            Error::PluginLoad { .. } => exit::PLUGIN_FAILURE,
            Error::Internal(_) => exit::INTERNAL,
        }
    }
}

/// A configuration error with the TOML source and the span at fault.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(opslint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}
