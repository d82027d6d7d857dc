//! `loginfix fix` and the guided mode: one clean of cookies, cache and site data (one
//! plan, one backup set, one undo), then `doctor`'s findings and what to try next. On a
//! terminal it waits for open browsers to close and asks once before changing anything;
//! for a script (`--yes`, `--json`, no terminal) it never waits nor asks.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use super::{clean, doctor, Selection};
use crate::browser::{Browser, Profile};
use crate::i18n::{t, ta};
use crate::lock::LockPolicy;
use crate::output::Output;
use crate::platform::Layout;
use crate::report::fix::{plan_text, FixReport, Heading};
use crate::report::{BackupRef, CleanReport, Exit};
use crate::{interrupt, Fatal};

/// How `loginfix fix` runs.
#[derive(Clone, Debug)]
pub struct Options {
    pub selection: Selection,
    pub domains: Vec<String>,
    pub dry_run: bool,
    /// Neither ask nor wait.
    pub yes: bool,
    pub backup: bool,
    pub backup_dir: Option<PathBuf>,
    pub keep: usize,
    pub locks: LockPolicy,
    /// The guided mode's words (a plain `loginfix`).
    pub guided: bool,
    /// A person is at a terminal to answer: wait for browsers, ask before removing.
    pub interactive: bool,
    /// Run doctor's machine-wide checks too: `--all-users` runs them once for the
    /// machine instead (see `doctor::Options::machine`).
    pub machine: bool,
    /// The `--all-users` run this fix is part of: stamped on its backup set.
    pub fleet_run: Option<String>,
    /// Clean only when a clean was requested on the machine (`loginfix request`); `app`
    /// checks it before the run and clears the request after.
    pub if_requested: bool,
}

/// How often the locks of open browsers are read again while waiting.
const POLL: Duration = Duration::from_millis(500);

