//! The system-wide proxy (doctor-signals.md S8): what a browser set to "use the system
//! proxy" (the default) resolves to. Linux environment files, KDE and GNOME settings,
//! macOS network settings, Windows Internet settings. Evidence names the proxy's host and
//! port, never its credentials.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::registry::{Got, Part};
use super::sysfile;
use super::{Checked, Context, Evidence, Finding, FindingId, NotChecked, Scope, Severity, Unread};
use crate::platform::{at, Base, Os};

/// Settings files are small; a larger one is refused.
const MAX_SETTINGS_BYTES: u64 = 4 * 1024 * 1024;

/// The environment variables that send programs through a proxy (`no_proxy` alone
/// does not); Chromium on Linux also reads `SOCKS_SERVER` and `auto_proxy` (a PAC URL).
const PROXY_VARS: &[&str] = &[
    "https_proxy",
    "http_proxy",
    "all_proxy",
    "socks_server",
    "auto_proxy",
];

const WIN_INTERNET_SETTINGS: &str =
    "Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";

pub fn check(ctx: &Context) -> Checked {
    let mut checked = Checked::default();
    match ctx.layout.os {
        Os::Linux if ctx.reach.machine() => {
            // pam_env takes /etc/environment's values as they are (no `$` expansion).
            env_file(
                ctx,
                &ctx.system_path("etc/environment"),
                Scope::Machine,
                false,
                &mut checked,
            );
            // Login shells' scripts: only plain `[export] NAME=value` lines are understood.
            let profile_d = ctx.system_path("etc/profile.d");
            match sysfile::list(&profile_d, ".sh") {
                Ok(Some(files)) => {
                    for f in files {
                        env_file(ctx, &f, Scope::Machine, true, &mut checked);
                    }
                }
                Ok(None) => {}
                Err(e) => checked.unread.push(Unread::machine(profile_d, e)),
            }
            gnome(ctx, &mut checked);
            if ctx.reach.user() {
                user_linux(ctx, &mut checked);
            }
        }
        Os::Linux => user_linux(ctx, &mut checked),
        Os::Macos if ctx.reach.machine() => macos(ctx, &mut checked),
        Os::Windows => windows(ctx, &mut checked),
        Os::Macos => {}
    }
    checked
}

/// The home user's proxy settings on Linux: `environment.d`, KDE's, GNOME's database.
fn user_linux(ctx: &Context, checked: &mut Checked) {
    let dir = ctx.layout.resolve(at(Base::XdgConfig, "environment.d"));
    match sysfile::list(&dir, ".conf") {
        Ok(Some(files)) => {
            // environment.d(5) expands `$NAME` and `${NAME}`.
            for f in files {
                env_file(ctx, &f, Scope::User, true, checked);
            }
        }
        Ok(None) => {}
        Err(e) => checked.unread.push(user_unread(dir, e)),
    }
    kde(ctx, checked);
    gnome_user(ctx, checked);
}

fn user_unread(file: PathBuf, reason: impl Into<String>) -> Unread {
    Unread {
        scope: Scope::User,
        ..Unread::machine(file, reason)
    }
}

fn finding(scope: Scope, file: &Path, key: String, server: String) -> Finding {
    Finding {
        scope,
        ..Finding::machine(
            FindingId::ProxySystem,
            Severity::Warning,
            Evidence::new(file, key).value(server.clone()),
        )
    }
    .with("server", server)
}

/// Reads a text settings file; absent is `None`, unreadable is recorded.
fn text(ctx: &Context, file: &Path, scope: Scope, checked: &mut Checked) -> Option<String> {
    match sysfile::read_text(ctx.layout, file, MAX_SETTINGS_BYTES) {
        Ok(t) => t,
        Err(e) => {
            checked.unread.push(Unread {
                scope,
                ..Unread::machine(file, e)
            });
            None
        }
    }
}

/// `KEY=value` lines (`/etc/environment`, `environment.d/*.conf`; a leading `export`
/// tolerated, quotes removed). With `expand`, `$NAME` and `${NAME}` take the value an
/// earlier line of the same file gave (as a shell or environment.d does); a name the
/// file does not set is said to be unresolved rather than named as the proxy.
fn env_file(ctx: &Context, file: &Path, scope: Scope, expand: bool, checked: &mut Checked) {
    let Some(text) = text(ctx, file, scope, checked) else {
        return;
    };
    let mut set: Vec<(String, String)> = Vec::new();
    for (name, raw) in env_assignments(&text) {
        let (value, unresolved) = if expand {
            expand_vars(&raw, &set)
        } else {
            (raw, None)
        };
        if PROXY_VARS.iter().any(|v| v.eq_ignore_ascii_case(&name)) && !value.is_empty() {
            let server = match &unresolved {
                Some(var) => crate::i18n::ta("proxy-unresolved", &[("name", var)]),
                None => strip_credentials(&value),
            };
            checked.found(finding(scope, file, name.clone(), server));
        }
        set.retain(|(n, _)| *n != name);
        set.push((name, value));
    }
}

