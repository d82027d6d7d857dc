//! `loginfix fix` and the guided mode: one clean of cookies, cache and site data (one
//! plan, one backup set, one undo), then `doctor`'s findings and what to try next. On a
//! terminal it waits for open browsers to close and asks before changing anything (and,
//! when a cookie store is damaged, whether to move it aside), telling each step as an
//! event (`events`); for a script (`--yes`, `--json`, no terminal) it never waits nor
//! asks. It prints nothing itself.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use super::clean::MoveAside;
use super::{clean, doctor, Selection};
use crate::browser::{Browser, Profile};
use crate::events::{Answer, Damaged, Event, Sink};
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::progress::Progress;
use crate::report::fix::{distinct, FixReport};
use crate::report::{BackupRef, CleanReport, Exit, ProfileStatus};
use crate::{interrupt, Fatal};

/// How `loginfix fix` runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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
    /// `--move-damaged`: move each damaged cookie store aside without asking (on a
    /// terminal without it, the person is asked).
    #[serde(default)]
    pub move_damaged: bool,
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

/// How `fix` on a terminal ended: its report, or stopped before changing anything.
pub enum Outcome {
    Report(Box<FixReport>),
    Stopped(Exit),
}

/// Runs `fix`, telling `sink` each step; `undo` gives the command that restores a backup
/// set (it repeats the command line's global options, which only `app` knows).
pub fn run(
    layout: &Layout,
    options: &Options,
    sink: &mut dyn Sink,
    undo: &dyn Fn(Option<&BackupRef>) -> Option<String>,
    progress: &dyn Fn() -> Progress,
) -> Result<Outcome, Fatal> {
    let found = super::select(layout, &options.selection)?;
    if options.interactive {
        // Installed before the first question, so that Ctrl-C anywhere before the
        // removal ends in our words rather than the default "killed by a signal".
        interrupt::install();
        tell(
            sink,
            Event::Started {
                profiles: &found.profiles,
                guided: options.guided,
            },
        )?;
        if !options.dry_run && !wait_for_browsers(sink, &found.profiles, options.locks)? {
            tell(sink, Event::Interrupted { at_question: false })?;
            return Ok(Outcome::Stopped(Exit::Interrupted));
        }
    }
    let mut moves = if options.move_damaged {
        MoveAside::Every
    } else {
        MoveAside::None
    };
    if options.interactive && !options.dry_run {
        let preview = with_progress(progress, |p| {
            clean::run_live(
                layout,
                &clean_options(options, true, MoveAside::None),
                p,
                &mut crate::events::Nobody,
            )
        })?;
        // Offered only with a backup set to keep them in, and asked only when the
        // command line did not already say.
        let damaged = match options.backup && !options.move_damaged {
            true => damaged(&preview),
            false => Vec::new(),
        };
        if has_work(&preview) || !damaged.is_empty() {
            tell(
                sink,
                Event::Plan {
                    preview: &preview,
                    backup: options.backup,
                },
            )?;
        }
        if has_work(&preview) {
            let enter_is_yes = options.backup;
            tell(sink, Event::Question { enter_is_yes })?;
            let answer = sink.answer(enter_is_yes)?;
            if let Some(stopped) = stop_unless_yes(sink, answer)? {
                return Ok(stopped);
            }
        }
        // The second question, before anything is changed: a no leaves the stores as
        // they are and the clean goes on; Ctrl-C still changes nothing.
        if !damaged.is_empty() {
            tell(sink, Event::MoveQuestion { stores: &damaged })?;
            match sink.answer(false)? {
                Answer::Yes => {
                    moves = MoveAside::These(damaged.into_iter().map(|d| d.file).collect())
                }
                Answer::No => {}
                Answer::Interrupted => {
                    tell(sink, Event::Interrupted { at_question: true })?;
                    return Ok(Outcome::Stopped(Exit::Interrupted));
                }
            }
        }
    }
    Ok(Outcome::Report(Box::new(build_live(
        layout, options, &moves, undo, progress,
    )?)))
}

/// `None` to go on after a yes; else the run stops here, told why.
fn stop_unless_yes(sink: &mut dyn Sink, answer: Answer) -> Result<Option<Outcome>, Fatal> {
    match answer {
        Answer::Yes => Ok(None),
        Answer::No => {
            tell(sink, Event::Declined)?;
            Ok(Some(Outcome::Stopped(Exit::Success)))
        }
        Answer::Interrupted => {
            tell(sink, Event::Interrupted { at_question: true })?;
            Ok(Some(Outcome::Stopped(Exit::Interrupted)))
        }
    }
}

