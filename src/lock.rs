//! Is the browser that owns a profile running? Reads the lock each engine leaves
//! (Chromium's `SingletonLock` symlink `host-pid`, Firefox's `lock` symlink `ip:+pid`
//! and `.parentlock` / `parent.lock`) and checks the pid when the lock is this machine's.
//! A pid means nothing across PID namespaces (flatpak, bubblewrap, a container sharing
//! the home), so what the running browser itself holds is probed too: Chromium's
//! `SingletonSocket` (it accepts connections) and the `LOCK` files its LevelDB databases
//! keep locked with `fcntl`; Firefox's `.parentlock`. The report names the probe.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::browser::LockSite;
use crate::platform;

/// What the check concluded. Only `Running` stops the executor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LockState {
    /// No lock found.
    Free,
    /// A lock whose process is gone: reported, does not block.
    Stale { detail: String },
    /// The browser holds the profile, or a lock that cannot be verified (another host).
    Running {
        detail: String,
        /// What told: `singleton_lock`, `singleton_socket`, `leveldb_lock`,
        /// `lockfile`, `cookie_db`, `parentlock`, `parent_lock`, `lock`, `process`.
        #[serde(deserialize_with = "crate::worker::statics::name")]
        probe: crate::worker::statics::Name,
        /// The lock names another machine, where it cannot be checked.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        elsewhere: bool,
    },
    /// The browser leaves no lock to check (Safari); `detail` says what to do.
    Unchecked { detail: String },
}

impl LockState {
    pub fn is_running(&self) -> bool {
        matches!(self, LockState::Running { .. })
    }

    /// A lock that counts as running because it names another machine, where it cannot
    /// be checked (`--ignore-foreign-locks` is the way out).
    pub fn names_another_machine(&self) -> bool {
        matches!(
            self,
            LockState::Running {
                elsewhere: true,
                ..
            }
        )
    }

    /// What to tell a person whose `product` profile was skipped for this lock.
    pub fn way_out(&self, product: &str) -> String {
        let key = if self.names_another_machine() {
            "hint-lock-elsewhere"
        } else {
            "hint-lock-running"
        };
        crate::i18n::ta(key, &[("browser", product)])
    }
}

/// How locks are judged.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LockPolicy {
    /// Treat a lock held by another machine (a home on a network share) as stale rather
    /// than as a running browser (`--ignore-foreign-locks`).
    pub ignore_foreign: bool,
}

/// Checks with the default policy: a lock from another machine counts as running.
pub fn check(site: &LockSite) -> LockState {
    LockPolicy::default().check(site)
}

impl LockPolicy {
    pub fn check(self, site: &LockSite) -> LockState {
        match site {
            LockSite::ChromiumUserData(dir) => check_chromium(dir, self),
            LockSite::FirefoxProfile(dir) => check_firefox(dir, self),
            LockSite::SafariProcess => match platform::process_running("Safari") {
                Some(true) => LockState::Running {
                    detail: crate::i18n::t("lock-safari-running"),
                    probe: "process",
                    elsewhere: false,
                },
                Some(false) => LockState::Free,
                None => LockState::Unchecked {
                    // Off the Mac, no process can be checked.
                    detail: crate::i18n::t("lock-safari-unchecked"),
                },
            },
        }
    }
}

/// LevelDB databases a running Chromium keeps open (and `fcntl`-locked) in each profile,
/// relative to the profile: seen held by Chromium 156 from its start.
const CHROMIUM_HELD_LOCKS: [&str; 5] = [
    "LOCK",
    "Local Storage/leveldb/LOCK",
    "Session Storage/LOCK",
    "Extension State/LOCK",
    "shared_proto_db/LOCK",
];

/// How long what a Chromium data directory's profiles hold is reused. Every profile of
/// a data directory shares its lock, and finding what the browser holds reads every
/// profile's `LOCK` files (and, on Windows, cookie databases): checked once per profile,
/// 10,000 profiles would read 10,000 × 10,000 files. Profiles of one directory are
/// checked one after another, so that part of the last check is kept this long (a
/// browser that starts within it is no different from one that starts just after a
/// check); the `SingletonLock` itself is read every time. A probe that itself takes
/// long (thousands of profiles) is kept [`FRESH_PER_PROBE`] times its own duration, so
/// probing stays a bounded share of the run instead of most of it.
const FRESH: std::time::Duration = std::time::Duration::from_millis(250);
const FRESH_PER_PROBE: u32 = 4;

/// What the browser holds in a data directory: a file held open without sharing, and a
/// sign that it runs whatever its pid (a socket that answers, a LevelDB lock taken).
#[derive(Clone)]
struct Held {
    exclusive: Option<LockState>,
    in_use: Option<LockState>,
}

/// The last data directory probed, and what it found.
struct Probed {
    dir: std::path::PathBuf,
    /// When the probe ended.
    ended: std::time::Instant,
    /// How long after `ended` the result is reused.
    kept: std::time::Duration,
    found: Held,
}

