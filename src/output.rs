//! The one output layer: renders typed reports as text or JSON on stdout, and
//! diagnostics (`warning:`, `error:`, `hint:`) on stderr. No other module prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::browser::BrowserState;
use crate::lock::LockState;
use crate::report::{
    Action, BackupsReport, BrowsersReport, CleanReport, ExtensionsReport, ItemReport,
    ProfileReport, ProfileStatus, RestoreReport,
};

/// How reports and diagnostics are written.
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
    stdout: Box<dyn Write>,
    stderr: Box<dyn Write>,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: bool, color: bool) -> Output {
        Output::with_writers(
            json,
            quiet,
            verbose,
            color,
            Box::new(io::stdout().lock()),
            Box::new(io::stderr()),
        )
    }

    pub fn with_writers(
        json: bool,
        quiet: bool,
        verbose: bool,
        color: bool,
        stdout: Box<dyn Write>,
        stderr: Box<dyn Write>,
    ) -> Output {
        Output {
            json,
            quiet,
            verbose,
            color,
            stdout,
            stderr,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// `warning: ...` on stderr, unless quiet.
    pub fn warn(&mut self, msg: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let label = self.paint("1;33", "warning:");
        writeln!(self.stderr, "{label} {}", clean(msg))
    }

    /// `error: ...` and its `hint: ...` lines on stderr, always.
    pub fn error(&mut self, msg: &str, hints: &[String]) -> io::Result<()> {
        let label = self.paint("1;31", "error:");
        writeln!(self.stderr, "{label} {}", clean(msg))?;
        for hint in hints {
            let label = self.paint("1;36", "hint:");
            writeln!(self.stderr, "{label} {}", clean(hint))?;
        }
        Ok(())
    }

    fn json<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)?;
        writeln!(self.stdout)?;
        self.stdout.flush()
    }

    pub fn clean_report(&mut self, report: &CleanReport) -> io::Result<()> {
        for w in &report.warnings {
            self.warn(w)?;
        }
        for p in &report.profiles {
            if p.status == ProfileStatus::SkippedRunning {
                let hint = format!(
                    "quit {} (all its windows and background processes) and run loginfix again",
                    p.browser.product_name()
                );
                self.warn(&format!(
                    "skipped {} profile `{}`: {}\nhint: {hint}",
                    p.browser.name(),
                    p.profile,
                    p.reason.as_deref().unwrap_or("the browser is running")
                ))?;
            }
        }
        if self.json {
            return self.json(report);
        }
        let mut out = String::new();
        for b in &report.browsers {
            match b.status {
                BrowserState::NotFound if self.verbose => {
                    let _ = writeln!(out, "{}: not found", b.browser.name());
                    for dir in &b.searched {
                        let _ = writeln!(out, "  looked in {}", clean(&dir.display().to_string()));
                    }
                }
                _ => {}
            }
        }
        for p in &report.profiles {
            self.profile_text(&mut out, p);
        }
        let s = &report.summary;
        let c = &s.counts;
        let mut what = if report.dry_run {
            format!("{} would be removed", c.would_remove)
        } else {
            format!("{} removed", c.removed)
        };
        if c.bytes > 0 {
            let _ = write!(what, " ({})", human_bytes(c.bytes));
        }
        if c.unreadable > 0 {
            let _ = write!(what, ", {} unreadable left alone", c.unreadable);
        }
        let stores = match c.store_errors {
            0 => String::new(),
            1 => ", 1 store could not be read".to_string(),
            n => format!(", {n} stores could not be read"),
        };
        let _ = writeln!(
            out,
            "Summary: {what}, {} skipped, {} failed{stores}, in {} profile{}.",
            c.skipped,
            c.failed,
            s.profiles,
            if s.profiles == 1 { "" } else { "s" }
        );
        if s.profiles == 0 {
            let _ = writeln!(out, "No profile of the selected browsers was found.");
        }
        if let Some(b) = &report.backup {
            let _ = writeln!(
                out,
                "Backup: {} (undo with `loginfix restore {}`)",
                clean(&b.dir.display().to_string()),
                clean(&b.id)
            );
        }
        if report.dry_run {
            let _ = writeln!(out, "Dry run: nothing was changed.");
        }
        self.stdout.write_all(out.as_bytes())?;
        self.stdout.flush()
    }

    /// `chrome Default "Person 1"  /path/to/profile`, the first line of every profile.
    fn profile_header(
        &self,
        out: &mut String,
        browser: crate::browser::Browser,
        profile: &str,
        name: Option<&str>,
        path: &std::path::Path,
    ) {
        let name = name
            .map(|n| format!(" \"{}\"", clean(n)))
            .unwrap_or_default();
        let header = format!("{} {}{name}", browser.name(), clean(profile));
        let _ = writeln!(
            out,
            "{}  {}",
            self.paint("1", &header),
            clean(&path.display().to_string())
        );
    }

    fn profile_text(&self, out: &mut String, p: &ProfileReport) {
        self.profile_header(out, p.browser, &p.profile, p.name.as_deref(), &p.path);
        if self.verbose {
            if let Some(v) = &p.version {
                let _ = writeln!(out, "  version {}", clean(v));
            }
            if let LockState::Running { detail } | LockState::Stale { detail } = &p.lock {
                let _ = writeln!(out, "  lock: {}", clean(detail));
            }
        }
        for store in &p.stores {
            if let Some(reason) = &store.reason {
                let _ = writeln!(
                    out,
                    "  note: {}: {}",
                    clean(&store.file.display().to_string()),
                    clean(reason)
                );
            }
        }
        if !self.quiet {
            for item in &p.items {
                let _ = writeln!(out, "  {}", self.item_line(item));
            }
            for store in &p.stores {
                for u in &store.unreadable {
                    let label = self.paint("33", "Unreadable");
                    let _ = writeln!(
                        out,
                        "  {label}  {}: {} (left alone)",
                        clean(&u.file.display().to_string()),
                        clean(&u.reason)
                    );
                }
            }
        }
        for e in &p.errors {
            let label = self.paint("31", "Failed");
            let _ = writeln!(out, "  {label}  {}", clean(&e.error));
        }
        let status = match p.status {
            ProfileStatus::NothingToDo => "nothing to remove".to_string(),
            ProfileStatus::Skipped => format!("{} skipped", p.counts.skipped),
            ProfileStatus::SkippedRunning => format!(
                "skipped: {}",
                p.reason.as_deref().unwrap_or("the browser is running")
            ),
            ProfileStatus::Failed if p.items.is_empty() => "failed".to_string(),
            _ => {
                let c = &p.counts;
                let mut parts = Vec::new();
                if c.would_remove > 0 {
                    parts.push(format!("{} would be removed", c.would_remove));
                }
                if c.removed > 0 {
                    parts.push(format!("{} removed", c.removed));
                }
                if c.skipped > 0 {
                    parts.push(format!("{} skipped", c.skipped));
                }
                if c.failed > 0 {
                    parts.push(format!("{} failed", c.failed));
                }
                if c.bytes > 0 {
                    parts.push(human_bytes(c.bytes));
                }
                parts.join(", ")
            }
        };
        let _ = writeln!(out, "  = {}", clean(&status));
        if p.status != ProfileStatus::SkippedRunning {
            if let Some(reason) = &p.reason {
                let _ = writeln!(out, "  note: {}", clean(reason));
            }
        }
    }

    fn item_line(&self, item: &ItemReport) -> String {
        let verb = match item.action {
            Action::WouldRemove => self.paint("33", "Would remove"),
            Action::Removed => self.paint("32", "Removed"),
            Action::Skipped => self.paint("2", "Skipped"),
            Action::Failed => self.paint("31", "Failed"),
        };
        let i = &item.item;
        let mut line = format!("{verb}  {}", clean(&i.host));
        if let Some(url) = &i.url {
            let _ = write!(line, "  {}", clean(url));
        }
        if let Some(name) = &i.name {
            let _ = write!(line, "  {}", clean(name));
        }
        if let Some(path) = &i.path {
            let _ = write!(line, "  path={}", clean(path));
        }
        if let Some(part) = &i.partition {
            let _ = write!(line, "  partition={}", clean(part));
        }
        if let Some(size) = i.size {
            let _ = write!(line, "  {}", human_bytes(size));
        }
        // Several session-restore files hold the same cookie: name the file.
        let file = match item.store {
            "session_restore" => item
                .file
                .file_name()
                .map(|n| format!(": {}", clean(&n.to_string_lossy())))
                .unwrap_or_default(),
            _ => String::new(),
        };
        let _ = write!(line, "  [{}{file}]", item.store.replace('_', " "));
        if let Some(err) = &item.error {
            let _ = write!(line, ": {}", clean(err));
        }
        line
    }

    pub fn browsers_report(&mut self, report: &BrowsersReport) -> io::Result<()> {
        for w in &report.warnings {
            self.warn(w)?;
        }
        if self.json {
            return self.json(report);
        }
        let mut out = String::new();
        for b in &report.browsers {
            match b.status.status {
                BrowserState::NotFound => {
                    if !self.quiet {
                        let _ = writeln!(out, "{}: not found", b.status.browser.name());
                    }
                    if self.verbose {
                        for dir in &b.status.searched {
                            let _ =
                                writeln!(out, "  looked in {}", clean(&dir.display().to_string()));
                        }
                    }
                    continue;
                }
                BrowserState::Found => {}
            }
            let _ = writeln!(out, "{}", self.paint("1", b.status.browser.name()));
            for p in &b.profiles {
                let name = p
                    .name
                    .as_deref()
                    .map(|n| format!(" \"{}\"", clean(n)))
                    .unwrap_or_default();
                let version = p
                    .version
                    .as_deref()
                    .map(|v| format!(" version {}", clean(v)))
                    .unwrap_or_default();
                let running = match &p.lock {
                    LockState::Running { .. } => "  (running)",
                    LockState::Stale { .. } => "  (stale lock)",
                    LockState::Unchecked { .. } => "  (running state not checked)",
                    LockState::Free => "",
                };
                let _ = writeln!(
                    out,
                    "  {}{name}  [{}]{version}{running}",
                    clean(&p.profile),
                    p.channel
                );
                let _ = writeln!(out, "    path   {}", clean(&p.path.display().to_string()));
                for s in &p.stores {
                    let _ = writeln!(
                        out,
                        "    {:<6} {}",
                        s.kind.label.split('_').next().unwrap_or(""),
                        clean(&s.path.display().to_string())
                    );
                }
                if self.verbose {
                    if let LockState::Running { detail } | LockState::Stale { detail } = &p.lock {
                        let _ = writeln!(out, "    lock   {}", clean(detail));
                    }
                }
            }
        }
        self.stdout.write_all(out.as_bytes())?;
        self.stdout.flush()
    }
}

