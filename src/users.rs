//! The real user accounts of a machine, for `--all-users`: read from the files under an
//! explicit root (a mounted disk, a test fixture, or `/`), so every OS's rules run and
//! are tested on any host. Homes are checked here, before any command touches them: one
//! that is a symlink, or that resolves outside the root, is reported and never entered
//! (its owner may have pointed it at another user's home or at system files).

use std::path::{Path, PathBuf};

use crate::platform::{join_rel, Os};

/// One account whose home a command may act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The account name (lossy UTF-8 when the passwd file or directory name is not).
    pub name: String,
    /// The home directory, under the root.
    pub home: PathBuf,
    /// The numeric uid where the OS has one and it is known.
    pub uid: Option<u32>,
}

/// An account found, and whether its home may be entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub account: Account,
    /// Why the home is not entered (a symlink, outside the root, unreadable); `None`
    /// when it may be.
    pub refused: Option<Refusal>,
}

/// Why an account's home is not acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// `skipped` (a home loginfix refuses to enter) or `unreadable`.
    pub status: &'static str,
    pub reason: String,
}

/// The lowest uid of a person's account when `login.defs` does not say (Debian, Fedora).
const DEFAULT_UID_MIN: u32 = 1000;
/// `nobody` on Linux; never a person.
const NOBODY_UID: u32 = 65534;
/// The lowest uid macOS gives a person's account.
const MACOS_UID_MIN: u32 = 501;

/// Directories of `Users` that are no account's home on macOS.
const MACOS_NOT_USERS: &[&str] = &["Shared", "Guest", ".localized"];
/// Directories of `Users` that are no account's home on Windows (compared without case).
const WINDOWS_NOT_USERS: &[&str] = &[
    "Public",
    "Default",
    "Default User",
    "All Users",
    "defaultuser0",
];

/// The accounts of the machine whose files are under `root`, laid out as `os` lays
/// them out, in a stable order (passwd order on Linux, by name elsewhere). An error when
/// the account list itself cannot be read.
pub fn enumerate(os: Os, root: &Path) -> Result<Vec<Candidate>, String> {
    let accounts = match os {
        Os::Linux => linux_accounts(root)?,
        Os::Macos => macos_accounts(root)?,
        Os::Windows => windows_accounts(root)?,
    };
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut out = Vec::new();
    for account in accounts {
        // Two accounts sharing a home would have it cleaned (and backed up) twice.
        if seen.contains(&account.home) {
            continue;
        }
        seen.push(account.home.clone());
        match check_home(root, &account.home, account.uid) {
            HomeState::Absent => {}
            HomeState::Refused(refusal) => out.push(Candidate {
                account,
                refused: Some(refusal),
            }),
            HomeState::Ok => out.push(Candidate {
                account,
                refused: None,
            }),
        }
    }
    Ok(out)
}

enum HomeState {
    /// No such directory: an account without a home is no one to act for.
    Absent,
    Refused(Refusal),
    Ok,
}

fn check_home(root: &Path, home: &Path, uid: Option<u32>) -> HomeState {
    let meta = match home.symlink_metadata() {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return HomeState::Absent,
        Err(e) => {
            return HomeState::Refused(Refusal {
                status: "unreadable",
                reason: format!("could not read the home: {e}"),
            })
        }
    };
    if meta.file_type().is_symlink() {
        return HomeState::Refused(Refusal {
            status: "skipped",
            reason: "the home is a symlink; it is not followed (it could point into another \
                     user's home)"
                .to_string(),
        });
    }
    if !meta.is_dir() {
        return HomeState::Absent;
    }
    // A home another user owns than the account it is listed for: cleaning it as that
    // account would hand one user's data to another (a home owned by root is the
    // administrator's own doing, and root is no one to protect from).
    if let (Some(uid), Some(owner)) = (uid, crate::platform::owner_uid(&meta)) {
        if owner != uid && owner != 0 {
            return HomeState::Refused(Refusal {
                status: "skipped",
                reason: format!(
                    "the home is owned by uid {owner}, not by its account (uid {uid} in the \
                     passwd file); it is not entered (give the home back to its user with \
                     chown, then run again)"
                ),
            });
        }
    }
    // A symlinked parent (`/home` -> elsewhere) is the administrator's doing, but a
    // home that resolves outside the root is not this machine's (or this fixture's).
    let inside = match (root.canonicalize(), home.canonicalize()) {
        (Ok(root), Ok(home)) => home.starts_with(root),
        _ => false,
    };
    if !inside {
        return HomeState::Refused(Refusal {
            status: "skipped",
            reason: format!("the home resolves outside the root `{}`", root.display()),
        });
    }
    if let Err(e) = std::fs::read_dir(home) {
        return HomeState::Refused(Refusal {
            status: "unreadable",
            reason: format!("could not list the home: {e}"),
        });
    }
    HomeState::Ok
}

