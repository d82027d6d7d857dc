//! Chromium profile settings that break a login (doctor-signals.md S3–S7, S13): content
//! settings for cookies and JavaScript, third-party cookie blocking, always-translate
//! rules, proxies set by the user or an extension, Brave Shields, and the user-data dir's
//! secure-DNS resolver, read from `Preferences` merged with `Secure Preferences` and
//! from `Local State`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{Checked, Context, Evidence, Finding, FindingId, Severity, Unread};
use crate::browser::chromium::preferences;
use crate::browser::Profile;
use crate::confine::Confined;
use crate::targets::Targets;

/// Content-setting values (`content_settings.h`).
const ALLOW: i64 = 1;
const BLOCK: i64 = 2;
const SESSION_ONLY: i64 = 4;

/// What "every site" is called in the advice.
use super::advice::ALL_SITES;

/// The profile's merged settings and, for evidence, each file's own.
struct Prefs {
    merged: Value,
    /// The files that parsed, in merge order (the later wins).
    files: Vec<(PathBuf, Value)>,
    /// Where a value is reported when no file holds it (the usual file).
    default_file: PathBuf,
}

impl Prefs {
    fn get(&self, path: &[&str]) -> Option<&Value> {
        walk(&self.merged, path)
    }

    /// The file the effective value at `path` came from: the last one holding it.
    fn file_of(&self, path: &[&str]) -> PathBuf {
        self.files
            .iter()
            .rev()
            .find(|(_, v)| walk(v, path).is_some())
            .map_or_else(|| self.default_file.clone(), |(p, _)| p.clone())
    }
}

/// `path` read as nested object keys; keys are literal (content-settings keys hold dots).
fn walk<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, k| v.get(*k))
}

pub fn check(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    let mut files = Vec::new();
    for (path, parsed) in preferences::read_each(ctx.fs, &profile.path) {
        match parsed {
            Ok(v) => files.push((path, v)),
            Err(reason) => {
                checked
                    .unread
                    .push(Unread::profile(profile, path, format!("settings {reason}")))
            }
        }
    }
    let mut merged = Value::Object(Map::new());
    for (_, v) in &files {
        preferences::merge(&mut merged, v.clone());
    }
    let prefs = Prefs {
        merged,
        files,
        default_file: profile.path.join(preferences::FILES[0]),
    };
    content_settings(ctx, profile, &prefs, &mut checked);
    third_party(profile, &prefs, &mut checked);
    translate(ctx.targets, profile, &prefs, &mut checked);
    proxies(ctx, profile, &prefs, &mut checked);
    if profile.browser.row().facts.shields {
        brave_shields(ctx, profile, &prefs, &mut checked);
    }
    if let Some(udd) = profile.path.parent() {
        local_state(ctx.fs, profile, &udd.join("Local State"), &mut checked);
    }
    checked
}

/// One site exception of a content-settings map.
struct Exception<'a> {
    key: &'a str,
    primary: &'a str,
    setting: i64,
}

/// The unexpired exceptions of `type_` whose primary pattern reaches a target and that
/// apply on every top-level site (secondary `*`) or on a target's: `*,[*.]x` is a
/// third-party allowance on x, not a rule about a target's own cookies.
fn exceptions<'a>(ctx: &Context, prefs: &'a Prefs, type_: &str) -> Vec<Exception<'a>> {
    let Some(Value::Object(map)) = prefs.get(&["profile", "content_settings", "exceptions", type_])
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, entry) in map {
        let (primary, secondary) = key.split_once(',').unwrap_or((key.as_str(), "*"));
        let (primary, secondary) = (primary.trim(), secondary.trim());
        if !ctx.targets.content_pattern_reaches(primary) {
            continue;
        }
        let applies = secondary == "*"
            || secondary.is_empty()
            || (primary != "*" && ctx.targets.content_pattern_reaches(secondary));
        if !applies || expired(entry, ctx.now) {
            continue;
        }
        if let Some(setting) = entry.get("setting").and_then(Value::as_i64) {
            out.push(Exception {
                key,
                primary,
                setting,
            });
        }
    }
    out
}

/// An exception whose `expiration` (µs since 1601, as a string; "0" = never) is past.
fn expired(entry: &Value, now: i64) -> bool {
    let micros = match entry.get("expiration") {
        Some(Value::String(s)) => s.parse::<i64>().ok(),
        Some(v) => v.as_i64(),
        None => None,
    };
    match micros {
        Some(us) if us > 0 => us / 1_000_000 - 11_644_473_600 < now,
        _ => false,
    }
}

