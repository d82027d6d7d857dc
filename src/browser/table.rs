//! Every browser loginfix knows, one row each: its name on the command line and in JSON,
//! its product name, its engine (which decides the adapter and the store formats), the
//! extension store its ids come from, and where it keeps its data on each OS. Sources:
//! Chromium's `chrome_paths_*`, Firefox's `nsXREDirProvider`, yt-dlp's and BleachBit's
//! path tables (see ../shared/reference).
//!
//! Adding a browser of a known engine is one row here plus a discovery test. Yandex and
//! Arc, for example, would be:
//!
//! ```text
//! BrowserRow { name: "yandex", product: "Yandex Browser", engine: Chromium, extension_ids: Chrome, dirs: &[
//!     linux("stable", "yandex-browser"),
//!     mac("stable", "Yandex/YandexBrowser"),
//!     win("stable", "Yandex/YandexBrowser/User Data"),
//! ] },
//! BrowserRow { name: "arc", product: "Arc", engine: Chromium, extension_ids: Chrome, dirs: &[
//!     mac("stable", "Arc/User Data"),
//!     win("stable", "Packages/TheBrowserCompany.Arc_ttt1ap7aakyb4/LocalCache/Local/Arc/User Data"),
//! ] },
//! ```
//!
//! and `loginfix --browser yandex` would then find, plan and clean it like any other.

use super::Engine::{self, Chromium, Firefox, Safari};
use crate::extensions::catalog::IdKind;
use crate::platform::{at, Base, Os, Place};

/// One browser.
#[derive(Debug)]
pub struct BrowserRow {
    /// On the command line and in JSON: `chrome`, `edge`, `firefox`.
    pub name: &'static str,
    /// As people see it in menus, for hints such as "quit Google Chrome".
    pub product: &'static str,
    pub engine: Engine,
    /// The store its extension ids belong to (Edge also installs Chrome Web Store ones).
    pub extension_ids: IdKind,
    /// Where it keeps its data, per OS and channel.
    pub dirs: &'static [DataDir],
    /// What `doctor` knows of it beyond its data (policies, installation, version).
    pub facts: Facts,
}

/// What `doctor` knows of a browser beyond its data. A browser without a fact is not
/// checked for it, and says so by having `None` here, never by a name compared elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// Where its enterprise policies live (Chromium family; Firefox's are the engine's).
    pub policies: Option<PolicyPlaces>,
    /// Windows: its `Application` directory (under Program Files, or the user's
    /// LocalAppData), whose newest `<version>` subdirectory is the installed version.
    pub win_install: Option<&'static str>,
    /// macOS: its app bundle, whose `Info.plist` says the installed version.
    pub mac_app: Option<&'static str>,
    /// Whether `Last Version` holds a Chromium major worth judging (Opera numbers its own
    /// releases there).
    pub chromium_version: bool,
    /// Brave's Shields, which block per site (doctor reads their settings).
    pub shields: bool,
}

/// Where a Chromium-family browser's policies live, per OS.
#[derive(Clone, Copy, Debug)]
pub struct PolicyPlaces {
    /// Linux: the directories (under the root) holding `managed/` and `recommended/`, one
    /// per build that reads its own (Debian's `chromium` and Ubuntu's snap differ).
    pub linux: &'static [&'static str],
    /// macOS: the preference domain of the managed plist.
    pub mac_domain: &'static str,
    /// Windows: the key under `HKLM`/`HKCU`.
    pub win_key: &'static str,
}

/// The facts of a Chromium-family browser with confirmed policy places.
const fn chromium_facts(
    linux: &'static [&'static str],
    mac_domain: &'static str,
    win_key: &'static str,
    win_install: &'static str,
    mac_app: &'static str,
) -> Facts {
    Facts {
        policies: Some(PolicyPlaces {
            linux,
            mac_domain,
            win_key,
        }),
        win_install: Some(win_install),
        mac_app: Some(mac_app),
        chromium_version: true,
        shields: false,
    }
}

/// Nothing beyond the data: the engine's own checks only.
const NO_FACTS: Facts = Facts {
    policies: None,
    win_install: None,
    mac_app: None,
    chromium_version: false,
    shields: false,
};

