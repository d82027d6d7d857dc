//! `loginfix request`'s report: whether a clean is requested on this machine, and where
//! that is marked.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::summary::{Counted, Tally};
use super::{Exit, Report};
use crate::output::{clean, Style};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    /// `set`, `cleared` or `status`.
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub action: crate::worker::statics::Name,
    pub requested: bool,
    /// When the clean was requested (RFC 3339), while it is.
    pub since: Option<String>,
    /// The registry value or the file that holds the request.
    pub marker: String,
    pub warnings: Vec<String>,
}

impl Report for RequestReport {
    /// `--status`: 1 while a clean is requested (what a detection script turns into
    /// "remediate"), else 0; setting or clearing: 0.
    fn exit(&self) -> Exit {
        if self.action == "status" && self.requested {
            Exit::Failure
        } else {
            Exit::Success
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn render_text(&self, _style: &Style) -> String {
        let mut out = String::new();
        let _ = match (&self.since, self.action) {
            (Some(since), _) => writeln!(
                out,
                "A clean is requested (since {}): the next `loginfix fix --if-requested` runs it.",
                clean(since)
            ),
            (None, "cleared") => writeln!(out, "The request was cleared: no clean is requested."),
            (None, _) => writeln!(out, "No clean is requested."),
        };
        let _ = writeln!(out, "  {}", clean(&self.marker));
        out
    }

    fn summary(&self) -> Tally {
        Tally::new(Counted::Request {
            requested: self.requested,
        })
    }
}
