//! Enterprise policies of the selected browsers that block the login hosts, cookies or
//! JavaScript, force a proxy, an extension or private windows (doctor-signals.md S9).
//! Every source (a JSON file, a macOS managed plist, a registry key) is turned into one
//! JSON object of policies, and one set of rules judges them all.

use crate::browser::table::PolicyPlaces;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::hosts::{self, Need};
use super::registry::{Got, Part};
use super::sysfile;
use super::system_proxy::strip_credentials;
use super::{Checked, Context, Evidence, Finding, FindingId, NotChecked, Scope, Severity, Unread};
use crate::browser::{Browser, Engine};
use crate::extensions::catalog::Catalog;
use crate::platform::Os;
use crate::targets::{host_within, HostRule};

/// Policy files are small; a larger one is refused rather than parsed.
const MAX_POLICY_BYTES: u64 = 8 * 1024 * 1024;

/// Mandatory policies, or recommended ones (the user may change those: one step milder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Mandatory,
    Recommended,
}

/// One source of policies.
#[derive(Clone)]
struct Source {
    /// The file, or the registry key written as a path (`HKLM\SOFTWARE\Policies\...`).
    file: PathBuf,
    level: Level,
    /// The machine's, or the home user's (their HKCU).
    scope: Scope,
    policies: Map<String, Value>,
}

/// Firefox installs whose `distribution/policies.json` is read when the system-wide
/// file is absent (Linux), or always (macOS, Windows).
const FIREFOX_LINUX_INSTALLS: &[&str] = &[
    "usr/lib/firefox",
    "usr/lib/firefox-esr",
    "usr/lib64/firefox",
    "usr/lib64/firefox-esr",
    "opt/firefox",
];
const FIREFOX_MAC_INSTALLS: &[&str] = &["Applications/Firefox.app/Contents/Resources"];
const FIREFOX_WIN_INSTALLS: &[&str] = &[
    "Program Files/Mozilla Firefox",
    "Program Files (x86)/Mozilla Firefox",
];
const FIREFOX_WIN_KEY: &str = "SOFTWARE\\Policies\\Mozilla\\Firefox";

pub fn check(ctx: &Context) -> Checked {
    let mut checked = Checked::default();
    // Policy files are the machine's; only Windows keeps a user's policies (HKCU), and
    // those are read in the run that reads the home.
    if !ctx.reach.machine() && ctx.layout.os != Os::Windows {
        return checked;
    }
    let mut registry_skipped = false;
    for &browser in ctx.browsers {
        let mut sources = match browser.engine() {
            Engine::Chromium => {
                let Some(places) = browser.row().facts.policies else {
                    continue;
                };
                chromium_sources(ctx, &places, &mut checked, &mut registry_skipped)
            }
            // Firefox's own places; a fork (LibreWolf, Zen, ...) reads its own install's
            // and is not judged by Firefox's.
            Engine::Firefox if browser.row().facts.firefox_machine => {
                // The prefs the policies set are judged with the machine's other prefs;
                // whoever reads those first says what could not be read.
                let (machine, first) = super::firefox::machine(ctx);
                if first {
                    checked.unread.extend(machine.unread().iter().cloned());
                }
                firefox_sources(ctx, &mut checked, &mut registry_skipped)
            }
            Engine::Firefox => continue,
            Engine::Safari => continue,
        };
        machine_wins(&mut sources);
        // Each install reads its own policies: the host's, and each Flatpak build's.
        let mut installs = vec![Install {
            sources,
            firefox_views: None,
        }];
        installs.extend(flatpak_sources(ctx, browser, &mut checked));
        for install in installs {
            for f in judge(ctx, browser, &install.sources, install.firefox_views) {
                // Each run reports its own part: the machine's, or the user's.
                let mine = match f.scope {
                    Scope::Machine => ctx.reach.machine(),
                    _ => ctx.reach.user(),
                };
                if mine {
                    checked.found(f);
                }
            }
        }
    }
    if registry_skipped && ctx.reach.machine() {
        checked.not_checked.push(NotChecked {
            ids: POLICY_IDS.to_vec(),
            reason: crate::i18n::t("not-checked-policy-registry"),
        });
    }
    if ctx.layout.os == Os::Windows {
        for file in ctx.registry().unfinished() {
            checked.not_checked.push(NotChecked {
                ids: POLICY_IDS.to_vec(),
                reason: crate::i18n::ta(
                    "not-checked-hive-unfinished",
                    &[("file", &file.display().to_string())],
                ),
            });
        }
    }
    checked
}

/// A machine policy wins over the user's at the same level (Chromium's PolicyMap orders
/// by level, then scope; Firefox reads HKLM over HKCU): the user's source loses it.
fn machine_wins(sources: &mut [Source]) {
    let machine: Vec<(Level, String)> = sources
        .iter()
        .filter(|s| s.scope == Scope::Machine)
        .flat_map(|s| s.policies.keys().map(move |k| (s.level, k.clone())))
        .collect();
    for s in sources.iter_mut().filter(|s| s.scope != Scope::Machine) {
        let level = s.level;
        s.policies
            .retain(|name, _| !machine.iter().any(|(l, k)| *l == level && k == name));
    }
}

const POLICY_IDS: &[FindingId] = &[
    FindingId::PolicyBlocksSite,
    FindingId::PolicyClearsData,
    FindingId::SignInRestricted,
    FindingId::PolicyBlocksCookies,
    FindingId::PolicyBlocksJavascript,
    FindingId::PolicyForcesExtension,
    FindingId::ProxyBrowser,
    FindingId::PrivateOnly,
];

fn chromium_sources(
    ctx: &Context,
    places: &PolicyPlaces,
    checked: &mut Checked,
    registry_skipped: &mut bool,
) -> Vec<Source> {
    let mut sources = Vec::new();
    match ctx.layout.os {
        Os::Linux => {
            for base in places.linux {
                for (sub, level) in [
                    ("managed", Level::Mandatory),
                    ("recommended", Level::Recommended),
                ] {
                    let dir = ctx.system_path(&format!("{base}/{sub}"));
                    sources.extend(chromium_dir(ctx, &dir, level, checked));
                }
            }
        }
        Os::Macos => {
            for file in mac_managed_plists(ctx, places.mac_domain) {
                if let Some(policies) = plist_source(ctx, &file, checked) {
                    let mut source = Source {
                        scope: Scope::Machine,
                        file,
                        level: Level::Mandatory,
                        policies,
                    };
                    // PolicyLoaderMac takes the plist's values as they are
                    // (components/policy/core/common/policy_loader_mac.mm: PropertyToValue,
                    // no schema conversion): a `<string>2</string>` stays a string.
                    drop_wrong_types(&mut source, checked);
                    sources.push(source);
                }
            }
        }
        // The registry loader converts values to the schema's types (registry_dict.cc).
        Os::Windows => registry_sources(
            ctx,
            places.win_key,
            true,
            &mut sources,
            checked,
            registry_skipped,
        ),
    }
    keep_mandatory_only(&mut sources);
    sources
}

/// Drops the recommended values of [`MANDATORY_ONLY`] policies.
fn keep_mandatory_only(sources: &mut [Source]) {
    for s in sources.iter_mut().filter(|s| s.level == Level::Recommended) {
        s.policies
            .retain(|name, _| !MANDATORY_ONLY.contains(&name.as_str()));
    }
}

/// One install's policies. `firefox_views`: the prefs in effect in its Firefox
/// profiles, when they are not the host's ([`super::firefox::home_views`]).
struct Install {
    sources: Vec<Source>,
    firefox_views: Option<Vec<super::firefox::Effective>>,
}

/// Where unmanaged Flatpak extensions live: the system's (`flatpak --system`; a user's
/// own, under their home, are not read).
const FLATPAK_EXTENSIONS: &str = "var/lib/flatpak/extension";

/// The policies of `browser`'s Flatpak builds on Linux, one set per build: the sandbox
/// sees its unmanaged extensions, not the host's `/etc`.
fn flatpak_sources(ctx: &Context, browser: Browser, checked: &mut Checked) -> Vec<Install> {
    let points = browser.row().facts.flatpak_policy;
    if ctx.layout.os != Os::Linux || !ctx.reach.machine() || points.is_empty() {
        return Vec::new();
    }
    let root = ctx.system_path(FLATPAK_EXTENSIONS);
    let dirs = |dir: &Path, checked: &mut Checked| match sysfile::list_all_dirs(dir) {
        Ok(d) => d.unwrap_or_default(),
        Err(e) => {
            checked.unread.push(Unread::machine(dir, e));
            Vec::new()
        }
    };
    let named = |dir: &Path, checked: &mut Checked, keep: &dyn Fn(&str) -> bool| {
        dirs(dir, checked)
            .into_iter()
            .filter(|d| d.file_name().and_then(|n| n.to_str()).is_some_and(keep))
            .collect::<Vec<_>>()
    };
    match browser.engine() {
        // `<point>.<id>/<arch>/1/policies/{managed,recommended}` of every extension of
        // each point (`subdirectories: true`, version '1'), merged into one directory of
        // each level (`merge-dirs`): files in name order, the first of a name kept.
        Engine::Chromium => {
            let mut levels: [(Level, &str, Vec<PathBuf>); 2] = [
                (Level::Mandatory, "managed", Vec::new()),
                (Level::Recommended, "recommended", Vec::new()),
            ];
            for point in points {
                let prefix = format!("{point}.");
                for ext in named(&root, checked, &|n| {
                    n.starts_with(&prefix) && n.len() > prefix.len()
                }) {
                    for arch in dirs(&ext, checked) {
                        for (_, sub, files) in &mut levels {
                            let dir = arch.join("1/policies").join(*sub);
                            match sysfile::list_all(&dir) {
                                Ok(f) => files.extend(f.unwrap_or_default()),
                                Err(e) => checked.unread.push(Unread::machine(&dir, e)),
                            }
                        }
                    }
                }
            }
            let mut sources = Vec::new();
            for (level, _, mut files) in levels {
                files.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then(a.cmp(b)));
                files.dedup_by(|b, a| a.file_name() == b.file_name());
                sources.extend(chromium_files(ctx, &files, level, checked));
            }
            keep_mandatory_only(&mut sources);
            if sources.is_empty() {
                Vec::new()
            } else {
                vec![Install {
                    sources,
                    firefox_views: None,
                }]
            }
        }
        // `<point>/<arch>/<branch>/policies/policies.json`: each branch (stable, beta) is
        // its own build.
        Engine::Firefox => {
            let mut installs = Vec::new();
            for point in points {
                for arch in dirs(&root.join(point), checked) {
                    for branch in dirs(&arch, checked) {
                        let file = branch.join("policies/policies.json");
                        if let Some(mut s) =
                            json_source(ctx, &file, Level::Mandatory, true, checked)
                        {
                            firefox_normalize(&mut s, checked);
                            // The build's own defaults are not the host's: only its
                            // policies' prefs, over its profiles' own.
                            let prefs = firefox_prefs_of(vec![s.clone()]);
                            let views = super::firefox::views_with(ctx, prefs, "flatpak");
                            installs.push(Install {
                                sources: vec![s],
                                firefox_views: Some(views),
                            });
                        }
                    }
                }
            }
            installs
        }
        Engine::Safari => Vec::new(),
    }
}

/// Chromium policies a recommended value of which is ignored: the extension lists are
/// read from managed prefs only (chrome/browser/extensions/extension_management.cc
/// `Refresh`: `force_managed`), the browsing-data ones have `RECOMMENDED_PROHIBITED`
/// handlers (chrome/browser/browsing_data/browsing_data_lifetime_policy_handler.cc).
const MANDATORY_ONLY: &[&str] = &[
    "ExtensionInstallForcelist",
    "ExtensionSettings",
    "ClearBrowsingDataOnExitList",
    "BrowsingDataLifetime",
];

