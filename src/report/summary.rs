//! The `--summary` line, from typed counts: each report says what it counted
//! ([`Report::summary`](super::Report::summary)), a fleet run adds its users' counts up,
//! and one function writes the line, the same words for one home or `--all-users`. Plain
//! ASCII English whatever the language: a management console is not a person's terminal.
//!
//! `loginfix COMMAND: COUNTS; D of N user(s) done; exit CODE (REASON)[: ITEM; ITEM ...]`

use std::fmt::Write as _;

use super::Exit;

/// The most characters a summary line has, tags included (Intune keeps 2048).
pub const SUMMARY_MAX: usize = 2000;

/// The form of `--summary`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SummaryForm {
    /// The line as it is (Intune shows the last line of stdout).
    Plain,
    /// `<result>line</result>`, what a Jamf extension attribute stores.
    Jamf,
}

/// What a clean did, or would do: items, and the profiles it could not finish.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanTally {
    pub dry_run: bool,
    /// Items removed (a dry run: that would be removed).
    pub items: usize,
    pub profiles: usize,
    /// Profiles skipped because their browser runs.
    pub skipped_running: usize,
    /// Items that failed, stores that could not be read, profiles that failed whole.
    pub failed: usize,
    /// Items an interrupt left as they were, and profiles `--timeout` never began.
    pub not_reached: usize,
}

impl CleanTally {
    fn add(&mut self, o: &CleanTally) {
        self.dry_run |= o.dry_run;
        self.items += o.items;
        self.profiles += o.profiles;
        self.skipped_running += o.skipped_running;
        self.failed += o.failed;
        self.not_reached += o.not_reached;
    }

    fn words(&self) -> String {
        let verb = if self.dry_run {
            "would remove"
        } else {
            "removed"
        };
        format!(
            "{verb} {} item(s) in {} profile(s), {} skipped (browser running), {} failed, {} not reached",
            self.items, self.profiles, self.skipped_running, self.failed, self.not_reached
        )
    }
}

/// The counts a command's summary line gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Counted {
    Browsers {
        browsers: usize,
        profiles: usize,
    },
    Clean(CleanTally),
    Fix {
        clean: CleanTally,
        /// Findings of severity warning or worse.
        findings: usize,
    },
    Extensions {
        extensions: usize,
        profiles: usize,
    },
    Doctor {
        errors: usize,
        warnings: usize,
        info: usize,
        unread: usize,
        profiles: usize,
    },
    Backups {
        sets: usize,
    },
    Request {
        requested: bool,
    },
    Restore {
        dry_run: bool,
        /// What was restored: `set ID`, or for `--all-users` `run RUN_ID`.
        of: String,
        restored: usize,
        skipped_running: usize,
        failed: usize,
    },
}

/// One report's summary: its counts, and the things to name (a profile skipped or failed,
/// a finding, an extension), most telling first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub counted: Counted,
    pub items: Vec<String>,
}

impl Tally {
    pub fn new(counted: Counted) -> Tally {
        Tally {
            counted,
            items: Vec::new(),
        }
    }

    /// Adds `other`'s counts (of the same command) and its items, each prefixed with
    /// `who` (`ana:`) when given.
    pub fn add(&mut self, other: &Tally, who: Option<&str>) {
        use Counted::*;
        match (&mut self.counted, &other.counted) {
            (
                Browsers { browsers, profiles },
                Browsers {
                    browsers: b,
                    profiles: p,
                },
            ) => {
                *browsers = (*browsers).max(*b);
                *profiles += p;
            }
            (Clean(a), Clean(b)) => a.add(b),
            (
                Fix { clean, findings },
                Fix {
                    clean: c,
                    findings: f,
                },
            ) => {
                clean.add(c);
                *findings += f;
            }
            (
                Extensions {
                    extensions,
                    profiles,
                },
                Extensions {
                    extensions: e,
                    profiles: p,
                },
            ) => {
                *extensions += e;
                *profiles += p;
            }
            (
                Doctor {
                    errors,
                    warnings,
                    info,
                    unread,
                    profiles,
                },
                Doctor {
                    errors: e,
                    warnings: w,
                    info: i,
                    unread: u,
                    profiles: p,
                },
            ) => {
                *errors += e;
                *warnings += w;
                *info += i;
                *unread += u;
                *profiles += p;
            }
            (Backups { sets }, Backups { sets: s }) => *sets += s,
            (Request { requested }, Request { requested: r }) => *requested |= r,
            (
                Restore {
                    restored,
                    skipped_running,
                    failed,
                    ..
                },
                Restore {
                    restored: r,
                    skipped_running: s,
                    failed: f,
                    ..
                },
            ) => {
                *restored += r;
                *skipped_running += s;
                *failed += f;
            }
            // Reports of one run are of one command.
            _ => {}
        }
        let prefix = who.map(|w| format!("{w}:")).unwrap_or_default();
        self.items
            .extend(other.items.iter().map(|i| format!("{prefix}{i}")));
    }

