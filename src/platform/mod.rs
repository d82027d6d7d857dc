//! Everything that differs by operating system, in two parts: here the layout of a home
//! on Linux, macOS and Windows (pure: resolved against an explicit home and root, so
//! every layout is testable on any OS), and in `host` the OS calls the tool needs (the
//! only `cfg(unix|windows|target_os)` code outside test support and `sqlite_vfs`, which
//! is Linux's alone). Nothing here knows about browsers; their places are rows in
//! `browser::table`.

pub mod as_user;
mod host;
#[cfg(windows)]
pub mod token;
pub use host::*;

use std::path::{Path, PathBuf};

/// The layout of a home directory. `--os` picks it; by default the host's.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    /// The OS this binary runs on (anything Unix-like that is not macOS uses the Linux layout).
    pub fn host() -> Os {
        if cfg!(target_os = "windows") {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Macos => "macos",
            Os::Windows => "windows",
        }
    }
}

/// A base directory of a home, per OS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// The home itself (snap and flatpak sandboxes live here).
    Home,
    /// Linux `$XDG_CONFIG_HOME` (`~/.config`).
    XdgConfig,
    /// Linux `$XDG_CACHE_HOME` (`~/.cache`).
    XdgCache,
    /// macOS `~/Library/Application Support`.
    AppSupport,
    /// macOS `~/Library/Caches`.
    Caches,
    /// Windows `%APPDATA%` (`AppData/Roaming`).
    Roaming,
    /// Windows `%LOCALAPPDATA%` (`AppData/Local`).
    Local,
}

/// A directory given as a base plus a relative path (`/`-separated).
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub base: Base,
    pub rel: &'static str,
}

pub const fn at(base: Base, rel: &'static str) -> Place {
    Place { base, rel }
}

/// The home and OS whose browsers are examined, with its base directories resolved.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    pub os: Os,
    pub home: PathBuf,
    /// The file system whose machine-wide files (hosts file, policies, system proxy
    /// settings) are read: `/`, the system drive on Windows, or a mounted disk (`--root`).
    pub root: PathBuf,
    xdg_config: PathBuf,
    xdg_cache: PathBuf,
    roaming: PathBuf,
    local: PathBuf,
    /// Built from the current user's real directories rather than an explicit `--home`.
    current_user: bool,
    /// Worked on by root's child that became the home's owner (see `worker`): the rules
    /// for someone else's home still hold, the kernel's beneath them.
    #[serde(default)]
    for_root: bool,
}

impl Layout {
    /// The layout of `home` as it would be on `os`. Environment variables are not read:
    /// support staff use this on another account or a mounted disk.
    pub fn for_home(os: Os, home: impl Into<PathBuf>) -> Layout {
        let home = home.into();
        Layout {
            os,
            xdg_config: home.join(".config"),
            xdg_cache: home.join(".cache"),
            roaming: home.join("AppData").join("Roaming"),
            local: home.join("AppData").join("Local"),
            home,
            root: default_root(os),
            current_user: false,
            for_root: false,
        }
    }

    /// The same layout with machine-wide files read under `root` (`--root`).
    pub fn with_root(mut self, root: impl Into<PathBuf>) -> Layout {
        self.root = root.into();
        self
    }

    /// A machine-wide file or directory: `rel` (`/`-separated) under the root.
    pub fn system_path(&self, rel: &str) -> PathBuf {
        join_rel(&self.root, rel)
    }

    /// The current user's real directories (honours `XDG_*` on Linux and the known
    /// folders on Windows, through `dirs`). With an `os` other than the host's, the
    /// home is laid out as that OS would lay it out.
    pub fn current(os: Option<Os>) -> Option<Layout> {
        let home = dirs::home_dir()?;
        let os = os.unwrap_or_else(Os::host);
        let mut layout = Layout::for_home(os, home);
        layout.current_user = true;
        if os == Os::host() {
            match os {
                Os::Linux => {
                    if let Some(d) = dirs::config_dir() {
                        layout.xdg_config = d;
                    }
                    if let Some(d) = dirs::cache_dir() {
                        layout.xdg_cache = d;
                    }
                }
                Os::Windows => {
                    if let Some(d) = dirs::config_dir() {
                        layout.roaming = d;
                    }
                    if let Some(d) = dirs::data_local_dir() {
                        layout.local = d;
                    }
                }
                Os::Macos => {}
            }
        }
        Some(layout)
    }

    pub fn resolve(&self, place: Place) -> PathBuf {
        let base = match place.base {
            Base::Home => self.home.clone(),
            Base::XdgConfig => self.xdg_config.clone(),
            Base::XdgCache => self.xdg_cache.clone(),
            Base::AppSupport => self.home.join("Library").join("Application Support"),
            Base::Caches => self.home.join("Library").join("Caches"),
            Base::Roaming => self.roaming.clone(),
            Base::Local => self.local.clone(),
        };
        join_rel(&base, place.rel)
    }

    /// The directories every store of this home lies under, for its owner: the home,
    /// and the current user's XDG or known folders when they live elsewhere.
    fn roots(&self) -> Vec<PathBuf> {
        vec![
            self.home.clone(),
            self.xdg_config.clone(),
            self.xdg_cache.clone(),
            self.roaming.clone(),
            self.local.clone(),
        ]
    }