/// `UID_MIN` from `login.defs` text, or the default.
pub fn uid_min(login_defs: &str) -> u32 {
    // The last setting wins, as for login(1): read from the end.
    login_defs
        .lines()
        .rev()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            match (words.next(), words.next()) {
                (Some("UID_MIN"), Some(v)) => v.parse().ok(),
                _ => None,
            }
        })
        .unwrap_or(DEFAULT_UID_MIN)
}

/// The people's accounts of a passwd file's bytes: uid at or above `uid_min`, not
/// `nobody`, with a login shell. Lines that are not 7 fields, comments and NIS `+`/`-`
/// lines are passed over; names and homes that are not UTF-8 are kept (lossy names).
pub fn parse_passwd(passwd: &[u8], uid_min: u32) -> Vec<(String, u32, PathBuf)> {
    let mut out = Vec::new();
    for line in passwd.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() || matches!(line[0], b'#' | b'+' | b'-') {
            continue;
        }
        let fields: Vec<&[u8]> = line.split(|&b| b == b':').collect();
        let [name, _pw, uid, _gid, _gecos, home, shell] = fields[..] else {
            continue;
        };
        let Some(uid) = std::str::from_utf8(uid)
            .ok()
            .and_then(|u| u.parse::<u32>().ok())
        else {
            continue;
        };
        let name = String::from_utf8_lossy(name).into_owned();
        let shell = String::from_utf8_lossy(shell);
        let system_shell = shell.ends_with("/nologin") || shell.ends_with("/false");
        if uid < uid_min || uid == NOBODY_UID || name == "nobody" || system_shell {
            continue;
        }
        if name.is_empty() || home.first() != Some(&b'/') {
            continue;
        }
        out.push((name, uid, bytes_path(home)));
    }
    out
}

#[cfg(unix)]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// `abs` (an absolute path of the machine) under `root`.
fn under_root(root: &Path, abs: &Path) -> PathBuf {
    let rel: PathBuf = abs
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    root.join(rel)
}

fn linux_accounts(root: &Path) -> Result<Vec<Account>, String> {
    let passwd_path = join_rel(root, "etc/passwd");
    let passwd = std::fs::read(&passwd_path)
        .map_err(|e| format!("could not read `{}`: {e}", passwd_path.display()))?;
    let defs = std::fs::read(join_rel(root, "etc/login.defs")).unwrap_or_default();
    let min = uid_min(&String::from_utf8_lossy(&defs));
    Ok(parse_passwd(&passwd, min)
        .into_iter()
        .map(|(name, uid, home)| Account {
            name,
            home: under_root(root, &home),
            uid: Some(uid),
        })
        .collect())
}

fn macos_accounts(root: &Path) -> Result<Vec<Account>, String> {
    if root == Path::new("/") {
        if let Some(accounts) = dscl_accounts() {
            return Ok(accounts);
        }
    }
    // The owners of a mounted disk's directories need not be this machine's uids (or
    // may all be `unknown`), so the listing goes by name alone.
    list_users_dir(root, |name| {
        !MACOS_NOT_USERS.contains(&name) && !name.starts_with('_') && !name.starts_with('.')
    })
}

/// The local directory service's people (`dscl`, on a Mac, for root `/`): uid ≥ 501,
/// names not starting with `_`. `None` when dscl cannot be run (or off a Mac).
fn dscl_accounts() -> Option<Vec<Account>> {
    let mut accounts: Vec<Account> = crate::platform::dscl_users()?
        .into_iter()
        .filter(|(name, uid, home)| {
            *uid >= MACOS_UID_MIN
                && *uid != NOBODY_UID
                && !name.starts_with('_')
                && home.is_absolute()
        })
        .map(|(name, uid, home)| Account {
            name,
            home,
            uid: Some(uid),
        })
        .collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    Some(accounts)
}

