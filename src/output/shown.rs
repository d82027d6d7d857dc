//! Events (`events`) as the text a person reads as the run goes: a clean's profiles as
//! each is done, and `fix`'s steps on a terminal, in the user's language. The final report
//! is written by `Output::emit`, not here.

use std::io;

use crate::events::{Event, Sink};
use crate::i18n::{t, ta};
use crate::progress::Progress;
use crate::report::fix::{found_line, move_question, plan_and_notes};
use crate::report::CleanReport;

use super::Output;

/// Renders events on `out`'s stdout, the progress line (if drawn) suspended meanwhile.
pub struct Shown<'a> {
    out: &'a mut Output,
    progress: &'a Progress,
    /// A clean's events are shown (text); with JSON only `fix`'s steps are, on a terminal.
    clean: bool,
    /// Writing a clean's line failed: the run goes on to its end (or its interrupt), and
    /// the error is reported then (a reader that went away does not stop a clean half-way).
    pub failed: Option<io::Error>,
}

impl<'a> Shown<'a> {
    pub fn new(out: &'a mut Output, progress: &'a Progress, clean: bool) -> Shown<'a> {
        Shown {
            out,
            progress,
            clean,
            failed: None,
        }
    }
}

impl Sink for Shown<'_> {
    fn tell(&mut self, event: Event<'_>) -> io::Result<()> {
        let style = self.out.style();
        let line = |s: String| format!("{s}\n");
        let text = match event {
            Event::Browsers(_) | Event::Profile(_) if !self.clean || self.failed.is_some() => {
                return Ok(())
            }
            Event::Browsers(browsers) => CleanReport::render_header(browsers, &style),
            Event::Profile(p) => CleanReport::render_profile(p, &style),
            Event::Started { guided: false, .. } => return Ok(()),
            Event::Started { profiles, .. } => {
                format!("{}\n{}", t("fix-title"), found_line(profiles))
            }
            Event::BrowserOpen(b) => line(ta("fix-browser-open", &[("browser", b.product_name())])),
            Event::Waiting(b) => line(ta("fix-waiting", &[("browser", b.product_name())])),
            Event::Closed(b) => line(ta("fix-closed", &[("browser", b.product_name())])),
            Event::Plan { preview, backup } => plan_and_notes(preview, backup),
            Event::Question { enter_is_yes: true } => format!("{} ", t("fix-question")),
            Event::Question {
                enter_is_yes: false,
            } => format!("{} ", t("fix-question-no-backup")),
            Event::MoveQuestion { stores } => move_question(stores),
            Event::Declined => line(t("fix-declined")),
            Event::Interrupted { at_question: true } => format!("\n{}\n", t("fix-interrupted")),
            // After the terminal's `^C`, on a line of its own.
            Event::Interrupted { at_question: false } => format!("\n{}\n", t("fix-interrupted")),
        };
        let clean_event = matches!(event, Event::Browsers(_) | Event::Profile(_));
        let out = &mut *self.out;
        let written = self.progress.suspend(|| out.text(&text));
        match written {
            Err(e) if clean_event => {
                self.failed = Some(e);
                Ok(())
            }
            other => other,
        }
    }
}
