//! What parent and child say to each other: a private, versioned framing of typed
//! messages (not the public `--json`, which carries neither the events of a run as it
//! goes nor the guided mode's question). Each stream begins with [`MAGIC`]; each message
//! is a 4-byte big-endian length and that many bytes of JSON. What the child sends is
//! read as untrusted: every frame and the stream as a whole are bounded, and every string
//! has its control characters taken out before it is typed.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::browser::{Browser, BrowserStatus, Profile};
use crate::commands::{Job, UndoGlobals};
use crate::events::{Answer, Damaged, Event};
use crate::i18n::Lang;
use crate::platform::as_user::Ids;
use crate::platform::Layout;
use crate::report::{
    fix::FixReport, request::RequestReport, AnyReport, BackupsReport, BrowsersReport, CleanReport,
    DoctorReport, ExtensionsReport, ProfileReport, RestoreReport,
};

/// The first bytes of each stream: the framing and its version.
pub const MAGIC: &[u8; 8] = b"LGFXWK01";
/// The largest message (a clean listing 100,000 cache entries is about 30 MiB).
pub const MAX_FRAME: usize = 128 << 20;
/// The most a child may send in all.
pub const MAX_STREAM: usize = 512 << 20;

/// How a person is told of the run as it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Told {
    /// Nobody: the report at the end (a script, `--all-users`).
    Nobody,
    /// A clean's browsers and profiles as each is done.
    Clean,
    /// `fix` on a terminal: its steps, the question and the answer.
    Fix,
}

/// What the parent sends.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToChild {
    Run(Box<Instructions>),
    /// The answer to the question the child asked.
    Answer(WireAnswer),
    /// Ctrl-C at the parent: stop as an interrupted run stops.
    Interrupt,
}

/// The run the child makes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Instructions {
    pub job: Job,
    pub layout: Layout,
    pub told: Told,
    pub lang: Lang,
    pub fleet: bool,
    /// `--timeout`, as what is left of it, in milliseconds.
    pub deadline_ms: Option<u64>,
    pub undo: UndoGlobals,
    pub fleet_run: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WireAnswer {
    Yes,
    No,
    Interrupted,
}

impl From<Answer> for WireAnswer {
    fn from(a: Answer) -> WireAnswer {
        match a {
            Answer::Yes => WireAnswer::Yes,
            Answer::No => WireAnswer::No,
            Answer::Interrupted => WireAnswer::Interrupted,
        }
    }
}

impl From<WireAnswer> for Answer {
    fn from(a: WireAnswer) -> Answer {
        match a {
            WireAnswer::Yes => Answer::Yes,
            WireAnswer::No => Answer::No,
            WireAnswer::Interrupted => Answer::Interrupted,
        }
    }
}

/// What the child sends.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromChild {
    /// First, once it is the user: its ids, which the parent checks.
    Hello(Ids),
    Event(Box<WireEvent>),
    /// Last: how the run ended.
    Done(Box<Done>),
}

// One per run: boxing the report would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Serialize, Deserialize)]
pub enum Done {
    Report(WireReport),
    /// `fix` on a terminal stopped before changing anything (declined, interrupted).
    Stopped(u8),
    Fatal {
        message: String,
        hints: Vec<String>,
        exit: u8,
    },
}

/// [`AnyReport`], tagged (the public JSON of a report does not say which it is).
#[derive(Debug, Serialize, Deserialize)]
pub enum WireReport {
    Browsers(BrowsersReport),
    Clean(CleanReport),
    Extensions(ExtensionsReport),
    Doctor(DoctorReport),
    Backups(BackupsReport),
    Restore(RestoreReport),
    Fix(Box<FixReport>),
    Request(RequestReport),
}

impl From<AnyReport> for WireReport {
    fn from(r: AnyReport) -> WireReport {
        match r {
            AnyReport::Browsers(r) => WireReport::Browsers(r),
            AnyReport::Clean(r) => WireReport::Clean(r),
            AnyReport::Extensions(r) => WireReport::Extensions(r),
            AnyReport::Doctor(r) => WireReport::Doctor(r),
            AnyReport::Backups(r) => WireReport::Backups(r),
            AnyReport::Restore(r) => WireReport::Restore(r),
            AnyReport::Fix(r) => WireReport::Fix(r),
            AnyReport::Request(r) => WireReport::Request(r),
        }
    }
}