/// Whether `fix` may wait and ask: stdin and stdout are terminals, and neither `--yes`
/// nor `--json` says a script is reading.
pub fn on_a_terminal(yes: bool, json: bool) -> bool {
    !yes && !json && std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

fn say(out: &mut Output, text: &str) -> Result<(), Fatal> {
    out.write_raw(text.as_bytes()).map_err(Fatal::output)
}

/// Runs `fix`; `undo` gives the command that restores a backup set (it repeats the
/// command line's global options, which only `lib::run` knows).
pub fn run(
    layout: &Layout,
    options: &Options,
    out: &mut Output,
    undo: &dyn Fn(Option<&BackupRef>) -> Option<String>,
) -> Result<Exit, Fatal> {
    let found = super::select(layout, &options.selection)?;
    if options.interactive {
        // Installed before the first question, so that Ctrl-C anywhere before the
        // removal ends in our words rather than the default "killed by a signal".
        interrupt::install();
        if options.guided {
            say(out, &format!("{}\n", t("fix-title")))?;
            say(out, &found_line(&found.profiles))?;
        }
        if !options.dry_run && !wait_for_browsers(out, &found.profiles, options.locks)? {
            say(out, &format!("{}\n", t("fix-interrupted")))?;
            return Ok(Exit::Interrupted);
        }
    }
    if options.interactive && !options.dry_run {
        let preview = clean::run(layout, &clean_options(options, true))?;
        if has_work(&preview) {
            say(out, &plan_text(&preview, Heading::Plan))?;
            let mut notes = format!("{}\n", ta("fix-keep", &[("domains", &domains(&preview))]));
            if options.backup {
                notes.push_str(&format!("{}\n", t("fix-backup-note")));
            }
            say(out, &notes)?;
            match ask(out)? {
                Answer::Yes => {}
                Answer::No => {
                    say(out, &format!("{}\n", t("fix-declined")))?;
                    return Ok(Exit::Success);
                }
                Answer::Interrupted => {
                    say(out, &format!("\n{}\n", t("fix-interrupted")))?;
                    return Ok(Exit::Interrupted);
                }
            }
        }
    }
    let report = build(layout, options, undo)?;
    out.emit(&report).map_err(Fatal::output)
}

/// The clean and the checks, as a script gets them: never waiting nor asking.
pub fn build(
    layout: &Layout,
    options: &Options,
    undo: &dyn Fn(Option<&BackupRef>) -> Option<String>,
) -> Result<FixReport, Fatal> {
    let mut cleaned = clean::run(layout, &clean_options(options, options.dry_run))?;
    cleaned.undo_command = undo(cleaned.backup.as_ref());
    let doctor = doctor::run(layout, &doctor_options(options))?;
    Ok(FixReport::new(cleaned, doctor, options.guided))
}

/// The checks `fix` runs after its clean: doctor's offline ones.
pub fn doctor_options(options: &Options) -> doctor::Options {
    doctor::Options {
        selection: options.selection.clone(),
        domains: options.domains.clone(),
        online: false,
        locks: options.locks,
        machine: options.machine,
    }
}

/// The clean `fix` makes: cookies, cache and site data in one plan.
fn clean_options(options: &Options, dry_run: bool) -> clean::Options {
    clean::Options {
        selection: options.selection.clone(),
        what: clean::What::Everything { whole_cache: true },
        domains: options.domains.clone(),
        dry_run,
        backup: options.backup,
        backup_dir: options.backup_dir.clone(),
        keep: options.keep,
        locks: options.locks,
        deadline: None,
        fleet_run: options.fleet_run.clone(),
    }
}

/// The target domains, as the text names them.
pub fn domains(report: &CleanReport) -> String {
    crate::i18n::list(&report.targets)
}

fn has_work(report: &CleanReport) -> bool {
    report.summary.counts.would_remove > 0
}

/// "Browsers found: Google Chrome, Firefox", once per browser.
fn found_line(profiles: &[Profile]) -> String {
    let browsers = distinct(profiles.iter().map(|p| p.browser));
    if browsers.is_empty() {
        return format!("{}\n", t("fix-no-profile"));
    }
    let names: Vec<&str> = browsers.iter().map(|b| b.product_name()).collect();
    format!(
        "{}\n",
        ta("fix-found", &[("list", &crate::i18n::list(&names))])
    )
}

fn distinct(browsers: impl Iterator<Item = Browser>) -> Vec<Browser> {
    let mut out: Vec<Browser> = Vec::new();
    for b in browsers {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// The browsers holding one of `profiles` now. A lock naming another machine is left
/// out: waiting here cannot end it (the clean skips that profile and says why).
fn running(profiles: &[Profile], locks: LockPolicy) -> Vec<Browser> {
    distinct(
        profiles
            .iter()
            .filter(|p| {
                let state = locks.check(&p.lock);
                state.is_running() && !state.names_another_machine()
            })
            .map(|p| p.browser),
    )
}

/// Asks the user to quit each open browser and waits until it has, one browser at a
/// time, saying which. False when Ctrl-C ended the wait (nothing was changed).
fn wait_for_browsers(
    out: &mut Output,
    profiles: &[Profile],
    locks: LockPolicy,
) -> Result<bool, Fatal> {
    let open = running(profiles, locks);
    if open.is_empty() {
        return Ok(true);
    }
    for b in &open {
        say(
            out,
            &format!(
                "{}\n",
                ta("fix-browser-open", &[("browser", b.product_name())])
            ),
        )?;
    }
    interrupt::catching(|| {
        for b in &open {
            let mine: Vec<Profile> = profiles
                .iter()
                .filter(|p| p.browser == *b)
                .cloned()
                .collect();
            say(
                out,
                &format!("{}\n", ta("fix-waiting", &[("browser", b.product_name())])),
            )?;
            while !running(&mine, locks).is_empty() {
                if interrupt::wait_or_interrupted(POLL) {
                    return Ok(false);
                }
            }
            say(
                out,
                &format!("{}\n", ta("fix-closed", &[("browser", b.product_name())])),
            )?;
        }
        Ok(true)
    })
}

enum Answer {
    Yes,
    No,
    Interrupted,
}

/// Asks "Remove these? [y/N]" once. The line is read on a thread of its own so that
/// Ctrl-C, which does not interrupt a blocked read, can still end the question cleanly.
fn ask(out: &mut Output) -> Result<Answer, Fatal> {
    say(out, &format!("{} ", t("fix-question")))?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line);
        let _ = tx.send(read.map(|_| line));
    });
    interrupt::catching(|| loop {
        if interrupt::interrupted() {
            return Ok(Answer::Interrupted);
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Ok(line)) => {
                return Ok(if is_yes(&line) {
                    Answer::Yes
                } else {
                    Answer::No
                })
            }
            // End of input or an unreadable terminal: the safe answer.
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Answer::No),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    })
}

/// `y`, `yes` (any case) or the Japanese `はい`; anything else, an empty line too, is no.
fn is_yes(line: &str) -> bool {
    let a = line.trim().to_lowercase();
    matches!(a.as_str(), "y" | "yes" | "はい" | "ｙ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_clear_yes_is_yes() {
        for yes in ["y\n", "Y", " yes ", "はい\n"] {
            assert!(is_yes(yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yy", "sure"] {
            assert!(!is_yes(no), "{no:?}");
        }
    }
}
