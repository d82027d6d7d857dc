//! Browser identity and profile discovery: which browsers exist, where their profiles
//! are, and which stores each profile holds. One adapter per engine family; the
//! differences between browsers of a family are rows in `platform`'s tables.

pub mod chromium;
pub mod firefox;
pub mod safari;

use std::path::PathBuf;

use serde::Serialize;

use crate::platform::Layout;

/// A browser the tool knows. One naming rule serves the CLI, JSON and the text output.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Browser {
    Chrome,
    Edge,
    Chromium,
    Brave,
    Vivaldi,
    Opera,
    Firefox,
    Safari,
}

/// The engine family, which decides the adapter and the on-disk formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    Safari,
}

impl Browser {
    pub const ALL: [Browser; 8] = [
        Browser::Chrome,
        Browser::Edge,
        Browser::Chromium,
        Browser::Brave,
        Browser::Vivaldi,
        Browser::Opera,
        Browser::Firefox,
        Browser::Safari,
    ];

    pub fn engine(self) -> Engine {
        match self {
            Browser::Firefox => Engine::Firefox,
            Browser::Safari => Engine::Safari,
            _ => Engine::Chromium,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Edge => "edge",
            Browser::Chromium => "chromium",
            Browser::Brave => "brave",
            Browser::Vivaldi => "vivaldi",
            Browser::Opera => "opera",
            Browser::Firefox => "firefox",
            Browser::Safari => "safari",
        }
    }

    /// The name people see in menus, for hints such as "quit Google Chrome".
    pub fn product_name(self) -> &'static str {
        match self {
            Browser::Chrome => "Google Chrome",
            Browser::Edge => "Microsoft Edge",
            Browser::Chromium => "Chromium",
            Browser::Brave => "Brave",
            Browser::Vivaldi => "Vivaldi",
            Browser::Opera => "Opera",
            Browser::Firefox => "Firefox",
            Browser::Safari => "Safari",
        }
    }
}

/// What a store file or directory holds, which decides how it is read and changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// Chromium `Cookies` / `Network/Cookies` (SQLite, table `cookies`).
    ChromiumCookies,
    /// Firefox `cookies.sqlite` (SQLite, table `moz_cookies`).
    FirefoxCookies,
    /// Firefox session-restore file (mozLz4 JSON) that brings session cookies back.
    FirefoxSession,
    /// Chromium cache directory: the HTTP cache (`Cache/Cache_Data`, simple or blockfile
    /// format) or a code cache (`Code Cache/js`, `Code Cache/wasm`, simple format).
    ChromiumCache,
    /// Firefox HTTP cache directory (`cache2`).
    FirefoxCache,
    /// Safari `Cookies.binarycookies`.
    SafariCookies,
    /// Safari's CFNetwork URL cache `Cache.db` (SQLite) with its `fsCachedData/`.
    SafariCacheDb,
    /// Safari's WebKit network cache directory (`WebKitCache`).
    SafariWebKitCache,
}

impl StoreKind {
    /// The name used in reports: what a user would call it.
    pub fn label(self) -> &'static str {
        match self {
            StoreKind::ChromiumCookies | StoreKind::FirefoxCookies | StoreKind::SafariCookies => {
                "cookies"
            }
            StoreKind::FirefoxSession => "session_restore",
            StoreKind::ChromiumCache
            | StoreKind::FirefoxCache
            | StoreKind::SafariCacheDb
            | StoreKind::SafariWebKitCache => "cache",
        }
    }

    pub fn is_cache(self) -> bool {
        matches!(
            self,
            StoreKind::ChromiumCache
                | StoreKind::FirefoxCache
                | StoreKind::SafariCacheDb
                | StoreKind::SafariWebKitCache
        )
    }

    pub fn holds_cookies(self) -> bool {
        matches!(
            self,
            StoreKind::ChromiumCookies
                | StoreKind::FirefoxCookies
                | StoreKind::FirefoxSession
                | StoreKind::SafariCookies
        )
    }

    /// Whether the store is a directory (caches other than Cache.db) or a file.
    pub fn is_dir(self) -> bool {
        self.is_cache() && self != StoreKind::SafariCacheDb
    }
}

/// One store found in a profile.
#[derive(Clone, Debug, Serialize)]
pub struct Store {
    #[serde(rename = "store")]
    pub kind: StoreKind,
    pub path: PathBuf,
}

/// Adds a store for each candidate path that exists as a file (or, for caches, a
/// directory), once: the same cache can be reachable from two candidate bases.
pub(crate) fn add_existing(
    stores: &mut Vec<Store>,
    kind: StoreKind,
    candidates: impl IntoIterator<Item = PathBuf>,
) {
    for path in candidates {
        let exists = if kind.is_dir() {
            path.is_dir()
        } else {
            path.is_file()
        };
        if exists && !stores.iter().any(|s| s.path == path) {
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
#[derive(Clone, Debug)]
pub struct Profile {
    pub browser: Browser,
    pub channel: &'static str,
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
#[derive(Clone, Debug, Serialize)]
pub struct BrowserStatus {
    pub browser: Browser,
    pub status: BrowserState,
    /// The directories that were looked at.
    pub searched: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
    let mut out = Discovery::default();
    for &browser in browsers {
        let before = out.profiles.len();
        let searched = match browser.engine() {
            Engine::Chromium => chromium::discover(layout, browser, &mut out),
            Engine::Firefox => firefox::discover(layout, &mut out),
            Engine::Safari => safari::discover(layout, &mut out),
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
    out
}
