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
                firefox_sources(ctx, &mut checked, &mut registry_skipped)
            }
            Engine::Firefox => continue,
            Engine::Safari => continue,
        };
        machine_wins(&mut sources);
        for f in judge(ctx, browser, &sources) {
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
    for s in sources.iter_mut().filter(|s| s.level == Level::Recommended) {
        s.policies
            .retain(|name, _| !MANDATORY_ONLY.contains(&name.as_str()));
    }
    sources
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

fn firefox_sources(
    ctx: &Context,
    checked: &mut Checked,
    registry_skipped: &mut bool,
) -> Vec<Source> {
    let mut sources = Vec::new();
    let installs: &[&str] = match ctx.layout.os {
        Os::Linux => {
            // Firefox (also Debian's firefox-esr) reads this one instead of the install's.
            let system = ctx.system_path("etc/firefox/policies/policies.json");
            if super::exists(&system) {
                sources.extend(json_source(ctx, &system, Level::Mandatory, true, checked));
                return sources;
            }
            FIREFOX_LINUX_INSTALLS
        }
        Os::Macos => {
            let file = ctx.system_path("Library/Managed Preferences/org.mozilla.firefox.plist");
            if let Some(mut policies) = plist_source(ctx, &file, checked) {
                // The managed domain applies only when it says so.
                if policies
                    .remove("EnterprisePoliciesEnabled")
                    .and_then(|v| as_bool(&v))
                    == Some(true)
                {
                    sources.push(Source {
                        scope: Scope::Machine,
                        file,
                        level: Level::Mandatory,
                        policies,
                    });
                }
            }
            FIREFOX_MAC_INSTALLS
        }
        Os::Windows => {
            registry_sources(
                ctx,
                FIREFOX_WIN_KEY,
                false,
                &mut sources,
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
    sources
}

/// The `Preferences` policy of the Firefox policy sources (policies.json, the registry,
/// the managed plist): each pref with its value, how it applies (`locked`, `default`,
/// `user`; the old form, a bare value, locks) and the file. `clear` entries are left out.
pub fn firefox_preferences(
    ctx: &Context,
    checked: &mut Checked,
) -> Vec<(String, Value, &'static str, PathBuf)> {
    let mut skipped = false;
    let mut out = Vec::new();
    for source in firefox_sources(ctx, checked, &mut skipped) {
        let Some(Value::Object(prefs)) = source.policies.get("Preferences") else {
            continue;
        };
        for (name, v) in prefs {
            let (value, status) = match v {
                Value::Object(o) => {
                    let status = match o.get("Status").and_then(Value::as_str) {
                        Some("locked") => "locked",
                        Some("default") | None => "default",
                        Some("user") => "user",
                        _ => continue,
                    };
                    match o.get("Value") {
                        Some(value) => (value.clone(), status),
                        None => continue,
                    }
                }
                value => (value.clone(), "locked"),
            };
            out.push((name.clone(), value, status, source.file.clone()));
        }
    }
    out
}

/// The Firefox installs of the layout's OS, relative to the root.
pub fn firefox_installs(os: Os) -> &'static [&'static str] {
    match os {
        Os::Linux => FIREFOX_LINUX_INSTALLS,
        Os::Macos => FIREFOX_MAC_INSTALLS,
        Os::Windows => FIREFOX_WIN_INSTALLS,
    }
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
    let files = match sysfile::list_all(dir) {
        Ok(Some(files)) => files,
        Ok(None) => return Vec::new(),
        Err(e) => {
            checked.unread.push(Unread::machine(dir, e));
            return Vec::new();
        }
    };
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

fn judge(ctx: &Context, browser: Browser, sources: &[Source]) -> Vec<Finding> {
    let mut out = Vec::new();
    let firefox = browser.engine() == Engine::Firefox;
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
                    .take(if firefox { usize::MAX } else { MAX_URL_FILTERS })
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

    /// Cookie or JavaScript blocks by patterns reaching a target.
    fn pattern_blocks(
        &mut self,
        key: &str,
        rules: Vec<(String, Option<HostRule>)>,
        severity: Severity,
        what: &str,
    ) {
        self.content_blocks(key, rules, severity, what, &[]);
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

    fn firefox(&mut self, allows: &[HostRule]) {
        if let Some(v) = self.get("SanitizeOnShutdown").cloned() {
            // `true` clears everything; an object clears what it sets true (policy
            // templates: SanitizeOnShutdown; Cookies is the one that signs out).
            let cookies = match &v {
                Value::Bool(b) => *b,
                Value::Object(o) => o.get("Cookies").and_then(as_bool).unwrap_or(false),
                _ => false,
            };
            if cookies {
                let f = self.found(
                    FindingId::PolicyClearsData,
                    Severity::Warning,
                    "SanitizeOnShutdown".to_string(),
                    v.to_string(),
                );
                f.params.insert("when", "exit".to_string());
            }
        }
        let filter = self.get("WebsiteFilter").cloned();
        let blocks = strings(filter.as_ref().and_then(|w| w.get("Block")))
            .into_iter()
            .map(|p| {
                let r = HostRule::match_pattern(&p);
                (p, r)
            })
            .collect();
        self.site_blocks("WebsiteFilter.Block", blocks, allows, false);

        if let Some(cookies) = self.get("Cookies").cloned() {
            // Origins (`https://chatgpt.com`): the permission covers the host's subdomains.
            let origins = |name: &str| {
                strings(cookies.get(name))
                    .into_iter()
                    .map(|p| {
                        let r = HostRule::url_filter(&p);
                        (p, r)
                    })
                    .collect::<Vec<_>>()
            };
            self.pattern_blocks(
                "Cookies.Block",
                origins("Block"),
                Severity::Error,
                "cookies",
            );
            self.pattern_blocks(
                "Cookies.AllowSession",
                origins("AllowSession"),
                Severity::Warning,
                "cookies (session only)",
            );
            match cookies.get("Behavior").and_then(|v| v.as_str()) {
                Some("reject") => {
                    self.all_sites("Cookies.Behavior", "reject", Severity::Error, "cookies");
                }
                // Third-party cookies refused (or limited to visited sites), as Chrome's
                // BlockThirdPartyCookies: worth a line, the login's own are first-party.
                Some(b @ ("reject-foreign" | "limit-foreign")) => {
                    self.found(
                        FindingId::ThirdPartyCookiesBlocked,
                        Severity::Info,
                        "Cookies.Behavior".into(),
                        b.to_string(),
                    );
                }
                _ => {}
            }
            if cookies.get("Default").and_then(as_bool) == Some(false) {
                self.all_sites("Cookies.Default", "false", Severity::Error, "cookies");
            }
            if cookies.get("ExpireAtSessionEnd").and_then(as_bool) == Some(true) {
                self.all_sites(
                    "Cookies.ExpireAtSessionEnd",
                    "true",
                    Severity::Warning,
                    "cookies (session only)",
                );
            }
        }

        for (id, mode) in extension_settings(self.get("ExtensionSettings")) {
            self.forced_extension(
                format!("ExtensionSettings.{id}.installation_mode"),
                &id,
                &mode,
            );
        }
        // `Extensions.Locked`: the listed add-ons cannot be disabled or removed, so a
        // blocker among them stays on whatever the person does (policy templates:
        // Extensions).
        let locked = strings(self.get("Extensions").and_then(|e| e.get("Locked")));
        for id in locked {
            self.forced_extension("Extensions.Locked".to_string(), &id, &id);
        }

        if let Some(proxy) = self.get("Proxy").cloned() {
            let text = |n: &str| proxy.get(n).and_then(|v| v.as_str()).map(str::to_string);
            match text("Mode").as_deref() {
                Some("manual") => {
                    let server = text("SSLProxy")
                        .or_else(|| text("HTTPProxy"))
                        .or_else(|| text("SOCKSProxy"));
                    self.proxy("Proxy.Mode".to_string(), "manual", server);
                }
                Some("autoConfig") => {
                    self.proxy(
                        "Proxy.Mode".to_string(),
                        "autoConfig",
                        text("AutoConfigURL"),
                    );
                }
                _ => {}
            }
        }

        if self.get("PrivateBrowsingModeAvailability").and_then(as_int) == Some(2) {
            self.found(
                FindingId::PrivateOnly,
                Severity::Info,
                "PrivateBrowsingModeAvailability".into(),
                "2".into(),
            );
        }
        if let Some(doh) = self.get("DNSOverHTTPS").cloned() {
            let url = doh
                .get("ProviderURL")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            if doh.get("Enabled").and_then(as_bool) == Some(true) && !url.is_empty() {
                let server = strip_credentials(&url);
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
    }
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
}
