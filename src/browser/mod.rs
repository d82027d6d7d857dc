//! Browser identity and profile discovery: which browsers exist (one row each in
//! [`table`]), where their profiles are, and which stores each profile holds. One adapter
//! per engine family, each with the parsers of its own configuration files.

pub mod chromium;
pub mod firefox;
pub mod safari;
pub mod table;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::platform::{Layout, Os};
pub use crate::stores::Store;
use crate::stores::{Shape, StoreKind};
use table::{BrowserRow, DataDir, BROWSERS};

/// A browser the tool knows: a row of [`table::BROWSERS`]. One naming rule serves the
/// CLI, JSON and the text output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Browser(u8);

/// The engine family, which decides the adapter and the on-disk formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    Safari,
}

impl Browser {
    /// Every browser, in table order.
    pub fn all() -> impl Iterator<Item = Browser> {
        (0..BROWSERS.len()).map(|i| Browser(i as u8))
    }

    /// The browser with this command-line name (`chrome`, `edge`, ...).
    pub fn named(name: &str) -> Option<Browser> {
        BROWSERS
            .iter()
            .position(|row| row.name == name)
            .map(|i| Browser(i as u8))
    }

    /// Everything known about the browser.
    pub fn row(self) -> &'static BrowserRow {
        &BROWSERS[usize::from(self.0)]
    }

    pub fn engine(self) -> Engine {
        self.row().engine
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The name people see in menus, for hints such as "quit Google Chrome".
    pub fn product_name(self) -> &'static str {
        self.row().product
    }

    /// Where the browser keeps its data on `os`.
    pub fn dirs(self, os: Os) -> impl Iterator<Item = &'static DataDir> {
        self.row().dirs.iter().filter(move |d| d.os == os)
    }
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Browser {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Browser {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Browser, D::Error> {
        let name = String::deserialize(d)?;
        Browser::named(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown browser `{name}`")))
    }
}

/// Adds a store for each candidate path that exists as a file (or, for directory
/// stores, a directory), once: the same cache can be reachable from two candidate bases.
pub(crate) fn add_existing(
    stores: &mut Vec<Store>,
    kind: &'static StoreKind,
    candidates: impl IntoIterator<Item = PathBuf>,
) {
    for path in candidates {
        // A FIFO, socket or device where a store file should be is listed too: its
        // reader refuses it (never opening it) and the run reports it as an error,
        // rather than "nothing to remove".
        let exists = match kind.shape {
            Shape::Dir => path.is_dir(),
            Shape::File => std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_file() || crate::platform::is_special(&m)),
        };
        // A file can hold two kinds (a Firefox session file: cookies and sessionStorage),
        // each its own store; the same kind at one path is listed once.
        if exists && !stores.iter().any(|s| s.path == path && s.kind == kind) {
            stores.push(Store { kind, path });
        }
    }
}

/// Where the running-browser check looks for a profile.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum LockSite {
    /// Chromium locks the whole user-data dir (`SingletonLock`, Windows `lockfile`).
    ChromiumUserData(PathBuf),
    /// Firefox locks each profile dir (`lock`, `.parentlock`, `parent.lock`).
    FirefoxProfile(PathBuf),
    /// Safari leaves no lock file: a Safari process of this user is checked instead.
    SafariProcess,
}

/// A browser profile and its stores.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Profile {
    pub browser: Browser,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub channel: crate::worker::statics::Name,
    /// Directory name: `Default`, `Profile 2`, `abcd1234.default-release`.
    pub dir_name: String,
    /// Display name from `Local State` / `profiles.ini`.
    pub display_name: Option<String>,
    pub path: PathBuf,
    pub version: Option<String>,
    pub lock: LockSite,
    pub stores: Vec<Store>,
}

impl Profile {
    /// `--profile` accepts the directory name or the display name.
    pub fn is_named(&self, wanted: &str) -> bool {
        self.dir_name.eq_ignore_ascii_case(wanted)
            || self
                .display_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
    }
}

/// Whether a browser was found at all.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BrowserStatus {
    pub browser: Browser,
    pub status: BrowserState,
    /// The directories that were looked at.
    pub searched: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrowserState {
    Found,
    NotFound,
}

/// Everything discovery learnt, including what it could not read.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub profiles: Vec<Profile>,
    pub browsers: Vec<BrowserStatus>,
    /// Problems that did not stop discovery (an unreadable `Local State`, a missing profile dir).
    pub warnings: Vec<String>,
}

/// Finds the profiles of the given browsers in `layout`.
pub fn discover(layout: &Layout, browsers: &[Browser]) -> Discovery {
    let home = crate::confine::check_home(layout);
    let mut out = Discovery {
        warnings: home.warnings,
        ..Discovery::default()
    };
    for &browser in browsers {
        let before = out.profiles.len();
        let searched = match browser.engine() {
            Engine::Chromium => chromium::discover(layout, browser, &mut out),
            Engine::Firefox => firefox::discover(layout, browser, &mut out),
            Engine::Safari => safari::discover(layout, browser, &mut out),
        };
        let status = if out.profiles.len() > before {
            BrowserState::Found
        } else {
            BrowserState::NotFound
        };
        out.browsers.push(BrowserStatus {
            browser,
            status,
            searched,
        });
    }
    // What lies behind a base folder that leads out of someone else's home is theirs:
    // not looked at (the warning above says so).
    if !home.not_followed.is_empty() {
        out.profiles
            .retain(|p| !home.not_followed.iter().any(|b| p.path.starts_with(b)));
        for status in &mut out.browsers {
            if !out.profiles.iter().any(|p| p.browser == status.browser) {
                status.status = BrowserState::NotFound;
            }
        }
    }
    out
}