/// How long a probe that took `took` is reused after it ended.
fn kept_for(took: std::time::Duration) -> std::time::Duration {
    FRESH.max(took * FRESH_PER_PROBE)
}

/// [`probe_held`], reused for [`kept_for`] its duration after it ended.
fn held(dir: &Path) -> Held {
    static LAST: std::sync::Mutex<Option<Probed>> = std::sync::Mutex::new(None);
    {
        let last = LAST.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(last) = last.as_ref() {
            if last.dir == dir && last.ended.elapsed() < last.kept {
                return last.found.clone();
            }
        }
    }
    let started = std::time::Instant::now();
    let found = probe_held(dir);
    // Timed from the end of the probe: reading 10,000 profiles' locks can take longer
    // than the window itself.
    *LAST.lock().unwrap_or_else(|e| e.into_inner()) = Some(Probed {
        dir: dir.to_path_buf(),
        ended: std::time::Instant::now(),
        kept: kept_for(started.elapsed()),
        found: found.clone(),
    });
    found
}

fn probe_held(dir: &Path) -> Held {
    // Windows Chromium holds `lockfile` open without sharing while it runs, and Chrome
    // 114+ each profile's cookie database too (`LockProfileCookieDatabase`).
    let mut held = vec![(dir.join("lockfile"), "lockfile")];
    let profiles: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    if platform::EXCLUSIVE_OPENS_DETECTABLE {
        held.extend(
            profiles
                .iter()
                .map(|p| (p.join("Network").join("Cookies"), "cookie_db")),
        );
    }
    let exclusive = held
        .iter()
        .find(|(f, _)| platform::held_open_exclusively(f) == Some(true))
        .map(|(file, probe)| LockState::Running {
            detail: crate::i18n::ta("lock-held-open", &[("file", &file.display().to_string())]),
            probe,
            elsewhere: false,
        });
    let in_use = if exclusive.is_some() {
        None
    } else {
        chromium_holds(dir, &profiles)
    };
    Held { exclusive, in_use }
}

fn check_chromium(dir: &Path, policy: LockPolicy) -> LockState {
    let lock = dir.join("SingletonLock");
    let held = held(dir);
    if let Some(state) = held.exclusive {
        return state;
    }
    let by_pid = match std::fs::read_link(&lock) {
        Ok(target) => {
            let target = target.to_string_lossy().into_owned();
            // `hostname-pid`; host names may contain `-`, the pid is after the last one.
            match target
                .rsplit_once('-')
                .and_then(|(h, p)| Some((h, p.parse::<u32>().ok()?)))
            {
                Some((host, pid)) => judge(&lock, host_is_local(host), host, pid, policy),
                None => LockState::Running {
                    detail: crate::i18n::ta(
                        "lock-not-host-pid",
                        &[("file", &lock.display().to_string()), ("target", &target)],
                    ),
                    probe: "singleton_lock",
                    elsewhere: false,
                },
            }
        }
        Err(_) if lock.symlink_metadata().is_ok() => LockState::Running {
            detail: crate::i18n::ta("lock-not-symlink", &[("file", &lock.display().to_string())]),
            probe: "singleton_lock",
            elsewhere: false,
        },
        Err(_) => LockState::Free,
    };
    if by_pid.is_running() {
        return by_pid;
    }
    // The lock's pid may be one of another PID namespace: ask what only a running
    // browser holds. A lock ignored as foreign stays ignored.
    if matches!(&by_pid, LockState::Stale { detail } if detail.contains("--ignore-foreign-locks")) {
        return by_pid;
    }
    held.in_use.unwrap_or(by_pid)
}

/// The first sign that a Chromium holds `dir` whatever its pid: its `SingletonSocket`
/// accepts a connection, or a LevelDB `LOCK` of a profile is locked.
fn chromium_holds(dir: &Path, profiles: &[std::path::PathBuf]) -> Option<LockState> {
    let socket = dir.join("SingletonSocket");
    if platform::socket_accepts(&socket, dir) == Some(true) {
        return Some(LockState::Running {
            detail: crate::i18n::ta("lock-socket", &[("file", &socket.display().to_string())]),
            probe: "singleton_socket",
            elsewhere: false,
        });
    }
    for profile in profiles {
        for rel in CHROMIUM_HELD_LOCKS {
            let file = crate::platform::join_rel(profile, rel);
            if let Some(pid) = platform::posix_lock_holder(&file) {
                return Some(LockState::Running {
                    detail: crate::i18n::ta(
                        "lock-leveldb",
                        &[
                            ("file", &file.display().to_string()),
                            ("pid", &pid.to_string()),
                        ],
                    ),
                    probe: "leveldb_lock",
                    elsewhere: false,
                });
            }
        }
    }
    None
}