/// The sources of Firefox's policies, as EnterprisePoliciesParent.sys.mjs combines them:
/// policies.json (on Linux the system-wide file, else the install's), then the platform's
/// (the registry, the macOS preference domain), which win policy by policy
/// (`CombinedProvider`: "providers added later take precedence"); each value in the form
/// Firefox's schema validator leaves it ([`firefox_normalize`]).
fn firefox_sources(
    ctx: &Context,
    checked: &mut Checked,
    registry_skipped: &mut bool,
) -> Vec<Source> {
    let mut sources = Vec::new();
    let mut platform = Vec::new();
    let installs: &[&str] = match ctx.layout.os {
        Os::Linux => {
            // Firefox (also Debian's firefox-esr) reads this one instead of the install's.
            let system = ctx.system_path("etc/firefox/policies/policies.json");
            if super::exists(&system) {
                sources.extend(json_source(ctx, &system, Level::Mandatory, true, checked));
                &[]
            } else {
                FIREFOX_LINUX_INSTALLS
            }
        }
        Os::Macos => {
            platform = firefox_mac_sources(ctx, checked);
            FIREFOX_MAC_INSTALLS
        }
        Os::Windows => {
            registry_sources(
                ctx,
                FIREFOX_WIN_KEY,
                false,
                &mut platform,
                checked,
                registry_skipped,
            );
            FIREFOX_WIN_INSTALLS
        }
    };
    for install in installs {
        let file = ctx.system_path(&format!("{install}/distribution/policies.json"));
        sources.extend(json_source(ctx, &file, Level::Mandatory, true, checked));
    }
    for s in &mut sources {
        s.policies
            .retain(|name, _| !platform.iter().any(|p| p.policies.contains_key(name)));
    }
    sources.extend(platform);
    for s in &mut sources {
        firefox_normalize(s, checked);
    }
    sources
}

/// Firefox's `org.mozilla.firefox` preference domain as NSUserDefaults gives it
/// (widget/cocoa/nsMacPreferencesReader.mm `ReadPreferences`: `standardUserDefaults`):
/// the managed plists (the user's, then the machine's), then the one `sudo defaults
/// write /Library/Preferences/org.mozilla.firefox` writes; a policy an earlier one sets
/// wins. Flattened keys (`Cookies__Behavior`) are unflattened
/// (toolkit/components/enterprisepolicies/macOSPoliciesParser.sys.mjs). The domain
/// counts only when `EnterprisePoliciesEnabled` is true (`PoliciesEnabled`). The user's
/// own ~/Library/Preferences plist, which Firefox reads too, is not read here.
fn firefox_mac_sources(ctx: &Context, checked: &mut Checked) -> Vec<Source> {
    const DOMAIN: &str = "org.mozilla.firefox";
    let mut files = mac_managed_plists(ctx, DOMAIN);
    files.reverse();
    files.push(ctx.system_path(&format!("Library/Preferences/{DOMAIN}.plist")));
    let mut sources: Vec<Source> = Vec::new();
    for file in files {
        let Some(policies) = plist_source(ctx, &file, checked) else {
            continue;
        };
        let mut policies = unflatten(policies);
        policies.retain(|name, _| !sources.iter().any(|s| s.policies.contains_key(name)));
        sources.push(Source {
            scope: Scope::Machine,
            file,
            level: Level::Mandatory,
            policies,
        });
    }
    let enabled = sources
        .iter()
        .find_map(|s| s.policies.get("EnterprisePoliciesEnabled"))
        .is_some_and(ns_bool);
    if !enabled {
        return Vec::new();
    }
    for s in &mut sources {
        s.policies.remove("EnterprisePoliciesEnabled");
    }
    sources
}

/// A value as NSUserDefaults `boolForKey` reads it: a true boolean, a non-zero number,
/// or a string starting with `Y`, `y`, `T`, `t` or a non-zero digit.
fn ns_bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => s
            .trim_start()
            .starts_with(|c: char| matches!(c, 'Y' | 'y' | 'T' | 't' | '1'..='9')),
        _ => false,
    }
}

/// macOS policies written with flattened keys (`Homepage__URL`, `WebsiteFilter__Block__0`)
/// as nested ones: a number after `__` is a list index (up to 50), a name a dictionary key
/// (macOSPoliciesParser.sys.mjs `unflatten`). A key that cannot be placed is dropped.
fn unflatten(input: Map<String, Value>) -> Map<String, Value> {
    let mut out = Value::Object(Map::new());
    let mut flat = Vec::new();
    for (key, value) in input {
        if key.contains("__") {
            flat.push((key, value));
        } else if let Value::Object(o) = &mut out {
            o.insert(key, value);
        }
    }
    for (key, value) in flat {
        let parts: Vec<&str> = key.split("__").collect();
        let index = |p: &str| p.parse::<usize>().ok();
        if parts.iter().any(|p| index(p).is_some_and(|i| i > 50)) {
            continue;
        }
        let mut node = &mut out;
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let next_is_index = parts.get(i + 1).is_some_and(|p| index(p).is_some());
            let fresh = || {
                if next_is_index {
                    Value::Array(Vec::new())
                } else {
                    Value::Object(Map::new())
                }
            };
            let slot = match (node, index(part)) {
                (Value::Object(o), _) => o.entry(part.to_string()).or_insert_with(fresh),
                (Value::Array(a), Some(i)) => {
                    if a.len() <= i {
                        a.resize(i + 1, Value::Null);
                    }
                    if a[i].is_null() && !last {
                        a[i] = fresh();
                    }
                    &mut a[i]
                }
                _ => break,
            };
            if last {
                *slot = value.clone();
                break;
            }
            if !(slot.is_object() || slot.is_array()) {
                break;
            }
            node = slot;
        }
    }
    match out {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

/// Firefox's policies its schema gives `contentMediaType: application/json`, which a
/// source may give as a JSON string (the one-line form of GPO and Intune).
const FIREFOX_JSON_POLICIES: &[&str] = &["WebsiteFilter", "Preferences", "ExtensionSettings"];

/// A Firefox source's values as PolicySchemaValidator.sys.mjs `normalize` leaves them: a
/// JSON-string policy parsed (one that does not parse, or is not an object, fails and is
/// ignored).
fn firefox_normalize(source: &mut Source, checked: &mut Checked) {
    for name in FIREFOX_JSON_POLICIES {
        let Some(Value::String(text)) = source.policies.get(*name) else {
            continue;
        };
        match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Object(_)) => {
                source.policies.insert((*name).to_string(), v);
            }
            _ => {
                source.policies.remove(*name);
                checked.unread.push(Unread::machine(
                    &source.file,
                    crate::i18n::ta(
                        "unread-policy-type",
                        &[
                            ("name", name),
                            ("what", &crate::i18n::t("json-string")),
                            ("want", &crate::i18n::t("json-dict")),
                        ],
                    ),
                ));
            }
        }
    }
}

/// What a Firefox policy does to one pref.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyPrefOp {
    /// `PoliciesUtils.setDefaultPref` and the `Preferences` policy's `default` and
    /// `locked`: the default value, then locked (`Some(true)`), unlocked (`Some(false)`)
    /// or locked as it was (`None`). `typed`: the `Preferences` policy's `Type`.
    Default {
        value: Value,
        lock: Option<bool>,
        typed: Option<&'static str>,
    },
    /// The `Preferences` policy's `user`: the user value, set after the profile's files.
    User {
        value: Value,
        typed: Option<&'static str>,
    },
    /// The `Preferences` policy's `clear`: the user value removed.
    Clear,
    /// Locked or unlocked, the value as it is.
    Lock(bool),
}

/// One thing a Firefox policy does to a pref.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyPref {
    pub name: String,
    pub op: PolicyPrefOp,
    /// The policy: `Preferences`, `Cookies`, ...
    pub policy: &'static str,
    pub file: PathBuf,
}

/// The Firefox policies that set prefs doctor reads, by the phase they run in
/// (browser/components/enterprisepolicies/Policies.sys.mjs: `onBeforeAddons`, then
/// `onBeforeUIStartup`), both after the profile's prefs files and AutoConfig.
const FIREFOX_PREF_PHASES: &[&[&str]] = &[
    &[
        "DisablePrivateBrowsing",
        "DNSOverHTTPS",
        "Preferences",
        "PrivateBrowsingModeAvailability",
        "Proxy",
    ],
    &["ClearOnShutdown", "Cookies", "SanitizeOnShutdown"],
];

/// What the Firefox policies (policies.json, the registry, the macOS domain) do to the
/// prefs doctor reads, in the order Firefox does it: phase by phase, each phase in the
/// order of the merged policies (EnterprisePoliciesParent.sys.mjs `_activatePolicies`;
/// serde_json keeps names sorted, which stands in for the file's order).
pub fn firefox_policy_prefs(ctx: &Context, checked: &mut Checked) -> Vec<PolicyPref> {
    let mut skipped = false;
    let mut sources = firefox_sources(ctx, checked, &mut skipped);
    machine_wins(&mut sources);
    firefox_prefs_of(sources)
}

/// What the Firefox policies of `sources` do to the prefs doctor reads.
fn firefox_prefs_of(sources: Vec<Source>) -> Vec<PolicyPref> {
    let mut all: std::collections::BTreeMap<&str, (&Value, &PathBuf)> = Default::default();
    for s in &sources {
        for (name, v) in &s.policies {
            all.entry(name.as_str()).or_insert((v, &s.file));
        }
    }
    // SanitizeOnShutdown "is ignored when ClearOnShutdown is also set".
    let clear_set = firefox_clear_on_shutdown(all.get("ClearOnShutdown").map(|(v, _)| *v));
    let mut out = Vec::new();
    for phase in FIREFOX_PREF_PHASES {
        for (name, (v, file)) in &all {
            let Some(policy) = phase.iter().find(|p| *p == name) else {
                continue;
            };
            if *policy == "SanitizeOnShutdown" && clear_set.is_some() {
                continue;
            }
            firefox_policy_ops(policy, v, &mut |pref: &str, op| {
                out.push(PolicyPref {
                    name: pref.to_string(),
                    op,
                    policy,
                    file: (*file).clone(),
                })
            });
        }
    }
    out
}

/// A default set and locked: `setAndLockPref`.
fn locked_default(value: Value) -> PolicyPrefOp {
    default_locked_as(value, Some(true))
}

/// A default set, the lock as `lock` says (a policy's `Locked`; `None`: as it was).
fn default_locked_as(value: Value, lock: Option<bool>) -> PolicyPrefOp {
    PolicyPrefOp::Default {
        value,
        lock,
        typed: None,
    }
}

/// A Firefox boolean field as PolicySchemaValidator.sys.mjs normalizes it (`true`, 1,
/// "true"); `None` for anything else, which fails the schema.
fn firefox_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `ClearOnShutdown` as Firefox takes it: a boolean for every category, or the categories
/// it names; `None` when absent or invalid (a category that is not a boolean).
fn firefox_clear_on_shutdown(v: Option<&Value>) -> Option<Vec<(&'static str, bool)>> {
    const CATEGORIES: &[&str] = &[
        "BrowsingHistoryAndDownloads",
        "CookiesAndStorage",
        "Cache",
        "FormData",
        "SiteSettings",
    ];
    let v = v?;
    if let Some(all) = firefox_bool(Some(v)) {
        return Some(CATEGORIES.iter().map(|c| (*c, all)).collect());
    }
    let o = v.as_object()?;
    let mut named = Vec::new();
    for c in CATEGORIES {
        if let Some(x) = o.get(*c) {
            named.push((*c, firefox_bool(Some(x))?));
        }
    }
    Some(named)
}

/// `Cookies.Behavior` and `BehaviorPrivateBrowsing` values (nsICookieService BEHAVIOR_*).
fn firefox_cookie_behavior(name: &str) -> Option<i64> {
    Some(match name {
        "accept" => 0,
        "reject-foreign" => 1,
        "reject" => 2,
        "limit-foreign" => 3,
        "reject-tracker" => 4,
        "reject-tracker-and-partition-foreign" | "partition-foreign" => 5,
        _ => return None,
    })
}

/// Whether the `Cookies` policy passes Firefox's schema (policies-schema.json): its enums
/// hold known values, its booleans are booleans. One that fails is not applied at all.
fn firefox_cookies_valid(c: &Value) -> bool {
    let Some(o) = c.as_object() else {
        return false;
    };
    let enum_ok = |k: &str, ok: &dyn Fn(&str) -> bool| match o.get(k) {
        None => true,
        Some(v) => v.as_str().is_some_and(ok),
    };
    let bool_ok = |k: &str| match o.get(k) {
        None => true,
        Some(v) => firefox_bool(Some(v)).is_some(),
    };
    let behavior = |b: &str| firefox_cookie_behavior(b).is_some();
    enum_ok("Behavior", &behavior)
        && enum_ok("BehaviorPrivateBrowsing", &behavior)
        && enum_ok("AcceptThirdParty", &|a| {
            matches!(a, "always" | "never" | "from-visited")
        })
        && ["Default", "RejectTracker", "ExpireAtSessionEnd", "Locked"]
            .into_iter()
            .all(bool_ok)
}

