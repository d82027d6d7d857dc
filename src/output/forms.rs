//! The forms a management tool asks for, for one home or `--all-users` alike:
//! `--summary` (one ASCII line on stdout, see `report::summary`), `--json-out` (the
//! document in a private file, written atomically) and `--redact` (user names and homes
//! hashed in everything written).

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::report::summary::{self, SummaryForm, Tally, Users};
use crate::report::Exit;
use crate::Fatal;

use super::Output;

/// `--summary`, `--json-out` and `--redact` as given.
#[derive(Clone, Debug, Default)]
pub struct Forms {
    pub summary: Option<SummaryForm>,
    pub json_out: Option<PathBuf>,
    pub redact: bool,
}

impl Forms {
    /// None of them: the report goes out as it is (streamed text, or JSON with `--json`).
    pub fn plain(&self) -> bool {
        self.summary.is_none() && self.json_out.is_none() && !self.redact
    }

    /// Checks, before anything is read or changed, that `--json-out` can be written: a
    /// run that cleaned and then could not say so would be the worst of both (exit 2).
    pub fn check(&self) -> Result<(), Fatal> {
        let Some(path) = &self.json_out else {
            return Ok(());
        };
        let hint = crate::i18n::t("hint-json-out");
        let file = path.display().to_string();
        if path.is_dir() {
            return Err(
                Fatal::usage(crate::i18n::ta("error-json-out-dir", &[("file", &file)])).hint(hint),
            );
        }
        let dir = parent_of(path);
        let probe = tempfile::Builder::new()
            .prefix(".loginfix-json-")
            .tempfile_in(&dir);
        match probe {
            Ok(_) => Ok(()),
            Err(e) => Err(Fatal::usage(crate::i18n::ta(
                "error-json-out-write",
                &[("file", &file), ("reason", &e.to_string())],
            ))
            .hint(hint)),
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// What a finished run hands the forms: the document and the text (both redacted
/// already), the summary's counts, and the undo command to repeat if the document file
/// cannot be written.
pub struct Finished<'a> {
    pub command: &'a str,
    pub json: String,
    pub text: String,
    pub tally: Option<Tally>,
    pub users: Users,
    pub exit: Exit,
    pub undo: Option<String>,
}

/// Writes a finished run in the forms asked for: the `--json-out` file, then stdout (the
/// summary line, the JSON, or the text). When the file cannot be written, the whole
/// document goes to stdout (before a summary line, which stays last for Intune) and the
/// undo command to stderr, and the run exits 1. Returns the exit code.
pub fn finish(forms: &Forms, out: &mut Output, run: Finished<'_>) -> Result<Exit, Fatal> {
    let mut exit = run.exit;
    let mut lost = false;
    if let Some(path) = &forms.json_out {
        if let Err(e) = write_json_out(path, &run.json) {
            lost = true;
            exit = crate::report::combine([exit, Exit::Failure]);
            let mut hints = vec!["the document is on stdout instead".to_string()];
            if let Some(undo) = &run.undo {
                hints.push(format!("to undo this run: {undo}"));
            }
            out.error(
                &format!(
                    "could not write the JSON document to `{}`: {e}",
                    path.display()
                ),
                &hints,
            )
            .map_err(Fatal::output)?;
        }
    }
    let mut stdout = String::new();
    if lost || (out.json && forms.summary.is_none()) {
        stdout.push_str(&run.json);
        stdout.push('\n');
    }
    if let Some(form) = forms.summary {
        stdout.push_str(&summary::line(
            run.command,
            run.tally.as_ref(),
            &run.users,
            exit,
            form,
        ));
        stdout.push('\n');
    } else if !out.json {
        stdout.push_str(&run.text);
    }
    out.write_raw(stdout.as_bytes()).map_err(Fatal::output)?;
    Ok(exit)
}

/// Writes `json` to `path` atomically (a temporary file in the same directory, renamed
/// over it), readable by its owner only.
#[expect(
    clippy::disallowed_methods,
    reason = "loginfix's own report file (--json-out), not a browser store"
)]
pub fn write_json_out(path: &Path, json: &str) -> io::Result<()> {
    // tempfile creates the file 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".loginfix-json-")
        .tempfile_in(parent_of(path))?;
    tmp.write_all(json.as_bytes())?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The stable stand-in for a user name or home path: its SHA-256's first 12 hex digits.
pub fn hash12(value: &str) -> String {
    crate::execute::backup::sha256_bytes(value.as_bytes())[..12].to_string()
}

/// Replaces user names and home paths by their hashes (`--redact`), or nothing.
#[derive(Debug, Default)]
pub struct Redactor {
    on: bool,
    /// Home paths, longest first, so that `/home/ana2` is not cut at `/home/ana`.
    homes: Vec<String>,
    names: Vec<String>,
}

impl Redactor {
    pub fn new(on: bool) -> Redactor {
        Redactor {
            on,
            ..Redactor::default()
        }
    }

    pub fn add_user(&mut self, name: &str, home: &Path) {
        self.add_name(name);
        let home = home.to_string_lossy().into_owned();
        if !home.is_empty() && !self.homes.contains(&home) {
            self.homes.push(home);
            self.homes.sort_by_key(|h| std::cmp::Reverse(h.len()));
        }
    }

    pub fn add_name(&mut self, name: &str) {
        if !name.is_empty() && !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
    }

    /// A user name as shown.
    pub fn name(&self, name: &str) -> String {
        if self.on {
            hash12(name)
        } else {
            name.to_string()
        }
    }

    /// Text: every home path (followed by a separator, a quote, a space or the end)
    /// replaced. Names in text are only in the lines that call [`Redactor::name`].
    pub fn text(&self, s: &str) -> String {
        if !self.on {
            return s.to_string();
        }
        let mut s = s.to_string();
        for home in &self.homes {
            s = replace_bounded(&s, home, &hash12(home));
        }
        s
    }

    /// A JSON document's text: homes inside strings (in their escaped form) and names
    /// that are a whole string value replaced.
    pub fn json(&self, doc: &str) -> String {
        if !self.on {
            return doc.to_string();
        }
        let inner = |s: &str| {
            let quoted = serde_json::to_string(s).unwrap_or_default();
            quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
        };
        let mut doc = doc.to_string();
        for home in &self.homes {
            doc = replace_bounded(&doc, &inner(home), &hash12(home));
        }
        for name in &self.names {
            let quoted = format!("\"{}\"", inner(name));
            doc = doc.replace(&quoted, &format!("\"{}\"", hash12(name)));
        }
        doc
    }

    /// A summary item: homes replaced, and a user name that is the item's first part.
    pub fn item(&self, item: &str) -> String {
        let item = self.text(item);
        match item.split_once(':') {
            Some((who, rest)) if self.on && self.names.iter().any(|n| n == who) => {
                format!("{}:{rest}", hash12(who))
            }
            _ => item,
        }
    }
}

/// `hay` with each `needle` followed by a path separator, a quote, a space, `:` or the
/// end replaced by `with` (so a longer sibling path is left alone).
fn replace_bounded(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_string();
    }
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(i) = rest.find(needle) {
        let after = &rest[i + needle.len()..];
        let bounded = after.chars().next().map_or(true, |c| {
            matches!(c, '/' | '\\' | '"' | '\'' | ':' | ',' | ')' | '`') || c.is_whitespace()
        });
        out.push_str(&rest[..i]);
        out.push_str(if bounded { with } else { needle });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::summary::Counted;
    use crate::testutil::Shared;

    /// The document file fails after the run (checked writable before it): the whole
    /// document goes to stdout, the summary line stays last, the undo command goes to
    /// stderr, and the run exits 1.
    #[test]
    fn a_json_out_failing_after_the_run_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let forms = Forms {
            summary: Some(SummaryForm::Plain),
            json_out: Some(dir.path().join("gone/report.json")),
            redact: false,
        };
        let (stdout, stderr) = (Shared::default(), Shared::default());
        let mut out = Output::with_writers(
            false,
            false,
            false,
            false,
            Box::new(stdout.clone()),
            Box::new(stderr.clone()),
        );
        let exit = finish(
            &forms,
            &mut out,
            Finished {
                command: "backups",
                json: "{\"sets\": []}".into(),
                text: "text".into(),
                tally: Some(Tally::new(Counted::Backups { sets: 0 })),
                users: Users::one(),
                exit: Exit::Success,
                undo: Some("loginfix restore X".into()),
            },
        )
        .unwrap();
        assert_eq!(exit, Exit::Failure);
        let stdout = String::from_utf8(stdout.0.borrow().clone()).unwrap();
        assert_eq!(
            stdout,
            "{\"sets\": []}\nloginfix backups: 0 backup set(s); 1 of 1 user(s) done; exit 1 (something failed)\n"
        );
        let stderr = String::from_utf8(stderr.0.borrow().clone()).unwrap();
        assert!(
            stderr.contains("error: could not write the JSON document to"),
            "{stderr}"
        );
        assert!(
            stderr.contains("hint: to undo this run: loginfix restore X"),
            "{stderr}"
        );
    }

    #[test]
    fn homes_are_replaced_only_whole() {
        let mut r = Redactor::new(true);
        r.add_user("ana", Path::new("/home/ana"));
        let h = hash12("/home/ana");
        assert_eq!(
            r.text("/home/ana/.config and /home/anabel and `/home/ana`"),
            format!("{h}/.config and /home/anabel and `{h}`")
        );
        let doc = r#"{"user": "ana", "home": "/home/ana", "x": "banana"}"#;
        assert_eq!(
            r.json(doc),
            format!(
                r#"{{"user": "{}", "home": "{h}", "x": "banana"}}"#,
                hash12("ana")
            )
        );
        assert_eq!(
            r.item("ana:chrome/Default:failed"),
            format!("{}:chrome/Default:failed", hash12("ana"))
        );
        assert_eq!(Redactor::new(false).text("/home/ana"), "/home/ana");
    }
}