/// The stores of `preview` that `fix` may offer to move aside: damaged cookie stores
/// (never a locked or forbidden one) of profiles whose browser is not running.
pub fn damaged(preview: &CleanReport) -> Vec<Damaged> {
    preview
        .profiles
        .iter()
        .filter(|p| p.status != ProfileStatus::SkippedRunning)
        .flat_map(|p| {
            p.errors.iter().filter(|e| e.movable()).map(|e| Damaged {
                browser: p.browser,
                profile: p.profile.clone(),
                name: p.name.clone(),
                file: e.file.clone(),
            })
        })
        .collect()
}

/// Runs `f` with a progress line of its own, cleared when `f` is done.
fn with_progress<T>(progress: &dyn Fn() -> Progress, f: impl FnOnce(&Progress) -> T) -> T {
    let mut p = progress();
    let result = f(&p);
    p.finish();
    result
}

/// The clean and the checks, as a script gets them: never waiting nor asking.
pub fn build(
    layout: &Layout,
    options: &Options,
    undo: &dyn Fn(Option<&BackupRef>) -> Option<String>,
) -> Result<FixReport, Fatal> {
    let moves = match options.move_damaged {
        true => MoveAside::Every,
        false => MoveAside::None,
    };
    build_live(layout, options, &moves, undo, &Progress::hidden)
}

/// [`build`], drawing the clean's progress (on a terminal a person watches).
fn build_live(
    layout: &Layout,
    options: &Options,
    moves: &MoveAside,
    undo: &dyn Fn(Option<&BackupRef>) -> Option<String>,
    progress: &dyn Fn() -> Progress,
) -> Result<FixReport, Fatal> {
    let mut cleaned = with_progress(progress, |p| {
        clean::run_live(
            layout,
            &clean_options(options, options.dry_run, moves.clone()),
            p,
            &mut crate::events::Nobody,
        )
    })?;
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

/// The clean `fix` makes: cookies, cache and site data in one plan, and the damaged
/// stores it moves aside.
fn clean_options(options: &Options, dry_run: bool, move_aside: MoveAside) -> clean::Options {
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
        move_aside,
    }
}

/// The target domains, as the text names them.
pub fn domains(report: &CleanReport) -> String {
    crate::i18n::names(&report.targets)
}

fn has_work(report: &CleanReport) -> bool {
    report.summary.counts.would_remove > 0
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
/// time, telling which. False when Ctrl-C ended the wait (nothing was changed).
fn tell(sink: &mut dyn Sink, event: Event<'_>) -> Result<(), Fatal> {
    sink.tell(event).map_err(Fatal::output)
}

fn wait_for_browsers(
    sink: &mut dyn Sink,
    profiles: &[Profile],
    locks: LockPolicy,
) -> Result<bool, Fatal> {
    let open = running(profiles, locks);
    if open.is_empty() {
        return Ok(true);
    }
    for b in &open {
        tell(sink, Event::BrowserOpen(*b))?;
    }
    interrupt::catching(|| {
        for b in &open {
            let mine: Vec<Profile> = profiles
                .iter()
                .filter(|p| p.browser == *b)
                .cloned()
                .collect();
            tell(sink, Event::Waiting(*b))?;
            while !running(&mine, locks).is_empty() {
                if interrupt::wait_or_interrupted(POLL) {
                    return Ok(false);
                }
            }
            tell(sink, Event::Closed(*b))?;
        }
        Ok(true)
    })
}

/// Reads the answer to the question (told as [`Event::Question`]) once. The line is read
/// on a thread of its own so that Ctrl-C, which does not interrupt a blocked read, can
/// still end the question cleanly.
pub fn ask(enter_is_yes: bool) -> Result<Answer, Fatal> {
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
            Ok(Ok(line)) => return Ok(answer_of(&line, enter_is_yes)),
            // End of input or an unreadable terminal: the safe answer.
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(Answer::No),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    })
}

/// `y`, `yes` (any case) or the Japanese `はい` is yes; Enter alone is what the prompt
/// says it is; anything else is no.
fn answer_of(line: &str, enter_is_yes: bool) -> Answer {
    let a = line.trim().to_lowercase();
    match a.as_str() {
        "" if enter_is_yes => Answer::Yes,
        "y" | "yes" | "はい" | "ｙ" => Answer::Yes,
        _ => Answer::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_yes_is_yes_and_enter_is_what_the_prompt_says() {
        for enter_is_yes in [true, false] {
            for yes in ["y\n", "Y", " yes ", "はい\n"] {
                assert_eq!(answer_of(yes, enter_is_yes), Answer::Yes, "{yes:?}");
            }
            for no in ["n", "no", "yy", "sure", "いいえ"] {
                assert_eq!(answer_of(no, enter_is_yes), Answer::No, "{no:?}");
            }
        }
        for enter in ["", "\n", "  \n"] {
            assert_eq!(answer_of(enter, true), Answer::Yes);
            assert_eq!(answer_of(enter, false), Answer::No);
        }
    }
}