/// True when, for every target `e` reaches, a more specific allow rule covers that
/// target: Chromium applies the most specific matching rule, so `[*.]com` blocked with
/// `[*.]chatgpt.com` and `[*.]openai.com` allowed leaves the login alone. A rule for a
/// host under a target (`[*.]auth.openai.com`) is never overridden by the target's own.
fn overridden(targets: &Targets, e: &Exception, all: &[Exception]) -> bool {
    let Some(own) = Targets::content_pattern_specificity(e.primary) else {
        return false;
    };
    let reached: Vec<&String> = targets
        .domains()
        .iter()
        .filter(|d| Targets::content_pattern_covers(e.primary, d))
        .collect();
    if reached.is_empty() {
        // It reaches only part of a target (a subdomain or one origin).
        return false;
    }
    reached.iter().all(|d| {
        all.iter().any(|a| {
            a.setting == ALLOW
                && Targets::content_pattern_covers(a.primary, d)
                && Targets::content_pattern_specificity(a.primary).is_some_and(|s| s > own)
        })
    })
}

/// True when allow exceptions cover every target host, so a blocking default does not
/// apply to the login.
fn allowed_everywhere(ctx: &Context, prefs: &Prefs, type_: &str) -> bool {
    let allows: Vec<_> = exceptions(ctx, prefs, type_)
        .into_iter()
        .filter(|e| e.setting == ALLOW)
        .collect();
    ctx.targets.domains().iter().all(|d| {
        allows
            .iter()
            .any(|e| Targets::content_pattern_covers(e.primary, d))
    })
}

fn content_settings(ctx: &Context, profile: &Profile, prefs: &Prefs, checked: &mut Checked) {
    // A default the machine's policy sets wins over the profile's default and exceptions
    // alike; the policy check judges it.
    let managed = super::policy::chromium_managed_defaults(ctx, profile.browser);
    for (type_, blocked_id) in [
        ("cookies", FindingId::CookiesBlocked),
        ("javascript", FindingId::JavascriptBlocked),
    ] {
        if managed.contains(&type_) {
            continue;
        }
        let default_path = ["profile", "default_content_setting_values", type_];
        let default = prefs.get(&default_path).and_then(Value::as_i64);
        let id = match default {
            Some(BLOCK) => Some((blocked_id, Severity::Error)),
            Some(SESSION_ONLY) if type_ == "cookies" => {
                Some((FindingId::CookiesSessionOnly, Severity::Warning))
            }
            _ => None,
        };
        if let Some((id, severity)) = id {
            if !allowed_everywhere(ctx, prefs, type_) {
                checked.found(
                    Finding::profile(
                        id,
                        severity,
                        profile,
                        Evidence::new(prefs.file_of(&default_path), default_path.join("."))
                            .value(default.unwrap_or_default().to_string()),
                    )
                    .with("browser", profile.browser.product_name())
                    .with("site", ALL_SITES),
                );
            }
        }
        let path = ["profile", "content_settings", "exceptions", type_];
        let found = exceptions(ctx, prefs, type_);
        for e in &found {
            if overridden(ctx.targets, e, &found) {
                continue;
            }
            let (id, severity) = match e.setting {
                BLOCK => (blocked_id, Severity::Error),
                SESSION_ONLY if type_ == "cookies" => {
                    (FindingId::CookiesSessionOnly, Severity::Warning)
                }
                _ => continue,
            };
            let site = if e.primary == "*" {
                ALL_SITES
            } else {
                e.primary
            };
            checked.found(
                Finding::profile(
                    id,
                    severity,
                    profile,
                    Evidence::new(
                        prefs.file_of(&path),
                        format!("{}[\"{}\"].setting", path.join("."), e.key),
                    )
                    .value(e.setting.to_string()),
                )
                .with("browser", profile.browser.product_name())
                .with("site", site),
            );
        }
    }
}

fn third_party(profile: &Profile, prefs: &Prefs, checked: &mut Checked) {
    let mode = ["profile", "cookie_controls_mode"];
    let legacy = ["profile", "block_third_party_cookies"];
    let (path, value) = if prefs.get(&mode).and_then(Value::as_i64) == Some(1) {
        (&mode, "1")
    } else if prefs.get(&legacy).and_then(Value::as_bool) == Some(true) {
        (&legacy, "true")
    } else {
        return;
    };
    checked.found(
        Finding::profile(
            FindingId::ThirdPartyCookiesBlocked,
            Severity::Info,
            profile,
            Evidence::new(prefs.file_of(path), path.join(".")).value(value),
        )
        .with("browser", profile.browser.product_name()),
    );
}

