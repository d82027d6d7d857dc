//! Safari extensions of a macOS home: `Safari/AppExtensions/Extensions.plist` (legacy app
//! extensions, enabled unless they say otherwise) and `Safari/WebExtensions/Extensions.plist`
//! (web extensions, with `Enabled`), both dictionaries keyed `"<bundle id> (<team id>)"`.

use anyhow::Context;

use super::catalog::IdKind;
use super::{ExtensionInfo, Found};
use crate::browser::Profile;

pub(crate) fn read(fs: &crate::confine::Confined, profile: &Profile) -> anyhow::Result<Vec<Found>> {
    let mut out = Vec::new();
    for (dir, location) in [
        ("AppExtensions", "app_extension"),
        ("WebExtensions", "web_extension"),
    ] {
        let path = profile
            .path
            .join("Safari")
            .join(dir)
            .join("Extensions.plist");
        if !path.is_file() {
            continue;
        }
        let bytes = crate::fsutil::read_bounded(fs, &path, crate::fsutil::MAX_CONFIG_BYTES)
            .with_context(|| format!("could not read `{}`", path.display()))?;
        let value = plist::Value::from_reader(std::io::Cursor::new(bytes))
            .with_context(|| format!("`{}` is not a readable property list", path.display()))?;
        let Some(dict) = value.as_dictionary() else {
            anyhow::bail!("`{}` is not a dictionary of extensions", path.display());
        };
        for (key, entry) in dict {
            // `com.example.Extension (TEAMID1234)`
            let bundle = key.split(" (").next().unwrap_or(key).trim().to_string();
            let fields = entry.as_dictionary();
            let enabled = fields
                .and_then(|d| d.get("Enabled"))
                .and_then(|v| v.as_boolean())
                .unwrap_or(true);
            // Bundles carry no display name here: `com.vendor.App.Extension` → `App Extension`.
            let parts: Vec<&str> = bundle.split('.').filter(|s| !s.is_empty()).collect();
            let name = match parts.as_slice() {
                [.., app, ext] if parts.len() > 2 => format!("{app} {ext}"),
                _ => bundle.clone(),
            };
            out.push(Found {
                info: ExtensionInfo {
                    id: bundle.clone(),
                    name,
                    version: None,
                    enabled,
                    store: IdKind::Safari,
                    location: location.to_string(),
                    builtin: false,
                    installed: None,
                },
                host_patterns: Vec::new(),
                permissions: Vec::new(),
                content_scripts: Vec::new(),
            });
        }
    }
    Ok(out)
}