impl From<WireReport> for AnyReport {
    fn from(r: WireReport) -> AnyReport {
        match r {
            WireReport::Browsers(r) => AnyReport::Browsers(r),
            WireReport::Clean(r) => AnyReport::Clean(r),
            WireReport::Extensions(r) => AnyReport::Extensions(r),
            WireReport::Doctor(r) => AnyReport::Doctor(r),
            WireReport::Backups(r) => AnyReport::Backups(r),
            WireReport::Restore(r) => AnyReport::Restore(r),
            WireReport::Fix(r) => AnyReport::Fix(r),
            WireReport::Request(r) => AnyReport::Request(r),
        }
    }
}

/// An [`Event`], owned.
#[derive(Debug, Serialize, Deserialize)]
pub enum WireEvent {
    Browsers(Vec<BrowserStatus>),
    Profile(ProfileReport),
    Started {
        profiles: Vec<Profile>,
        guided: bool,
    },
    BrowserOpen(Browser),
    Waiting(Browser),
    Closed(Browser),
    Plan {
        preview: CleanReport,
        backup: bool,
    },
    Question {
        enter_is_yes: bool,
    },
    MoveQuestion {
        stores: Vec<Damaged>,
    },
    Declined,
    Interrupted {
        at_question: bool,
    },
}

impl WireEvent {
    /// Whether a run told this way has such events: a clean its browsers and profiles,
    /// `fix` its steps; a script's run none.
    pub fn belongs(&self, told: Told) -> bool {
        match (told, self) {
            (Told::Clean, WireEvent::Browsers(_) | WireEvent::Profile(_)) => true,
            (Told::Clean, _) => false,
            (Told::Fix, WireEvent::Browsers(_) | WireEvent::Profile(_)) => false,
            (Told::Fix, _) => true,
            (Told::Nobody, _) => false,
        }
    }

    /// Whether it asks a question, and what Enter alone answers to it.
    pub fn question(&self) -> Option<bool> {
        match self {
            WireEvent::Question { enter_is_yes } => Some(*enter_is_yes),
            WireEvent::MoveQuestion { .. } => Some(false),
            _ => None,
        }
    }

    /// Its kind, for messages (never its contents).
    pub fn name(&self) -> &'static str {
        match self {
            WireEvent::Browsers(_) => "browsers",
            WireEvent::Profile(_) => "profile",
            WireEvent::Started { .. } => "started",
            WireEvent::BrowserOpen(_) => "browser open",
            WireEvent::Waiting(_) => "waiting",
            WireEvent::Closed(_) => "closed",
            WireEvent::Plan { .. } => "plan",
            WireEvent::Question { .. } => "question",
            WireEvent::MoveQuestion { .. } => "move question",
            WireEvent::Declined => "declined",
            WireEvent::Interrupted { .. } => "interrupted",
        }
    }

    pub fn of(e: Event<'_>) -> WireEvent {
        match e {
            Event::Browsers(b) => WireEvent::Browsers(b.to_vec()),
            Event::Profile(p) => WireEvent::Profile(p.clone()),
            Event::Started { profiles, guided } => WireEvent::Started {
                profiles: profiles.to_vec(),
                guided,
            },
            Event::BrowserOpen(b) => WireEvent::BrowserOpen(b),
            Event::Waiting(b) => WireEvent::Waiting(b),
            Event::Closed(b) => WireEvent::Closed(b),
            Event::Plan { preview, backup } => WireEvent::Plan {
                preview: preview.clone(),
                backup,
            },
            Event::Question { enter_is_yes } => WireEvent::Question { enter_is_yes },
            Event::MoveQuestion { stores } => WireEvent::MoveQuestion {
                stores: stores.to_vec(),
            },
            Event::Declined => WireEvent::Declined,
            Event::Interrupted { at_question } => WireEvent::Interrupted { at_question },
        }
    }

    pub fn event(&self) -> Event<'_> {
        match self {
            WireEvent::Browsers(b) => Event::Browsers(b),
            WireEvent::Profile(p) => Event::Profile(p),
            WireEvent::Started { profiles, guided } => Event::Started {
                profiles,
                guided: *guided,
            },
            WireEvent::BrowserOpen(b) => Event::BrowserOpen(*b),
            WireEvent::Waiting(b) => Event::Waiting(*b),
            WireEvent::Closed(b) => Event::Closed(*b),
            WireEvent::Plan { preview, backup } => Event::Plan {
                preview,
                backup: *backup,
            },
            WireEvent::Question { enter_is_yes } => Event::Question {
                enter_is_yes: *enter_is_yes,
            },
            WireEvent::MoveQuestion { stores } => Event::MoveQuestion { stores },
            WireEvent::Declined => Event::Declined,
            WireEvent::Interrupted { at_question } => Event::Interrupted {
                at_question: *at_question,
            },
        }
    }
}