fn windows_accounts(root: &Path) -> Result<Vec<Account>, String> {
    // The registry's ProfileList is not read (it needs a Windows build and, for a
    // mounted disk, an offline hive); the listing of `Users` is what every root has.
    let mut accounts = list_users_dir(root, |name| {
        !name.starts_with('.')
            && !WINDOWS_NOT_USERS
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
    })?;
    for a in &mut accounts {
        a.uid = None;
    }
    Ok(accounts)
}

/// The entries of `<root>/Users` that `keep` accepts by name, sorted; symlinks are kept
/// (and refused by [`check_home`]) so that they are reported.
fn list_users_dir(root: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<Account>, String> {
    let dir = join_rel(root, "Users");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("could not list `{}`: {e}", dir.display()))?;
    let mut accounts = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep(&name) {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_dir() && !meta.file_type().is_symlink() {
            continue;
        }
        accounts.push(Account {
            name,
            home: entry.path(),
            uid: crate::platform::owner_uid(&meta),
        });
    }
    accounts.sort_by(|a, b| a.home.cmp(&b.home));
    Ok(accounts)
}

/// Whether loginfix runs as root (effective uid 0). Always false on Windows, where
/// SYSTEM is not told apart (a SYSTEM run finds SYSTEM's own empty profile directory).
pub fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    #[test]
    fn passwd_lines_of_people_only_and_bad_lines_passed_over() {
        let passwd = b"root:x:0:0:root:/root:/bin/bash\n\
            # comment\n\
            short:x:1000\n\
            ana:x:1001:1001:Ana:/home/ana:/bin/bash\n\
            daemonish:x:1500:1500::/var/lib/d:/usr/sbin/nologin\n\
            nobody:x:65534:65534::/nonexistent:/bin/sh\n\
            bad:x:notanumber:1::/home/bad:/bin/sh\n\
            +nis::::::\n\
            relative:x:1003:1003::home/rel:/bin/sh\n\
            \xffbob:x:1002:1002::/home/b\xffb:/bin/zsh\r\n";
        let got = parse_passwd(passwd, 1000);
        let names: Vec<_> = got.iter().map(|(n, u, _)| (n.as_str(), *u)).collect();
        assert_eq!(names, [("ana", 1001), ("\u{fffd}bob", 1002)]);
        assert_eq!(got[0].2, PathBuf::from("/home/ana"));
    }

    #[test]
    fn uid_min_from_login_defs() {
        assert_eq!(uid_min(""), 1000);
        assert_eq!(
            uid_min("# UID_MIN 5\nUID_MIN\t\t 2000\nUID_MAX 60000\n"),
            2000
        );
        assert_eq!(uid_min("UID_MIN lots\n"), 1000);
    }

    #[test]
    fn linux_homes_are_checked_under_the_root() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        write(
            &r.join("etc/passwd"),
            "ana:x:1001:1001::/home/ana:/bin/bash\n\
             gone:x:1002:1002::/home/gone:/bin/bash\n\
             link:x:1003:1003::/home/link:/bin/bash\n\
             twin:x:1004:1004::/home/ana:/bin/bash\n",
        );
        std::fs::create_dir_all(r.join("home/ana")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc", r.join("home/link")).unwrap();
        let got = enumerate(Os::Linux, r).unwrap();
        assert_eq!(got[0].account.name, "ana");
        assert_eq!(got[0].account.home, r.join("home/ana"));
        assert_eq!(got[0].refused, None);
        #[cfg(unix)]
        {
            assert_eq!(got.len(), 2);
            assert_eq!(got[1].account.name, "link");
            assert_eq!(got[1].refused.as_ref().unwrap().status, "skipped");
        }
        assert!(enumerate(Os::Linux, &r.join("nothing")).is_err());
    }

    #[test]
    fn mac_and_windows_listings_skip_shared_profiles() {
        let root = tempfile::tempdir().unwrap();
        let r = root.path();
        for d in [
            "Shared",
            "Guest",
            ".localized",
            "_mbsetupuser",
            "ana",
            "Public",
            "Default",
            "all users",
            "bob",
        ] {
            std::fs::create_dir_all(r.join("Users").join(d)).unwrap();
        }
        write(&r.join("Users/desktop.ini"), "");
        let names = |os| -> Vec<String> {
            enumerate(os, r)
                .unwrap()
                .into_iter()
                .map(|c| c.account.name)
                .collect()
        };
        assert_eq!(
            names(Os::Macos),
            ["Default", "Public", "all users", "ana", "bob"]
        );
        assert_eq!(
            names(Os::Windows),
            ["Guest", "Shared", "_mbsetupuser", "ana", "bob"]
        );
    }
}
