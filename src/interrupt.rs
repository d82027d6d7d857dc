//! Ctrl-C (and SIGTERM / SIGHUP, or the console's close and break events on Windows):
//! the one process-wide handler. Outside a clean it removes loginfix's private copies and
//! exits 130 at once, as before; while a clean runs it only raises a flag, which the
//! planner and the executor read at their boundaries (between stores, between the entries
//! of a cache), so the run stops with every store whole, its backup manifest written and
//! its report printed. A phase that has changed nothing yet and wants to end in its own
//! words (`fix` waiting for a browser to close, or at its question) runs inside
//! [`catching`] and polls [`wait_or_interrupted`].

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

/// No clean is running: an interrupt ends the process at once.
const IMMEDIATE: u8 = 0;
/// A clean is reading (planning): nothing has been changed yet.
const READING: u8 = 1;
/// A clean may be changing stores.
const WRITING: u8 = 2;
/// A phase that handles an interrupt itself ([`catching`]).
const CATCHING: u8 = 3;

static MODE: AtomicU8 = AtomicU8::new(IMMEDIATE);
static REQUESTED: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();

/// The exit code of a run ended by Ctrl-C (128 + SIGINT, what shells report).
pub const EXIT_CODE: i32 = 130;

/// Installs the handler (once; later calls do nothing): `platform::on_interrupt_signals`
/// runs it on a thread of its own for Ctrl-C, SIGTERM, SIGHUP and the Windows console's
/// events, so it may take locks and remove files.
pub fn install() {
    INSTALL.call_once(|| {
        // `false` means a handler is already set (by an embedding program): keep it.
        let _ = crate::platform::on_interrupt_signals(on_interrupt);
    });
}

/// How many interrupts came in this process's life.
static COUNT: AtomicU32 = AtomicU32::new(0);

/// How many interrupts came so far (a second one may mean "now").
pub fn count() -> u32 {
    COUNT.load(Ordering::SeqCst)
}

fn on_interrupt() {
    COUNT.fetch_add(1, Ordering::SeqCst);
    let first = !REQUESTED.swap(true, Ordering::SeqCst);
    match MODE.load(Ordering::SeqCst) {
        // A second interrupt while only reading has nothing to leave consistent: the
        // person means it. While writing, it is ignored: the store in hand is finished
        // first, whatever is pressed (see README, "Interrupting a run").
        IMMEDIATE => crate::scratch::remove_all_and_exit(EXIT_CODE),
        READING if !first => crate::scratch::remove_all_and_exit(EXIT_CODE),
        _ => {}
    }
}

/// An interrupt that came another way than a signal: the parent of a child working in a
/// home passes its Ctrl-C down (see `worker`). Handled as the signal would be.
pub fn raise() {
    on_interrupt();
}

/// Whether an interrupt came since the current clean (or [`catching`] phase) started.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Whether an interrupt came since [`catching`] began.
pub fn interrupted() -> bool {
    requested()
}

/// Runs `f` with interrupts caught: the handler only raises the flag.
pub fn catching<T>(f: impl FnOnce() -> T) -> T {
    install();
    REQUESTED.store(false, Ordering::SeqCst);
    let before = MODE.swap(CATCHING, Ordering::SeqCst);
    let result = f();
    MODE.store(before, Ordering::SeqCst);
    result
}

/// Sleeps `total`, waking early for an interrupt; true when interrupted.
pub fn wait_or_interrupted(total: Duration) -> bool {
    let end = Instant::now() + total;
    while !interrupted() {
        let now = Instant::now();
        if now >= end {
            return false;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(50)));
    }
    true
}

/// A clean in progress: while it lives, an interrupt only raises the flag. Dropped, the
/// process goes back to exiting at once on an interrupt.
#[derive(Debug)]
pub struct Cooperative(());

impl Cooperative {
    /// Starts a clean that is reading; an interrupt from before it does not count.
    pub fn start() -> Cooperative {
        install();
        REQUESTED.store(false, Ordering::SeqCst);
        MODE.store(READING, Ordering::SeqCst);
        Cooperative(())
    }

    /// From now on stores may change: a second interrupt no longer ends the process.
    pub fn writing(&self) {
        MODE.store(WRITING, Ordering::SeqCst);
    }
}

impl Drop for Cooperative {
    fn drop(&mut self) {
        MODE.store(IMMEDIATE, Ordering::SeqCst);
    }
}
