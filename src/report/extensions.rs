//! The report of `loginfix extensions`: per profile, the installed extensions that are
//! known or likely to break logging in, and its text: one table per profile.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::{profile_header, shorten, Diagnostic, Exit, Report};
use crate::browser::{Browser, BrowserState, BrowserStatus};
use crate::output::{clean, Style};
use crate::platform::Os;

/// What to do when a profile's extension list cannot be read.
const UNREAD_HINT: &str = "check the extensions in the browser itself (chrome://extensions, \
    edge://extensions, about:addons, Safari Settings → Extensions)";

/// The widest a table cell gets, in characters (longer ones end in `…`).
const MAX_CELL: usize = 60;

/// One profile's extensions, as `loginfix extensions` lists them.
#[derive(Clone, Debug, Serialize)]
pub struct ExtensionsProfile {
    pub browser: Browser,
    pub channel: &'static str,
    pub profile: String,
    pub name: Option<String>,
    pub path: PathBuf,
    pub extensions: Vec<crate::extensions::Installed>,
    /// Why the profile's extensions could not be read, if they could not.
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExtensionsReport {
    pub schema_version: u32,
    pub command: &'static str,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub all: bool,
    pub os: Os,
    pub home: PathBuf,
    pub profiles: Vec<ExtensionsProfile>,
    pub browsers: Vec<BrowserStatus>,
    pub warnings: Vec<String>,
}

impl Report for ExtensionsReport {
    /// Scripts read the JSON; finding extensions is not a failure, an unreadable
    /// profile is.
    fn exit(&self) -> Exit {
        if self.profiles.iter().any(|p| p.error.is_some()) {
            Exit::Failure
        } else {
            Exit::Success
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// A profile whose extensions could not be read is an error (exit code 1).
    fn errors(&self) -> Vec<Diagnostic> {
        self.profiles
            .iter()
            .filter_map(|p| {
                let e = p.error.as_ref()?;
                Some(Diagnostic {
                    message: format!("{} profile `{}`: {e}", p.browser.name(), p.profile),
                    hints: vec![UNREAD_HINT.to_string()],
                })
            })
            .collect()
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        for p in &self.profiles {
            profile_header(
                style,
                &mut out,
                p.browser,
                &p.profile,
                p.name.as_deref(),
                &p.path,
            );
            if let Some(e) = &p.error {
                let label = style.paint("31", "Failed");
                let _ = writeln!(
                    out,
                    "  {label}  the extensions could not be read: {}",
                    clean(e)
                );
                continue;
            }
            if p.extensions.is_empty() {
                let what = if self.all {
                    "no extensions installed"
                } else {
                    "no known troublemakers installed"
                };
                let _ = writeln!(out, "  {what}");
                continue;
            }
            let rows: Vec<[String; 6]> = p
                .extensions
                .iter()
                .map(|e| {
                    let (category, advice) = match (&e.catalog, &e.may_interfere) {
                        (Some(c), _) => (c.category_label.clone(), c.advice.clone()),
                        (None, Some(reason)) => (
                            "may interfere".to_string(),
                            format!("{reason}; if login fails, turn it off and try again"),
                        ),
                        (None, None) if e.info.builtin => ("built-in".to_string(), String::new()),
                        (None, None) => ("-".to_string(), String::new()),
                    };
                    let i = &e.info;
                    // Cut before escaping, so an escape is never cut in half; the
                    // widths below then stay small (a width over 65535 panics).
                    [
                        clean(&shorten(&i.name, MAX_CELL)),
                        clean(&shorten(&i.id, MAX_CELL)),
                        clean(&shorten(i.version.as_deref().unwrap_or("-"), MAX_CELL)),
                        if i.enabled { "enabled" } else { "disabled" }.to_string(),
                        shorten(&category, MAX_CELL),
                        clean(&advice),
                    ]
                })
                .collect();
            let headers = ["NAME", "ID", "VERSION", "STATE", "CATEGORY", "ADVICE"];
            let mut widths = headers.map(str::len);
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: [&str; 6]| {
                let mut s = String::from(" ");
                for (i, cell) in cells.iter().enumerate() {
                    if i == 5 {
                        s.push_str(&format!(" {cell}"));
                    } else {
                        s.push_str(&format!(" {cell:<w$}", w = widths[i]));
                    }
                }
                s.trim_end().to_string()
            };
            let _ = writeln!(out, "{}", line(headers));
            for row in &rows {
                let _ = writeln!(
                    out,
                    "{}",
                    line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]])
                );
            }
        }
        for b in &self.browsers {
            if b.status == BrowserState::NotFound && style.verbose {
                let _ = writeln!(out, "{}: not found", b.browser.name());
            }
        }
        if self.profiles.is_empty() {
            let _ = writeln!(out, "No profile of the selected browsers was found.");
        }
        out
    }
}
