//! Installed add-ons of a Firefox profile, from `extensions.json` (`addons[]`: id, type,
//! version, active, userDisabled, appDisabled, location, defaultLocale.name,
//! userPermissions).

use anyhow::Context;
use serde::Deserialize;

use super::catalog::IdKind;
use super::{rfc3339, ExtensionInfo, Found};
use crate::browser::Profile;
use crate::fsutil;

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    addons: Vec<Addon>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Addon {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    version: Option<String>,
    #[serde(default)]
    active: bool,
    #[serde(default)]
    user_disabled: bool,
    #[serde(default)]
    app_disabled: bool,
    location: Option<String>,
    default_locale: Option<Locale>,
    install_date: Option<i64>,
    user_permissions: Option<Permissions>,
}

#[derive(Deserialize)]
struct Locale {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct Permissions {
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    origins: Vec<String>,
}

pub(crate) fn read(fs: &crate::confine::Confined, profile: &Profile) -> anyhow::Result<Vec<Found>> {
    let path = profile.path.join("extensions.json");
    let text = match fsutil::read_text(fs, &path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not read `{}`", path.display())),
    };
    let file: File = serde_json::from_str(&text)
        .with_context(|| format!("`{}` is not a Firefox add-on database", path.display()))?;
    Ok(file
        .addons
        .into_iter()
        .filter_map(|a| {
            let id = a.id?;
            let location = a.location.unwrap_or_default();
            let kind = a.kind.unwrap_or_default();
            // System add-ons (`*@mozilla.org`, app-builtin/app-system-* locations) and
            // anything that is not an extension (themes, locales, dictionaries).
            let builtin = kind != "extension"
                || location.starts_with("app-system")
                || location == "app-builtin"
                || id.ends_with("@mozilla.org")
                || id.ends_with("@search.mozilla.org");
            let perms = a.user_permissions.unwrap_or_default();
            Some(Found {
                info: ExtensionInfo {
                    name: a
                        .default_locale
                        .and_then(|l| l.name)
                        .unwrap_or_else(|| id.clone()),
                    id,
                    version: a.version,
                    enabled: a.active && !a.user_disabled && !a.app_disabled,
                    store: IdKind::Firefox,
                    location,
                    builtin,
                    installed: a.install_date.map(|ms| rfc3339(ms.div_euclid(1000))),
                },
                host_patterns: perms.origins,
                permissions: perms.permissions,
                content_scripts: Vec::new(),
            })
        })
        .collect())
}
