//! The document of a run that ends in an error (a usage error, clap's included, or a
//! fatal one): with `--json` it is printed instead of a report, so a script piping into
//! `jq` always has one document to read. The `error:` and `hint:` lines still go to
//! stderr.

use serde::{Deserialize, Serialize};

use super::{Exit, Meta, SCHEMA_VERSION};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorReport {
    pub schema_version: u32,
    /// The subcommand that failed, or null when none was recognised.
    pub command: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
    pub error: ErrorInfo,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub message: String,
    pub hints: Vec<String>,
    /// The process's exit code (1 or 2, see the README's "Exit codes").
    pub exit_code: u8,
}

impl ErrorReport {
    pub fn new(
        command: Option<String>,
        meta: Meta,
        message: &str,
        hints: &[String],
        exit: Exit,
    ) -> ErrorReport {
        ErrorReport {
            schema_version: SCHEMA_VERSION,
            command,
            meta,
            error: ErrorInfo {
                message: message.to_string(),
                hints: hints.to_vec(),
                exit_code: exit as u8,
            },
        }
    }
}