/// The `network.cookie.cookieBehavior` the `Cookies` policy sets (Policies.sys.mjs
/// `Cookies`): `Behavior`'s, which "takes precedence" (set with
/// `BehaviorPrivateBrowsing` alone, the pref keeps its value); without either, the
/// deprecated `Default`, `AcceptThirdParty`, `RejectTracker` decide (`Locked` alone:
/// accept). `None`: left as it is. `ExpireAtSessionEnd` "has no effect anymore".
fn firefox_cookies_behavior(o: &Map<String, Value>) -> Option<i64> {
    let text = |k: &str| o.get(k).and_then(Value::as_str);
    if o.contains_key("Behavior") || o.contains_key("BehaviorPrivateBrowsing") {
        return firefox_cookie_behavior(text("Behavior")?);
    }
    let default = firefox_bool(o.get("Default"));
    let locked = firefox_bool(o.get("Locked")) == Some(true);
    if default.is_none()
        && !o.contains_key("AcceptThirdParty")
        && !o.contains_key("RejectTracker")
        && !locked
    {
        return None;
    }
    Some(if default == Some(false) {
        2
    } else if let Some(a) = text("AcceptThirdParty") {
        match a {
            "never" => 1,
            "from-visited" => 3,
            _ => 0,
        }
    } else if firefox_bool(o.get("RejectTracker")) == Some(true) {
        4
    } else {
        0
    })
}

/// A proxy address as ProxyPolicies.sys.mjs reads it (`URL.parse("https://" +
/// address)`): the host, and the port when one other than https's own is given (the
/// port pref is set only then). `None` for what does not parse.
fn firefox_proxy_address(address: &str) -> Option<(String, Option<i64>)> {
    let rest = address.trim();
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rsplit_once(':') {
        // An IPv6 literal without a port.
        Some((h, _)) if h.starts_with('[') && !h.ends_with(']') => (authority, ""),
        Some((h, p)) => (h, p),
        None => (authority, ""),
    };
    let port = match port {
        "" | "443" => None,
        p => Some(p.parse::<u16>().ok()?),
    };
    let host = host.to_ascii_lowercase();
    (!host.is_empty() && !host.contains(char::is_whitespace))
        .then(|| (host, port.filter(|p| *p > 0).map(i64::from)))
}

/// Whether a `urlOrEmpty` field holds what Firefox's schema takes: nothing, an empty
/// string or a URL.
fn firefox_url_or_empty(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(v) => v.as_str().is_some_and(|u| u.is_empty() || valid_url(u)),
    }
}

/// The prefs `policy` sets (only those doctor reads), as Policies.sys.mjs and
/// ProxyPolicies.sys.mjs set them; a value Firefox's schema refuses sets nothing.
fn firefox_policy_ops(policy: &str, v: &Value, push: &mut dyn FnMut(&str, PolicyPrefOp)) {
    let autostart = super::firefox::PRIVATE_AUTOSTART;
    match policy {
        "Preferences" => {
            let Some(prefs) = v.as_object() else { return };
            for (name, setting) in prefs {
                if !firefox_pref_allowed(name) {
                    continue;
                }
                if let Some(op) = firefox_preference(setting) {
                    push(name, op);
                }
            }
        }
        "DisablePrivateBrowsing" if firefox_bool(Some(v)) == Some(true) => {
            push(autostart, locked_default(Value::Bool(false)));
        }
        "PrivateBrowsingModeAvailability" => match v.as_i64() {
            Some(1) => push(autostart, locked_default(Value::Bool(false))),
            Some(2) => push(autostart, locked_default(Value::Bool(true))),
            _ => {}
        },
        "DNSOverHTTPS" => {
            let Some(o) = v.as_object() else { return };
            if !firefox_url_or_empty(o.get("ProviderURL")) {
                return;
            }
            let lock = firefox_bool(o.get("Locked"));
            if let Some(enabled) = firefox_bool(o.get("Enabled")) {
                let mode = match (enabled, firefox_bool(o.get("Fallback"))) {
                    (true, Some(false)) => 3,
                    (true, _) => 2,
                    (false, _) => 5,
                };
                push("network.trr.mode", default_locked_as(mode.into(), lock));
            }
            let url = o.get("ProviderURL").and_then(Value::as_str);
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                push("network.trr.uri", default_locked_as(url.into(), lock));
            }
        }
        "Proxy" => {
            let Some(o) = v.as_object() else { return };
            let mode = match o.get("Mode").map(Value::as_str) {
                None => None,
                Some(Some("none")) => Some(0),
                Some(Some("manual")) => Some(1),
                Some(Some("autoConfig")) => Some(2),
                Some(Some("autoDetect")) => Some(4),
                Some(Some("system")) => Some(5),
                Some(_) => return,
            };
            if !firefox_url_or_empty(o.get("AutoConfigURL")) {
                return;
            }
            let set = |value: Value| default_locked_as(value, None);
            if let Some(mode) = mode {
                push("network.proxy.type", set(mode.into()));
            }
            let text = |k: &str| o.get(k).and_then(Value::as_str).filter(|a| !a.is_empty());
            if let Some(pac) = text("AutoConfigURL") {
                push("network.proxy.autoconfig_url", set(pac.into()));
            }
            let all = firefox_bool(o.get("UseHTTPProxyForAllProtocols"));
            if let Some(all) = all {
                push("network.proxy.share_proxy_settings", set(all.into()));
            }
            // The HTTP proxy is copied to the SSL one only with UseHTTPProxyForAllProtocols
            // (share_proxy_settings is "a UI feature, not handled by the network code").
            let ssl = match (text("HTTPProxy"), all) {
                (Some(http), Some(true)) => Some(http),
                _ => text("SSLProxy"),
            };
            let servers = [
                ("http", text("HTTPProxy")),
                ("ssl", ssl),
                ("socks", text("SOCKSProxy")),
            ];
            for (kind, address) in servers {
                let Some((host, port)) = address.and_then(firefox_proxy_address) else {
                    continue;
                };
                push(&format!("network.proxy.{kind}"), set(host.into()));
                if let Some(port) = port {
                    push(&format!("network.proxy.{kind}_port"), set(port.into()));
                }
            }
            // "All preferences should be locked regardless of whether or not a specific
            // value was set."
            if firefox_bool(o.get("Locked")) == Some(true) {
                for pref in [
                    "network.proxy.type",
                    "network.proxy.autoconfig_url",
                    "network.proxy.share_proxy_settings",
                    "network.proxy.http",
                    "network.proxy.http_port",
                    "network.proxy.ssl",
                    "network.proxy.ssl_port",
                    "network.proxy.socks",
                    "network.proxy.socks_port",
                ] {
                    push(pref, PolicyPrefOp::Lock(true));
                }
            }
        }
        "ClearOnShutdown" => {
            let Some(categories) = firefox_clear_on_shutdown(Some(v)) else {
                return;
            };
            // A boolean sets every category; named ones are enforced with the sanitizer
            // on, the others left to the person.
            let sanitize = firefox_bool(Some(v)).unwrap_or(true);
            push(
                "privacy.sanitize.sanitizeOnShutdown",
                locked_default(sanitize.into()),
            );
            for (category, on) in categories {
                if category == "CookiesAndStorage" {
                    push(
                        "privacy.clearOnShutdown_v2.cookiesAndStorage",
                        locked_default(on.into()),
                    );
                }
            }
        }
        "Cookies" => {
            let Some(o) = v.as_object().filter(|_| firefox_cookies_valid(v)) else {
                return;
            };
            // Set "no matter what just in case the policy was only used to lock".
            let lock = firefox_bool(o.get("Locked"));
            let pref = "network.cookie.cookieBehavior";
            match (firefox_cookies_behavior(o), lock) {
                (Some(b), lock) => push(pref, default_locked_as(b.into(), lock)),
                (None, Some(lock)) => push(pref, PolicyPrefOp::Lock(lock)),
                (None, None) => {}
            }
        }
        "SanitizeOnShutdown" => {
            let cookie_prefs = [
                "privacy.clearOnShutdown.cookies",
                "privacy.clearOnShutdown_v2.cookiesAndStorage",
            ];
            let sanitize = "privacy.sanitize.sanitizeOnShutdown";
            if let Some(all) = firefox_bool(Some(v)) {
                push(sanitize, locked_default(all.into()));
                for pref in cookie_prefs {
                    push(pref, locked_default(all.into()));
                }
                return;
            }
            let Some(o) = v.as_object() else { return };
            // Without `Locked` every pref is locked, the categories not named too.
            let (locked, unnamed) = match o.get("Locked") {
                None => (Some(true), Some(true)),
                Some(l) => match firefox_bool(Some(l)) {
                    Some(l) => (Some(l), Some(false)),
                    None => return,
                },
            };
            let cookies = match o.get("Cookies") {
                None => (false, unnamed),
                Some(c) => match firefox_bool(Some(c)) {
                    Some(c) => (c, locked),
                    None => return,
                },
            };
            push(sanitize, default_locked_as(true.into(), locked));
            for pref in cookie_prefs {
                push(pref, default_locked_as(cookies.0.into(), cookies.1));
            }
        }
        _ => {}
    }
}

/// Whether the `Preferences` policy may set `name`: the prefixes and security prefs
/// Policies.sys.mjs allows (`allowedPrefixes`, `allowedSecurityPrefs`, less
/// `blockedPrefs`); any other "is not allowed for stability reasons" (or security ones).
fn firefox_pref_allowed(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "accessibility.",
        "alerts.",
        "app.update.",
        "browser.",
        "datareporting.policy.",
        "devtools.",
        "dom.",
        "extensions.",
        "general.autoScroll",
        "general.smoothScroll",
        "geo.",
        "gfx.",
        "identity.fxaccounts.toolbar.",
        "intl.",
        "keyword.enabled",
        "layers.",
        "layout.",
        "mathml.disabled",
        "media.",
        "network.",
        "pdfjs.",
        "places.",
        "pref.",
        "print.",
        "privacy.baselineFingerprintingProtection",
        "privacy.fingerprintingProtection",
        "privacy.globalprivacycontrol.enabled",
        "privacy.userContext.enabled",
        "privacy.userContext.ui.enabled",
        "sidebar.",
        "signon.",
        "spellchecker.",
        "svg.context-properties.content.enabled",
        "svg.disabled",
        "toolkit.legacyUserProfileCustomizations.stylesheets",
        "ui.",
        "webgl.disabled",
        "webgl.force-enabled",
        "widget.",
        "xpinstall.enabled",
        "xpinstall.whitelist.required",
    ];
    const SECURITY: &[&str] = &[
        "security.block_fileuri_script_with_wrong_mime",
        "security.csp.reporting.enabled",
        "security.default_personal_cert",
        "security.disable_button.openCertManager",
        "security.disable_button.openDeviceManager",
        "security.insecure_connection_text.enabled",
        "security.insecure_connection_text.pbmode.enabled",
        "security.mixed_content.block_active_content",
        "security.mixed_content.block_display_content",
        "security.mixed_content.upgrade_display_content",
        "security.osclientcerts.autoload",
        "security.OCSP.enabled",
        "security.OCSP.require",
        "security.pki.certificate_transparency.disable_for_hosts",
        "security.pki.certificate_transparency.disable_for_spki_hashes",
        "security.pki.certificate_transparency.mode",
        "security.ssl.enable_ocsp_stapling",
        "security.ssl.errorReporting.enabled",
        "security.ssl.require_safe_negotiation",
        "security.storage.encryption.sqlite.enabled",
        "security.tls.enable_0rtt_data",
        "security.tls.hello_downgrade_check",
        "security.tls.version.enable-deprecated",
        "security.warn_submit_secure_to_insecure",
        "security.webauthn.always_allow_direct_attestation",
    ];
    const BLOCKED: &[&str] = &[
        "app.update.channel",
        "app.update.lastUpdateTime",
        "app.update.migrated",
        "browser.vpn_promo.disallowed_regions",
    ];
    if BLOCKED.contains(&name) {
        return false;
    }
    if name.starts_with("security.") {
        return SECURITY.contains(&name);
    }
    PREFIXES.iter().any(|p| name.starts_with(p))
}