/// Writes one message.
pub fn write<T: Serialize>(w: &mut impl Write, msg: &T) -> io::Result<()> {
    let body = serde_json::to_vec(msg).map_err(io::Error::other)?;
    if body.len() > MAX_FRAME {
        return Err(io::Error::other(
            "a message is larger than the framing allows",
        ));
    }
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    w.write_all(&frame)?;
    w.flush()
}

/// Reads and checks the stream's first bytes.
pub fn read_magic(r: &mut impl Read) -> io::Result<()> {
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not loginfix's worker framing, or another version of it",
        ));
    }
    Ok(())
}

/// Why reading a message failed.
#[derive(Debug)]
pub enum ReadError {
    /// The stream ended between messages.
    End,
    /// More than [`MAX_FRAME`] in one message, or [`MAX_STREAM`] in all.
    TooMuch,
    Io(io::Error),
    /// Not a message of this version.
    Invalid(String),
}

/// Reads one message, `budget` being what the stream may still send.
pub fn read<T: DeserializeOwned + Serialize>(
    r: &mut impl Read,
    budget: &mut usize,
) -> Result<T, ReadError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(ReadError::End),
        Err(e) => return Err(ReadError::Io(e)),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME || len > *budget {
        return Err(ReadError::TooMuch);
    }
    *budget -= len;
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(ReadError::Io)?;
    let invalid = |e: serde_json::Error| ReadError::Invalid(shorten(&e.to_string()));
    // Typed first: a message shaped as nothing loginfix sends is refused before it can
    // grow into a large tree; then each string is cleaned through the tree of what it is.
    let typed: T = serde_json::from_slice(&body).map_err(invalid)?;
    drop(body);
    let mut value = serde_json::to_value(&typed).map_err(invalid)?;
    drop(typed);
    strip_controls(&mut value);
    serde_json::from_value(value).map_err(invalid)
}

