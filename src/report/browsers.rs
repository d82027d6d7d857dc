//! The report of `loginfix browsers`: what discovery found, per browser and profile,
//! and its text: each found browser with its profiles' paths, stores and lock state.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Exit, Report};
use crate::browser::{BrowserState, BrowserStatus, Store};
use crate::i18n::{t, ta};
use crate::lock::LockState;
use crate::output::{clean, look, Style};
use crate::platform::Os;

/// One profile as `loginfix browsers` lists it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProfileInfo {
    pub profile: String,
    pub name: Option<String>,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub channel: crate::worker::statics::Name,
    pub path: PathBuf,
    pub version: Option<String>,
    pub stores: Vec<Store>,
    pub running: bool,
    pub lock: LockState,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BrowserEntry {
    #[serde(flatten)]
    pub status: BrowserStatus,
    pub profiles: Vec<ProfileInfo>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BrowsersReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub os: Os,
    pub home: PathBuf,
    pub browsers: Vec<BrowserEntry>,
    pub warnings: Vec<String>,
}

impl Report for BrowsersReport {
    /// Listing is not judged: a running browser or a missing one is information here.
    fn exit(&self) -> Exit {
        Exit::Success
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        for b in &self.browsers {
            match b.status.status {
                BrowserState::NotFound => {
                    if !style.quiet {
                        out.push_str(&super::not_found_lines(&b.status, style.verbose));
                    }
                    continue;
                }
                BrowserState::Found => {}
            }
            let _ = writeln!(out, "{}", style.paint(look::BOLD, b.status.browser.name()));
            for p in &b.profiles {
                let name = p
                    .name
                    .as_deref()
                    .map(|n| format!(" \"{}\"", clean(n)))
                    .unwrap_or_default();
                let version = p
                    .version
                    .as_deref()
                    .map(|v| format!(" {}", ta("browsers-version", &[("version", &clean(v))])))
                    .unwrap_or_default();
                let running = match &p.lock {
                    LockState::Running { .. } => format!("  {}", t("browsers-running")),
                    LockState::Stale { .. } => format!("  {}", t("browsers-stale")),
                    LockState::Unchecked { .. } => format!("  {}", t("browsers-unchecked")),
                    LockState::Free => String::new(),
                };
                let _ = writeln!(
                    out,
                    "  {}{name}  [{}]{version}{running}",
                    clean(&p.profile),
                    p.channel
                );
                // A file that holds two kinds (a Firefox session file: cookies and
                // sessionStorage) is one line here, its kinds joined; JSON lists each.
                let mut rows: Vec<(String, &std::path::Path)> = Vec::new();
                for s in &p.stores {
                    match rows.iter_mut().find(|(_, path)| *path == s.path.as_path()) {
                        Some((labels, _)) => {
                            labels.push('+');
                            labels.push_str(s.kind.label);
                        }
                        None => rows.push((s.kind.label.to_string(), &s.path)),
                    }
                }
                // Aligned on the longest kind; joined kinds run past the column.
                let width = p
                    .stores
                    .iter()
                    .map(|s| s.kind.label.len())
                    .max()
                    .unwrap_or(0)
                    .max(4);
                let _ = writeln!(
                    out,
                    "    {:<width$}  {}",
                    "path",
                    clean(&p.path.display().to_string())
                );
                for (labels, path) in &rows {
                    let _ = writeln!(
                        out,
                        "    {labels:<width$}  {}",
                        clean(&path.display().to_string())
                    );
                }
                if style.verbose {
                    if let LockState::Running { detail, .. } | LockState::Stale { detail } = &p.lock
                    {
                        let _ = writeln!(out, "    {:<width$}  {}", "lock", clean(detail));
                    }
                }
            }
        }
        out
    }

    fn summary(&self) -> super::summary::Tally {
        super::summary::Tally::new(super::summary::Counted::Browsers {
            browsers: self
                .browsers
                .iter()
                .filter(|b| !b.profiles.is_empty())
                .count(),
            profiles: self.browsers.iter().map(|b| b.profiles.len()).sum(),
        })
    }
}
