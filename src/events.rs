//! One typed stream of what a run does as it goes: a clean's browsers and each profile
//! as it is done, and `fix`'s steps on a terminal (what it found, the browsers it waits
//! for, the plan, the questions, the answers). Commands tell events to a [`Sink`] and
//! never print; `output::Shown` renders them as the text a person reads, and a parent
//! process could read them from a child working in a home. The final report is not an
//! event: it is what the command returns.

use crate::browser::{Browser, BrowserStatus, Profile};
use crate::report::{CleanReport, ProfileReport};

/// Something that happened, in the order it happened.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// A clean's first event: the browsers looked for.
    Browsers(&'a [BrowserStatus]),
    /// A profile read (dry run) or changed.
    Profile(&'a ProfileReport),
    /// `fix` on a terminal begins: the profiles found (the guided mode says so).
    Started {
        profiles: &'a [Profile],
        guided: bool,
    },
    /// A browser holding one of the profiles is open; the person is asked to quit it.
    BrowserOpen(Browser),
    /// Waiting for that browser to close (Ctrl-C stops).
    Waiting(Browser),
    /// It closed.
    Closed(Browser),
    /// What `fix` will remove, before the question.
    Plan {
        preview: &'a CleanReport,
        backup: bool,
    },
    /// The question; the answer is read next. Enter alone answers yes when a backup is
    /// kept (the person ran loginfix to clean, and `restore` undoes it), no when not.
    Question { enter_is_yes: bool },
    /// The second question, after the first was answered yes (or when there was
    /// nothing else to remove): move these damaged stores aside? Enter alone answers no
    /// (it signs the person out of every site in those profiles).
    MoveQuestion { stores: &'a [Damaged] },
    /// The answer was no: nothing was changed.
    Declined,
    /// Ctrl-C before anything was changed; `at_question` when it came at the question.
    Interrupted { at_question: bool },
}

/// A damaged store `fix` offers to move aside (see [`Event::MoveQuestion`]): the
/// profile as the plan names it, and the store's file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Damaged {
    pub browser: Browser,
    /// The profile's directory name, and the name the browser shows, when it has one.
    pub profile: String,
    pub name: Option<String>,
    pub file: std::path::PathBuf,
}

/// The answer to the question (told as [`Event::Question`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Interrupted,
}

/// Where events go.
pub trait Sink {
    fn tell(&mut self, event: Event<'_>) -> std::io::Result<()>;

    /// The answer to the question just told: read from the terminal here; a child
    /// working in a home asks its parent (see `worker`).
    fn answer(&mut self, enter_is_yes: bool) -> Result<Answer, crate::Fatal> {
        crate::commands::fix::ask(enter_is_yes)
    }
}

/// Nobody listens (a script's run, the benchmark): events are dropped.
pub struct Nobody;

impl Sink for Nobody {
    fn tell(&mut self, _: Event<'_>) -> std::io::Result<()> {
        Ok(())
    }
}