    /// What the run changed: items removed, stores restored; 0 for a dry run or a
    /// command that only reads (what Ansible's `changed` is).
    pub fn changed(&self) -> usize {
        match &self.counted {
            Counted::Clean(c) | Counted::Fix { clean: c, .. } if !c.dry_run => c.items,
            Counted::Restore {
                dry_run: false,
                restored,
                ..
            } => *restored,
            _ => 0,
        }
    }

    /// `self` with each item prefixed with `who` (`ana:`).
    pub fn of_user(mut self, who: &str) -> Tally {
        for i in &mut self.items {
            *i = format!("{who}:{i}");
        }
        self
    }

    /// Adds the machine-wide findings a fleet run checks once (a doctor tally) to the
    /// users' `doctor` or `fix` tally; the machine's items come first.
    pub fn add_machine(&mut self, machine: &Tally) {
        let found = machine.items.len();
        match &mut self.counted {
            Counted::Fix { findings, .. } => *findings += found,
            Counted::Doctor { .. } => {
                let mut counts = machine.clone();
                counts.items.clear();
                self.add(&counts, None);
            }
            _ => {}
        }
        let mut items = machine.items.clone();
        items.append(&mut self.items);
        self.items = items;
    }

    fn words(&self) -> String {
        match &self.counted {
            Counted::Browsers { browsers, profiles } => {
                format!("{profiles} profile(s) in {browsers} browser(s)")
            }
            Counted::Clean(c) => c.words(),
            Counted::Fix { clean, findings } => {
                format!("{}, {findings} finding(s) to act on", clean.words())
            }
            Counted::Extensions {
                extensions,
                profiles,
            } => format!("{extensions} extension(s) in {profiles} profile(s)"),
            Counted::Doctor {
                errors,
                warnings,
                info,
                unread,
                profiles,
            } => format!(
                "{errors} error(s), {warnings} warning(s), {info} info, {unread} unreadable in {profiles} profile(s)"
            ),
            Counted::Backups { sets } => format!("{sets} backup set(s)"),
            Counted::Request { requested: true } => "a clean is requested".to_string(),
            Counted::Request { requested: false } => "no clean is requested".to_string(),
            Counted::Restore {
                dry_run,
                of,
                restored,
                skipped_running,
                failed,
            } => {
                let verb = if *dry_run { "would restore" } else { "restored" };
                format!(
                    "{verb} {restored} store(s) of {of}, {skipped_running} skipped (browser running), {failed} failed"
                )
            }
        }
    }
}

/// Why a run exits with `exit`, in the words of the summary line.
pub fn exit_reason(exit: Exit, command: &str) -> &'static str {
    match exit {
        Exit::Success => "ok",
        Exit::Failure if command == "doctor" => "findings to act on",
        Exit::Failure if command == "request" => "a clean is requested",
        Exit::Failure => "something failed",
        Exit::Usage => "usage error",
        Exit::BrowserRunning => "a browser is running",
        Exit::Unreadable if command == "doctor" => "not everything could be read",
        Exit::Unreadable => "not everything was done",
        Exit::Interrupted => "interrupted",
    }
}

/// Which users a run covered: `done` of `found`, and those not done (`user NAME:STATUS`).
#[derive(Clone, Debug, Default)]
pub struct Users {
    pub done: usize,
    pub found: usize,
    pub not_done: Vec<String>,
}

impl Users {
    /// A run on one home that got to its report.
    pub fn one() -> Users {
        Users {
            done: 1,
            found: 1,
            not_done: Vec::new(),
        }
    }
}

/// The summary line of a run of `command`: its counts (`None` when no user got to a
/// report), its users, its exit code and why, then the items.
pub fn line(
    command: &str,
    tally: Option<&Tally>,
    users: &Users,
    exit: Exit,
    form: SummaryForm,
) -> String {
    let words = tally.map_or_else(|| "no report".to_string(), Tally::words);
    let mut head = format!("loginfix {command}: {words}");
    let _ = write!(
        head,
        "; {} of {} user(s) done; exit {} ({})",
        users.done,
        users.found,
        exit as u8,
        exit_reason(exit, command)
    );
    let items: Vec<String> = users
        .not_done
        .iter()
        .chain(tally.map_or(&[][..], |t| &t.items[..]))
        .cloned()
        .collect();
    wrap(&head, &items, form)
}

