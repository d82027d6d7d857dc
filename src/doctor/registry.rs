//! The Windows registry as doctor reads it on the Windows layout: the live registry on
//! the running system (HKLM; the running user's HKCU, or a signed-in user's
//! `HKEY_USERS\<SID>`), else the hive files on disk — a mounted disk's
//! `Windows/System32/config/SOFTWARE` for HKLM\SOFTWARE, a user's `NTUSER.DAT` for their
//! HKCU — so a run as SYSTEM for a user who is not signed in, or over a mounted disk,
//! reads the keys the browsers read. The machine's part is read with the machine's
//! files, the user's part only in a run that reads the home (as its owner).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::regf;
use super::Context;
use crate::platform::{self, Hive, RegistryRead};

/// Whose settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `HKLM\SOFTWARE\...`.
    Machine,
    /// The home's user's `HKCU\Software\...`.
    User,
}

/// Where one part is read from.
enum Source {
    Live(Hive),
    File {
        file: PathBuf,
        hive: regf::Hive,
    },
    /// Neither the live registry nor a hive file: the check is not made.
    Off,
    /// A hive file that cannot be read: the file and why.
    Broken {
        file: PathBuf,
        error: String,
    },
}

/// What reading a key gave.
pub enum Got {
    /// The key's tree, and its name as evidence (`HKLM\SOFTWARE\Policies\...`, or the hive
    /// file and the key).
    Tree(PathBuf, Value),
    /// The key is not there: nothing is set.
    Missing,
    /// This part of the registry cannot be read here (say "not checked").
    Off,
    /// Present but unreadable: the file or key, and why.
    Failed(PathBuf, String),
}

/// The two parts, opened once a run.
pub struct Registry {
    machine: Source,
    user: Source,
}

/// The SOFTWARE hive of a Windows disk, relative to its root; it holds HKLM\SOFTWARE.
const SOFTWARE_HIVE: &str = "Windows/System32/config/SOFTWARE";
/// A user's registry hive, in their home.
const USER_HIVE: &str = "NTUSER.DAT";

impl Registry {
    pub fn open(ctx: &Context) -> Registry {
        let layout = ctx.layout;
        let machine = if !ctx.reach.machine() && !ctx.reach.user() {
            Source::Off
        } else if layout.is_host_system() {
            live(Hive::LocalMachine)
        } else {
            let file = ctx.system_path(SOFTWARE_HIVE);
            hive_file(file.clone(), super::sysfile::open(layout, &file))
        };
        let user = if !ctx.reach.user() {
            Source::Off
        } else if layout.is_current_user() {
            live(Hive::CurrentUser)
        } else if let Some(sid) = layout
            .is_host_system()
            .then(|| platform::loaded_user_hive(&layout.home))
            .flatten()
        {
            live(Hive::Users(sid))
        } else {
            let file = layout.home.join(USER_HIVE);
            let opened = match crate::fsutil::open_file(ctx.fs, &file) {
                Ok(f) => Ok(Some(f)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e.to_string()),
            };
            hive_file(file, opened)
        };
        Registry { machine, user }
    }

    /// The hive files read whose last write did not finish (changes in their `.LOG1`/
    /// `.LOG2` files are not applied here).
    pub fn unfinished(&self) -> Vec<&Path> {
        [&self.machine, &self.user]
            .into_iter()
            .filter_map(|s| match s {
                Source::File { file, hive } if hive.dirty => Some(file.as_path()),
                _ => None,
            })
            .collect()
    }

    /// Reads `key` (`SOFTWARE\Policies\Google\Chrome`, as under HKLM or HKCU).
    pub fn read(&self, part: Part, key: &str) -> Got {
        match self.source(part) {
            Source::Off => Got::Off,
            Source::Broken { file, error } => Got::Failed(file.clone(), error.clone()),
            Source::Live(hive) => {
                let name = PathBuf::from(format!("{}\\{key}", hive.prefix()));
                match platform::registry_tree(hive, key) {
                    RegistryRead::Tree(t) => Got::Tree(name, t),
                    RegistryRead::Missing => Got::Missing,
                    RegistryRead::Unavailable => Got::Off,
                    RegistryRead::Failed(e) => Got::Failed(name, e),
                }
            }
            Source::File { file, hive } => {
                // The SOFTWARE hive's root is HKLM\SOFTWARE itself.
                let inner = match part {
                    Part::Machine => strip_software(key),
                    Part::User => key,
                };
                let name = PathBuf::from(format!("{}\\{inner}", file.display()));
                match hive.tree(inner) {
                    Ok(Some(t)) => Got::Tree(name, t),
                    Ok(None) => Got::Missing,
                    Err(e) => Got::Failed(file.clone(), e),
                }
            }
        }
    }

    fn source(&self, part: Part) -> &Source {
        match part {
            Part::Machine => &self.machine,
            Part::User => &self.user,
        }
    }
}

fn live(hive: Hive) -> Source {
    if cfg!(windows) {
        Source::Live(hive)
    } else {
        Source::Off
    }
}

fn hive_file(file: PathBuf, opened: Result<Option<std::fs::File>, String>) -> Source {
    match opened {
        Ok(None) => Source::Off,
        Err(error) => Source::Broken { file, error },
        Ok(Some(f)) => match regf::Hive::open(regf::Bytes::File(f)) {
            Ok(hive) => Source::File { file, hive },
            Err(error) => Source::Broken { file, error },
        },
    }
}

fn strip_software(key: &str) -> &str {
    match key.split_once('\\') {
        Some((first, rest)) if first.eq_ignore_ascii_case("SOFTWARE") => rest,
        _ => key,
    }
}
