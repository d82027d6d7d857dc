//! The one output layer: writes a command's typed report on stdout, as JSON or as the
//! text the report renders for itself (see `report`), and diagnostics (`warning:`,
//! `error:`, `hint:`) on stderr. No other module prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::i18n::t;

pub mod forms;
pub mod shown;
pub mod wrap;

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{Exit, Report};

/// What text rendering needs to know about the output: which lines to show and whether
/// to colour them. Kept apart from `Output` so a report renders without its writers.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

/// The looks text output is painted in (anstyle renders them; no escape code is
/// written by hand).
pub mod look {
    use anstyle::{AnsiColor, Color, Style};

    const fn fg(color: AnsiColor) -> Style {
        Style::new().fg_color(Some(Color::Ansi(color)))
    }

    /// Headers and names that start a block.
    pub const BOLD: Style = Style::new().bold();
    /// Something done (`Removed`, `Restored`).
    pub const DONE: Style = fg(AnsiColor::Green);
    /// Something a dry run would do, or could not read.
    pub const PENDING: Style = fg(AnsiColor::Yellow);
    /// Something left alone on purpose.
    pub const SKIPPED: Style = Style::new().dimmed();
    /// Something that failed.
    pub const FAILED: Style = fg(AnsiColor::Red);
    /// The `error:` label.
    pub const ERROR: Style = fg(AnsiColor::Red).bold();
    /// The `warning:` label.
    pub const WARNING: Style = fg(AnsiColor::Yellow).bold();
    /// The `hint:` and `note:` labels.
    pub const HINT: Style = fg(AnsiColor::Cyan).bold();
}

impl Style {
    /// `text` in `look`, or plain when colour is off.
    pub fn paint<'a>(&self, look: anstyle::Style, text: &'a str) -> std::borrow::Cow<'a, str> {
        if self.color {
            format!("{look}{text}{look:#}").into()
        } else {
            text.into()
        }
    }
}

/// How reports and diagnostics are written.
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
    /// Whether stderr is a terminal (a person watches); false for given writers.
    stderr_terminal: bool,
    /// The terminal's width, when stdout is one: text is fitted to it (see `wrap`).
    columns: Option<usize>,
    /// The same for stderr: diagnostics are fitted to it.
    err_columns: Option<usize>,
    stdout: Box<dyn Write>,
    stderr: Box<dyn Write>,
}

