//! The report of `loginfix extensions`: per profile, the installed extensions that are
//! known or likely to break logging in, and its text: one table per profile.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{profile_header_cut, shorten, Diagnostic, Exit, Report, WIDTH};
use crate::browser::{Browser, BrowserState, BrowserStatus};
use crate::output::{clean, look, Style};
use crate::platform::Os;

/// What to do when a profile's extension list cannot be read.
const UNREAD_HINT: &str = "check the extensions in the browser itself (chrome://extensions, \
    edge://extensions, about:addons, Safari Settings → Extensions)";

/// The widest a table cell gets, in characters (longer ones end in `…`).
const MAX_CELL: usize = 60;

/// The narrowest a column is cut to when the table is too wide for [`WIDTH`].
const MIN_CELL: usize = 8;

/// How far the advice lines under an extension's row are indented.
const ADVICE_INDENT: &str = "    ";

/// `s` escaped for the terminal (see [`clean`]) in at most `max` characters, ending in
/// `…` when cut. Cut whole escapes only, so `\u{1b}` is never cut in half.
fn fit(s: &str, max: usize) -> String {
    let pieces: Vec<String> = s
        .chars()
        .map(|c| clean(c.encode_utf8(&mut [0; 4])).into_owned())
        .collect();
    let len: usize = pieces.iter().map(|p| p.chars().count()).sum();
    if len <= max {
        return pieces.concat();
    }
    let mut out = String::new();
    let mut used = 0;
    for piece in &pieces {
        let n = piece.chars().count();
        if used + n + 1 > max {
            break;
        }
        out.push_str(piece);
        used += n;
    }
    out.push('…');
    out
}

/// `text` (already escaped) broken at spaces into lines of at most `width` characters;
/// a word longer than that is split.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The column widths for `rows` under `headers`, narrowed (widest first, not below
/// [`MIN_CELL`] or the header) until a line fits in [`WIDTH`].
fn column_widths<const N: usize>(headers: [&str; N], rows: &[[String; N]]) -> [usize; N] {
    let mut widths = headers.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(fit(cell, MAX_CELL).chars().count());
        }
    }
    // Two spaces of indent, one between columns.
    let total = |widths: &[usize; N]| 1 + widths.iter().map(|w| w + 1).sum::<usize>();
    while total(&widths) > WIDTH {
        let narrowest = |i: usize| MIN_CELL.max(headers[i].chars().count());
        let Some(i) = (0..N)
            .filter(|&i| widths[i] > narrowest(i))
            .max_by_key(|&i| widths[i])
        else {
            break;
        };
        widths[i] -= 1;
    }
    widths
}

/// One profile's extensions, as `loginfix extensions` lists them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtensionsProfile {
    pub browser: Browser,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub channel: crate::worker::statics::Name,
    pub profile: String,
    pub name: Option<String>,
    pub path: PathBuf,
    pub extensions: Vec<crate::extensions::Installed>,
    /// Why the profile's extensions could not be read, if they could not.
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtensionsReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
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
            profile_header_cut(
                style,
                &mut out,
                p.browser,
                &p.profile,
                p.name.as_deref(),
                &p.path,
                WIDTH - 2,
            );
            if let Some(e) = &p.error {
                let label = style.paint(look::FAILED, "Failed");
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
            // Raw cells, cut (before escaping) to a size that keeps the work small; `fit`
            // escapes and cuts them to their column.
            let rows: Vec<([String; 5], String)> = p
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
                    let cells = [
                        shorten(&i.name, MAX_CELL),
                        shorten(&i.id, MAX_CELL),
                        shorten(i.version.as_deref().unwrap_or("-"), MAX_CELL),
                        if i.enabled { "enabled" } else { "disabled" }.to_string(),
                        shorten(&category, MAX_CELL),
                    ];
                    (cells, advice)
                })
                .collect();
            let headers = ["NAME", "ID", "VERSION", "STATE", "CATEGORY"];
            let cells: Vec<[String; 5]> = rows.iter().map(|(c, _)| c.clone()).collect();
            let widths = column_widths(headers, &cells);
            let line = |cells: [&str; 5]| {
                let mut s = String::from(" ");
                for (cell, w) in cells.iter().zip(widths) {
                    let cell = fit(cell, w);
                    s.push_str(&format!(" {cell:<w$}"));
                }
                s.trim_end().to_string()
            };
            let _ = writeln!(out, "{}", line(headers));
            for (row, advice) in &rows {
                let _ = writeln!(
                    out,
                    "{}",
                    line([&row[0], &row[1], &row[2], &row[3], &row[4]])
                );
                // The advice, under its row: a column of its own would not fit.
                for l in wrap(&clean(advice), WIDTH - ADVICE_INDENT.len()) {
                    let _ = writeln!(out, "{ADVICE_INDENT}{l}");
                }
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

    fn summary(&self) -> super::summary::Tally {
        let mut t = super::summary::Tally::new(super::summary::Counted::Extensions {
            extensions: self.profiles.iter().map(|p| p.extensions.len()).sum(),
            profiles: self.profiles.len(),
        });
        for p in &self.profiles {
            let at = format!("{}/{}", p.browser.name(), p.profile);
            if p.error.is_some() {
                t.items.push(format!("{at}:unreadable"));
            }
            for e in &p.extensions {
                t.items.push(format!("{at}:{}", e.info.name));
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_then_cut_without_halving_an_escape() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
        assert_eq!(fit("a\u{1b}b", 20), "a\\u{1b}b");
        assert_eq!(fit("a\u{1b}b", 6), "a…");
    }

    #[test]
    fn advice_wraps_at_spaces_and_splits_long_words() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefg", 3), ["abc", "def", "g"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn wide_columns_are_narrowed_to_fit() {
        let row = [
            "n".repeat(60),
            "i".repeat(60),
            "1.0".into(),
            "enabled".into(),
        ];
        let widths = column_widths(["NAME", "ID", "VERSION", "STATE"], &[row]);
        assert_eq!(1 + widths.iter().map(|w| w + 1).sum::<usize>(), WIDTH);
        assert_eq!(widths[2..], [7, 7]);
    }
}