/// `value` with `$NAME` / `${NAME}` replaced by what `set` gives them, and the first
/// name it does not give.
fn expand_vars(value: &str, set: &[(String, String)]) -> (String, Option<String>) {
    let mut out = String::new();
    let mut unresolved = None;
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        match set.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => out.push_str(v),
            None => {
                unresolved.get_or_insert_with(|| format!("${name}"));
                out.push_str(&rest[at..at + 1 + len]);
            }
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    (out, unresolved)
}

/// The assignments of an environment file, in order.
pub fn env_assignments(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.starts_with('#') {
                return None;
            }
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let (name, value) = line.split_once('=')?;
            let name = name.trim();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return None;
            }
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            Some((name.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// The key/value pairs of one `[section]` of an ini-style file (first occurrence wins).
fn ini_section(text: &str, section: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') && line.ends_with(']') {
            inside = &line[1..line.len() - 1] == section;
            continue;
        }
        if !inside || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

fn ini_get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// KDE: `~/.config/kioslaverc` `[Proxy Settings] ProxyType` other than 0.
fn kde(ctx: &Context, checked: &mut Checked) {
    let file = ctx.layout.resolve(at(Base::XdgConfig, "kioslaverc"));
    let Some(text) = text(ctx, &file, Scope::User, checked) else {
        return;
    };
    let pairs = ini_section(&text, "Proxy Settings");
    let Some(kind) = ini_get(&pairs, "ProxyType").and_then(|v| v.parse::<u32>().ok()) else {
        return;
    };
    // KDE writes `http://host port` (a space before the port) or `http://host:port`.
    let server = |k: &str| {
        ini_get(&pairs, k)
            .filter(|v| !v.is_empty())
            .map(|v| strip_credentials(&v.replacen(' ', ":", 1)))
    };
    let server = match kind {
        0 => return,
        1 => server("httpsProxy")
            .or_else(|| server("httpProxy"))
            .or_else(|| server("socksProxy"))
            .unwrap_or_else(|| "manual".to_string()),
        2 => server("Proxy Config Script").unwrap_or_else(|| "a PAC script".to_string()),
        3 => "auto-detected (WPAD)".to_string(),
        4 => "from the environment variables".to_string(),
        _ => format!("ProxyType {kind}"),
    };
    checked.found(finding(
        Scope::User,
        &file,
        format!("[Proxy Settings] ProxyType={kind}"),
        server,
    ));
}

/// GNOME: the system keyfiles `etc/dconf/db/*.d/*` with `[system/proxy] mode`. The
/// user's own setting is in a binary database this does not parse.
fn gnome(ctx: &Context, checked: &mut Checked) {
    let db = ctx.system_path("etc/dconf/db");
    let dirs = match std::fs::read_dir(&db) {
        Ok(entries) => {
            let mut dirs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "d") && p.is_dir())
                .collect();
            dirs.sort();
            dirs
        }
        Err(_) => Vec::new(),
    };
    for dir in dirs {
        let files = match sysfile::list(&dir, "") {
            Ok(f) => f.unwrap_or_default(),
            Err(e) => {
                checked.unread.push(Unread::machine(dir, e));
                continue;
            }
        };
        for file in files.into_iter().filter(|f| f.is_file()) {
            let Some(text) = text(ctx, &file, Scope::Machine, checked) else {
                continue;
            };
            let proxy = ini_section(&text, "system/proxy");
            let mode = ini_get(&proxy, "mode").map(|m| m.trim_matches(['\'', '"']).to_string());
            let server = match mode.as_deref() {
                Some("manual") => {
                    let of = |sub: &str| {
                        let s = ini_section(&text, &format!("system/proxy/{sub}"));
                        let host = ini_get(&s, "host")?.trim_matches(['\'', '"']).to_string();
                        if host.is_empty() {
                            return None;
                        }
                        let port = ini_get(&s, "port").unwrap_or("").trim();
                        Some(if port.is_empty() {
                            host
                        } else {
                            format!("{host}:{port}")
                        })
                    };
                    of("https")
                        .or_else(|| of("http"))
                        .or_else(|| of("socks"))
                        .map(|s| strip_credentials(&s))
                        .unwrap_or_else(|| "manual".to_string())
                }
                Some("auto") => ini_get(&proxy, "autoconfig-url")
                    .map(|u| strip_credentials(u.trim_matches(['\'', '"'])))
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| "automatic (PAC/WPAD)".to_string()),
                _ => continue,
            };
            checked.found(finding(
                Scope::Machine,
                &file,
                format!("[system/proxy] mode={}", mode.unwrap_or_default()),
                server,
            ));
        }
    }
}