/// At most 200 characters of `s`, for a message that quotes what a child sent.
pub fn shorten(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// Takes control characters (but line breaks and tabs) out of every string: nothing a
/// child sends may move the cursor, retitle the terminal or hide text.
pub fn strip_controls(value: &mut serde_json::Value) {
    use serde_json::Value;
    let strip = |s: &mut String| {
        let bad = |c: char| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(
                    c,
                    '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{061c}'
                        | '\u{2028}'
                        | '\u{2029}'
                )
        };
        if s.chars().any(bad) {
            s.retain(|c| !bad(c));
        }
    };
    match value {
        Value::String(s) => strip(s),
        Value::Array(a) => a.iter_mut().for_each(strip_controls),
        Value::Object(o) => {
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                if let Some(mut v) = o.remove(&k) {
                    strip_controls(&mut v);
                    let mut k = k;
                    strip(&mut k);
                    o.insert(k, v);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_round_trips_and_controls_are_taken_out() {
        let mut buf = Vec::new();
        buf.extend_from_slice(MAGIC);
        let done = FromChild::Done(Box::new(Done::Fatal {
            message: "bad \u{1b}]0;title\u{7} store\nline".to_string(),
            hints: vec!["\u{202e}txt.exe".to_string()],
            exit: 1,
        }));
        write(&mut buf, &done).unwrap();
        let mut r = &buf[..];
        read_magic(&mut r).unwrap();
        let mut budget = MAX_STREAM;
        let got: FromChild = read(&mut r, &mut budget).unwrap();
        let FromChild::Done(d) = got else { panic!() };
        let Done::Fatal { message, hints, .. } = *d else {
            panic!()
        };
        assert_eq!(message, "bad ]0;title store\nline");
        assert_eq!(hints, ["txt.exe"]);
        assert!(matches!(
            read::<FromChild>(&mut r, &mut budget),
            Err(ReadError::End)
        ));
    }

    #[test]
    fn a_frame_past_the_budget_is_refused_before_it_is_read() {
        let mut buf = Vec::new();
        buf.extend_from_slice(&(1000u32).to_be_bytes());
        buf.extend_from_slice(&[b' '; 1000]);
        let mut budget = 999;
        assert!(matches!(
            read::<FromChild>(&mut &buf[..], &mut budget),
            Err(ReadError::TooMuch)
        ));
        let mut huge = (u32::MAX).to_be_bytes().to_vec();
        huge.push(b'{');
        let mut budget = MAX_STREAM;
        assert!(matches!(
            read::<FromChild>(&mut &huge[..], &mut budget),
            Err(ReadError::TooMuch)
        ));
    }

    /// Each command's report, run on the sample home, reads back from the framing as the
    /// same report: its public JSON and its text are the same.
    #[test]
    fn every_report_reads_back_as_itself() {
        use crate::commands::{self, Context, Selection};
        let home = tempfile::tempdir().unwrap();
        crate::testutil::copy_sample("linux", home.path());
        let layout = Layout::for_home(crate::platform::Os::Linux, home.path());
        let locks = crate::lock::LockPolicy::default();
        let clean = commands::clean::Options {
            selection: Selection::all(),
            what: commands::clean::What::Everything { whole_cache: false },
            domains: Vec::new(),
            dry_run: false,
            backup: true,
            backup_dir: None,
            keep: 5,
            locks,
            deadline: None,
            fleet_run: None,
            move_aside: Default::default(),
        };
        let doctor = commands::doctor::Options {
            selection: Selection::all(),
            domains: Vec::new(),
            online: false,
            locks,
            machine: true,
        };
        let jobs = [
            Job::Browsers(commands::browsers::Options {
                selection: Selection::all(),
                locks,
            }),
            Job::Extensions(commands::extensions::Options {
                selection: Selection::all(),
                all: true,
            }),
            Job::Doctor(doctor),
            Job::Clean(clean),
            Job::Backups(Default::default()),
            Job::Restore(Default::default()),
        ];
        let style = crate::output::Style::default();
        for job in &jobs {
            let report = commands::run_one(job, &layout, &Context::default()).unwrap();
            let (json, text) = (
                serde_json::to_string(&report).unwrap(),
                crate::report::Report::render_text(&report, &style),
            );
            let mut buf = Vec::new();
            let done = FromChild::Done(Box::new(Done::Report(WireReport::from(report))));
            write(&mut buf, &done).unwrap();
            let mut budget = MAX_STREAM;
            let FromChild::Done(done) = read::<FromChild>(&mut &buf[..], &mut budget).unwrap()
            else {
                panic!()
            };
            let Done::Report(back) = *done else { panic!() };
            let back = AnyReport::from(back);
            assert_eq!(
                serde_json::to_string(&back).unwrap(),
                json,
                "{}",
                job.name()
            );
            assert_eq!(
                crate::report::Report::render_text(&back, &style),
                text,
                "{}",
                job.name()
            );
        }
    }

    #[test]
    fn another_version_is_refused() {
        assert!(read_magic(&mut &b"LGFXWK00"[..]).is_err());
        assert!(read_magic(&mut &b"LGFX"[..]).is_err());
    }
}