impl Output {
    pub fn new(json: bool, quiet: bool, verbose: bool, color: bool) -> Output {
        use std::io::IsTerminal;
        Output {
            stderr_terminal: io::stderr().is_terminal(),
            columns: wrap::terminal_columns(wrap::Stream::Stdout),
            err_columns: wrap::terminal_columns(wrap::Stream::Stderr),
            ..Output::with_writers(
                json,
                quiet,
                verbose,
                color,
                Box::new(io::stdout().lock()),
                Box::new(io::stderr()),
            )
        }
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
            stderr_terminal: false,
            columns: None,
            err_columns: None,
            stdout,
            stderr,
        }
    }

    /// Fits text to `columns` from now on (tests; `new` asks the terminal).
    pub fn fitted_to(mut self, columns: usize) -> Output {
        self.columns = Some(columns);
        self
    }

    /// `text` fitted to the terminal, when there is one.
    fn fitted<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        match self.columns {
            Some(max) => wrap::fit(text, max).into(),
            None => text.into(),
        }
    }

    /// Whether progress may be drawn on stderr: a terminal there, and neither `--json`
    /// (a script reads the output) nor `-q`.
    pub fn watched(&self) -> bool {
        self.stderr_terminal && !self.json && !self.quiet
    }

    /// Writes part of a report's text on stdout at once (a profile's lines when it is
    /// done, see `shown`).
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        let text = self.fitted(text);
        self.stdout.write_all(text.as_bytes())?;
        self.stdout.flush()
    }

    pub fn style(&self) -> Style {
        Style {
            quiet: self.quiet,
            verbose: self.verbose,
            color: self.color,
        }
    }

    fn paint<'a>(&self, look: anstyle::Style, text: &'a str) -> std::borrow::Cow<'a, str> {
        self.style().paint(look, text)
    }

    /// `note: ...` on stderr (callers decide when, e.g. only with `-v`).
    pub fn note(&mut self, msg: &str) -> io::Result<()> {
        let label = self.paint(look::HINT, &t("diag-note")).into_owned();
        self.diagnostic(&label, msg)
    }

    /// `label message` on stderr, fitted to the terminal there.
    fn diagnostic(&mut self, label: &str, msg: &str) -> io::Result<()> {
        let line = format!("{label} {}", clean(msg));
        match self.err_columns {
            Some(max) => writeln!(self.stderr, "{}", wrap::fit(&line, max)),
            None => writeln!(self.stderr, "{line}"),
        }
    }

    /// Writes `bytes` on stdout as they are (a completion script, the man page).
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stdout.write_all(bytes)?;
        self.stdout.flush()
    }

    /// `warning: ...` on stderr, unless quiet.
    pub fn warn(&mut self, msg: &str) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        // A warning may end in hint lines (`...\nhint: ...`); any other line break is
        // data (a name from disk) and is escaped.
        let mut parts = msg.split("\nhint: ");
        let label = self.paint(look::WARNING, &t("diag-warning")).into_owned();
        self.diagnostic(&label, parts.next().unwrap_or_default())?;
        for hint in parts {
            let label = self.paint(look::HINT, &t("diag-hint")).into_owned();
            self.diagnostic(&label, hint)?;
        }
        Ok(())
    }

    /// `error: ...` and its `hint: ...` lines on stderr, always.
    pub fn error(&mut self, msg: &str, hints: &[String]) -> io::Result<()> {
        let label = self.paint(look::ERROR, &t("diag-error")).into_owned();
        self.diagnostic(&label, msg)?;
        for hint in hints {
            let label = self.paint(look::HINT, &t("diag-hint")).into_owned();
            self.diagnostic(&label, hint)?;
        }
        Ok(())
    }

    /// Writes `value` on stdout as one pretty-printed JSON document.
    pub fn json<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut self.stdout, value)?;
        writeln!(self.stdout)?;
        self.stdout.flush()
    }

    /// Writes a command's report: its warnings on stderr, then the report on stdout as
    /// JSON or text. Returns the exit code the report maps to.
    pub fn emit(&mut self, report: &impl Report) -> io::Result<Exit> {
        for w in report.warnings() {
            self.warn(&w)?;
        }
        for e in report.errors() {
            self.error(&e.message, &e.hints)?;
        }
        if self.json {
            self.json(report)?;
        } else {
            let text = report.render_text(&self.style());
            let text = self.fitted(&text);
            self.stdout.write_all(text.as_bytes())?;
            self.stdout.flush()?;
        }
        Ok(report.exit())
    }
}

/// `1.5 KiB`, `3.2 MiB`: sizes for people (JSON carries exact bytes).
/// A size as a person reads it (`17.4 KB`): the units people know, for the words of
/// `fix` and the guided mode; listings keep [`human_bytes`]'s exact binary units.
pub fn people_bytes(n: u64) -> String {
    human_bytes(n).replace("iB", "B")
}

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

/// Escapes control (newlines included) and bidirectional-override characters in a data
/// field: names and paths come from files on disk and must neither drive the terminal
/// nor start a line of their own (a cookie named `x\n  Removed  evil.com` would print a
/// forged item line).
///
/// Borrows `s` when it is printable ASCII throughout, as nearly every host and name is.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_escapes_terminal_controls() {
        assert_eq!(clean("a\x1b[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("Profil\u{e9} 2"), "Profil\u{e9} 2");
        assert_eq!(clean("x\n  Removed\r"), "x\\u{a}  Removed\\u{d}");
        assert_eq!(clean("a\x7fb"), "a\\u{7f}b");
        // Printable ASCII, nearly every host and name, is not copied.
        assert!(matches!(
            clean(".chatgpt.com ~/"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}
