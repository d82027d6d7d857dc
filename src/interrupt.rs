//! Ctrl-C (and SIGTERM): the process's one handler. By default an interrupt removes
//! loginfix's private copies (`scratch`) and exits 130, as a shell expects; a phase that
//! has changed nothing yet and wants to end in its own words (`fix` waiting for a browser
//! to close) runs inside [`catching`] and polls [`wait_or_interrupted`] instead.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

/// Set by the handler; read by the phase that catches interrupts.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Whether the running phase handles an interrupt itself.
static CATCHING: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();

/// The exit code of a run ended by Ctrl-C (128 + SIGINT, what shells report).
pub const EXIT_CODE: i32 = 130;

/// Installs the handler, once per process (ctrlc allows only one).
pub fn install() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            INTERRUPTED.store(true, Ordering::SeqCst);
            if !CATCHING.load(Ordering::SeqCst) {
                crate::scratch::remove_live();
                std::process::exit(EXIT_CODE);
            }
        });
    });
}

/// Runs `f` with interrupts caught: the handler only raises the flag.
pub fn catching<T>(f: impl FnOnce() -> T) -> T {
    install();
    INTERRUPTED.store(false, Ordering::SeqCst);
    CATCHING.store(true, Ordering::SeqCst);
    let result = f();
    CATCHING.store(false, Ordering::SeqCst);
    result
}

/// Whether an interrupt came since [`catching`] began.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
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
