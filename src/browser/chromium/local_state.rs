//! Chromium's `Local State` (JSON in the user-data dir): the profiles it lists in
//! `profile.info_cache`, with their display names.

use std::path::Path;

use crate::fsutil;

/// (directory name, display name) pairs.
pub type ProfileNames = Vec<(String, Option<String>)>;

/// `Local State` → `profile.info_cache`: `Ok(None)` when the file does not exist.
pub fn read_info_cache(
    fs: &crate::confine::Confined,
    path: &Path,
) -> Result<Option<ProfileNames>, String> {
    let text = match fsutil::read_text(fs, path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not valid JSON: {e}"))?;
    let cache = json
        .get("profile")
        .and_then(|p| p.get("info_cache"))
        .and_then(|c| c.as_object())
        .ok_or("no `profile.info_cache` in it")?;
    Ok(Some(
        cache
            .iter()
            .map(|(dir, info)| {
                let name = info
                    .get("name")
                    .and_then(|n| n.as_str())
                    .map(str::to_string)
                    .filter(|n| !n.is_empty());
                (dir.clone(), name)
            })
            .collect(),
    ))
}
