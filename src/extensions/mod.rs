//! `loginfix extensions`: the extensions installed in each profile, matched against the
//! catalog of extensions known to break the ChatGPT login, plus a heuristic for unknown
//! ones that can rewrite or redirect chatgpt.com's traffic. One reader per engine.

pub mod catalog;
mod chromium;
mod firefox;
mod safari;

use serde::{Deserialize, Serialize};

use crate::browser::{Engine, Profile};
use crate::targets::Targets;
use catalog::{Catalog, Entry, IdKind};

/// What the browser records about an installed extension.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ExtensionInfo {
    pub id: String,
    pub name: String,
    pub version: Option<String>,
    pub enabled: bool,
    /// The id's namespace: `chrome` (Chrome Web Store), `edge`, `firefox` or `safari`.
    pub store: IdKind,
    /// Where it was installed from, in the browser's terms (`webstore`, `unpacked`,
    /// `component`, `policy`, `app-profile`, `app-system-defaults`, ...).
    pub location: String,
    /// Built into the browser (component extensions, system add-ons, themes): listed
    /// only with `--all`.
    pub builtin: bool,
    /// Install time (UTC, RFC 3339) when the browser records it.
    pub installed: Option<String>,
}

/// One installed extension, as reported.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Installed {
    #[serde(flatten)]
    pub info: ExtensionInfo,
    /// The catalog entry, when the extension is known to interfere.
    pub catalog: Option<Entry>,
    /// Why an extension that is not in the catalog may interfere, if it may.
    pub may_interfere: Option<String>,
}

impl Installed {
    pub fn flagged(&self) -> bool {
        self.catalog.is_some() || self.may_interfere.is_some()
    }
}

/// What an engine reader found: the record, and what the heuristic needs.
pub(crate) struct Found {
    pub info: ExtensionInfo,
    /// Host permissions the extension asks for.
    pub host_patterns: Vec<String>,
    /// API permissions (`webRequest`, `proxy`, ...).
    pub permissions: Vec<String>,
    /// Content-script match patterns.
    pub content_scripts: Vec<String>,
}

/// The extensions of one profile, sorted: flagged before the rest, enabled before
/// disabled, catalog matches before heuristic ones, then by name. `all` keeps every
/// extension; otherwise only flagged, non-built-in ones.
pub fn list(
    fs: &crate::confine::Confined,
    profile: &Profile,
    targets: &Targets,
    all: bool,
) -> anyhow::Result<Vec<Installed>> {
    let found = match profile.browser.engine() {
        Engine::Chromium => chromium::read(fs, profile)?,
        Engine::Firefox => firefox::read(fs, profile)?,
        Engine::Safari => safari::read(fs, profile)?,
    };
    let catalog = Catalog::get();
    let mut out: Vec<Installed> = found
        .into_iter()
        .map(|f| {
            let entry = catalog.lookup(f.info.store, &f.info.id).cloned();
            let may_interfere = if entry.is_none() && !f.info.builtin {
                heuristic(&f, targets)
            } else {
                None
            };
            Installed {
                info: f.info,
                catalog: entry,
                may_interfere,
            }
        })
        .filter(|e| all || (e.flagged() && !e.info.builtin))
        .collect();
    let key = |e: &Installed| {
        (
            !e.flagged(),
            !e.info.enabled,
            e.catalog.is_none(),
            e.info.name.to_lowercase(),
            e.info.id.clone(),
        )
    };
    out.sort_by_key(key);
    Ok(out)
}

/// An unknown extension may interfere when it can see the targets' pages (host access
/// or a content script on them) and can also change or redirect their traffic.
fn heuristic(f: &Found, targets: &Targets) -> Option<String> {
    const NETWORK: [&str; 5] = [
        "webRequest",
        "webRequestBlocking",
        "declarativeNetRequest",
        "declarativeNetRequestWithHostAccess",
        "proxy",
    ];
    let scripts: Vec<&String> = f
        .content_scripts
        .iter()
        .filter(|p| targets.pattern_reaches(p))
        .collect();
    if let Some(p) = scripts.first() {
        return Some(format!("{SCRIPT_REASON}{p})"));
    }
    let network: Vec<&str> = f
        .permissions
        .iter()
        .filter(|p| NETWORK.contains(&p.as_str()))
        .map(String::as_str)
        .collect();
    if network.is_empty() {
        return None;
    }
    let host = f
        .host_patterns
        .iter()
        .find(|p| targets.pattern_reaches(p))?;
    Some(format!(
        "{NETWORK_REASON}{host}` with `{}`",
        network.join("`, `")
    ))
}

/// How [`heuristic`]'s reasons begin: they stay English in the JSON, and [`told`] says
/// them in the run's language from these.
const SCRIPT_REASON: &str = "runs a content script on the target sites (";
const NETWORK_REASON: &str = "can change the target sites' requests: host access `";

/// A reason of [`heuristic`] in the run's language.
pub fn told(reason: &str) -> String {
    if crate::i18n::current() == crate::i18n::Lang::En {
        return reason.to_string();
    }
    if let Some(pattern) = reason
        .strip_prefix(SCRIPT_REASON)
        .and_then(|r| r.strip_suffix(')'))
    {
        return crate::i18n::ta("ext-why-script", &[("pattern", pattern)]);
    }
    if let Some((host, permissions)) = reason
        .strip_prefix(NETWORK_REASON)
        .and_then(|r| r.split_once("` with `"))
    {
        let permissions = permissions.trim_end_matches('`').replace("`, `", "`、`");
        return crate::i18n::ta(
            "ext-why-network",
            &[("host", host), ("permissions", &permissions)],
        );
    }
    reason.to_string()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
pub(crate) fn rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_472_326), "2026-11-23T22:18:46Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    fn found(perms: &[&str], hosts: &[&str], scripts: &[&str]) -> Found {
        Found {
            info: ExtensionInfo {
                id: "x".into(),
                name: "x".into(),
                version: None,
                enabled: true,
                store: IdKind::Chrome,
                location: "webstore".into(),
                builtin: false,
                installed: None,
            },
            host_patterns: hosts.iter().map(|s| s.to_string()).collect(),
            permissions: perms.iter().map(|s| s.to_string()).collect(),
            content_scripts: scripts.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn heuristic_needs_access_and_a_network_power() {
        let t = Targets::default();
        assert!(heuristic(&found(&["webRequest"], &["<all_urls>"], &[]), &t).is_some());
        assert!(heuristic(&found(&["proxy"], &["*://*.openai.com/*"], &[]), &t).is_some());
        assert!(heuristic(
            &found(&["declarativeNetRequest"], &["https://chatgpt.com/*"], &[]),
            &t
        )
        .is_some());
        assert!(heuristic(&found(&["storage"], &["<all_urls>"], &[]), &t).is_none());
        assert!(heuristic(&found(&["webRequest"], &["https://example.org/*"], &[]), &t).is_none());
        assert!(heuristic(&found(&[], &[], &["*://*/*"]), &t).is_some());
        assert!(heuristic(&found(&[], &[], &["https://notchatgpt.com/*"]), &t).is_none());
    }
}