/// One entry of the `Preferences` policy: the old form (a bare value) sets and locks the
/// default; the object form does what its `Status` says (`default` when none). An entry
/// the schema refuses (a `Status` or `Type` it does not know, a `Value` that is a list or
/// an object) is dropped on its own.
fn firefox_preference(setting: &Value) -> Option<PolicyPrefOp> {
    let o = match setting {
        Value::Object(o) => o,
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            return Some(locked_default(setting.clone()))
        }
        _ => return None,
    };
    let typed = match o.get("Type") {
        None => None,
        Some(t) => Some(match t.as_str()? {
            "number" => "number",
            "boolean" => "boolean",
            "string" => "string",
            _ => return None,
        }),
    };
    let value = match o.get("Value") {
        None => None,
        Some(v @ (Value::Bool(_) | Value::Number(_) | Value::String(_))) => Some(v.clone()),
        Some(_) => return None,
    };
    let status = match o.get("Status") {
        None => "default",
        Some(s) => s.as_str()?,
    };
    Some(match (status, value) {
        ("clear", _) => PolicyPrefOp::Clear,
        ("user", Some(value)) => PolicyPrefOp::User { value, typed },
        ("locked", Some(value)) => PolicyPrefOp::Default {
            value,
            lock: Some(true),
            typed,
        },
        ("default", Some(value)) => PolicyPrefOp::Default {
            value,
            lock: None,
            typed,
        },
        // Nothing to set; `locked` still locks.
        ("locked", None) => PolicyPrefOp::Lock(true),
        _ => return None,
    })
}

/// The Firefox installs of the layout's OS, relative to the root.
pub fn firefox_installs(os: Os) -> &'static [&'static str] {
    match os {
        Os::Linux => FIREFOX_LINUX_INSTALLS,
        Os::Macos => FIREFOX_MAC_INSTALLS,
        Os::Windows => FIREFOX_WIN_INSTALLS,
    }
}

/// The content-setting types (`cookies`, `javascript`) whose default the machine's
/// mandatory policies set for a Chromium `browser` (`DefaultCookiesSetting`,
/// `DefaultJavaScriptSetting`, with a value their schemas take), for the profile check: a managed default makes Chromium ignore the profile's own
/// default and exceptions for that type
/// (components/content_settings/core/browser/content_settings_policy_provider.cc). What
/// could not be read is the policy check's to say.
pub fn chromium_managed_defaults(ctx: &Context, browser: Browser) -> Vec<&'static str> {
    let Some(places) = browser.row().facts.policies else {
        return Vec::new();
    };
    let (mut unread, mut skipped) = (Checked::default(), false);
    let mut sources = chromium_sources(ctx, &places, &mut unread, &mut skipped);
    machine_wins(&mut sources);
    let mut out = Vec::new();
    for (name, type_, valid) in [
        ("DefaultCookiesSetting", "cookies", &[1, 2, 4][..]),
        ("DefaultJavaScriptSetting", "javascript", &[1, 2][..]),
    ] {
        let value = sources
            .iter()
            .filter(|s| s.level == Level::Mandatory)
            .find_map(|s| s.policies.get(name).and_then(as_int));
        if value.is_some_and(|v| valid.contains(&v)) {
            out.push(type_);
        }
    }
    out
}

/// The managed plists of a macOS preference domain: the machine's and the home's user's.
fn mac_managed_plists(ctx: &Context, domain: &str) -> Vec<PathBuf> {
    let mut files = vec![ctx.system_path(&format!("Library/Managed Preferences/{domain}.plist"))];
    if let Some(user) = ctx.layout.home.file_name().and_then(|n| n.to_str()) {
        if crate::fsutil::is_plain_component(user) {
            files.push(ctx.system_path(&format!(
                "Library/Managed Preferences/{user}/{domain}.plist"
            )));
        }
    }
    files
}

/// The policies of one Chromium policy directory, read as Chromium's
/// `ConfigDirPolicyLoader::LoadFromPath` reads it
/// (components/policy/core/common/config_dir_policy_loader.cc): every file in it,
/// whatever its name, sorted by name; each parsed with
/// `JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS` (comments and trailing
/// commas allowed); merged so that for each policy the last file that sets it wins. A
/// value of the wrong type for its policy's schema is dropped, as the browser drops it.
fn chromium_dir(ctx: &Context, dir: &Path, level: Level, checked: &mut Checked) -> Vec<Source> {
    match sysfile::list_all(dir) {
        Ok(Some(files)) => chromium_files(ctx, &files, level, checked),
        Ok(None) => Vec::new(),
        Err(e) => {
            checked.unread.push(Unread::machine(dir, e));
            Vec::new()
        }
    }
}

/// The policy files of one directory as Chromium reads them, in the order given.
fn chromium_files(
    ctx: &Context,
    files: &[PathBuf],
    level: Level,
    checked: &mut Checked,
) -> Vec<Source> {
    let mut sources: Vec<Source> = files
        .iter()
        .filter_map(|file| json_source(ctx, file, level, false, checked))
        .collect();
    // The last file setting a policy wins: earlier files lose that policy.
    for i in (0..sources.len()).rev() {
        let later: Vec<String> = sources[i + 1..]
            .iter()
            .flat_map(|s| s.policies.keys().cloned())
            .collect();
        sources[i].policies.retain(|name, _| !later.contains(name));
    }
    for s in &mut sources {
        drop_wrong_types(s, checked);
    }
    sources
}

/// Drops the policies of `source` whose value has the wrong type for the policy's
/// schema, as the browser's handlers reject them, and says so.
fn drop_wrong_types(source: &mut Source, checked: &mut Checked) {
    let file = &source.file;
    source
        .policies
        .retain(|name, value| match schema_type(name) {
            Some(kind) if !kind.accepts(value) => {
                checked.unread.push(Unread::machine(
                    file,
                    crate::i18n::ta(
                        "unread-policy-type",
                        &[
                            ("name", name),
                            ("what", &crate::i18n::t(Kind::of(value))),
                            ("want", &crate::i18n::t(kind.name())),
                        ],
                    ),
                ));
                false
            }
            _ => true,
        });
}

/// The JSON types of Chromium policy values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Str,
    /// A list of strings: an item of another type fails the whole policy.
    List,
    /// A list of strings whose handler drops the items of another type one by one
    /// (url_blocklist_policy_handler.cc, url_allowlist_policy_handler.cc).
    LooseList,
    /// A list of dictionaries.
    Dicts,
    Dict,
}

impl Kind {
    /// The catalog key naming `v`'s type.
    fn of(v: &Value) -> &'static str {
        match v {
            Value::Bool(_) => "json-bool",
            Value::Number(n) if n.is_i64() || n.is_u64() => "json-int",
            Value::Number(_) => "json-number",
            Value::String(_) => "json-string",
            Value::Array(_) => "json-list",
            Value::Object(_) => "json-dict",
            Value::Null => "json-null",
        }
    }

    /// The catalog key naming the type.
    fn name(self) -> &'static str {
        match self {
            Kind::Bool => "json-bool",
            Kind::Int => "json-int",
            Kind::Str => "json-string",
            Kind::List | Kind::LooseList => "json-list-of-strings",
            Kind::Dicts => "json-list",
            Kind::Dict => "json-dict",
        }
    }

    fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (Kind::Bool, Value::Bool(_)) | (Kind::Str, Value::String(_)) => true,
            (Kind::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (Kind::Dict, Value::Object(_)) => true,
            (Kind::List, Value::Array(items)) => items.iter().all(Value::is_string),
            (Kind::LooseList, Value::Array(_)) => true,
            (Kind::Dicts, Value::Array(items)) => items.iter().all(Value::is_object),
            _ => false,
        }
    }
}

/// The schema type of each policy doctor judges, from its definition in Chromium's
/// components/policy/resources/templates/policy_definitions/ (`type:` and `schema:`).
fn schema_type(name: &str) -> Option<Kind> {
    Some(match name {
        "URLBlocklist" | "URLAllowlist" | "DisabledSchemes" => Kind::LooseList,
        "CookiesBlockedForUrls"
        | "CookiesAllowedForUrls"
        | "CookiesSessionOnlyForUrls"
        | "JavaScriptBlockedForUrls"
        | "JavaScriptAllowedForUrls"
        | "ExtensionInstallForcelist"
        | "ClearBrowsingDataOnExitList" => Kind::List,
        "BrowsingDataLifetime" => Kind::Dicts,
        "DefaultCookiesSetting"
        | "DefaultJavaScriptSetting"
        | "IncognitoModeAvailability"
        | "ProxyServerMode" => Kind::Int,
        "BlockThirdPartyCookies" | "ForceEphemeralProfiles" => Kind::Bool,
        "ProxyMode"
        | "ProxyServer"
        | "ProxyPacUrl"
        | "DnsOverHttpsMode"
        | "DnsOverHttpsTemplates"
        | "AllowedDomainsForApps" => Kind::Str,
        "ProxySettings" => Kind::Dict,
        _ => return None,
    })
}