/// One place a browser keeps its data on one OS.
#[derive(Clone, Copy, Debug)]
pub struct DataDir {
    pub os: Os,
    /// `stable`, `beta`, `flatpak`, ...: reported with each profile.
    pub channel: &'static str,
    /// Chromium: the user-data dir. Firefox: where `profiles.ini` lives. Safari: a
    /// `Library` directory.
    pub data: Place,
    /// Chromium: the mirror of the user-data dir under the cache base, where Linux and
    /// macOS move the HTTP cache of a default user-data dir. Firefox: where relative
    /// profiles keep their local (cache) directory.
    pub cache: Option<Place>,
    /// Opera keeps its single profile in the user-data dir itself.
    pub profiles_at_root: bool,
}

const fn dir(os: Os, channel: &'static str, data: Place, cache: Option<Place>) -> DataDir {
    DataDir {
        os,
        channel,
        data,
        cache,
        profiles_at_root: false,
    }
}

/// A Linux Chromium install: `~/.config/<rel>`, cache under `~/.cache/<rel>`.
const fn linux(channel: &'static str, rel: &'static str) -> DataDir {
    dir(
        Os::Linux,
        channel,
        at(Base::XdgConfig, rel),
        Some(at(Base::XdgCache, rel)),
    )
}

/// A Linux sandboxed install (snap, flatpak): data and cache under the sandbox's bases.
const fn sandbox(channel: &'static str, data: &'static str, cache: &'static str) -> DataDir {
    dir(
        Os::Linux,
        channel,
        at(Base::Home, data),
        Some(at(Base::Home, cache)),
    )
}

/// A macOS Chromium install: `~/Library/Application Support/<rel>`, cache under
/// `~/Library/Caches/<rel>`.
const fn mac(channel: &'static str, rel: &'static str) -> DataDir {
    dir(
        Os::Macos,
        channel,
        at(Base::AppSupport, rel),
        Some(at(Base::Caches, rel)),
    )
}

/// A Windows Chromium install: `%LOCALAPPDATA%\<rel>`, cache inside the profile.
const fn win(channel: &'static str, rel: &'static str) -> DataDir {
    dir(Os::Windows, channel, at(Base::Local, rel), None)
}

/// Opera's single profile lives in the user-data dir itself.
const fn opera(row: DataDir) -> DataDir {
    DataDir {
        profiles_at_root: true,
        ..row
    }
}

/// A Firefox root: where `profiles.ini` lives and where relative profiles keep their cache.
const fn firefox(os: Os, variant: &'static str, data: Place, local: Place) -> DataDir {
    dir(os, variant, data, Some(local))
}

use Base::{AppSupport, Caches, Home, Local, Roaming, XdgCache, XdgConfig};
use Os::{Linux, Macos, Windows};

