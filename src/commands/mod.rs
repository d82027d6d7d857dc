//! One file per command; each builds its typed report from discovery, plan and executor.
//! Commands take plain option structs, not clap types: `cli` converts what was typed,
//! and the benchmark and tests can call a command without building a command line.

pub mod backups;
pub mod browsers;
pub mod clean;
pub mod docs;
pub mod doctor;
pub mod extensions;
pub mod fix;

use crate::browser::{self, Browser, Discovery};
use crate::platform::Layout;
use crate::Fatal;

/// Which browsers and profiles a command acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The browsers to discover, exactly these: `cli` turns "none given" into all of
    /// them, so an empty list here really means none.
    pub browsers: Vec<Browser>,
    /// Profile directory or display names; empty means every profile.
    pub profiles: Vec<String>,
}

impl Selection {
    /// Every browser and every profile, as when no `--browser` or `--profile` is given.
    pub fn all() -> Selection {
        Selection {
            browsers: Browser::all().collect(),
            profiles: Vec::new(),
        }
    }
}

/// Discovers the selected browsers and keeps the selected profiles. A `--profile` that
/// matches no profile of any selected browser is an error: a script asked for
/// something that is not there.
pub fn select(layout: &Layout, selection: &Selection) -> Result<Discovery, Fatal> {
    let mut found = browser::discover(layout, &selection.browsers);
    if selection.profiles.is_empty() {
        return Ok(found);
    }
    for wanted in &selection.profiles {
        if !found.profiles.iter().any(|p| p.is_named(wanted)) {
            let known: Vec<String> = found
                .profiles
                .iter()
                .map(|p| format!("{} `{}`", p.browser.name(), p.dir_name))
                .collect();
            let hint = if known.is_empty() {
                "no profile was found at all; check --home and --os, or run `loginfix browsers -v`"
                    .to_string()
            } else {
                format!("profiles found: {}", known.join(", "))
            };
            return Err(
                Fatal::failure(format!("no profile named `{wanted}` was found")).hint(hint),
            );
        }
    }
    found
        .profiles
        .retain(|p| selection.profiles.iter().any(|w| p.is_named(w)));
    Ok(found)
}

/// Takes the home's run lock (see `run_lock`): `Ok(None)` with a warning when the lock
/// file cannot be made, an error when another run keeps it.
pub fn lock_home(
    layout: &Layout,
    warnings: &mut Vec<String>,
) -> Result<Option<crate::run_lock::RunLock>, Fatal> {
    use crate::run_lock::{acquire, LockError, WAIT};
    match acquire(layout, WAIT) {
        Ok(lock) => Ok(Some(lock)),
        Err(LockError::Busy(message)) => Err(Fatal::failure(message)
            .hint("two runs on one home would race on its stores and backups")),
        Err(LockError::Unavailable(err)) => {
            warnings.push(format!(
                "could not take the lock that keeps other loginfix runs off this home: {err:#}"
            ));
            Ok(None)
        }
    }
}