/// The summary line of a run that ended in an error before its counts.
pub fn error_line(command: &str, message: &str, exit: Exit, form: SummaryForm) -> String {
    let head = format!(
        "loginfix {command}: error: {message}; exit {} ({})",
        exit as u8,
        exit_reason(exit, command)
    );
    wrap(&head, &[], form)
}

/// `head: item; item ...`, ASCII, cut to fit [`SUMMARY_MAX`], in `form`'s wrapper.
fn wrap(head: &str, items: &[String], form: SummaryForm) -> String {
    let (open, close) = match form {
        SummaryForm::Plain => ("", ""),
        SummaryForm::Jamf => ("<result>", "</result>"),
    };
    let budget = SUMMARY_MAX - open.len() - close.len();
    let mut line = ascii(head);
    let mut sep = ": ";
    for item in items {
        let item = ascii(item);
        if line.len() + sep.len() + item.len() > budget.saturating_sub(4) {
            line.push_str(" ...");
            break;
        }
        line.push_str(sep);
        line.push_str(&item);
        sep = "; ";
    }
    line.truncate(budget);
    format!("{open}{line}{close}")
}

/// `s` with every character outside printable ASCII replaced (`?`; controls by a space),
/// and `<` `>` too, so that a `<result>` wrapper cannot be closed early.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' | '>' => '?',
            ' '..='~' => c,
            c if c.is_control() => ' ',
            _ => '?',
        })
        .collect()
}

/// `chrome/Default:cookies_blocked chatgpt.com`, `system:proxy_system 10.0.0.1:3128`:
/// a finding of severity warning or worse as a summary item; `None` for the others.
pub fn finding_item(f: &crate::doctor::Finding) -> Option<String> {
    use crate::doctor::{Scope, Severity};
    if !matches!(f.severity, Severity::Error | Severity::Warning) {
        return None;
    }
    let place = match (f.scope, f.browser, f.profile.as_deref()) {
        (Scope::Machine, _, _) | (_, None, None) => "system".to_string(),
        (_, Some(b), Some(p)) => format!("{}/{p}", b.name()),
        (_, Some(b), None) => b.name().to_string(),
        (_, None, Some(p)) => p.to_string(),
    };
    let detail = ["site", "host", "server", "extension", "version"]
        .iter()
        .find_map(|k| f.params.get(k))
        .or_else(|| f.params.values().next())
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    Some(format!("{place}:{}{detail}", f.id.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_ascii_bounded_and_says_users_and_exit() {
        let mut t = Tally::new(Counted::Doctor {
            errors: 0,
            warnings: 500,
            info: 0,
            unread: 0,
            profiles: 500,
        });
        t.items = (0..500)
            .map(|i| format!("chrome/Profil\u{e9} {i}:cookies_blocked chatgpt.com"))
            .collect();
        let line = line(
            "doctor",
            Some(&t),
            &Users::one(),
            Exit::Failure,
            SummaryForm::Jamf,
        );
        assert!(line.len() <= SUMMARY_MAX, "{}", line.len());
        assert!(line.is_ascii());
        assert!(line.starts_with(
            "<result>loginfix doctor: 0 error(s), 500 warning(s), 0 info, 0 unreadable in 500 profile(s); 1 of 1 user(s) done; exit 1 (findings to act on): chrome/Profil? 0:cookies_blocked chatgpt.com; "
        ), "{line}");
        assert!(line.ends_with(" ...</result>"), "{line}");
    }

    #[test]
    fn tallies_of_users_add_up_with_their_names() {
        let clean = |items, skipped| {
            let mut t = Tally::new(Counted::Clean(CleanTally {
                items,
                profiles: 2,
                skipped_running: skipped,
                ..CleanTally::default()
            }));
            if skipped > 0 {
                t.items.push("chrome/Default:skipped_running".into());
            }
            t
        };
        let mut all = clean(0, 0);
        all.add(&clean(3, 0), Some("ana"));
        all.add(&clean(2, 1), Some("bob"));
        let users = Users {
            done: 2,
            found: 3,
            not_done: vec!["user eve:unreadable".into()],
        };
        assert_eq!(
            line(
                "clear-cookies",
                Some(&all),
                &users,
                Exit::BrowserRunning,
                SummaryForm::Plain
            ),
            "loginfix clear-cookies: removed 5 item(s) in 6 profile(s), 1 skipped (browser running), \
             0 failed, 0 not reached; 2 of 3 user(s) done; exit 3 (a browser is running): \
             user eve:unreadable; bob:chrome/Default:skipped_running"
        );
    }
}
