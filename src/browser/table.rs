//! Every browser loginfix knows, one row each: its name on the command line and in JSON,
//! its product name, its engine (which decides the adapter and the store formats), the
//! extension store its ids come from, the OSes it is not made for, and where it keeps its
//! data on each OS it is. Sources: Chromium's `chrome_paths_*`, Firefox's
//! `nsXREDirProvider`, yt-dlp's and BleachBit's path tables (see ../shared/reference);
//! each row names its own.
//!
//! Adding a browser of a known engine is one row here plus a discovery test: its data
//! dirs (a packaged app's, such as Arc's MSIX `Packages/<family name>`, is a literal path;
//! a Firefox fork's own root is its own `firefox(...)` line), `absent_on` for an OS it
//! does not exist on, and its [`Facts`] (none is a safe start: doctor then checks only
//! what is in the profile). `loginfix --browser <name>` then finds, plans and cleans it
//! like any other.

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
    /// The OSes it is not made for (Arc and Opera GX have no Linux build): it has no data
    /// dirs there, and every other OS must have some (a test holds the table to both).
    pub absent_on: &'static [Os],
    /// Where it keeps its data, per OS and channel.
    pub dirs: &'static [DataDir],
    /// What `doctor` knows of it beyond its data (policies, installation, version).
    pub facts: Facts,
}

/// What `doctor` knows of a browser beyond its data. A browser without a fact is not
/// checked for it, and says so by having `None` here, never by a name compared elsewhere.
#[derive(Clone, Copy, Debug)]
pub struct Facts {
    /// Where its enterprise policies live (Chromium family; Firefox's own are
    /// `firefox_machine`'s).
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
    /// Firefox family: Mozilla Firefox's machine-wide files (its install directories,
    /// their defaults and `distribution/policies.json`, its policies, `/etc/firefox*`)
    /// and its release calendar are this browser's. A fork (LibreWolf, Zen, ...) installs,
    /// configures and numbers its own, so it is not judged by Firefox's.
    pub firefox_machine: bool,
    /// Linux: the Flathub build's extension points that carry policies. A Flatpak
    /// sandbox does not see the host's `/etc`; an administrator gives it policies as an
    /// unmanaged extension under `/var/lib/flatpak/extension/<point>...` instead.
    pub flatpak_policy: &'static [&'static str],
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
        firefox_machine: false,
        flatpak_policy: &[],
    }
}