impl Output {
    pub fn extensions_report(&mut self, report: &ExtensionsReport) -> io::Result<()> {
        for w in &report.warnings {
            self.warn(w)?;
        }
        for p in &report.profiles {
            if let Some(e) = &p.error {
                self.warn(&format!(
                    "{} profile `{}`: {e}",
                    p.browser.name(),
                    p.profile
                ))?;
            }
        }
        if self.json {
            return self.json(report);
        }
        let mut out = String::new();
        for p in &report.profiles {
            self.profile_header(&mut out, p.browser, &p.profile, p.name.as_deref(), &p.path);
            if p.extensions.is_empty() {
                let what = if report.all {
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
                    [
                        clean(&i.name),
                        clean(&i.id),
                        clean(i.version.as_deref().unwrap_or("-")),
                        if i.enabled { "enabled" } else { "disabled" }.to_string(),
                        category,
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
        for b in &report.browsers {
            if b.status == BrowserState::NotFound && self.verbose {
                let _ = writeln!(out, "{}: not found", b.browser.name());
            }
        }
        self.stdout.write_all(out.as_bytes())?;
        self.stdout.flush()
    }
}

impl Output {
    pub fn backups_report(&mut self, report: &BackupsReport) -> io::Result<()> {
        if self.json {
            return self.json(report);
        }
        let mut out = String::new();
        if report.sets.is_empty() {
            let _ = writeln!(
                out,
                "No backup sets in {}",
                clean(&report.backup_dir.display().to_string())
            );
        }
        for s in &report.sets {
            let _ = writeln!(
                out,
                "{}  {}  {}  {} store{}, {} cache entr{} removed  {}",
                self.paint("1", &clean(&s.id)),
                clean(&s.created),
                clean(&s.command),
                s.stores,
                if s.stores == 1 { "" } else { "s" },
                s.removed_cache_entries,
                if s.removed_cache_entries == 1 {
                    "y"
                } else {
                    "ies"
                },
                human_bytes(s.size)
            );
            for p in &s.profiles {
                let _ = writeln!(out, "  {}", clean(p));
            }
        }
        self.stdout.write_all(out.as_bytes())?;
        self.stdout.flush()
    }

    pub fn restore_report(&mut self, report: &RestoreReport) -> io::Result<()> {
        if self.json {
            return self.json(report);
        }
        let mut out = String::new();
        let _ = writeln!(out, "Backup set {}", clean(&report.id));
        for s in &report.stores {
            let verb = match s.action {
                "would_restore" => self.paint("33", "Would restore"),
                "restored" => self.paint("32", "Restored"),
                "skipped_running" => self.paint("2", "Skipped"),
                _ => self.paint("31", "Failed"),
            };
            let mut line = format!(
                "  {verb}  {} {}  {}",
                s.browser.name(),
                clean(&s.profile),
                clean(&s.original.display().to_string())
            );
            if let Some(e) = &s.error {
                let _ = write!(line, ": {}", clean(e));
            }
            let _ = writeln!(out, "{line}");
            if let Some(lose) = &s.would_lose {
                let verb = if report.dry_run {
                    "would be removed"
                } else {
                    "were removed (kept in the undo set)"
                };
                match lose.cookies {
                    Some(n) if n > 0 => {
                        let _ = writeln!(
                            out,
                            "    {n} cookie{} of {} site{} set since the backup {verb}",
                            if n == 1 { "" } else { "s" },
                            lose.sites.len(),
                            if lose.sites.len() == 1 { "" } else { "s" },
                        );
                    }
                    None if lose.differs => {
                        let verb = if report.dry_run {
                            "would be replaced"
                        } else {
                            "was replaced (kept in the undo set)"
                        };
                        let _ = writeln!(
                            out,
                            "    the current file differs from the backup and {verb}"
                        );
                    }
                    _ => {}
                }
            }
        }
        if let Some(undo) = &report.undo {
            let _ = writeln!(
                out,
                "Undo: `loginfix restore {}` puts back what this restore replaced",
                clean(&undo.id)
            );
        }
        if report.dry_run {
            let _ = writeln!(out, "Dry run: nothing was changed.");
        }
        self.stdout.write_all(out.as_bytes())?;
        self.stdout.flush()
    }
}

/// `1.5 KiB`, `3.2 MiB`: sizes for people (JSON carries exact bytes).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Escapes control and bidirectional-override characters: names and paths come from
/// files on disk and must not drive the terminal.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_escapes_terminal_controls() {
        assert_eq!(clean("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("Profil\u{e9} 2"), "Profil\u{e9} 2");
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}