/// Always-translate rules (`translate_allowlists`, `{"en": "ja"}`) while translation is
/// on, unless a target is on the never-translate list of sites.
fn translate(targets: &Targets, profile: &Profile, prefs: &Prefs, checked: &mut Checked) {
    if prefs
        .get(&["translate", "enabled"])
        .and_then(Value::as_bool)
        == Some(false)
    {
        return;
    }
    let never = prefs
        .get(&["translate_site_blocklist_with_time"])
        .and_then(Value::as_object)
        .is_some_and(|m| m.keys().any(|host| targets.matches_host(host)))
        || prefs
            .get(&["translate_site_blocklist"])
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .any(|h| targets.matches_host(h))
            });
    if never {
        return;
    }
    // `translate_whitelists` is the name before Chromium 90.
    for key in ["translate_allowlists", "translate_whitelists"] {
        let Some(Value::Object(rules)) = prefs.get(&[key]) else {
            continue;
        };
        for (from, to) in rules {
            let Some(to) = to.as_str() else { continue };
            // `{"en": "en"}` is what "always translate English" writes when the target is
            // English: nothing is rewritten.
            if from.eq_ignore_ascii_case(to) {
                continue;
            }
            checked.found(
                Finding::profile(
                    FindingId::AutoTranslate,
                    Severity::Warning,
                    profile,
                    Evidence::new(prefs.file_of(&[key]), format!("{key}.{from}")).value(to),
                )
                .with("browser", profile.browser.product_name())
                .with("from", from.clone())
                .with("to", to),
            );
        }
    }
}