/// Nothing beyond the data: the engine's own checks only.
const NO_FACTS: Facts = Facts {
    policies: None,
    win_install: None,
    mac_app: None,
    chromium_version: false,
    shields: false,
    firefox_machine: false,
    flatpak_policy: &[],
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

/// Opera's (and Opera GX's) single profile lives in the user-data dir itself.
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
    BrowserRow { name: "chrome", product: "Google Chrome", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
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
    BrowserRow { name: "edge", product: "Microsoft Edge", engine: Chromium, extension_ids: IdKind::Edge, absent_on: &[], dirs: &[
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
    BrowserRow { name: "chromium", product: "Chromium", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "chromium"),
        sandbox("snap", "snap/chromium/common/chromium", "snap/chromium/common/.cache/chromium"),
        sandbox("flatpak", ".var/app/org.chromium.Chromium/config/chromium", ".var/app/org.chromium.Chromium/cache/chromium"),
        mac("stable", "Chromium"),
        win("stable", "Chromium/User Data"),
    ], // Chromium-branded builds read /etc/chromium/policies (chrome/common/chrome_paths.cc,
    // DIR_POLICY_FILES), as Debian's and Fedora's do; Ubuntu's Chromium (its snap, and the
    // chromium-browser deb before it) reads /etc/chromium-browser/policies. Flathub's
    // org.chromium.Chromium merges `policies/managed` and `policies/recommended` of every
    // extension of its points `.Extension` and (legacy) `.Policy`, both version 1
    // (org.chromium.Chromium.yaml `add-extensions`, README "Extension points").
    facts: Facts {
        flatpak_policy: &["org.chromium.Chromium.Extension", "org.chromium.Chromium.Policy"],
        ..chromium_facts(&["etc/chromium/policies", "etc/chromium-browser/policies"], "org.chromium.Chromium", "SOFTWARE\\Policies\\Chromium", "Chromium/Application", "Chromium.app")
    } },
    BrowserRow { name: "brave", product: "Brave", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
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
    BrowserRow { name: "vivaldi", product: "Vivaldi", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "vivaldi"),
        linux("snapshot", "vivaldi-snapshot"),
        mac("stable", "Vivaldi"),
        mac("snapshot", "Vivaldi Snapshot"),
        win("stable", "Vivaldi/User Data"),
    ], facts: Facts { win_install: Some("Vivaldi/Application"), mac_app: Some("Vivaldi.app"), chromium_version: true, ..NO_FACTS } },
    BrowserRow { name: "opera", product: "Opera", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        opera(linux("stable", "opera")),
        opera(linux("beta", "opera-beta")),
        opera(linux("developer", "opera-developer")),
        opera(mac("stable", "com.operasoftware.Opera")),
        opera(dir(Windows, "stable", at(Roaming, "Opera Software/Opera Stable"), Some(at(Local, "Opera Software/Opera Stable")))),
    ], facts: NO_FACTS },
    // Opera GX: macOS and Windows only (no Linux build: browser_cookie3 `class OperaGX`
    // "Not available on Linux"; winget Opera.OperaGX, Homebrew cask opera-gx). macOS: the
    // cask's zap of ~/Library/{Application Support,Caches}/com.operasoftware.OperaGX.
    // Windows: rookie `opera_gx` and browser_cookie3 `OperaGX`, `%APPDATA%\Opera Software\
    // Opera GX Stable`, its cache under %LOCALAPPDATA%. Opera's layout: one profile at the
    // root. No policies published (as Opera).
    BrowserRow { name: "opera-gx", product: "Opera GX", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[Linux], dirs: &[
        opera(mac("stable", "com.operasoftware.OperaGX")),
        opera(dir(Windows, "stable", at(Roaming, "Opera Software/Opera GX Stable"), Some(at(Local, "Opera Software/Opera GX Stable")))),
    ], facts: NO_FACTS },
    // Arc: macOS and Windows only (Homebrew cask `arc`, winget TheBrowserCompany.Arc: no
    // Linux build). macOS: the cask zaps ~/Library/Application Support/Arc; `Arc/User Data`
    // is the user-data dir (rookie config.json, browser_cookie3 `class Arc`). Windows: an
    // MSIX, whose %LOCALAPPDATA% writes land in Packages/<family>/LocalCache/Local; the
    // family name TheBrowserCompany.Arc_ttt1ap7aakyb4 is winget's PackageFamilyName from
    // 0.11.0.12143 to 1.109.1.2 (the suffix hashes the signer, so it is fixed). Its install
    // (WindowsApps, per version) and its `Last Version` numbering are not known: no facts.
    BrowserRow { name: "arc", product: "Arc", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[Linux], dirs: &[
        mac("stable", "Arc/User Data"),
        win("stable", "Packages/TheBrowserCompany.Arc_ttt1ap7aakyb4/LocalCache/Local/Arc/User Data"),
    ], facts: NO_FACTS },
    // Yandex Browser. Linux: ~/.config/yandex-browser and -beta (the firejail-style profile
    // and AUR yandex-browser{,-beta} packages: /opt/yandex/browser{,-beta}). macOS: Homebrew
    // cask `yandex` zaps ~/Library/Application Support/Yandex; the user-data dir is
    // Yandex/YandexBrowser. Windows: per-user install (winget Yandex.Browser, Scope: user),
    // %LOCALAPPDATA%\Yandex\YandexBrowser\User Data. Policies are known on Linux
    // (/etc/opt/yandex/browser/policies, ALT Linux wiki) and Windows (community scripts)
    // but not macOS, and `Last Version` is Yandex's own number: no facts yet.
    BrowserRow { name: "yandex", product: "Yandex Browser", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "yandex-browser"),
        linux("beta", "yandex-browser-beta"),
        mac("stable", "Yandex/YandexBrowser"),
        win("stable", "Yandex/YandexBrowser/User Data"),
    ], facts: NO_FACTS },
    // NAVER Whale: yt-dlp yt_dlp/cookies.py `whale` (PR yt-dlp#9649, tried on macOS 14.2,
    // Ubuntu 22.04 and Windows 11): ~/.config/naver-whale, ~/Library/Application
    // Support/Naver/Whale, %LOCALAPPDATA%\Naver\Naver Whale\User Data. Policies unknown;
    // `Last Version` is Whale's own number: no facts.
    BrowserRow { name: "whale", product: "NAVER Whale", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "naver-whale"),
        mac("stable", "Naver/Whale"),
        win("stable", "Naver/Naver Whale/User Data"),
    ], facts: NO_FACTS },
    // Thorium (Alex313031/thorium, open source): chrome/common/chrome_paths_linux.cc
    // `data_dir_basename = "thorium"` (no channel suffix for its unbranded builds),
    // chrome_paths_mac.mm `product_dir_name = "Thorium"`, install_static/
    // chromium_install_modes.cc `kProductPathName[] = L"Thorium"` with an empty company,
    // so %LOCALAPPDATA%\Thorium\User Data and Thorium\Application. It patches nothing of
    // components/policy nor chrome_paths.cc, so it reads an unbranded Chromium's policy
    // places (/etc/chromium/policies, SOFTWARE\Policies\Chromium), which doctor reports
    // as `chromium`'s: given here too, each would be told twice, once for a Thorium that
    // may not be installed. `Last Version` is the Chromium version.
    BrowserRow { name: "thorium", product: "Thorium", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "thorium"),
        mac("stable", "Thorium"),
        win("stable", "Thorium/User Data"),
    ], facts: Facts { win_install: Some("Thorium/Application"), mac_app: Some("Thorium.app"), chromium_version: true, ..NO_FACTS } },
    // Chrome for Testing (chromium/chromium, GOOGLE_CHROME_FOR_TESTING_BRANDING):
    // chrome_paths_linux.cc `google-chrome-for-testing` (no channel suffix),
    // chrome_paths_mac.mm `Google/Chrome for Testing`,
    // google_chrome_for_testing_install_modes.cc Google\Chrome for Testing (per user only).
    // Policies: components/policy/core/common/policy_paths.cc
    // /etc/opt/chrome_for_testing/policies, writer_configuration.py Software\Policies\
    // Google\Chrome for Testing; macOS domain its bundle id com.google.chrome.for.testing.
    // Usually run with a temporary --user-data-dir; these are its default dirs.
    BrowserRow { name: "chrome-for-testing", product: "Google Chrome for Testing", engine: Chromium, extension_ids: IdKind::Chrome, absent_on: &[], dirs: &[
        linux("stable", "google-chrome-for-testing"),
        mac("stable", "Google/Chrome for Testing"),
        win("stable", "Google/Chrome for Testing/User Data"),
    ], facts: chromium_facts(&["etc/opt/chrome_for_testing/policies"], "com.google.chrome.for.testing", "SOFTWARE\\Policies\\Google\\Chrome for Testing", "Google/Chrome for Testing/Application", "Google Chrome for Testing.app") },
    BrowserRow { name: "firefox", product: "Firefox", engine: Firefox, extension_ids: IdKind::Firefox, absent_on: &[], dirs: &[
        firefox(Linux, "standard", at(Home, ".mozilla/firefox"), at(XdgCache, "mozilla/firefox")),
        firefox(Linux, "xdg", at(XdgConfig, "mozilla/firefox"), at(XdgCache, "mozilla/firefox")),
        firefox(Linux, "snap", at(Home, "snap/firefox/common/.mozilla/firefox"), at(Home, "snap/firefox/common/.cache/mozilla/firefox")),
        firefox(Linux, "flatpak", at(Home, ".var/app/org.mozilla.firefox/.mozilla/firefox"), at(Home, ".var/app/org.mozilla.firefox/cache/mozilla/firefox")),
        firefox(Linux, "flatpak", at(Home, ".var/app/org.mozilla.firefox/config/mozilla/firefox"), at(Home, ".var/app/org.mozilla.firefox/cache/mozilla/firefox")),
        firefox(Macos, "standard", at(AppSupport, "Firefox"), at(Caches, "Firefox")),
        firefox(Windows, "standard", at(Roaming, "Mozilla/Firefox"), at(Local, "Mozilla/Firefox")),
    // Flathub's org.mozilla.firefox reads its policies from the unmanaged extension
    // org.mozilla.firefox.systemconfig, mounted at /app/etc/firefox
    // (<arch>/<branch>/policies/policies.json; mozilla/enterprise-admin-reference#226).
    ], facts: Facts { firefox_machine: true, flatpak_policy: &["org.mozilla.firefox.systemconfig"], ..NO_FACTS } },
    // The Firefox forks follow nsXREDirProvider's AppendProfilePath: with MOZ_APP_PROFILE
    // set, `~/.<profile lowercased>` on Linux (its local dir `~/.cache/<profile>`) and the
    // name as written under Application Support / %APPDATA% (local: Caches / %LOCALAPPDATA%),
    // profiles in `Profiles/`; without it, `<vendor>/<name>` lowercased under the XDG bases.
    // Flathub manifests `--persist=.<profile>` keep `~/.<profile>` under `.var/app/<id>`;
    // the `config/...` flatpak lines are the XDG form inside the sandbox. Their policies,
    // installs and versions are their own (facts: none, firefox_machine false).
    //
    // LibreWolf (MOZ_APP_PROFILE=librewolf, vendor LibreWolf): ~/.librewolf (firejail
    // librewolf.profile, BleachBit cleaners/librewolf.xml); XDG builds
    // ~/.config/librewolf/librewolf (BleachBit librewolf.xml, 150.0.1-1 .deb; home-manager
    // #8867, librewolf/source PR 120); Flathub io.gitlab.librewolf-community
    // `--persist=.librewolf`; macOS Application Support/librewolf (Homebrew cask
    // `librewolf` zap); Windows %APPDATA%\librewolf\Profiles (BleachBit, Flow-Launcher docs),
    // caches in %LOCALAPPDATA%\librewolf.
    BrowserRow { name: "librewolf", product: "LibreWolf", engine: Firefox, extension_ids: IdKind::Firefox, absent_on: &[], dirs: &[
        firefox(Linux, "standard", at(Home, ".librewolf"), at(XdgCache, "librewolf")),
        firefox(Linux, "xdg", at(XdgConfig, "librewolf/librewolf"), at(XdgCache, "librewolf/librewolf")),
        firefox(Linux, "flatpak", at(Home, ".var/app/io.gitlab.librewolf-community/.librewolf"), at(Home, ".var/app/io.gitlab.librewolf-community/cache/librewolf")),
        firefox(Linux, "flatpak", at(Home, ".var/app/io.gitlab.librewolf-community/config/librewolf/librewolf"), at(Home, ".var/app/io.gitlab.librewolf-community/cache/librewolf/librewolf")),
        firefox(Macos, "standard", at(AppSupport, "librewolf"), at(Caches, "librewolf")),
        firefox(Windows, "standard", at(Roaming, "librewolf"), at(Local, "librewolf")),
    ], facts: NO_FACTS },
    // Waterfox (BrowserWorks/Waterfox: waterfox/moz.configure MOZ_APP_PROFILE "Waterfox",
    // which keeps it at ~/.waterfox on Firefox 147+ bases too): ~/.waterfox and
    // ~/.cache/waterfox (BleachBit cleaners/waterfox.xml, firejail PR #1482); Flathub
    // net.waterfox.waterfox `--persist=.waterfox`; macOS Application Support/Waterfox
    // (Homebrew cask `waterfox` zap); Windows %APPDATA%\Waterfox\Profiles and
    // %LOCALAPPDATA%\Waterfox (BleachBit).
    BrowserRow { name: "waterfox", product: "Waterfox", engine: Firefox, extension_ids: IdKind::Firefox, absent_on: &[], dirs: &[
        firefox(Linux, "standard", at(Home, ".waterfox"), at(XdgCache, "waterfox")),
        firefox(Linux, "flatpak", at(Home, ".var/app/net.waterfox.waterfox/.waterfox"), at(Home, ".var/app/net.waterfox.waterfox/cache/waterfox")),
        firefox(Macos, "standard", at(AppSupport, "Waterfox"), at(Caches, "Waterfox")),
        firefox(Windows, "standard", at(Roaming, "Waterfox"), at(Local, "Waterfox")),
    ], facts: NO_FACTS },
    // Floorp (Floorp-Projects/Floorp: branding configure.sh MOZ_APP_PROFILE=Floorp):
    // ~/.floorp and ~/.cache/floorp (firejail floorp.profile, Floorp#771); new installs
    // since Floorp-Runtime PR #58 ("restore XDG profile paths") ~/.config/floorp; Flathub
    // one.ablaze.floorp `--persist=.floorp`; macOS Application Support/Floorp and
    // Caches/Floorp (Homebrew cask `floorp` zap); Windows %APPDATA%\Floorp and
    // %LOCALAPPDATA%\Floorp (Floorp#1876).
    BrowserRow { name: "floorp", product: "Floorp", engine: Firefox, extension_ids: IdKind::Firefox, absent_on: &[], dirs: &[
        firefox(Linux, "standard", at(Home, ".floorp"), at(XdgCache, "floorp")),
        firefox(Linux, "xdg", at(XdgConfig, "floorp"), at(XdgCache, "floorp")),
        firefox(Linux, "flatpak", at(Home, ".var/app/one.ablaze.floorp/.floorp"), at(Home, ".var/app/one.ablaze.floorp/cache/floorp")),
        firefox(Macos, "standard", at(AppSupport, "Floorp"), at(Caches, "Floorp")),
        firefox(Windows, "standard", at(Roaming, "Floorp"), at(Local, "Floorp")),
    ], facts: NO_FACTS },
    // Zen (zen-browser/desktop: configs/common/mozconfig MOZ_APP_PROFILE=${binName},
    // surfer.json binaryName "zen"): ~/.zen, and ~/.config/zen since 1.18.6b
    // (src/toolkit/xre/nsXREDirProvider-cpp.patch drops the profile-name guard of the XDG
    // move); Flathub app.zen_browser.zen, formerly io.github.zen_browser.zen, both
    // `--persist=.zen`; macOS Application Support/zen (Homebrew cask `zen` zap); Windows
    // %APPDATA%\zen\Profiles (rookie, Flow-Launcher docs), %LOCALAPPDATA%\zen.
    BrowserRow { name: "zen", product: "Zen", engine: Firefox, extension_ids: IdKind::Firefox, absent_on: &[], dirs: &[
        firefox(Linux, "standard", at(Home, ".zen"), at(XdgCache, "zen")),
        firefox(Linux, "xdg", at(XdgConfig, "zen"), at(XdgCache, "zen")),
        firefox(Linux, "flatpak", at(Home, ".var/app/app.zen_browser.zen/.zen"), at(Home, ".var/app/app.zen_browser.zen/cache/zen")),
        firefox(Linux, "flatpak", at(Home, ".var/app/app.zen_browser.zen/config/zen"), at(Home, ".var/app/app.zen_browser.zen/cache/zen")),
        firefox(Linux, "flatpak", at(Home, ".var/app/io.github.zen_browser.zen/.zen"), at(Home, ".var/app/io.github.zen_browser.zen/cache/zen")),
        firefox(Macos, "standard", at(AppSupport, "zen"), at(Caches, "zen")),
        firefox(Windows, "standard", at(Roaming, "zen"), at(Local, "zen")),
    ], facts: NO_FACTS },
    // Safari 14+ keeps its data in the sandbox container's `Library`; older Safari in the
    // home's own. Safari exists only on macOS.
    BrowserRow { name: "safari", product: "Safari", engine: Safari, extension_ids: IdKind::Safari, absent_on: &[Linux, Windows], dirs: &[
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
    fn names_are_unique_and_every_browser_has_paths_on_every_os_it_is_made_for() {
        for (i, row) in BROWSERS.iter().enumerate() {
            assert!(
                BROWSERS[..i].iter().all(|r| r.name != row.name),
                "{}",
                row.name
            );
            // A name is typed after `--browser` and keys JSON.
            assert!(
                row.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                row.name
            );
            for os in [Linux, Macos, Windows] {
                let has = row.dirs.iter().any(|d| d.os == os);
                assert_eq!(has, !row.absent_on.contains(&os), "{} on {os:?}", row.name);
            }
        }
    }

    /// Firefox's machine files are Firefox's: no fork is judged by them.
    #[test]
    fn only_firefox_has_firefox_machine_facts() {
        let with: Vec<_> = BROWSERS
            .iter()
            .filter(|r| r.facts.firefox_machine)
            .map(|r| r.name)
            .collect();
        assert_eq!(with, ["firefox"]);
        for row in BROWSERS.iter().filter(|r| r.engine == Firefox) {
            assert!(row.facts.policies.is_none(), "{}", row.name);
        }
    }

    /// The new rows resolve where their sources say (one per OS layout each).
    #[test]
    fn more_browsers_resolve_per_os() {
        let cases: &[(&str, Os, &str, Option<&str>)] = &[
            ("arc", Macos, "Library/Application Support/Arc/User Data", Some("Library/Caches/Arc/User Data")),
            ("arc", Windows, "AppData/Local/Packages/TheBrowserCompany.Arc_ttt1ap7aakyb4/LocalCache/Local/Arc/User Data", None),
            ("opera-gx", Macos, "Library/Application Support/com.operasoftware.OperaGX", Some("Library/Caches/com.operasoftware.OperaGX")),
            ("opera-gx", Windows, "AppData/Roaming/Opera Software/Opera GX Stable", Some("AppData/Local/Opera Software/Opera GX Stable")),
            ("yandex", Linux, ".config/yandex-browser", Some(".cache/yandex-browser")),
            ("yandex", Macos, "Library/Application Support/Yandex/YandexBrowser", Some("Library/Caches/Yandex/YandexBrowser")),
            ("yandex", Windows, "AppData/Local/Yandex/YandexBrowser/User Data", None),
            ("whale", Linux, ".config/naver-whale", Some(".cache/naver-whale")),
            ("whale", Macos, "Library/Application Support/Naver/Whale", Some("Library/Caches/Naver/Whale")),
            ("whale", Windows, "AppData/Local/Naver/Naver Whale/User Data", None),
            ("thorium", Linux, ".config/thorium", Some(".cache/thorium")),
            ("thorium", Macos, "Library/Application Support/Thorium", Some("Library/Caches/Thorium")),
            ("thorium", Windows, "AppData/Local/Thorium/User Data", None),
            ("chrome-for-testing", Linux, ".config/google-chrome-for-testing", Some(".cache/google-chrome-for-testing")),
            ("chrome-for-testing", Macos, "Library/Application Support/Google/Chrome for Testing", Some("Library/Caches/Google/Chrome for Testing")),
            ("chrome-for-testing", Windows, "AppData/Local/Google/Chrome for Testing/User Data", None),
            ("librewolf", Linux, ".librewolf", Some(".cache/librewolf")),
            ("librewolf", Macos, "Library/Application Support/librewolf", Some("Library/Caches/librewolf")),
            ("librewolf", Windows, "AppData/Roaming/librewolf", Some("AppData/Local/librewolf")),
            ("waterfox", Linux, ".waterfox", Some(".cache/waterfox")),
            ("waterfox", Macos, "Library/Application Support/Waterfox", Some("Library/Caches/Waterfox")),
            ("waterfox", Windows, "AppData/Roaming/Waterfox", Some("AppData/Local/Waterfox")),
            ("floorp", Linux, ".floorp", Some(".cache/floorp")),
            ("floorp", Macos, "Library/Application Support/Floorp", Some("Library/Caches/Floorp")),
            ("floorp", Windows, "AppData/Roaming/Floorp", Some("AppData/Local/Floorp")),
            ("zen", Linux, ".zen", Some(".cache/zen")),
            ("zen", Macos, "Library/Application Support/zen", Some("Library/Caches/zen")),
            ("zen", Windows, "AppData/Roaming/zen", Some("AppData/Local/zen")),
        ];
        for &(name, os, data, cache) in cases {
            let layout = Layout::for_home(os, "/h");
            let d = *Browser::named(name).unwrap().dirs(os).next().unwrap();
            assert_eq!(
                layout.resolve(d.data),
                Path::new("/h").join(data),
                "{name} {os:?}"
            );
            assert_eq!(
                d.cache.map(|c| layout.resolve(c)),
                cache.map(|c| Path::new("/h").join(c)),
                "{name} {os:?}"
            );
        }
        // The XDG roots of the forks that moved there.
        let x = Layout::for_home(Linux, "/h");
        for (name, data) in [
            ("librewolf", "/h/.config/librewolf/librewolf"),
            ("floorp", "/h/.config/floorp"),
            ("zen", "/h/.config/zen"),
        ] {
            let b = Browser::named(name).unwrap();
            assert!(
                b.dirs(Linux)
                    .any(|d| d.channel == "xdg" && x.resolve(d.data) == Path::new(data)),
                "{name}"
            );
        }
        for name in ["arc", "opera-gx"] {
            assert_eq!(
                Browser::named(name).unwrap().dirs(Linux).count(),
                0,
                "{name}"
            );
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