/// GNOME's user database: binary, so only said to be there.
fn gnome_user(ctx: &Context, checked: &mut Checked) {
    let user_db = ctx.layout.resolve(at(Base::XdgConfig, "dconf/user"));
    if super::exists(&user_db) {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::ProxySystem],
            reason: crate::i18n::ta(
                "not-checked-gnome",
                &[("file", &user_db.display().to_string())],
            ),
        });
    }
}

/// macOS: `Library/Preferences/SystemConfiguration/preferences.plist`, the proxies of
/// the current set's network services.
fn macos(ctx: &Context, checked: &mut Checked) {
    let file = ctx.system_path("Library/Preferences/SystemConfiguration/preferences.plist");
    let bytes = match sysfile::read_bytes(ctx.layout, &file, MAX_SETTINGS_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => return,
        Err(e) => {
            checked.unread.push(Unread::machine(file, e));
            return;
        }
    };
    let prefs = match plist::Value::from_reader(std::io::Cursor::new(bytes)) {
        Ok(v) => super::policy::plist_json(&v),
        Err(e) => {
            checked
                .unread
                .push(Unread::machine(file, format!("not a valid plist ({e})")));
            return;
        }
    };
    let Some(services) = prefs.get("NetworkServices").and_then(Value::as_object) else {
        return;
    };
    // The services of the current set (`CurrentSet` = `/Sets/<id>`); all of them when
    // the set cannot be resolved.
    let current: Option<Vec<String>> = prefs
        .get("CurrentSet")
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix("/Sets/"))
        .and_then(|id| prefs.get("Sets")?.get(id)?.get("Network")?.get("Service"))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect());
    for (id, service) in services {
        if current.as_ref().is_some_and(|c| !c.contains(id)) {
            continue;
        }
        let Some(proxies) = service.get("Proxies") else {
            continue;
        };
        let on = |k: &str| proxies.get(k).and_then(as_number) == Some(1);
        let text = |k: &str| {
            proxies
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let host_port = |h: &str, p: &str| {
            let host = text(h);
            match proxies.get(p).and_then(as_number) {
                Some(port) if !host.is_empty() => format!("{host}:{port}"),
                _ => host,
            }
        };
        let kinds = [
            ("HTTPSEnable", host_port("HTTPSProxy", "HTTPSPort")),
            ("HTTPEnable", host_port("HTTPProxy", "HTTPPort")),
            ("SOCKSEnable", host_port("SOCKSProxy", "SOCKSPort")),
            ("ProxyAutoConfigEnable", text("ProxyAutoConfigURLString")),
            (
                "ProxyAutoDiscoveryEnable",
                "auto-discovered (WPAD)".to_string(),
            ),
        ];
        for (key, server) in kinds {
            if !on(key) {
                continue;
            }
            let server = if server.is_empty() {
                key.to_string()
            } else {
                strip_credentials(&server)
            };
            let mut f = finding(
                Scope::Machine,
                &file,
                format!("NetworkServices.{id}.Proxies.{key}"),
                server,
            );
            if let Some(name) = service.get("UserDefinedName").and_then(Value::as_str) {
                f = f.with("service", name);
            }
            checked.found(f);
        }
    }
}