/// A proxy dict's server, or `None` when it sends nothing through a proxy.
fn proxy_server(proxy: &Value) -> Option<String> {
    // Extension-set prefs may be wrapped as `{"value": {...}}`.
    let proxy = proxy
        .get("value")
        .filter(|v| v.is_object())
        .unwrap_or(proxy);
    let field = |name: &str| {
        proxy
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match proxy.get("mode").and_then(Value::as_str)? {
        "fixed_servers" => Some(field("server").unwrap_or_else(|| "(no server named)".into())),
        "pac_script" => Some(field("pac_url").map_or_else(
            || "(a PAC script)".to_string(),
            |u| format!("PAC {}", redact_url(&u)),
        )),
        "auto_detect" => Some("(auto-detected, WPAD)".to_string()),
        _ => None,
    }
}

/// A URL without its user info, query or DoH template part (they can hold credentials
/// or tokens).
pub(crate) fn redact_url(url: &str) -> String {
    let url = url.split(['?', '#', '{']).next().unwrap_or(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    format!("{scheme}://{host}{path}")
}

/// A server list without user info (`user:pass@host:port`).
fn redact_server(server: &str) -> String {
    server
        .split(';')
        .map(|part| match part.rsplit_once('@') {
            Some((_, host)) => host.to_string(),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn proxies(ctx: &Context, profile: &Profile, prefs: &Prefs, checked: &mut Checked) {
    let mut by_extension = false;
    if let Some(Value::Object(settings)) = prefs.get(&["extensions", "settings"]) {
        // The names and enabled states as `loginfix extensions` reads them.
        let installed =
            crate::extensions::list(ctx.fs, profile, ctx.targets, true).unwrap_or_default();
        for (id, entry) in settings {
            for scope in ["preferences", "regular_only_preferences"] {
                let Some(server) = entry
                    .get(scope)
                    .and_then(|p| p.get("proxy"))
                    .and_then(proxy_server)
                else {
                    continue;
                };
                let known = installed.iter().find(|e| &e.info.id == id);
                let enabled = match known {
                    Some(e) => e.info.enabled,
                    None => chromium_enabled(entry),
                };
                if !enabled {
                    continue;
                }
                by_extension = true;
                let name = known
                    .map(|e| e.info.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.clone());
                let path = ["extensions", "settings", id.as_str(), scope, "proxy"];
                checked.found(
                    Finding::profile(
                        FindingId::ProxyExtension,
                        Severity::Warning,
                        profile,
                        Evidence::new(prefs.file_of(&path), path.join("."))
                            .value(redact_server(&server)),
                    )
                    .with("browser", profile.browser.product_name())
                    .with("extension", name)
                    .with("extension_id", id.clone())
                    .with("server", redact_server(&server)),
                );
                break;
            }
        }
    }
    // An enabled extension's proxy overrides the user's own setting.
    if by_extension {
        return;
    }
    if let Some(server) = prefs.get(&["proxy"]).and_then(proxy_server) {
        checked.found(
            Finding::profile(
                FindingId::ProxyBrowser,
                Severity::Warning,
                profile,
                Evidence::new(prefs.file_of(&["proxy"]), "proxy").value(redact_server(&server)),
            )
            .with("browser", profile.browser.product_name())
            .with("server", redact_server(&server)),
        );
    }
}

/// Chromium's own record of whether an extension is on, for one the extension reader
/// skipped: `disable_reasons` empty (or 0) and `state` not 0.
fn chromium_enabled(entry: &Value) -> bool {
    let reasons_clear = match entry.get("disable_reasons") {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(v) => v.as_i64() == Some(0),
    };
    reasons_clear && entry.get("state").and_then(Value::as_i64) != Some(0)
}

/// Brave Shields for a target: the doc verifies the names and that `braveShields` 2
/// turns shields off for the site; what `fingerprintingV2` and `shieldsCookiesV3` values
/// mean is not verified, so only their block value (2, which brave-core writes for the
/// strict/"block" choices) is reported, as a warning and with that caveat in evidence.
fn brave_shields(ctx: &Context, profile: &Profile, prefs: &Prefs, checked: &mut Checked) {
    let shields_down = exceptions(ctx, prefs, "braveShields")
        .iter()
        .any(|e| e.setting == BLOCK && e.primary != "*");
    if shields_down {
        return;
    }
    for type_ in ["fingerprintingV2", "shieldsCookiesV3"] {
        let path = ["profile", "content_settings", "exceptions", type_];
        let mut hits: Vec<(String, String)> = exceptions(ctx, prefs, type_)
            .into_iter()
            .filter(|e| e.setting == BLOCK)
            .map(|e| {
                let site = if e.primary == "*" {
                    ALL_SITES
                } else {
                    e.primary
                };
                (
                    format!("{}[\"{}\"].setting", path.join("."), e.key),
                    site.to_string(),
                )
            })
            .collect();
        let default_path = ["profile", "default_content_setting_values", type_];
        if hits.is_empty() && prefs.get(&default_path).and_then(Value::as_i64) == Some(BLOCK) {
            hits.push((default_path.join("."), ALL_SITES.to_string()));
        }
        for (key, site) in hits {
            let file = prefs.file_of(if key.starts_with("profile.default") {
                &default_path
            } else {
                &path
            });
            checked.found(
                Finding::profile(
                    FindingId::ShieldsStrict,
                    Severity::Warning,
                    profile,
                    Evidence::new(file, key).value("2 (block; Brave's value mapping unverified)"),
                )
                .with("browser", profile.browser.product_name())
                .with("site", site),
            );
        }
    }
}

/// `Local State`: a custom secure-DNS resolver in secure mode.
fn local_state(fs: &Confined, profile: &Profile, path: &Path, checked: &mut Checked) {
    let text = match fs.read_text(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            checked.unread.push(Unread::profile(
                profile,
                path,
                format!("could not be read: {e}"),
            ));
            return;
        }
    };
    let json: Value = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            checked.unread.push(Unread::profile(
                profile,
                path,
                format!("not valid JSON: {e}"),
            ));
            return;
        }
    };
    let doh = json.get("dns_over_https");
    let mode = doh.and_then(|d| d.get("mode")).and_then(Value::as_str);
    let templates = doh
        .and_then(|d| d.get("templates"))
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or("");
    if mode == Some("secure") && !templates.is_empty() {
        let server = templates
            .split_whitespace()
            .map(redact_url)
            .collect::<Vec<_>>()
            .join(" ");
        checked.found(
            Finding::profile(
                FindingId::DnsOverHttpsCustom,
                Severity::Info,
                profile,
                Evidence::new(path, "dns_over_https.templates").value(server.clone()),
            )
            .with("browser", profile.browser.product_name())
            .with("server", server),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_dicts_and_redaction() {
        let v = serde_json::json!({"mode": "fixed_servers", "server": "u:p@10.0.0.1:3128"});
        assert_eq!(
            proxy_server(&v).map(|s| redact_server(&s)).as_deref(),
            Some("10.0.0.1:3128")
        );
        let v = serde_json::json!({"mode": "system"});
        assert_eq!(proxy_server(&v), None);
        let v = serde_json::json!({"value": {"mode": "pac_script", "pac_url": "https://a:b@x.test/p.pac?tok=1"}});
        assert_eq!(
            proxy_server(&v).as_deref(),
            Some("PAC https://x.test/p.pac")
        );
        assert_eq!(redact_url("https://dns.test/q{?dns}"), "https://dns.test/q");
    }

    #[test]
    fn expiry_is_in_windows_microseconds() {
        // 13440582612039839 µs since 1601 ≈ 2026-11-27.
        let e = serde_json::json!({"expiration": "13440582612039839"});
        assert!(expired(&e, 1_800_000_000));
        assert!(!expired(&e, 1_700_000_000));
        assert!(!expired(
            &serde_json::json!({"expiration": "0"}),
            1_800_000_000
        ));
    }
}
