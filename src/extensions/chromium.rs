//! Installed extensions of a Chromium-family profile: `extensions.settings` in
//! `Preferences` and `Secure Preferences` (state or `disable_reasons`, `location`,
//! `first_install_time`, `path`), and each extension's `manifest.json`, with
//! `__MSG_name__` names resolved from `_locales/<default_locale>/messages.json`.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::catalog::IdKind;
use super::{rfc3339, ExtensionInfo, Found};
use crate::browser::Profile;
use crate::confine::Confined;
use crate::fsutil;

pub(crate) fn read(fs: &Confined, profile: &Profile) -> anyhow::Result<Vec<Found>> {
    let prefs = crate::browser::chromium::preferences::read(fs, &profile.path)?;
    let settings = match prefs.pointer("/extensions/settings") {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    let store = profile.browser.row().extension_ids;
    let mut out = Vec::new();
    for (id, entry) in &settings {
        if !fsutil::is_plain_component(id) {
            continue;
        }
        out.push(one(fs, profile, id, entry, store));
    }
    Ok(out)
}

fn one(fs: &Confined, profile: &Profile, id: &str, entry: &Value, store: IdKind) -> Found {
    let location_code = entry.get("location").and_then(Value::as_i64).unwrap_or(0);
    let location = match location_code {
        1 => "webstore",
        2 => "external_pref",
        3 => "external_registry",
        4 => "unpacked",
        5 => "component",
        6 => "external_pref_download",
        7 => "external_policy_download",
        8 => "command_line",
        9 => "external_policy",
        10 => "external_component",
        _ => "unknown",
    };
    // Unpacked and component extensions have absolute paths; store installs a path
    // relative to the profile's `Extensions`, which must stay inside it.
    let dir = entry.get("path").and_then(Value::as_str).and_then(|p| {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            Some(p)
        } else if p
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            Some(profile.path.join("Extensions").join(p))
        } else {
            None
        }
    });
    // Component extensions keep their manifest in the preferences; others on disk.
    let manifest = entry
        .get("manifest")
        .filter(|m| m.is_object())
        .cloned()
        .or_else(|| {
            let path = dir.as_ref()?.join("manifest.json");
            serde_json::from_str(&fsutil::read_text(fs, &path).ok()?).ok()
        })
        .unwrap_or(Value::Null);
    let raw_name = manifest.get("name").and_then(Value::as_str).unwrap_or("");
    let name = dir
        .as_deref()
        .and_then(|d| localized(fs, d, &manifest, raw_name))
        .unwrap_or_else(|| raw_name.to_string());
    let enabled = match (entry.get("disable_reasons"), entry.get("state")) {
        (Some(Value::Array(reasons)), _) => reasons.is_empty(),
        (Some(Value::Number(n)), _) => n.as_i64() == Some(0),
        (_, Some(state)) => state.as_i64() == Some(1),
        _ => true,
    };
    let installed = ["first_install_time", "install_time"]
        .iter()
        .find_map(|k| entry.get(*k))
        .and_then(|v| {
            v.as_str()
                .and_then(|s| s.parse::<i64>().ok())
                .or(v.as_i64())
        })
        // Microseconds since 1601-01-01.
        .map(|t| rfc3339(t / 1_000_000 - 11_644_473_600));
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut permissions = strings(manifest.get("permissions"));
    let mut host_patterns: Vec<String> = permissions
        .iter()
        .filter(|p| p.contains("://") || *p == "<all_urls>")
        .cloned()
        .collect();
    permissions.retain(|p| !p.contains("://") && p != "<all_urls>");
    host_patterns.extend(strings(manifest.get("host_permissions")));
    let content_scripts = manifest
        .get("content_scripts")
        .and_then(Value::as_array)
        .map(|scripts| {
            scripts
                .iter()
                .flat_map(|s| strings(s.get("matches")))
                .collect()
        })
        .unwrap_or_default();
    Found {
        info: ExtensionInfo {
            id: id.to_string(),
            name: if name.is_empty() {
                id.to_string()
            } else {
                name
            },
            version: manifest
                .get("version")
                .and_then(Value::as_str)
                .map(str::to_string),
            enabled,
            store,
            location: location.to_string(),
            builtin: matches!(location_code, 5 | 10) || manifest.get("theme").is_some(),
            installed,
        },
        host_patterns,
        permissions,
        content_scripts,
    }
}

/// Resolves `__MSG_key__` from `_locales/<default_locale>/messages.json`; message keys
/// are case-insensitive, as Chrome treats them.
fn localized(fs: &Confined, dir: &Path, manifest: &Value, raw: &str) -> Option<String> {
    let key = raw.strip_prefix("__MSG_")?.strip_suffix("__")?;
    let locale = manifest.get("default_locale").and_then(Value::as_str)?;
    if !fsutil::is_plain_component(locale) {
        return None;
    }
    let path = dir.join("_locales").join(locale).join("messages.json");
    let messages: Value = serde_json::from_str(&fsutil::read_text(fs, &path).ok()?).ok()?;
    let (_, entry) = messages
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))?;
    entry
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_string)
}
