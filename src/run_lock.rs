//! One run at a time per home: a run that changes a home's files (a clean, a restore)
//! holds the home's run lock for as long as it runs: on Unix an `flock` on the home
//! directory itself (nothing is written for it), on Windows `loginfix/lock` in the home's
//! data directory, beside its backups, held open without sharing. Two runs on one home would otherwise race on creating the backup
//! directory and on the stores themselves. The second run waits a little, then stops
//! with a message naming the lock. The lock is taken only by a run that has something
//! to change (a run that changes nothing leaves the home as it was), after its plan; a
//! run that had to wait plans again. Dry runs write nothing and take no lock.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::platform::Layout;

/// How long a run waits for another one on the same home.
pub const WAIT: Duration = Duration::from_secs(10);

/// Held for the run; released when dropped (or when the process ends).
pub struct RunLock {
    _file: std::fs::File,
    pub path: PathBuf,
    /// Another run held the lock first: what it changed is not in a plan made before.
    pub waited: bool,
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run kept it for longer than the wait.
    Busy(String),
    /// The lock file could not be made (a symlink on the way, a read-only home): the run
    /// goes on without it, and what it changes fails on its own terms.
    Unavailable(anyhow::Error),
}

/// The lock file of `layout`'s home: `loginfix/lock` in its data directory.
pub fn lock_path(layout: &Layout) -> PathBuf {
    let backups = layout.backup_root();
    backups
        .parent()
        .map(|p| p.join("lock"))
        .unwrap_or_else(|| backups.join("lock"))
}

/// Takes the lock of `layout`'s home, waiting up to `wait` for another run to finish.
pub fn acquire(layout: &Layout, wait: Duration) -> Result<RunLock, LockError> {
    let path = if crate::platform::RUN_LOCK_NEEDS_A_FILE {
        let path = lock_path(layout);
        let dir = path.parent().unwrap_or(Path::new("."));
        let fs = crate::confine::Confined::with(layout.confinement());
        crate::execute::backup::open_root(&fs, dir, &layout.home, true)
            .map_err(LockError::Unavailable)?;
        path
    } else {
        layout.home.clone()
    };
    let started = Instant::now();
    let mut waited = false;
    loop {
        let held = crate::platform::try_lock_home(&layout.home, &path)
            .with_context(|| format!("could not lock `{}`", path.display()))
            .map_err(LockError::Unavailable)?;
        if let Some(file) = held {
            return Ok(RunLock {
                _file: file,
                path,
                waited,
            });
        }
        if started.elapsed() >= wait {
            return Err(LockError::Busy(format!(
                "another loginfix run is changing this home (it holds the lock on `{}`); wait for it to finish, then run again",
                path.display()
            )));
        }
        waited = true;
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_one_home_waits_then_is_refused() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(crate::platform::Os::Linux, home.path());
        let first = acquire(&layout, WAIT).unwrap();
        // Another process, as a second run would be.
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "run_lock::tests::child_takes_the_lock",
                "--nocapture",
            ])
            .env("LOGINFIX_TEST_LOCK_HOME", home.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("refused: another loginfix run"), "{text}");
        drop(first);
        let again = acquire(&layout, Duration::ZERO);
        assert!(again.is_ok());
    }

    /// Run by the test above in a child process.
    #[test]
    #[allow(clippy::print_stdout)]
    fn child_takes_the_lock() {
        let Some(home) = std::env::var_os("LOGINFIX_TEST_LOCK_HOME") else {
            return;
        };
        let layout = Layout::for_home(crate::platform::Os::Linux, PathBuf::from(home));
        match acquire(&layout, Duration::from_millis(300)) {
            Ok(_) => println!("acquired"),
            Err(LockError::Busy(e)) => println!("refused: {e}"),
            Err(LockError::Unavailable(e)) => println!("unavailable: {e:#}"),
        }
    }
}