fn check_firefox(dir: &Path, policy: LockPolicy) -> LockState {
    let parent = dir.join(".parentlock");
    if let Some(pid) = platform::posix_lock_holder(&parent) {
        return LockState::Running {
            detail: crate::i18n::ta(
                "lock-locked-by",
                &[
                    ("file", &parent.display().to_string()),
                    ("pid", &pid.to_string()),
                ],
            ),
            probe: "parentlock",
            elsewhere: false,
        };
    }
    let win_lock = dir.join("parent.lock");
    if platform::held_open_exclusively(&win_lock) == Some(true) {
        return LockState::Running {
            detail: crate::i18n::ta(
                "lock-held-open-firefox",
                &[("file", &win_lock.display().to_string())],
            ),
            probe: "parent_lock",
            elsewhere: false,
        };
    }
    let lock = dir.join("lock");
    match std::fs::read_link(&lock) {
        Ok(target) => {
            let target = target.to_string_lossy().into_owned();
            // `ip:+pid` (or `ip:pid`); IPv6 addresses contain `:`, so split at the last one.
            let parsed = target
                .rsplit_once(':')
                .and_then(|(ip, p)| Some((ip, p.trim_start_matches('+').parse::<u32>().ok()?)));
            match parsed {
                Some((ip, pid)) => judge(&lock, platform::is_local_address(ip), ip, pid, policy),
                None => LockState::Running {
                    detail: crate::i18n::ta(
                        "lock-not-ip-pid",
                        &[("file", &lock.display().to_string()), ("target", &target)],
                    ),
                    probe: "lock",
                    elsewhere: false,
                },
            }
        }
        Err(_) => LockState::Free,
    }
}

fn host_is_local(host: &str) -> bool {
    platform::hostname().is_some_and(|h| h.eq_ignore_ascii_case(host))
}

fn judge(lock: &Path, local: bool, host: &str, pid: u32, policy: LockPolicy) -> LockState {
    let probe = if lock.ends_with("SingletonLock") {
        "singleton_lock"
    } else {
        "lock"
    };
    let (file, shown_pid) = (lock.display().to_string(), pid.to_string());
    let args = [
        ("file", file.as_str()),
        ("pid", shown_pid.as_str()),
        ("host", host),
    ];
    if !local && policy.ignore_foreign {
        return LockState::Stale {
            detail: crate::i18n::ta("lock-foreign-ignored", &args),
        };
    }
    if !local {
        return LockState::Running {
            detail: crate::i18n::ta("lock-foreign", &args),
            probe,
            elsewhere: true,
        };
    }
    match platform::pid_alive(pid) {
        Some(false) => LockState::Stale {
            detail: crate::i18n::ta("lock-stale", &args),
        },
        Some(true) => LockState::Running {
            detail: crate::i18n::ta("lock-running", &args),
            probe,
            elsewhere: false,
        },
        None => LockState::Running {
            detail: crate::i18n::ta("lock-unknown", &args),
            probe,
            elsewhere: false,
        },
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_long_probe_is_kept_longer_a_short_one_the_floor() {
        use std::time::Duration;
        assert_eq!(kept_for(Duration::from_millis(3)), FRESH);
        assert_eq!(
            kept_for(Duration::from_millis(300)),
            Duration::from_millis(1200)
        );
    }

    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn chromium_singleton_lock() {
        let dir = tempfile::tempdir().unwrap();
        let site = LockSite::ChromiumUserData(dir.path().to_path_buf());
        assert_eq!(check(&site), LockState::Free);
        let host = platform::hostname().unwrap();
        let lock = dir.path().join("SingletonLock");
        symlink(format!("{host}-{}", std::process::id()), &lock).unwrap();
        assert!(check(&site).is_running());
        std::fs::remove_file(&lock).unwrap();
        symlink(format!("{host}-{}", dead_pid()), &lock).unwrap();
        assert!(matches!(check(&site), LockState::Stale { .. }));
        std::fs::remove_file(&lock).unwrap();
        symlink("some-other-box-42", &lock).unwrap();
        assert!(check(&site).is_running());
        assert!(check(&site).names_another_machine());
        assert!(check(&site)
            .way_out("Google Chrome")
            .contains("--ignore-foreign-locks"));
        let lenient = LockPolicy {
            ignore_foreign: true,
        };
        assert!(matches!(lenient.check(&site), LockState::Stale { .. }));
    }

    #[test]
    fn firefox_lock_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let site = LockSite::FirefoxProfile(dir.path().to_path_buf());
        std::fs::write(dir.path().join(".parentlock"), b"").unwrap();
        assert_eq!(
            check(&site),
            LockState::Free,
            "a leftover .parentlock is not a lock"
        );
        let lock = dir.path().join("lock");
        symlink(format!("127.0.1.1:+{}", std::process::id()), &lock).unwrap();
        assert!(check(&site).is_running());
        assert!(!check(&site).names_another_machine());
        assert!(check(&site).way_out("Firefox").starts_with("quit Firefox"));
        std::fs::remove_file(&lock).unwrap();
        symlink(format!("127.0.0.1:+{}", dead_pid()), &lock).unwrap();
        assert!(matches!(check(&site), LockState::Stale { .. }));
        std::fs::remove_file(&lock).unwrap();
        symlink("192.0.2.7:+1", &lock).unwrap();
        assert!(check(&site).is_running());
        assert!(check(&site).names_another_machine());
    }
}