fn as_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::Bool(b) => Some(i64::from(*b)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Windows: the Internet Settings (WinINet) in the registry: the machine's when a policy
/// makes them machine-wide (`ProxySettingsPerUser` = 0), and the home user's (their
/// HKCU) in the run that reads the home; the live registry on the running system, else
/// the hive files (`doctor::registry`).
fn windows(ctx: &Context, checked: &mut Checked) {
    let registry = ctx.registry();
    if ctx.reach.machine() {
        match registry.read(Part::Machine, WIN_PER_USER_POLICY) {
            Got::Tree(_, t) if t.get("ProxySettingsPerUser").and_then(as_number) == Some(0) => {
                internet_settings(ctx, Part::Machine, checked);
            }
            Got::Off => checked.not_checked.push(NotChecked {
                ids: vec![FindingId::ProxySystem],
                reason: crate::i18n::t("not-checked-internet-settings"),
            }),
            _ => {}
        }
    }
    if ctx.reach.user() {
        internet_settings(ctx, Part::User, checked);
    }
}

const WIN_PER_USER_POLICY: &str =
    "SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";

fn internet_settings(ctx: &Context, part: Part, checked: &mut Checked) {
    let scope = match part {
        Part::Machine => Scope::Machine,
        Part::User => Scope::User,
    };
    let (key, tree) = match ctx.registry().read(part, WIN_INTERNET_SETTINGS) {
        Got::Tree(key, t) => (key, t),
        Got::Missing => return,
        Got::Off => {
            checked.not_checked.push(NotChecked {
                ids: vec![FindingId::ProxySystem],
                reason: crate::i18n::t(match part {
                    Part::Machine => "not-checked-internet-settings",
                    Part::User => "not-checked-other-users-internet-settings",
                }),
            });
            return;
        }
        Got::Failed(key, e) => {
            checked.unread.push(Unread {
                scope,
                ..Unread::machine(key, e)
            });
            return;
        }
    };
    let text = |k: &str| {
        tree.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    if tree.get("ProxyEnable").and_then(as_number) == Some(1) {
        let server = text("ProxyServer");
        let server = if server.is_empty() {
            "ProxyEnable=1".to_string()
        } else {
            strip_credentials(&server)
        };
        checked.found(finding(scope, &key, "ProxyServer".to_string(), server));
    }
    let pac = text("AutoConfigURL");
    if !pac.is_empty() {
        checked.found(finding(
            scope,
            &key,
            "AutoConfigURL".to_string(),
            strip_credentials(&pac),
        ));
    }
}

/// A proxy address as evidence: `user:pass@` removed, and a URL's query and fragment
/// (PAC URLs may carry tokens) dropped. `http=h:1;https=h:2` lists are cleaned per item.
pub fn strip_credentials(raw: &str) -> String {
    raw.split(';')
        .map(|item| match item.split_once('=') {
            Some((k, v)) if !k.contains(['/', ':', '@']) => format!("{k}={}", strip_one(v)),
            _ => strip_one(item),
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn strip_one(s: &str) -> String {
    let s = s.trim();
    let (scheme, rest) = match s.find("://") {
        Some(i) => (&s[..i + 3], &s[i + 3..]),
        None => ("", s),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let path = tail.split(['?', '#']).next().unwrap_or("");
    let path = if path == "/" { "" } else { path };
    format!("{scheme}{authority}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_reach_the_evidence() {
        assert_eq!(
            strip_credentials("http://bob:s3cret@proxy.corp:3128/"),
            "http://proxy.corp:3128"
        );
        assert_eq!(
            strip_credentials("bob:s3cret@proxy.corp:3128"),
            "proxy.corp:3128"
        );
        assert_eq!(strip_credentials("socks5://a@b@h:1080"), "socks5://h:1080");
        assert_eq!(
            strip_credentials("https://pac.corp/p.pac?token=abc#x"),
            "https://pac.corp/p.pac"
        );
        assert_eq!(
            strip_credentials("http=u:p@h:80;https=h2:443"),
            "http=h:80;https=h2:443"
        );
        assert_eq!(strip_credentials("proxy:8080"), "proxy:8080");
    }

    #[test]
    fn variables_take_the_values_the_file_gave_them() {
        let set = vec![(
            "http_proxy".to_string(),
            "http://proxy.corp:3128".to_string(),
        )];
        assert_eq!(
            expand_vars("$http_proxy", &set),
            ("http://proxy.corp:3128".to_string(), None)
        );
        assert_eq!(
            expand_vars("${http_proxy}/x", &set),
            ("http://proxy.corp:3128/x".to_string(), None)
        );
        assert_eq!(
            expand_vars("$PROXY_HOST:8080", &set),
            (
                "$PROXY_HOST:8080".to_string(),
                Some("$PROXY_HOST".to_string())
            )
        );
        assert_eq!(expand_vars("a$", &set), ("a$".to_string(), None));
    }

    #[test]
    fn environment_files() {
        let got = env_assignments(
            "# http_proxy=x\nexport HTTPS_PROXY=\"http://u:p@h:1\"\nno_proxy=localhost\n  all_proxy = 'socks5://s:9' \nbad line\n=x\n",
        );
        assert_eq!(
            got,
            [
                ("HTTPS_PROXY".to_string(), "http://u:p@h:1".to_string()),
                ("no_proxy".to_string(), "localhost".to_string()),
                ("all_proxy".to_string(), "socks5://s:9".to_string()),
            ]
        );
    }
}
