//! The report of `loginfix doctor`: the findings, what could not be read and what was
//! not checked, and its text: machine findings, then one group per browser and profile,
//! most severe first, ending with "nothing else found" when that is so.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{profile_header_cut, Diagnostic, Exit, Report, WIDTH};
use crate::browser::{Browser, BrowserState, BrowserStatus};
use crate::doctor::{Finding, NotChecked, Scope, Severity, Unread};
use crate::i18n::{list, t, ta};
use crate::output::{clean, look, Style};
use crate::platform::Os;

/// A profile doctor looked at.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DoctorProfile {
    pub browser: Browser,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub channel: crate::worker::statics::Name,
    pub profile: String,
    pub name: Option<String>,
    pub path: PathBuf,
}

/// How many findings of each severity, and how many things could not be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorSummary {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub unread: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DoctorReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub os: Os,
    pub home: PathBuf,
    /// Where machine-wide files were read (`--root`).
    pub root: PathBuf,
    pub online: bool,
    pub summary: DoctorSummary,
    /// Sorted: machine findings first, then by browser and profile, most severe first.
    pub findings: Vec<Finding>,
    pub unread: Vec<Unread>,
    pub not_checked: Vec<NotChecked>,
    pub profiles: Vec<DoctorProfile>,
    pub browsers: Vec<BrowserStatus>,
    pub warnings: Vec<String>,
}

/// `doctor --all-users`: the machine-wide findings, checked once for all users.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MachineReport {
    /// Where machine-wide files were read (`--root`).
    pub root: PathBuf,
    pub online: bool,
    pub summary: DoctorSummary,
    pub findings: Vec<Finding>,
    pub unread: Vec<Unread>,
    pub not_checked: Vec<NotChecked>,
}

impl MachineReport {
    /// 1 for a finding of severity warning or worse, 4 for something unread, else 0.
    pub fn exit(&self) -> Exit {
        if self.summary.errors + self.summary.warnings > 0 {
            Exit::Failure
        } else if self.summary.unread > 0 {
            Exit::Unreadable
        } else {
            Exit::Success
        }
    }

    /// The "This machine" section and the lines of what was not checked.
    pub fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}",
            style.paint(look::BOLD, &t("doctor-this-machine"))
        );
        if self.findings.is_empty() {
            let _ = writeln!(out, "  {}", t("doctor-nothing-found"));
        }
        for f in &self.findings {
            finding_lines(style, &mut out, f);
        }
        for u in &self.unread {
            let line = ta(
                "doctor-unread",
                &[
                    ("file", &clean(&u.file.to_string_lossy())),
                    ("reason", &clean(&u.reason)),
                ],
            );
            let _ = writeln!(out, "  {line}");
        }
        for n in &self.not_checked {
            let _ = writeln!(out, "  {}", not_checked_line(n));
        }
        out
    }
}

impl DoctorReport {
    pub fn summarize(findings: &[Finding], unread: &[Unread]) -> DoctorSummary {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        DoctorSummary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            info: count(Severity::Info),
            unread: unread.len(),
        }
    }
}

/// "not checked: clock_skew (needs the network: …)", the checks named as the language
/// names them.
fn not_checked_line(n: &crate::doctor::NotChecked) -> String {
    let checks: Vec<String> = n
        .ids
        .iter()
        .map(|i| t(&format!("check-{}", i.as_str())))
        .collect();
    ta(
        "doctor-not-checked",
        &[("ids", &list(&checks)), ("reason", &clean(&n.reason))],
    )
}

fn severity_label(style: &Style, severity: Severity) -> String {
    let (look, key) = match severity {
        Severity::Error => (look::FAILED, "severity-error"),
        Severity::Warning => (look::PENDING, "severity-warning"),
        Severity::Info => (look::SKIPPED, "severity-info"),
    };
    // Padded to the widest label of the language, by the columns a terminal gives each
    // character (「エラー」 takes 6, not 3), so that the ids line up.
    let widest = ["severity-error", "severity-warning", "severity-info"]
        .iter()
        .map(|k| display_width(&t(k)))
        .max()
        .unwrap_or(0);
    let label = t(key);
    let pad = " ".repeat(widest.saturating_sub(display_width(&label)));
    style.paint(look, &format!("{label}{pad}")).into_owned()
}

/// The columns `s` takes on a terminal (East Asian wide characters two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