/// `text` as Chromium's JSON reader takes a policy file: `//` and `/* */` comments, a
/// comma before `]` or `}`, `\xNN` escapes and raw line breaks in strings allowed
/// (base/json/json_reader.h: JSON_PARSE_CHROMIUM_EXTENSIONS = JSON_ALLOW_COMMENTS |
/// JSON_ALLOW_NEWLINES_IN_STRINGS | JSON_ALLOW_X_ESCAPES, and JSON_ALLOW_TRAILING_COMMAS),
/// then plain JSON.
fn chromium_json(text: &str) -> Result<Value, serde_json::Error> {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            match c {
                // `\xNN` is the code point U+00NN.
                '\\' if chars.get(i + 1) == Some(&'x')
                    && chars
                        .get(i + 2..i + 4)
                        .is_some_and(|h| h.iter().all(char::is_ascii_hexdigit)) =>
                {
                    out.push_str("\\u00");
                    out.extend(&chars[i + 2..i + 4]);
                    i += 3;
                }
                '\\' => {
                    out.push(c);
                    if let Some(&n) = chars.get(i + 1) {
                        out.push(n);
                        i += 1;
                    }
                }
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '"' => {
                    out.push(c);
                    in_string = false;
                }
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match (c, chars.get(i + 1)) {
            ('"', _) => {
                in_string = true;
                out.push(c);
                i += 1;
            }
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
                out.push(' ');
            }
            (',', _) => {
                // A trailing comma: only whitespace (or comments, already gone from
                // what follows once read) before the closing bracket.
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        Some(w) if w.is_whitespace() => j += 1,
                        Some('/') if chars.get(j + 1) == Some(&'/') => {
                            while j < chars.len() && chars[j] != '\n' {
                                j += 1;
                            }
                        }
                        Some('/') if chars.get(j + 1) == Some(&'*') => {
                            j += 2;
                            while j < chars.len()
                                && !(chars[j] == '*' && chars.get(j + 1) == Some(&'/'))
                            {
                                j += 1;
                            }
                            j += 2;
                        }
                        _ => break,
                    }
                }
                if !matches!(chars.get(j), Some(']' | '}')) {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    serde_json::from_str(&out)
}

/// A JSON policy file: Chromium's flat object, or Firefox's `{"policies": {...}}`.
fn json_source(
    ctx: &Context,
    file: &Path,
    level: Level,
    firefox: bool,
    checked: &mut Checked,
) -> Option<Source> {
    let text = match sysfile::read_text(ctx.layout, file, MAX_POLICY_BYTES) {
        Ok(Some(t)) => t,
        Ok(None) => return None,
        Err(e) => {
            checked.unread.push(Unread::machine(file, e));
            return None;
        }
    };
    // Chromium reads its policy files with comments and trailing commas allowed;
    // Firefox's policies.json is plain JSON.
    let parsed = if firefox {
        serde_json::from_str(&text)
    } else {
        chromium_json(&text)
    };
    let value: Value = match parsed {
        Ok(v) => v,
        Err(e) => {
            checked.unread.push(Unread::machine(
                file,
                format!("not valid JSON ({e}): the browser ignores it too"),
            ));
            return None;
        }
    };
    let value = if firefox {
        value.get("policies").cloned().unwrap_or(Value::Null)
    } else {
        value
    };
    match value {
        Value::Object(policies) => Some(Source {
            scope: Scope::Machine,
            file: file.to_path_buf(),
            level,
            policies,
        }),
        _ => {
            checked.unread.push(Unread::machine(
                file,
                if firefox {
                    "no \"policies\" object at the top"
                } else {
                    "not a JSON object of policies"
                },
            ));
            None
        }
    }
}

/// A managed plist (binary or XML) as a JSON object of policies.
fn plist_source(ctx: &Context, file: &Path, checked: &mut Checked) -> Option<Map<String, Value>> {
    let bytes = match sysfile::read_bytes(ctx.layout, file, MAX_POLICY_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => return None,
        Err(e) => {
            checked.unread.push(Unread::machine(file, e));
            return None;
        }
    };
    match plist::Value::from_reader(std::io::Cursor::new(bytes)) {
        Ok(v) => match plist_json(&v) {
            Value::Object(map) => Some(map),
            _ => {
                checked
                    .unread
                    .push(Unread::machine(file, "not a dictionary of policies"));
                None
            }
        },
        Err(e) => {
            checked
                .unread
                .push(Unread::machine(file, format!("not a valid plist ({e})")));
            None
        }
    }
}

/// A plist value as JSON (dates as text, data dropped): policies hold no binary data.
pub(crate) fn plist_json(v: &plist::Value) -> Value {
    match v {
        plist::Value::Dictionary(d) => {
            Value::Object(d.iter().map(|(k, v)| (k.clone(), plist_json(v))).collect())
        }
        plist::Value::Array(a) => Value::Array(a.iter().map(plist_json).collect()),
        plist::Value::Boolean(b) => Value::Bool(*b),
        plist::Value::Integer(i) => i
            .as_signed()
            .map(Value::from)
            .or_else(|| i.as_unsigned().map(Value::from))
            .unwrap_or(Value::Null),
        plist::Value::Real(r) => {
            serde_json::Number::from_f64(*r).map_or(Value::Null, Value::Number)
        }
        plist::Value::String(s) => Value::String(s.clone()),
        plist::Value::Date(d) => Value::String(format!("{d:?}")),
        _ => Value::Null,
    }
}

/// The registry keys of a browser's policies (`HKLM` then the user's `HKCU`; Chromium's
/// `Recommended` subkey apart): the live registry, or the hive files on disk.
fn registry_sources(
    ctx: &Context,
    key: &str,
    has_recommended: bool,
    sources: &mut Vec<Source>,
    checked: &mut Checked,
    registry_skipped: &mut bool,
) {
    for part in [Part::Machine, Part::User] {
        let (scope, mine) = match part {
            Part::Machine => (Scope::Machine, ctx.reach.machine()),
            Part::User => (Scope::User, ctx.reach.user()),
        };
        match ctx.registry().read(part, key) {
            Got::Tree(name, Value::Object(mut map)) => {
                let recommended = if has_recommended {
                    map.remove("Recommended")
                } else {
                    None
                };
                sources.push(Source {
                    file: name.clone(),
                    level: Level::Mandatory,
                    scope,
                    policies: map,
                });
                if let Some(Value::Object(rec)) = recommended {
                    sources.push(Source {
                        file: PathBuf::from(format!("{}\\Recommended", name.display())),
                        level: Level::Recommended,
                        scope,
                        policies: rec,
                    });
                }
            }
            Got::Tree(..) | Got::Missing => {}
            Got::Off if !mine => {}
            Got::Off => match part {
                Part::Machine => *registry_skipped = true,
                Part::User => {
                    let reason = crate::i18n::t("not-checked-other-users-policies");
                    if !checked.not_checked.iter().any(|n| n.reason == reason) {
                        checked.not_checked.push(NotChecked {
                            ids: POLICY_IDS.to_vec(),
                            reason,
                        });
                    }
                }
            },
            Got::Failed(..) if !mine => {}
            Got::Failed(name, e) => {
                if !checked
                    .unread
                    .iter()
                    .any(|u| u.file == name && u.reason == e)
                {
                    checked.unread.push(Unread {
                        scope,
                        ..Unread::machine(name, e)
                    });
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Judging the policies.

fn judge(
    ctx: &Context,
    browser: Browser,
    sources: &[Source],
    firefox_views: Option<Vec<super::firefox::Effective>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let firefox = browser.engine() == Engine::Firefox;
    let views = match firefox_views {
        Some(v) => v,
        None if firefox => super::firefox::home_views(ctx),
        None => Vec::new(),
    };
    // A policy set at the mandatory level wins over the recommended one, whatever the
    // lists hold; within a level the files merge.
    let allows_of = |level: Level| -> Vec<HostRule> {
        sources
            .iter()
            .filter(|s| s.level == level)
            .flat_map(|s| {
                let list = if firefox {
                    s.policies
                        .get("WebsiteFilter")
                        .and_then(|w| w.get("Exceptions"))
                        .cloned()
                } else {
                    s.policies.get("URLAllowlist").cloned()
                };
                strings(list.as_ref())
                    .into_iter()
                    .take(if firefox {
                        FIREFOX_LIST_LIMIT
                    } else {
                        MAX_URL_FILTERS
                    })
                    .filter_map(|p| {
                        if firefox {
                            HostRule::match_pattern(&p)
                        } else {
                            HostRule::url_filter(&p)
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mandatory = allows_of(Level::Mandatory);
    let allows = if mandatory.is_empty() {
        allows_of(Level::Recommended)
    } else {
        mandatory
    };
    // Chromium's content-settings allow lists: the mandatory value when one is set.
    let content_allows = |name: &str| -> Vec<HostRule> {
        let level = if sources
            .iter()
            .any(|s| s.level == Level::Mandatory && s.policies.contains_key(name))
        {
            Level::Mandatory
        } else {
            Level::Recommended
        };
        sources
            .iter()
            .filter(|s| s.level == level)
            .flat_map(|s| strings(s.policies.get(name)))
            .filter_map(|p| HostRule::content_pattern(&p))
            .collect()
    };
    let content = if firefox {
        ContentAllows::default()
    } else {
        ContentAllows {
            cookies: content_allows("CookiesAllowedForUrls"),
            javascript: content_allows("JavaScriptAllowedForUrls"),
        }
    };
    // A recommended value counts only where no mandatory source sets the policy.
    let overridden: Vec<Source> = sources
        .iter()
        .filter(|s| s.level == Level::Recommended)
        .map(|s| Source {
            scope: s.scope,
            file: s.file.clone(),
            level: s.level,
            policies: s
                .policies
                .iter()
                .filter(|(name, _)| {
                    !sources
                        .iter()
                        .any(|m| m.level == Level::Mandatory && m.policies.contains_key(*name))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    let effective = sources
        .iter()
        .filter(|s| s.level == Level::Mandatory)
        .chain(overridden.iter());
    for source in effective {
        let mut j = Judge {
            ctx,
            browser,
            source,
            views: &views,
            out: &mut out,
        };
        if firefox {
            j.firefox(&allows);
        } else {
            j.chromium(&allows, &content);
        }
    }
    out
}

/// Chromium's `CookiesAllowedForUrls` and `JavaScriptAllowedForUrls` patterns.
#[derive(Default)]
struct ContentAllows {
    cookies: Vec<HostRule>,
    javascript: Vec<HostRule>,
}

/// Chromium uses the first 1000 filters of `URLBlocklist` (after `DisabledSchemes`) and of
/// `URLAllowlist`; the rest are ignored (components/url_matcher/url_util.cc
/// `kMaxFiltersAllowed`).
const MAX_URL_FILTERS: usize = 1000;

/// Login hosts whose documents are never the top-level one: the bundles' CDN, the
/// challenge frames, API hosts. Chromium blocks JavaScript by the top-level document's
/// origin: a pattern stops neither a page elsewhere running scripts loaded from its
/// sites nor its documents embedded as sub-frames elsewhere
/// (policy_definitions/ContentSettings/JavaScriptBlockedForUrls.yaml), so JavaScript
/// blocked on these alone leaves the login running.
const NOT_TOP_LEVEL: &[&str] = &[
    "oaistatic.com",
    "challenges.cloudflare.com",
    "ab.chatgpt.com",
    "tcr9i.chat.openai.com",
    "arkoselabs.com",
];

struct Judge<'a, 'c> {
    ctx: &'a Context<'c>,
    browser: Browser,
    source: &'a Source,
    /// Firefox: the prefs in effect in the install's profiles.
    views: &'a [super::firefox::Effective],
    out: &'a mut Vec<Finding>,
}

impl Judge<'_, '_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.source.policies.get(name)
    }

    /// Records a finding; a recommended policy is one step milder.
    fn found(
        &mut self,
        id: FindingId,
        severity: Severity,
        key: String,
        value: String,
    ) -> &mut Finding {
        let severity = match (self.source.level, severity) {
            (Level::Recommended, Severity::Error) => Severity::Warning,
            (Level::Recommended, _) => Severity::Info,
            (Level::Mandatory, s) => s,
        };
        let mut f = Finding::machine(
            id,
            severity,
            Evidence::new(&self.source.file, key).value(value),
        )
        .for_browser(self.browser)
        .with("browser", self.browser.product_name());
        f.scope = self.source.scope;
        if self.source.level == Level::Recommended {
            f = f.with("level", "recommended");
        }
        self.out.push(f);
        self.out.last_mut().expect("just pushed")
    }

    /// A block of the login hosts by `rules` (pattern text, parsed rule) unless an allow
    /// rule overrides it; `strict_allow` is Chromium's "the more specific filter wins",
    /// otherwise (Firefox) any exception wins.
    fn site_blocks(
        &mut self,
        key: &str,
        rules: Vec<(String, Option<HostRule>)>,
        allows: &[HostRule],
        strict_allow: bool,
    ) {
        for (text, rule) in rules {
            let Some(rule) = rule else { continue };
            let allowed = |host: &str| {
                allows.iter().any(|a| {
                    a.covers(host) && (!strict_allow || a.specificity() >= rule.specificity())
                })
            };
            if let Some((host, need)) = reached(self.ctx, &rule, allowed) {
                let severity = if need == Need::Telemetry {
                    Severity::Info
                } else {
                    Severity::Error
                };
                self.found(FindingId::PolicyBlocksSite, severity, key.to_string(), text)
                    .params
                    .insert("site", host);
            }
        }
    }

    /// Chromium's content-settings blocks: a host stays allowed by a more specific
    /// allow pattern (the policy provider keeps both lists in one map, the most specific
    /// pattern wins, and on a tie the block, read after the allow list, replaces it:
    /// components/content_settings/core/browser/content_settings_policy_provider.cc).
    fn content_blocks(
        &mut self,
        key: &str,
        rules: Vec<(String, Option<HostRule>)>,
        severity: Severity,
        what: &str,
        allows: &[HostRule],
    ) {
        for (text, rule) in rules {
            let Some(rule) = rule else { continue };
            let allowed = |h: &str| {
                allows
                    .iter()
                    .any(|a| a.covers(h) && a.specificity() > rule.specificity())
            };
            if let Some(host) = self.content_reached(&rule, what, allowed) {
                let f = self.found(blocked_id(what), severity, key.to_string(), text);
                f.params.insert("site", host);
                f.params.insert("what", what.to_string());
            }
        }
    }

    /// The first login host a cookie or JavaScript block by `rule` reaches that matters
    /// to the login and `allowed` does not let through: the telemetry hosts' cookies do
    /// not matter, and JavaScript only on the top-level documents.
    fn content_reached(
        &self,
        rule: &HostRule,
        what: &str,
        allowed: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let javascript = what == "JavaScript";
        let skip = |h: &str| {
            hosts::is_login_host(self.ctx, h) == Some(Need::Telemetry)
                || (javascript && NOT_TOP_LEVEL.iter().any(|b| host_within(h, b)))
                || allowed(h)
        };
        reached(self.ctx, rule, skip).map(|(host, _)| host)
    }

    /// A managed default setting (`DefaultCookiesSetting`, `DefaultJavaScriptSetting`)
    /// that blocks every site, unless the allow patterns let every login host through:
    /// the default is the policy provider's wildcard rule, and any matching pattern is
    /// more specific (content_settings_policy_provider.cc).
    fn default_blocks(
        &mut self,
        key: &str,
        value: i64,
        severity: Severity,
        what: &str,
        allows: &[HostRule],
    ) {
        let allowed = |h: &str| allows.iter().any(|a| a.covers(h));
        if self
            .content_reached(&HostRule::All, what, allowed)
            .is_some()
        {
            self.all_sites(key, value, severity, what);
        }
    }

    fn forced_extension(&mut self, key: String, id: &str, value: &str) {
        let kind = self.browser.row().extension_ids;
        let Some(entry) = Catalog::get().lookup(kind, id) else {
            return;
        };
        let name = entry.name.clone();
        let f = self.found(
            FindingId::PolicyForcesExtension,
            Severity::Warning,
            key,
            value.to_string(),
        );
        f.params.insert("extension", name);
        f.params.insert("extension_id", id.to_string());
    }

    fn proxy(&mut self, key: String, mode: &str, server: Option<String>) {
        let server = server
            .map(|s| strip_credentials(&s))
            .unwrap_or_else(|| mode.to_string());
        let f = self.found(
            FindingId::ProxyBrowser,
            Severity::Warning,
            key,
            mode.to_string(),
        );
        f.params.insert("server", server);
        f.params.insert("source", "policy".to_string());
    }

    fn chromium(&mut self, allows: &[HostRule], content: &ContentAllows) {
        let url_rules = |v: Option<&Value>| {
            strings(v)
                .into_iter()
                .map(|p| {
                    let r = HostRule::url_filter(&p);
                    (p, r)
                })
                .collect::<Vec<_>>()
        };
        let content_rules = |v: Option<&Value>| {
            strings(v)
                .into_iter()
                .map(|p| {
                    let r = HostRule::content_pattern(&p);
                    (p, r)
                })
                .collect::<Vec<_>>()
        };
        self.chromium_clears();
        self.restricted_sign_in("AllowedDomainsForApps");
        // The deprecated DisabledSchemes opens the blocklist as `<scheme>://*`, then come
        // URLBlocklist's filters, the first 1000 of all used
        // (components/policy/core/browser/url_list/url_blocklist_policy_handler.cc).
        let schemes: Vec<_> = strings(self.get("DisabledSchemes"))
            .into_iter()
            .take(MAX_URL_FILTERS)
            .map(|scheme| {
                let r = HostRule::url_filter(&format!("{scheme}://*"));
                (scheme, r)
            })
            .collect();
        let room = MAX_URL_FILTERS - schemes.len();
        self.site_blocks("DisabledSchemes", schemes, allows, true);
        let mut blocks = url_rules(self.get("URLBlocklist"));
        blocks.truncate(room);
        self.site_blocks("URLBlocklist", blocks, allows, true);

        let cookies_default = match self.get("DefaultCookiesSetting").and_then(as_int) {
            Some(2) => Some((2, Severity::Error, "cookies")),
            Some(4) => Some((4, Severity::Warning, "cookies (session only)")),
            _ => None,
        };
        if let Some((value, severity, what)) = cookies_default {
            let key = "DefaultCookiesSetting";
            self.default_blocks(key, value, severity, what, &content.cookies);
        }
        let r = content_rules(self.get("CookiesBlockedForUrls"));
        self.content_blocks(
            "CookiesBlockedForUrls",
            r,
            Severity::Error,
            "cookies",
            &content.cookies,
        );
        let r = content_rules(self.get("CookiesSessionOnlyForUrls"));
        self.content_blocks(
            "CookiesSessionOnlyForUrls",
            r,
            Severity::Warning,
            "cookies (session only)",
            &content.cookies,
        );
        if self.get("DefaultJavaScriptSetting").and_then(as_int) == Some(2) {
            let key = "DefaultJavaScriptSetting";
            self.default_blocks(key, 2, Severity::Error, "JavaScript", &content.javascript);
        }
        let r = content_rules(self.get("JavaScriptBlockedForUrls"));
        self.content_blocks(
            "JavaScriptBlockedForUrls",
            r,
            Severity::Error,
            "JavaScript",
            &content.javascript,
        );

        for entry in strings(self.get("ExtensionInstallForcelist")) {
            let id = entry.split(';').next().unwrap_or("").trim().to_string();
            self.forced_extension("ExtensionInstallForcelist".to_string(), &id, &id);
        }
        // An entry that installs needs a valid update_url, else IndividualSettings::Parse
        // rejects it as malformed (chrome/browser/extensions/
        // extension_management_internal.cc).
        let update_url = |settings: &Value| {
            settings
                .get("update_url")
                .and_then(Value::as_str)
                .is_some_and(valid_url)
        };
        for (ids, mode) in extension_settings_where(self.get("ExtensionSettings"), update_url) {
            for id in ids.split(',').map(str::trim) {
                self.forced_extension(
                    format!("ExtensionSettings.{id}.installation_mode"),
                    id,
                    &mode,
                );
            }
        }

        // `ProxySettings` (a dictionary) wins over the separate policies.
        let (prefix, proxy) = match self.get("ProxySettings").and_then(|v| v.as_object()) {
            Some(s) => ("ProxySettings.", s),
            None => ("", &self.source.policies),
        };
        if let Some((key, mode, server)) = chromium_proxy(proxy) {
            self.proxy(format!("{prefix}{key}"), mode, Some(server));
        }

        if self.get("IncognitoModeAvailability").and_then(as_int) == Some(2) {
            self.found(
                FindingId::PrivateOnly,
                Severity::Info,
                "IncognitoModeAvailability".into(),
                "2".into(),
            );
        }
        if self.get("ForceEphemeralProfiles").and_then(as_bool) == Some(true) {
            self.found(
                FindingId::PrivateOnly,
                Severity::Info,
                "ForceEphemeralProfiles".into(),
                "true".into(),
            );
        }
        if self.get("BlockThirdPartyCookies").and_then(as_bool) == Some(true) {
            self.found(
                FindingId::ThirdPartyCookiesBlocked,
                Severity::Info,
                "BlockThirdPartyCookies".into(),
                "true".into(),
            );
        }
        let doh_mode = self
            .get("DnsOverHttpsMode")
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let templates = self
            .get("DnsOverHttpsTemplates")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .trim()
            .to_string();
        if matches!(doh_mode, "secure" | "automatic") && !templates.is_empty() {
            self.found(
                FindingId::DnsOverHttpsCustom,
                Severity::Info,
                "DnsOverHttpsTemplates".into(),
                templates.clone(),
            )
            .params
            .insert("server", templates);
        }
    }

    /// A default setting that blocks every site (`value` as the policy holds it: Chrome's
    /// number, Firefox's word).
    fn all_sites(
        &mut self,
        key: &str,
        value: impl std::fmt::Display,
        severity: Severity,
        what: &str,
    ) {
        let f = self.found(
            blocked_id(what),
            severity,
            key.to_string(),
            value.to_string(),
        );
        f.params
            .insert("site", super::advice::ALL_SITES.to_string());
        f.params.insert("what", what.to_string());
    }

    /// Cookies and site data deleted when Chromium closes (`ClearBrowsingDataOnExitList`)
    /// or on a timer (`BrowsingDataLifetime`): the person is signed out each time.
    /// policy_definitions/BrowsingData/ClearBrowsingDataOnExitList.yaml and
    /// BrowsingDataLifetime.yaml name the data type `cookies_and_other_site_data`.
    fn chromium_clears(&mut self) {
        const COOKIES: &str = "cookies_and_other_site_data";
        if strings(self.get("ClearBrowsingDataOnExitList"))
            .iter()
            .any(|t| t == COOKIES)
        {
            let f = self.found(
                FindingId::PolicyClearsData,
                Severity::Warning,
                "ClearBrowsingDataOnExitList".to_string(),
                COOKIES.to_string(),
            );
            f.params.insert("when", "exit".to_string());
        }
        let lifetimes = match self.get("BrowsingDataLifetime") {
            Some(Value::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        for rule in lifetimes {
            let hours = rule.get("time_to_live_in_hours").and_then(as_int);
            let types = strings(rule.get("data_types"));
            if let (Some(hours), true) = (hours, types.iter().any(|t| t == COOKIES)) {
                let f = self.found(
                    FindingId::PolicyClearsData,
                    Severity::Warning,
                    "BrowsingDataLifetime".to_string(),
                    format!("{COOKIES} {hours} h"),
                );
                f.params.insert("when", "timer".to_string());
                f.params.insert("hours", hours.to_string());
            }
        }
    }

    /// Google sign-in limited to listed domains (`AllowedDomainsForApps`): "Continue with
    /// Google" with any other account is refused. The policy is one string of
    /// comma-separated domains; any other type is rejected.
    fn restricted_sign_in(&mut self, key: &str) {
        let domains = match self.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            _ => return,
        };
        let f = self.found(
            FindingId::SignInRestricted,
            Severity::Info,
            key.to_string(),
            domains.clone(),
        );
        f.params.insert("domains", domains);
    }

    /// The Firefox policies. Those that set prefs are judged on the prefs in effect in
    /// the home's profiles (a new one's when none is read): what they set is reported
    /// where it holds in one of them (an unlocked default the profile overrides does
    /// not); the profile check reports the same prefs set otherwise.
    fn firefox(&mut self, allows: &[HostRule]) {
        let views = self.views;
        for policy in ["ClearOnShutdown", "SanitizeOnShutdown"] {
            let Some(v) = self.get(policy).cloned() else {
                continue;
            };
            let clears = views.iter().any(|e| {
                e.clears_cookies_on_exit()
                    .is_some_and(|names| e.policy_of(&names) == Some(policy))
            });
            if clears {
                let f = self.found(
                    FindingId::PolicyClearsData,
                    Severity::Warning,
                    policy.to_string(),
                    v.to_string(),
                );
                f.params.insert("when", "exit".to_string());
            }
        }

        // The first 1000 patterns count, valid or not (WebsiteFilter.sys.mjs
        // LIST_LENGTH_LIMIT).
        let filter = self.get("WebsiteFilter").cloned();
        let blocks = strings(filter.as_ref().and_then(|w| w.get("Block")))
            .into_iter()
            .take(FIREFOX_LIST_LIMIT)
            .map(|p| {
                let r = HostRule::match_pattern(&p);
                (p, r)
            })
            .collect();
        self.firefox_site_blocks("WebsiteFilter.Block", blocks, allows);

        if let Some(cookies) = self.get("Cookies").cloned() {
            self.firefox_cookies(&cookies, views);
        }

        for (id, mode) in extension_settings(self.get("ExtensionSettings")) {
            self.forced_extension(
                format!("ExtensionSettings.{id}.installation_mode"),
                &id,
                &mode,
            );
        }
        // `Extensions.Locked`: the listed add-ons cannot be disabled or removed, so a
        // blocker among them (installed by `Extensions.Install` or by the person) stays
        // on whatever the person does (policy templates: Extensions; Policies.sys.mjs
        // disallows `disable-extension:<id>`).
        let locked = strings(self.get("Extensions").and_then(|e| e.get("Locked")));
        for id in locked {
            self.forced_extension("Extensions.Locked".to_string(), &id, &id);
        }

        if let Some(proxy) = self.get("Proxy").cloned() {
            let mode = proxy
                .get("Mode")
                .and_then(Value::as_str)
                .unwrap_or("manual");
            let server = views.iter().find_map(|e| {
                let (server, names) = e.https_proxy()?;
                (e.policy_of(&names) == Some("Proxy")).then_some(server)
            });
            if let Some(server) = server {
                // A PAC script's address, as the policy gives it.
                let server = server
                    .strip_prefix("PAC ")
                    .map_or(server.clone(), str::to_string);
                self.proxy("Proxy.Mode".to_string(), mode, Some(server));
            }
        }

        if let Some(v) = self.get("PrivateBrowsingModeAvailability").cloned() {
            let autostart = super::firefox::PRIVATE_AUTOSTART;
            let forced = views.iter().any(|e| {
                e.boolean(autostart) == Some(true)
                    && e.policy_of(&[autostart]) == Some("PrivateBrowsingModeAvailability")
            });
            if forced {
                self.found(
                    FindingId::PrivateOnly,
                    Severity::Info,
                    "PrivateBrowsingModeAvailability".into(),
                    v.to_string(),
                );
            }
        }
        if self.get("DNSOverHTTPS").is_some() {
            let uri = views.iter().find_map(|e| {
                let (uri, names) = e.secure_dns()?;
                (e.policy_of(&names) == Some("DNSOverHTTPS")).then_some(uri)
            });
            if let Some(uri) = uri {
                let server = strip_credentials(&uri);
                self.found(
                    FindingId::DnsOverHttpsCustom,
                    Severity::Info,
                    "DNSOverHTTPS.ProviderURL".into(),
                    server.clone(),
                )
                .params
                .insert("server", server);
            }
        }
        // Firefox sends it as X-GoogApps-Allowed-Domains to *.google.com
        // (Policies.sys.mjs `AllowedDomainsForApps`), as Chrome does.
        self.restricted_sign_in("AllowedDomainsForApps");
    }

    /// `WebsiteFilter.Block` patterns reaching a login host that is loaded as a page, a
    /// frame or an object: the filter rejects those loads alone (WebsiteFilter.sys.mjs
    /// `shouldLoad`: TYPE_DOCUMENT, TYPE_SUBDOCUMENT, TYPE_OBJECT), so a host the login
    /// only fetches scripts or data from is not blocked. Any exception wins.
    fn firefox_site_blocks(
        &mut self,
        key: &str,
        rules: Vec<(String, Option<HostRule>)>,
        allows: &[HostRule],
    ) {
        for (text, rule) in rules {
            let Some(rule) = rule else { continue };
            let skip = |h: &str| {
                FIREFOX_NOT_DOCUMENTS.iter().any(|b| host_within(h, b))
                    || allows.iter().any(|a| a.covers(h))
            };
            if let Some((host, need)) = reached(self.ctx, &rule, skip) {
                let severity = if need == Need::Telemetry {
                    Severity::Info
                } else {
                    Severity::Error
                };
                self.found(FindingId::PolicyBlocksSite, severity, key.to_string(), text)
                    .params
                    .insert("site", host);
            }
        }
    }

    /// The `Cookies` policy: its `Allow`, `Block` and `AllowSession` origins become cookie
    /// permissions, which Firefox weighs before the cookie behavior; its behavior is
    /// judged on the prefs in effect (`views`).
    fn firefox_cookies(&mut self, cookies: &Value, views: &[super::firefox::Effective]) {
        if !firefox_cookies_valid(cookies) {
            return;
        }
        let origins = |name: &str| {
            strings(cookies.get(name))
                .into_iter()
                .map(|p| {
                    let r = firefox_origin(&p);
                    (p, r)
                })
                .collect::<Vec<_>>()
        };
        let (allow, block, session) = (origins("Allow"), origins("Block"), origins("AllowSession"));
        // Added in this order (addAllowDenyPermissions, then AllowSession): a later one
        // for the same origin replaces an earlier one.
        let perms: Vec<(HostRule, i64)> = [
            (&allow, FIREFOX_COOKIE_ALLOW),
            (&block, FIREFOX_COOKIE_DENY),
            (&session, FIREFOX_COOKIE_SESSION),
        ]
        .into_iter()
        .flat_map(|(list, perm)| {
            list.iter()
                .filter_map(move |(_, r)| Some((r.clone()?, perm)))
        })
        .collect();
        let perm = |h: &str| firefox_cookie_permission(&perms, h);
        for (text, rule) in block {
            let Some(rule) = rule else { continue };
            let denied = |h: &str| perm(h) != Some(FIREFOX_COOKIE_DENY);
            if let Some(host) = self.content_reached(&rule, "cookies", denied) {
                let f = self.found(
                    FindingId::PolicyBlocksCookies,
                    Severity::Error,
                    "Cookies.Block".to_string(),
                    text,
                );
                f.params.insert("site", host);
                f.params.insert("what", "cookies".to_string());
            }
        }
        for (text, rule) in session {
            let Some(rule) = rule else { continue };
            let what = "cookies (session only)";
            let not_session = |h: &str| perm(h) != Some(FIREFOX_COOKIE_SESSION);
            if let Some(host) = self.content_reached(&rule, what, not_session) {
                let f = self.found(
                    FindingId::PolicyBlocksCookies,
                    Severity::Warning,
                    "Cookies.AllowSession".to_string(),
                    text,
                );
                f.params.insert("site", host);
                f.params.insert("what", what.to_string());
            }
        }
        let set = |value: i64| {
            let pref = "network.cookie.cookieBehavior";
            views.iter().any(|e| {
                e.cookie_behavior() == Some(value) && e.policy_of(&[pref]) == Some("Cookies")
            })
        };
        // The field that set the behavior, as the policy writes it.
        let key = ["Behavior", "Default", "AcceptThirdParty", "RejectTracker"]
            .into_iter()
            .find_map(|k| Some((k, cookies.get(k)?)))
            .map(|(k, v)| {
                (
                    format!("Cookies.{k}"),
                    v.as_str().map_or(v.to_string(), str::to_string),
                )
            });
        let Some((key, value)) = key else { return };
        if set(2) {
            // A site with a cookie permission of its own keeps its cookies.
            let allowed = |h: &str| perm(h).is_some_and(|p| p != FIREFOX_COOKIE_DENY);
            if self
                .content_reached(&HostRule::All, "cookies", allowed)
                .is_some()
            {
                self.all_sites(&key, &value, Severity::Error, "cookies");
            }
        }
        // Third-party cookies refused (or limited to visited sites), as Chrome's
        // BlockThirdPartyCookies: worth a line, the login's own are first-party.
        if set(1) || set(3) {
            self.found(
                FindingId::ThirdPartyCookiesBlocked,
                Severity::Info,
                key,
                value,
            );
        }
    }
}

/// Firefox reads the first 1000 entries of each `WebsiteFilter` list
/// (WebsiteFilter.sys.mjs `LIST_LENGTH_LIMIT`).
const FIREFOX_LIST_LIMIT: usize = 1000;

/// Login hosts whose loads are scripts, styles, data and sockets only, never a page, a
/// frame or an object: Firefox's `WebsiteFilter` does not block them.
const FIREFOX_NOT_DOCUMENTS: &[&str] = &[
    "oaistatic.com",
    "ab.chatgpt.com",
    "ws.chatgpt.com",
    "browser-intake-datadoghq.com",
    "ingest.sentry.io",
];

/// Firefox's cookie permissions (nsIPermissionManager ALLOW_ACTION, DENY_ACTION,
/// nsICookiePermission ACCESS_SESSION).
const FIREFOX_COOKIE_ALLOW: i64 = 1;
const FIREFOX_COOKIE_DENY: i64 = 2;
const FIREFOX_COOKIE_SESSION: i64 = 8;

/// The cookie permission in force for `host`: the permission manager looks the host up,
/// then each parent domain, so the most specific origin wins; of two for the same origin,
/// the later.
fn firefox_cookie_permission(perms: &[(HostRule, i64)], host: &str) -> Option<i64> {
    perms
        .iter()
        .filter(|(r, _)| r.covers(host))
        .max_by_key(|(r, _)| r.specificity())
        .map(|(_, p)| *p)
}

/// An origin of the `Cookies` policy's lists, as Firefox takes it: the schema wants
/// `http(s)://host[:port]` with at most a `/` after it (policies-schema.json
/// `definitions.origin`; anything else is dropped), and the permission covers the host's
/// subdomains. Only `https` origins on https's port reach the login; `*` is no wildcard
/// there (it names no real host).
fn firefox_origin(text: &str) -> Option<HostRule> {
    let (scheme, rest) = text.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains('/') {
        return None;
    }
    let authority = authority.split(['?', '#']).next().unwrap_or(authority);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.rsplit_once(':') {
        Some((h, "" | "443")) => h,
        Some(_) => return None,
        None => authority,
    };
    if host.contains('*') {
        return None;
    }
    HostRule::match_pattern(&format!("https://{host}/*")).and_then(|r| match r {
        HostRule::Exact(h) => Some(HostRule::Subtree(h)),
        _ => None,
    })
}

/// The first login host `rule` covers and `allowed` does not let through: the table's
/// hosts in order, then the targets, then the rule's own host when it is one of the
/// login's (a subdomain of a target, a listed `*.oaistatic.com` host).
fn reached(
    ctx: &Context,
    rule: &HostRule,
    allowed: impl Fn(&str) -> bool,
) -> Option<(String, Need)> {
    let own = match rule {
        HostRule::All => None,
        HostRule::Subtree(h) | HostRule::Exact(h) => Some(h.as_str()),
    };
    let candidates = hosts::LOGIN_HOSTS
        .iter()
        .filter(|h| !h.subdomains)
        .map(|h| h.name)
        .chain(ctx.targets.domains().iter().map(String::as_str))
        .chain(own);
    for host in candidates {
        if !rule.covers(host) || allowed(host) {
            continue;
        }
        if let Some(need) = hosts::is_login_host(ctx, host) {
            return Some((host.to_string(), need));
        }
    }
    None
}

/// The finding a policy's block gives: JavaScript's has an id of its own (the login page
/// cannot run at all), cookies' another.
fn blocked_id(what: &str) -> FindingId {
    if what == "JavaScript" {
        FindingId::PolicyBlocksJavascript
    } else {
        FindingId::PolicyBlocksCookies
    }
}

/// `(ids, installation_mode)` of an `ExtensionSettings` policy whose mode installs the
/// extension. Windows writes the policy as a JSON string.
fn extension_settings(v: Option<&Value>) -> Vec<(String, String)> {
    extension_settings_where(v, |_| true)
}

/// [`extension_settings`] of the entries whose settings pass `keep`.
fn extension_settings_where(
    v: Option<&Value>,
    keep: impl Fn(&Value) -> bool,
) -> Vec<(String, String)> {
    let parsed;
    let map = match v {
        Some(Value::Object(m)) => m,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => {
                parsed = m;
                &parsed
            }
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    map.iter()
        .filter(|(id, _)| id.as_str() != "*")
        .filter_map(|(id, settings)| {
            let mode = settings.get("installation_mode")?.as_str()?;
            (matches!(mode, "force_installed" | "normal_installed") && keep(settings))
                .then(|| (id.clone(), mode.to_string()))
        })
        .collect()
}

/// Whether GURL would take `url` as valid, near enough: a scheme, and a host after it
/// for the schemes that have one.
fn valid_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.trim().split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" | "ws" | "wss" | "ftp" => {
            let rest = rest.trim_start_matches(['/', '\\']);
            let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
            let host = authority.rsplit('@').next().unwrap_or("");
            !host.split(':').next().unwrap_or("").is_empty()
        }
        _ => true,
    }
}

/// The proxy Chromium sets from `ProxyMode` or the deprecated `ProxyServerMode` and their
/// servers, as ProxyPolicyHandler checks them
/// (components/proxy_config/proxy_policy_handler.cc): `(the policy naming the mode, the
/// mode, its server or PAC URL)` for fixed servers or a PAC script. `None` for direct,
/// auto-detect and system, and for what the handler rejects: a mode without its server
/// or PAC URL, or with a setting the mode does not take, a mode that is not a string,
/// `ProxyServerMode` 2 with both or neither of the server and the PAC URL.
fn chromium_proxy(proxy: &Map<String, Value>) -> Option<(&'static str, &'static str, String)> {
    // An empty string counts as unset (GetProxyPolicyValue).
    let get = |n: &str| {
        proxy
            .get(n)
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
    };
    let (server, pac) = (get("ProxyServer"), get("ProxyPacUrl"));
    let (key, mode) = match (get("ProxyMode"), get("ProxyServerMode")) {
        (Some(mode), _) => ("ProxyMode", mode.as_str()?),
        // 0 direct, 1 auto-detect, 2 manual (the server or the PAC URL), 3 the system's.
        (None, Some(server_mode)) => match (as_int(server_mode)?, server, pac) {
            (2, Some(_), None) => ("ProxyServerMode", "fixed_servers"),
            (2, None, Some(_)) => ("ProxyServerMode", "pac_script"),
            _ => return None,
        },
        (None, None) => return None,
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    match mode {
        "fixed_servers" if pac.is_none() => Some((key, "fixed_servers", text(server)?)),
        "pac_script" if server.is_none() && get("ProxyBypassList").is_none() => {
            Some((key, "pac_script", text(pac)?))
        }
        _ => None,
    }
}

/// The strings of a list policy (a lone string counts as a list of one).
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .take(100_000)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// An integer policy, also as the registry or a plist may hold it (a string, a bool).
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean policy; the registry writes booleans as DWORD 0/1.
fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chromium_json_takes_the_chromium_extensions() {
        let v = chromium_json("{\"a\": [\"chat\\x67pt.com\",], // c\n \"b\": \"x\ny\"}").unwrap();
        assert_eq!(v, json!({"a": ["chatgpt.com"], "b": "x\ny"}));
        // An escaped backslash before `x` stays a backslash; a bad `\x` fails as in Chromium.
        assert_eq!(chromium_json(r#"["\\x41"]"#).unwrap(), json!(["\\x41"]));
        for bad in [r#"["\x4"]"#, r#"["\xZZ"]"#, r#"["\x"#, "[\"\\"] {
            assert!(chromium_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn proxy_policies_as_the_handler_checks_them() {
        let proxy = |v: Value| chromium_proxy(v.as_object().unwrap());
        assert_eq!(
            proxy(json!({"ProxyMode": "fixed_servers", "ProxyServer": "p:3128"})),
            Some(("ProxyMode", "fixed_servers", "p:3128".to_string()))
        );
        assert_eq!(
            proxy(json!({"ProxyServerMode": 2, "ProxyPacUrl": "https://p/x.pac"})),
            Some((
                "ProxyServerMode",
                "pac_script",
                "https://p/x.pac".to_string()
            ))
        );
        for rejected in [
            json!({"ProxyMode": "fixed_servers"}),
            json!({"ProxyMode": "fixed_servers", "ProxyServer": ""}),
            json!({"ProxyMode": "pac_script"}),
            json!({"ProxyMode": "pac_script", "ProxyPacUrl": "u", "ProxyServer": "p"}),
            json!({"ProxyMode": "fixed_servers", "ProxyServer": "p", "ProxyPacUrl": "u"}),
            json!({"ProxyMode": 2, "ProxyServer": "p"}),
            json!({"ProxyMode": "bogus", "ProxyServer": "p"}),
            json!({"ProxyServerMode": 3}),
            json!({"ProxyServerMode": 2}),
            json!({"ProxyServerMode": 2, "ProxyServer": "p", "ProxyPacUrl": "u"}),
            json!({"ProxyServer": "p"}),
            // ProxyMode wins over ProxyServerMode.
            json!({"ProxyMode": "system", "ProxyServerMode": 2, "ProxyServer": "p"}),
        ] {
            assert_eq!(proxy(rejected.clone()), None, "{rejected}");
        }
    }

    #[test]
    fn update_urls_and_list_types() {
        assert!(valid_url("https://clients2.google.com/service/update2/crx"));
        for bad in [
            "",
            "clients2.google.com",
            "https://",
            "https://user@/",
            "1http://x",
        ] {
            assert!(!valid_url(bad), "{bad}");
        }
        assert!(Kind::LooseList.accepts(&json!(["chatgpt.com", 42])));
        assert!(!Kind::LooseList.accepts(&json!("chatgpt.com")));
        assert!(!Kind::List.accepts(&json!(["a", 1])));
        assert!(Kind::Dicts.accepts(&json!([{"data_types": []}])));
        assert!(!Kind::Dicts.accepts(&json!(["cookies_and_other_site_data"])));
    }

    #[test]
    fn firefox_cookie_origins_as_its_schema_takes_them() {
        let sub = |h: &str| Some(HostRule::Subtree(h.to_string()));
        assert_eq!(firefox_origin("https://chatgpt.com"), sub("chatgpt.com"));
        assert_eq!(
            firefox_origin("HTTPS://Auth.OpenAI.com/"),
            sub("auth.openai.com")
        );
        assert_eq!(
            firefox_origin("https://chatgpt.com:443"),
            sub("chatgpt.com")
        );
        assert_eq!(
            firefox_origin("https://u:p@chatgpt.com"),
            sub("chatgpt.com")
        );
        for other in [
            // A path fails the schema's origin pattern; http and other ports are other
            // origins; `*` names no host; no scheme is no URL.
            "https://chatgpt.com/*",
            "https://chatgpt.com/c",
            "http://chatgpt.com",
            "https://chatgpt.com:8443",
            "https://*.chatgpt.com",
            "chatgpt.com",
            "https://",
            "file:///etc",
            "",
        ] {
            assert_eq!(firefox_origin(other), None, "{other}");
        }
        // The most specific origin wins; of two for one origin, the later.
        let perms = vec![
            (HostRule::Subtree("openai.com".into()), FIREFOX_COOKIE_DENY),
            (
                HostRule::Subtree("auth.openai.com".into()),
                FIREFOX_COOKIE_ALLOW,
            ),
            (
                HostRule::Subtree("chatgpt.com".into()),
                FIREFOX_COOKIE_ALLOW,
            ),
            (HostRule::Subtree("chatgpt.com".into()), FIREFOX_COOKIE_DENY),
        ];
        let perm = |h| firefox_cookie_permission(&perms, h);
        assert_eq!(perm("x.auth.openai.com"), Some(FIREFOX_COOKIE_ALLOW));
        assert_eq!(perm("openai.com"), Some(FIREFOX_COOKIE_DENY));
        assert_eq!(perm("chatgpt.com"), Some(FIREFOX_COOKIE_DENY));
        assert_eq!(perm("example.org"), None);
    }

    #[test]
    fn firefox_cookies_behavior_precedence() {
        let behavior = |v: Value| firefox_cookies_behavior(v.as_object().unwrap());
        assert_eq!(
            behavior(json!({"Behavior": "accept", "Default": false})),
            Some(0)
        );
        assert_eq!(
            behavior(json!({"BehaviorPrivateBrowsing": "reject", "Default": false})),
            None
        );
        assert_eq!(behavior(json!({"Default": false})), Some(2));
        assert_eq!(behavior(json!({"Default": 0})), Some(2));
        assert_eq!(behavior(json!({"AcceptThirdParty": "never"})), Some(1));
        assert_eq!(
            behavior(json!({"AcceptThirdParty": "from-visited"})),
            Some(3)
        );
        assert_eq!(behavior(json!({"RejectTracker": true})), Some(4));
        assert_eq!(behavior(json!({"Locked": true})), Some(0));
        assert_eq!(behavior(json!({"ExpireAtSessionEnd": true})), None);
        assert_eq!(behavior(json!({"Block": ["https://x.org"]})), None);
        assert!(firefox_cookies_valid(
            &json!({"Behavior": "reject", "Locked": 1})
        ));
        assert!(!firefox_cookies_valid(&json!({"Behavior": "block"})));
        assert!(!firefox_cookies_valid(&json!({"Default": "no"})));
        assert!(!firefox_cookies_valid(&json!(["reject"])));
    }

    #[test]
    fn firefox_preferences_entries_and_allowed_prefixes() {
        assert!(firefox_pref_allowed("network.cookie.cookieBehavior"));
        assert!(firefox_pref_allowed("dom.storage.enabled"));
        assert!(firefox_pref_allowed(
            "privacy.fingerprintingProtection.overrides"
        ));
        assert!(firefox_pref_allowed("security.OCSP.enabled"));
        for refused in [
            "javascript.enabled",
            "privacy.resistFingerprinting",
            "privacy.sanitize.sanitizeOnShutdown",
            "security.tls.version.min",
            "app.update.channel",
        ] {
            assert!(!firefox_pref_allowed(refused), "{refused}");
        }
        assert_eq!(
            firefox_preference(&json!(2)),
            Some(locked_default(json!(2)))
        );
        assert_eq!(
            firefox_preference(&json!({"Value": 0, "Status": "user", "Type": "number"})),
            Some(PolicyPrefOp::User {
                value: json!(0),
                typed: Some("number")
            })
        );
        assert_eq!(
            firefox_preference(&json!({"Value": true})),
            Some(default_locked_as(json!(true), None))
        );
        assert_eq!(
            firefox_preference(&json!({"Status": "clear"})),
            Some(PolicyPrefOp::Clear)
        );
        assert_eq!(
            firefox_preference(&json!({"Status": "locked"})),
            Some(PolicyPrefOp::Lock(true))
        );
        for refused in [
            json!({"Value": [1], "Status": "locked"}),
            json!({"Value": 1, "Status": "always"}),
            json!({"Value": 1, "Type": "int"}),
            json!({"Status": "user"}),
            json!(null),
        ] {
            assert_eq!(firefox_preference(&refused), None, "{refused}");
        }
    }

    #[test]
    fn firefox_policies_as_prefs() {
        let ops = |policy: &str, v: Value| {
            let mut out = Vec::new();
            firefox_policy_ops(policy, &v, &mut |name: &str, op| {
                out.push((name.to_string(), op))
            });
            out
        };
        let names =
            |o: Vec<(String, PolicyPrefOp)>| o.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        // Only with UseHTTPProxyForAllProtocols does the HTTP proxy serve https too.
        assert_eq!(
            names(ops(
                "Proxy",
                json!({"Mode": "manual", "HTTPProxy": "p.corp:3128"})
            )),
            [
                "network.proxy.type",
                "network.proxy.http",
                "network.proxy.http_port"
            ]
        );
        let shared = ops(
            "Proxy",
            json!({"HTTPProxy": "u:pw@P.corp:3128", "UseHTTPProxyForAllProtocols": true}),
        );
        assert!(shared.contains(&(
            "network.proxy.ssl".to_string(),
            default_locked_as(json!("p.corp"), None)
        )));
        assert!(shared.contains(&(
            "network.proxy.ssl_port".to_string(),
            default_locked_as(json!(3128), None)
        )));
        assert!(ops("Proxy", json!({"Mode": "bogus", "HTTPProxy": "p:1"})).is_empty());
        assert_eq!(
            firefox_proxy_address("[::1]:8080"),
            Some(("[::1]".into(), Some(8080)))
        );
        assert_eq!(firefox_proxy_address("[::1]"), Some(("[::1]".into(), None)));
        assert_eq!(
            firefox_proxy_address("p.corp:443"),
            Some(("p.corp".into(), None))
        );
        assert_eq!(firefox_proxy_address("p.corp:99999"), None);
        // SanitizeOnShutdown: unnamed categories off and locked unless `Locked` is given.
        assert_eq!(
            ops("SanitizeOnShutdown", json!({"Cache": true}))[1],
            (
                "privacy.clearOnShutdown.cookies".to_string(),
                locked_default(json!(false))
            )
        );
        assert_eq!(
            ops(
                "SanitizeOnShutdown",
                json!({"Cookies": true, "Locked": false})
            )[2],
            (
                "privacy.clearOnShutdown_v2.cookiesAndStorage".to_string(),
                default_locked_as(json!(true), Some(false))
            )
        );
        assert!(ops("ClearOnShutdown", json!({"CookiesAndStorage": "yes"})).is_empty());
        assert_eq!(
            names(ops("ClearOnShutdown", json!({"Cache": true}))),
            ["privacy.sanitize.sanitizeOnShutdown"]
        );
        assert_eq!(
            ops("Cookies", json!({"Locked": false, "Block": []})),
            [(
                "network.cookie.cookieBehavior".to_string(),
                PolicyPrefOp::Lock(false)
            )]
        );
        assert!(ops("Cookies", json!({"Behavior": "reject", "Default": "x"})).is_empty());
    }

    #[test]
    fn macos_flattened_keys_are_unflattened() {
        let flat = |v: Value| unflatten(v.as_object().unwrap().clone());
        assert_eq!(
            flat(json!({
                "Cookies__Behavior": "reject",
                "Cookies__Locked": true,
                "WebsiteFilter__Block__1": "https://b/*",
                "WebsiteFilter__Block__0": "https://a/*",
                "DisableTelemetry": true,
                "Too__51": 1,
                "__": 2,
            })),
            json!({
                "Cookies": {"Behavior": "reject", "Locked": true},
                "WebsiteFilter": {"Block": ["https://a/*", "https://b/*"]},
                "DisableTelemetry": true,
                "": {"": 2},
            })
            .as_object()
            .unwrap()
            .clone()
        );
        // A flat key under a value that holds no keys is dropped.
        assert_eq!(
            flat(json!({"A": 1, "A__B": 2})),
            json!({"A": 1}).as_object().unwrap().clone()
        );
        assert!(ns_bool(&json!(1)) && ns_bool(&json!("YES")) && !ns_bool(&json!("no")));
    }

    proptest::proptest! {
        #[test]
        fn unflatten_never_panics(keys in proptest::collection::vec("(A|B|0|7|51|_|__){0,6}", 0..6)) {
            let map = keys.into_iter().enumerate().map(|(i, k)| (k, json!(i))).collect();
            let _ = unflatten(map);
        }

        #[test]
        fn firefox_origin_never_panics(text in "(https?|://|[a-z.]|:|/|@|\\*|\\?|#|443|[\u{e9}]){0,12}") {
            let _ = firefox_origin(&text);
            let _ = firefox_proxy_address(&text);
        }
    }
}