    /// How the home's files are reached (see `confine::Policy`). By the home's owner,
    /// from the home and the base folders, each opened as it is (a link the owner made
    /// to their own files is theirs to make). By anyone else (root over a user's home),
    /// from the home alone: `.config`, `AppData` and the rest are walked from the home's
    /// handle, and a symlink on the way is followed only while it stays inside the home.
    pub fn confinement(&self) -> crate::confine::Policy {
        if self.acts_as_owner() {
            crate::confine::Policy::roots(self.roots())
        } else {
            crate::confine::Policy::home_only(self.home.clone())
        }
    }

    /// This layout as root's child working in the home as its owner sees it: the rules
    /// for someone else's home, as root would have had them (see `worker`).
    pub fn for_root(mut self) -> Layout {
        self.for_root = true;
        self
    }

    /// Whether loginfix runs as the owner of this home: on Unix the home's owner is the
    /// effective user; on Windows the home is the running user's own (`--home` and
    /// `--all-users` are taken as someone else's). A home that cannot be read is taken
    /// as someone else's.
    pub fn acts_as_owner(&self) -> bool {
        if self.for_root {
            return false;
        }
        #[cfg(unix)]
        {
            std::fs::metadata(&self.home).is_ok_and(|m| owned_by_me(&m))
        }
        #[cfg(not(unix))]
        {
            self.is_current_user()
        }
    }

    /// The base folders of this layout that loginfix reaches browsers' data (or keeps
    /// its own) through, relative to the home: checked before a run on someone else's
    /// home for their owner and for symlinks leading out.
    pub fn base_folders(&self) -> &'static [&'static str] {
        match self.os {
            Os::Linux => &[
                ".config",
                ".cache",
                ".mozilla",
                ".local",
                ".local/share",
                "snap",
                ".var",
                ".var/app",
            ],
            Os::Macos => &[
                "Library",
                "Library/Application Support",
                "Library/Caches",
                "Library/Containers",
                "Library/Cookies",
                "Library/Safari",
                "Library/WebKit",
            ],
            Os::Windows => &["AppData", "AppData/Local", "AppData/Roaming"],
        }
    }

    /// Firefox writes `Path=` with `/` on every OS, but very old Windows profiles may
    /// carry backslashes; only a Windows layout treats them as separators.
    pub fn profile_rel_path(&self, rel: &str) -> PathBuf {
        if self.os == Os::Windows {
            join_rel(Path::new(""), &rel.replace('\\', "/"))
        } else {
            join_rel(Path::new(""), rel)
        }
    }

    /// Whether the machine-wide files and settings are the running system's own: the
    /// host's layout and the default root, not `--os` for another OS or a mounted
    /// `--root`. Only then is the registry (which has no files under the root) read.
    pub fn is_host_system(&self) -> bool {
        self.os == Os::host() && self.root == default_root(self.os)
    }

    /// Whether the home is the running user's own (per-user registry settings, `HKCU`,
    /// belong to it and to no `--home` given explicitly).
    pub fn is_current_user(&self) -> bool {
        self.current_user && self.os == Os::host()
    }

    /// Where loginfix keeps its backup sets for this home: the user's data directory
    /// (`~/.local/share/loginfix/backups`, `~/Library/Application Support/loginfix/backups`,
    /// `AppData/Roaming/loginfix/backups`). Inside the home acted on, so another user's
    /// session cookies never land in the account of the person running the tool.
    pub fn backup_root(&self) -> PathBuf {
        if self.current_user && self.os == Os::host() {
            if let Some(dirs) = directories::ProjectDirs::from("", "", "loginfix") {
                return dirs.data_dir().join("backups");
            }
        }
        let base = match self.os {
            Os::Linux => self.home.join(".local").join("share"),
            Os::Macos => self.home.join("Library").join("Application Support"),
            Os::Windows => self.roaming.clone(),
        };
        base.join("loginfix").join("backups")
    }
}

/// The root of the running system's files as `os` lays them out: the system drive on a
/// Windows host (`SystemDrive`, else `C:`), `/` otherwise (also for `--os windows` on
/// Linux, where the Windows paths under it are then simply absent).
fn default_root(os: Os) -> PathBuf {
    if os == Os::Windows && Os::host() == Os::Windows {
        let drive = std::env::var_os("SystemDrive").unwrap_or_else(|| "C:".into());
        let mut root = PathBuf::from(drive);
        root.push("\\");
        return root;
    }
    PathBuf::from("/")
}

/// `base` joined with a `/`-separated relative path, one component at a time.
pub fn join_rel(base: &Path, rel: &str) -> PathBuf {
    let mut p = base.to_path_buf();
    for part in rel.split('/').filter(|s| !s.is_empty()) {
        p.push(part);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_profile_paths_accept_backslashes() {
        let w = Layout::for_home(Os::Windows, "/h");
        assert_eq!(
            w.profile_rel_path("Profiles\\a.default"),
            Path::new("Profiles/a.default")
        );
        let l = Layout::for_home(Os::Linux, "/h");
        assert_eq!(l.profile_rel_path("a.default"), Path::new("a.default"));
    }
}