fn finding_lines(style: &Style, out: &mut String, f: &Finding) {
    let line = ta(
        "doctor-finding",
        &[
            ("severity", &severity_label(style, f.severity)),
            ("id", f.id.as_str()),
            ("advice", &clean(&f.advice)),
        ],
    );
    let _ = writeln!(out, "  {line}");
    let mut evidence = clean(&f.evidence.file.to_string_lossy()).into_owned();
    if let Some(key) = &f.evidence.key {
        let _ = write!(evidence, ": {}", clean(key));
    }
    if let Some(value) = &f.evidence.value {
        let _ = write!(evidence, " = {}", clean(value));
    }
    let _ = writeln!(out, "            {}", style.paint(look::SKIPPED, &evidence));
}

impl Report for DoctorReport {
    /// 1 when something of severity warning or worse was found (a detection script's
    /// "issue found"), else 4 when part could not be read, else 0.
    fn exit(&self) -> Exit {
        if self.summary.errors + self.summary.warnings > 0 {
            Exit::Failure
        } else if self.summary.unread > 0 {
            Exit::Unreadable
        } else {
            Exit::Success
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn errors(&self) -> Vec<Diagnostic> {
        self.unread
            .iter()
            .map(|u| {
                let who = match (u.browser, &u.profile) {
                    (Some(b), Some(p)) => format!("{} profile `{}`: ", b.name(), p),
                    (Some(b), None) => format!("{}: ", b.name()),
                    _ => String::new(),
                };
                Diagnostic {
                    message: format!("{who}could not read `{}`: {}", u.file.display(), u.reason),
                    hints: vec!["the rest was checked; what is in that file was not".to_string()],
                }
            })
            .collect()
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        let machine: Vec<&Finding> = self
            .findings
            .iter()
            // User-wide findings (a home's proxy settings) have no profile group either.
            .filter(|f| f.scope == Scope::Machine || f.profile.is_none())
            .collect();
        if !machine.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                style.paint(look::BOLD, &t("doctor-this-machine"))
            );
            for f in machine {
                finding_lines(style, &mut out, f);
            }
        }
        for p in &self.profiles {
            let found: Vec<&Finding> = self
                .findings
                .iter()
                .filter(|f| {
                    f.scope != Scope::Machine
                        && f.browser == Some(p.browser)
                        && f.profile.as_deref() == Some(p.profile.as_str())
                })
                .collect();
            if found.is_empty() && !style.verbose {
                continue;
            }
            profile_header_cut(
                style,
                &mut out,
                p.browser,
                &p.profile,
                p.name.as_deref(),
                &p.path,
                WIDTH - 2,
            );
            if found.is_empty() {
                let _ = writeln!(out, "  {}", t("doctor-nothing-found"));
            }
            for f in found {
                finding_lines(style, &mut out, f);
            }
        }
        for b in &self.browsers {
            if b.status == BrowserState::NotFound && style.verbose {
                let _ = writeln!(
                    out,
                    "{}",
                    ta("doctor-not-found", &[("browser", b.browser.name())])
                );
            }
        }
        for n in &self.not_checked {
            let _ = writeln!(out, "{}", not_checked_line(n));
        }
        let s = &self.summary;
        let n = |v: usize| v.to_string();
        let summary = ta(
            "doctor-summary",
            &[
                ("errors", &n(s.errors)),
                ("warnings", &n(s.warnings)),
                ("info", &n(s.info)),
                ("unread", &n(s.unread)),
                ("profiles", &n(self.profiles.len())),
            ],
        );
        let _ = writeln!(out, "{summary}");
        if s.unread == 0 {
            let _ = writeln!(out, "{}", t("doctor-nothing-else"));
        }
        out
    }

    fn summary(&self) -> super::summary::Tally {
        doctor_tally(&self.summary, &self.findings, self.profiles.len())
    }
}

/// A doctor summary line's counts, and its findings of severity warning or worse.
fn doctor_tally(s: &DoctorSummary, findings: &[Finding], profiles: usize) -> super::summary::Tally {
    super::summary::Tally {
        counted: super::summary::Counted::Doctor {
            errors: s.errors,
            warnings: s.warnings,
            info: s.info,
            unread: s.unread,
            profiles,
        },
        items: findings
            .iter()
            .filter_map(super::summary::finding_item)
            .collect(),
    }
}

impl MachineReport {
    /// The machine's part of a fleet's summary line: its counts and findings.
    pub fn summary(&self) -> super::summary::Tally {
        doctor_tally(&self.summary, &self.findings, 0)
    }
}