/// The browsers, in the order they are listed and reported. Vivaldi and Opera publish
/// no policy paths that could be confirmed (doctor-signals.md S9 lists them as unknown),
/// so they have none.
#[rustfmt::skip]
pub static BROWSERS: &[BrowserRow] = &[
    BrowserRow { name: "chrome", product: "Google Chrome", engine: Chromium, extension_ids: IdKind::Chrome, dirs: &[
        linux("stable", "google-chrome"),
        linux("beta", "google-chrome-beta"),
        linux("dev", "google-chrome-unstable"),
        sandbox("flatpak", ".var/app/com.google.Chrome/config/google-chrome", ".var/app/com.google.Chrome/cache/google-chrome"),
        mac("stable", "Google/Chrome"),
        mac("beta", "Google/Chrome Beta"),
        mac("dev", "Google/Chrome Dev"),
        mac("canary", "Google/Chrome Canary"),
        win("stable", "Google/Chrome/User Data"),
        win("beta", "Google/Chrome Beta/User Data"),
        win("dev", "Google/Chrome Dev/User Data"),
        win("canary", "Google/Chrome SxS/User Data"),
    ], facts: chromium_facts(&["etc/opt/chrome/policies"], "com.google.Chrome", "SOFTWARE\\Policies\\Google\\Chrome", "Google/Chrome/Application", "Google Chrome.app") },
    BrowserRow { name: "edge", product: "Microsoft Edge", engine: Chromium, extension_ids: IdKind::Edge, dirs: &[
        linux("stable", "microsoft-edge"),
        linux("beta", "microsoft-edge-beta"),
        linux("dev", "microsoft-edge-dev"),
        sandbox("flatpak", ".var/app/com.microsoft.Edge/config/microsoft-edge", ".var/app/com.microsoft.Edge/cache/microsoft-edge"),
        mac("stable", "Microsoft Edge"),
        mac("beta", "Microsoft Edge Beta"),
        mac("dev", "Microsoft Edge Dev"),
        mac("canary", "Microsoft Edge Canary"),
        win("stable", "Microsoft/Edge/User Data"),
        win("beta", "Microsoft/Edge Beta/User Data"),
        win("dev", "Microsoft/Edge Dev/User Data"),
        win("canary", "Microsoft/Edge SxS/User Data"),
    ], facts: chromium_facts(&["etc/opt/edge/policies"], "com.microsoft.Edge", "SOFTWARE\\Policies\\Microsoft\\Edge", "Microsoft/Edge/Application", "Microsoft Edge.app") },
    BrowserRow { name: "chromium", product: "Chromium", engine: Chromium, extension_ids: IdKind::Chrome, dirs: &[
        linux("stable", "chromium"),
        sandbox("snap", "snap/chromium/common/chromium", "snap/chromium/common/.cache/chromium"),
        sandbox("flatpak", ".var/app/org.chromium.Chromium/config/chromium", ".var/app/org.chromium.Chromium/cache/chromium"),
        mac("stable", "Chromium"),
        win("stable", "Chromium/User Data"),
    ], // Chromium-branded builds read /etc/chromium/policies (chrome/common/chrome_paths.cc,
    // DIR_POLICY_FILES), as Debian's and Fedora's do; Ubuntu's Chromium (its snap, and the
    // chromium-browser deb before it) reads /etc/chromium-browser/policies.
    facts: chromium_facts(&["etc/chromium/policies", "etc/chromium-browser/policies"], "org.chromium.Chromium", "SOFTWARE\\Policies\\Chromium", "Chromium/Application", "Chromium.app") },
    BrowserRow { name: "brave", product: "Brave", engine: Chromium, extension_ids: IdKind::Chrome, dirs: &[
        linux("stable", "BraveSoftware/Brave-Browser"),
        linux("beta", "BraveSoftware/Brave-Browser-Beta"),
        linux("nightly", "BraveSoftware/Brave-Browser-Nightly"),
        sandbox("flatpak", ".var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser", ".var/app/com.brave.Browser/cache/BraveSoftware/Brave-Browser"),
        mac("stable", "BraveSoftware/Brave-Browser"),
        mac("beta", "BraveSoftware/Brave-Browser-Beta"),
        mac("nightly", "BraveSoftware/Brave-Browser-Nightly"),
        win("stable", "BraveSoftware/Brave-Browser/User Data"),
        win("beta", "BraveSoftware/Brave-Browser-Beta/User Data"),
        win("nightly", "BraveSoftware/Brave-Browser-Nightly/User Data"),
    ], facts: Facts { shields: true, ..chromium_facts(&["etc/brave/policies"], "com.brave.Browser", "SOFTWARE\\Policies\\BraveSoftware\\Brave", "BraveSoftware/Brave-Browser/Application", "Brave Browser.app") } },
    BrowserRow { name: "vivaldi", product: "Vivaldi", engine: Chromium, extension_ids: IdKind::Chrome, dirs: &[
        linux("stable", "vivaldi"),
        linux("snapshot", "vivaldi-snapshot"),
        mac("stable", "Vivaldi"),
        mac("snapshot", "Vivaldi Snapshot"),
        win("stable", "Vivaldi/User Data"),
    ], facts: Facts { win_install: Some("Vivaldi/Application"), mac_app: Some("Vivaldi.app"), chromium_version: true, ..NO_FACTS } },
    BrowserRow { name: "opera", product: "Opera", engine: Chromium, extension_ids: IdKind::Chrome, dirs: &[
        opera(linux("stable", "opera")),
        opera(linux("beta", "opera-beta")),
        opera(linux("developer", "opera-developer")),
        opera(mac("stable", "com.operasoftware.Opera")),
        opera(mac("gx", "com.operasoftware.OperaGX")),
        opera(dir(Windows, "stable", at(Roaming, "Opera Software/Opera Stable"), Some(at(Local, "Opera Software/Opera Stable")))),
        opera(dir(Windows, "gx", at(Roaming, "Opera Software/Opera GX Stable"), Some(at(Local, "Opera Software/Opera GX Stable")))),
    ], facts: NO_FACTS },
    BrowserRow { name: "firefox", product: "Firefox", engine: Firefox, extension_ids: IdKind::Firefox, dirs: &[
        firefox(Linux, "standard", at(Home, ".mozilla/firefox"), at(XdgCache, "mozilla/firefox")),
        firefox(Linux, "xdg", at(XdgConfig, "mozilla/firefox"), at(XdgCache, "mozilla/firefox")),
        firefox(Linux, "snap", at(Home, "snap/firefox/common/.mozilla/firefox"), at(Home, "snap/firefox/common/.cache/mozilla/firefox")),
        firefox(Linux, "flatpak", at(Home, ".var/app/org.mozilla.firefox/.mozilla/firefox"), at(Home, ".var/app/org.mozilla.firefox/cache/mozilla/firefox")),
        firefox(Linux, "flatpak", at(Home, ".var/app/org.mozilla.firefox/config/mozilla/firefox"), at(Home, ".var/app/org.mozilla.firefox/cache/mozilla/firefox")),
        firefox(Macos, "standard", at(AppSupport, "Firefox"), at(Caches, "Firefox")),
        firefox(Windows, "standard", at(Roaming, "Mozilla/Firefox"), at(Local, "Mozilla/Firefox")),
    ], facts: NO_FACTS },
    // Safari 14+ keeps its data in the sandbox container's `Library`; older Safari in the
    // home's own. Safari exists only on macOS.
    BrowserRow { name: "safari", product: "Safari", engine: Safari, extension_ids: IdKind::Safari, dirs: &[
        dir(Macos, "stable", at(Home, "Library/Containers/com.apple.Safari/Data/Library"), None),
        dir(Macos, "stable", at(Home, "Library"), None),
    ], facts: NO_FACTS },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::Browser;
    use crate::platform::Layout;
    use std::path::Path;

    #[test]
    fn names_are_unique_and_every_chromium_browser_has_paths_on_every_os() {
        for (i, row) in BROWSERS.iter().enumerate() {
            assert!(
                BROWSERS[..i].iter().all(|r| r.name != row.name),
                "{}",
                row.name
            );
            if row.engine == Chromium {
                for os in [Linux, Macos, Windows] {
                    assert!(
                        row.dirs.iter().any(|d| d.os == os),
                        "{} on {os:?}",
                        row.name
                    );
                }
            }
        }
    }

    #[test]
    fn layouts_resolve_per_os() {
        let chrome = Browser::named("chrome").unwrap();
        let first = |os: Os| *chrome.dirs(os).next().unwrap();
        let w = Layout::for_home(Windows, "/h");
        let d = first(Windows);
        assert_eq!(
            w.resolve(d.data),
            Path::new("/h/AppData/Local/Google/Chrome/User Data")
        );
        assert!(d.cache.is_none());
        let m = Layout::for_home(Macos, "/Users/a");
        let d = first(Macos);
        assert_eq!(
            m.resolve(d.data),
            Path::new("/Users/a/Library/Application Support/Google/Chrome")
        );
        assert_eq!(
            d.cache.map(|c| m.resolve(c)).as_deref(),
            Some(Path::new("/Users/a/Library/Caches/Google/Chrome"))
        );
        let firefox = Browser::named("firefox").unwrap();
        let x = Layout::for_home(Linux, "/home/a");
        let d = *firefox.dirs(Linux).next().unwrap();
        assert_eq!(x.resolve(d.data), Path::new("/home/a/.mozilla/firefox"));
        assert_eq!(
            d.cache.map(|c| x.resolve(c)).as_deref(),
            Some(Path::new("/home/a/.cache/mozilla/firefox"))
        );
        let d = *firefox.dirs(Windows).next().unwrap();
        assert_eq!(
            w.resolve(d.data),
            Path::new("/h/AppData/Roaming/Mozilla/Firefox")
        );
        assert_eq!(
            d.cache.map(|c| w.resolve(c)).as_deref(),
            Some(Path::new("/h/AppData/Local/Mozilla/Firefox"))
        );
    }
}
