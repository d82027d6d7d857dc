//! The report of `loginfix extensions`: per profile, the installed extensions that are
//! known or likely to break logging in, and its text: one table per profile.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{profile_header_cut, shorten, Diagnostic, Exit, Report, WIDTH};
use crate::browser::{Browser, BrowserState, BrowserStatus};
use crate::i18n::{t, ta};
use crate::output::wrap::{width, wrap};
use crate::output::{clean, look, Style};
use crate::platform::Os;

/// The widest a table cell gets, in characters (longer ones end in `…`).
const MAX_CELL: usize = 60;

/// The narrowest a column is cut to when the table is too wide for [`WIDTH`].
const MIN_CELL: usize = 8;

/// How far the advice lines under an extension's row are indented.
const ADVICE_INDENT: &str = "    ";

/// `s` escaped for the terminal (see [`clean`]) in at most `max` columns, ending in
/// `…` when cut. Cut whole escapes only, so `\u{1b}` is never cut in half.
fn fit(s: &str, max: usize) -> String {
    let pieces: Vec<String> = s
        .chars()
        .map(|c| clean(c.encode_utf8(&mut [0; 4])).into_owned())
        .collect();
    let len: usize = pieces.iter().map(|p| width(p)).sum();
    if len <= max {
        return pieces.concat();
    }
    let mut out = String::new();
    let mut used = 0;
    for piece in &pieces {
        let n = width(piece);
        if used + n + 1 > max {
            break;
        }
        out.push_str(piece);
        used += n;
    }
    out.push('…');
    out
}

/// The column widths for `rows` under `headers`, narrowed (widest first, not below
/// [`MIN_CELL`] or the header) until a line fits in [`WIDTH`].
fn column_widths<const N: usize>(headers: [&str; N], rows: &[[String; N]]) -> [usize; N] {
    let mut widths = headers.map(width);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(&fit(cell, MAX_CELL)));
        }
    }
    // Two spaces of indent, one between columns.
    let total = |widths: &[usize; N]| 1 + widths.iter().map(|w| w + 1).sum::<usize>();
    while total(&widths) > WIDTH {
        let narrowest = |i: usize| MIN_CELL.max(width(headers[i]));
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
                    hints: vec![t("ext-unread-hint")],
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
                let label = style
                    .paint(look::FAILED, &t("clean-verb-failed"))
                    .into_owned();
                let _ = writeln!(
                    out,
                    "  {label}  {}",
                    ta("ext-unread", &[("reason", &clean(e))])
                );
                continue;
            }
            if p.extensions.is_empty() {
                let what = if self.all {
                    "ext-none"
                } else {
                    "ext-no-troublemakers"
                };
                let _ = writeln!(out, "  {}", t(what));
                continue;
            }
            // Raw cells, cut (before escaping) to a size that keeps the work small; `fit`
            // escapes and cuts them to their column.
            let rows: Vec<([String; 5], String)> = p
                .extensions
                .iter()
                .map(|e| {
                    let (category, advice) = match (&e.catalog, &e.may_interfere) {
                        (Some(c), _) => crate::extensions::catalog::Catalog::get().told(c),
                        (None, Some(reason)) => (
                            t("ext-may-interfere"),
                            ta(
                                "ext-may-interfere-advice",
                                &[("reason", &crate::extensions::told(reason))],
                            ),
                        ),
                        (None, None) if e.info.builtin => (t("ext-builtin"), String::new()),
                        (None, None) => ("-".to_string(), String::new()),
                    };
                    let i = &e.info;
                    let cells = [
                        shorten(&i.name, MAX_CELL),
                        shorten(&i.id, MAX_CELL),
                        shorten(i.version.as_deref().unwrap_or("-"), MAX_CELL),
                        t(if i.enabled {
                            "ext-enabled"
                        } else {
                            "ext-disabled"
                        }),
                        shorten(&category, MAX_CELL),
                    ];
                    (cells, advice)
                })
                .collect();
            let headers = [
                t("ext-col-name"),
                t("ext-col-id"),
                t("ext-col-version"),
                t("ext-col-state"),
                t("ext-col-category"),
            ];
            let headers = [
                headers[0].as_str(),
                headers[1].as_str(),
                headers[2].as_str(),
                headers[3].as_str(),
                headers[4].as_str(),
            ];
            let cells: Vec<[String; 5]> = rows.iter().map(|(c, _)| c.clone()).collect();
            let widths = column_widths(headers, &cells);
            let line = |cells: [&str; 5]| {
                let mut s = String::from(" ");
                for (cell, w) in cells.iter().zip(widths) {
                    let cell = fit(cell, w);
                    let pad = w.saturating_sub(width(&cell));
                    s.push(' ');
                    s.push_str(&cell);
                    s.push_str(&" ".repeat(pad));
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
                let _ = writeln!(
                    out,
                    "{}",
                    ta("doctor-not-found", &[("browser", b.browser.name())])
                );
            }
        }
        if self.profiles.is_empty() {
            let _ = writeln!(out, "{}", t("clean-no-profile"));
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
    fn advice_wraps_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("abcdefg", 3), ["abcdefg"]);
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
