//! The Chromium-family adapter's discovery: profiles from `Local State`, with a fallback
//! to `Default` / `Profile *` directories, and the stores each profile holds. The same
//! code serves Chrome, Edge, Chromium, Brave, Vivaldi and Opera.

use std::path::{Path, PathBuf};

use super::{add_existing, Browser, Discovery, LockSite, Profile, Store, StoreKind};
use crate::fsutil::{self, is_plain_component};
use crate::platform::{join_rel as join, Layout, UserDataDir};

/// Adds the profiles of every user-data dir of `browser`; returns the dirs looked at.
pub fn discover(layout: &Layout, browser: Browser, out: &mut Discovery) -> Vec<PathBuf> {
    let mut searched = Vec::new();
    for udd in layout.chromium_user_data_dirs(browser) {
        searched.push(udd.path.clone());
        if !udd.path.is_dir() {
            continue;
        }
        let version = fsutil::read_text(&udd.path.join("Last Version"))
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() < 64);
        for (dir_name, display_name) in list_profiles(&udd, &mut out.warnings) {
            let path = if udd.profiles_at_root {
                udd.path.clone()
            } else {
                udd.path.join(&dir_name)
            };
            if !path.is_dir() {
                continue;
            }
            let stores = stores_of(&udd, &dir_name, &path);
            out.profiles.push(Profile {
                browser,
                channel: udd.channel,
                dir_name,
                display_name,
                path,
                version: version.clone(),
                lock: LockSite::ChromiumUserData(udd.path.clone()),
                stores,
            });
        }
    }
    searched
}

/// The profiles of one user-data dir as (directory name, display name), in a stable
/// order: `Default` first, then `Profile N` by number, then the rest by name.
fn list_profiles(udd: &UserDataDir, warnings: &mut Vec<String>) -> ProfileNames {
    if udd.profiles_at_root {
        return vec![("Default".to_string(), None)];
    }
    let local_state = udd.path.join("Local State");
    let mut profiles = match read_info_cache(&local_state) {
        Ok(Some(list)) => {
            let mut kept = Vec::new();
            for (dir, name) in list {
                if is_plain_component(&dir) {
                    kept.push((dir, name));
                } else {
                    warnings.push(format!(
                        "`{}` lists a profile directory `{}` that is not a plain name; ignored",
                        local_state.display(),
                        dir.escape_debug()
                    ));
                }
            }
            kept
        }
        Ok(None) => scan_profile_dirs(&udd.path),
        Err(err) => {
            warnings.push(format!(
                "could not read `{}` ({err}); looking for `Default` and `Profile *` directories instead",
                local_state.display()
            ));
            scan_profile_dirs(&udd.path)
        }
    };
    profiles.sort_by_key(|(dir, _)| profile_order(dir));
    profiles.dedup_by(|a, b| a.0 == b.0);
    profiles
}

fn profile_order(dir: &str) -> (u8, u64, String) {
    if dir == "Default" {
        return (0, 0, String::new());
    }
    if let Some(n) = dir
        .strip_prefix("Profile ")
        .and_then(|n| n.parse::<u64>().ok())
    {
        return (1, n, String::new());
    }
    (2, 0, dir.to_string())
}

/// `Local State` → `profile.info_cache`: `Ok(None)` when the file does not exist.
/// (directory name, display name) pairs.
type ProfileNames = Vec<(String, Option<String>)>;

fn read_info_cache(path: &Path) -> Result<Option<ProfileNames>, String> {
    let text = match fsutil::read_text(path) {
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

fn scan_profile_dirs(udd: &Path) -> ProfileNames {
    let Ok(entries) = std::fs::read_dir(udd) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n == "Default" || n.starts_with("Profile "))
        .filter(|n| udd.join(n).is_dir())
        .map(|n| (n, None))
        .collect()
}

/// The stores of a profile: both cookie locations (`Network/Cookies` on Windows since
/// the network-service migration, `Cookies` elsewhere), whichever exist, and the HTTP
/// cache in the profile or in the cache mirror of the user-data dir.
fn stores_of(udd: &UserDataDir, dir_name: &str, profile: &Path) -> Vec<Store> {
    let mut stores = Vec::new();
    add_existing(
        &mut stores,
        StoreKind::ChromiumCookies,
        ["Network/Cookies", "Cookies"].map(|rel| join(profile, rel)),
    );
    // The cache lives in the profile, or (default user-data dirs on Linux and macOS) in
    // the mirror of the profile under the cache base; look in both.
    let mut bases = Vec::new();
    if let Some(mirror) = &udd.cache_mirror {
        bases.push(if udd.profiles_at_root {
            mirror.clone()
        } else {
            mirror.join(dir_name)
        });
    }
    bases.push(profile.to_path_buf());
    let caches = bases.iter().flat_map(|base| {
        ["Cache/Cache_Data", "Code Cache/js", "Code Cache/wasm"]
            .into_iter()
            .map(move |rel| join(base, rel))
    });
    add_existing(&mut stores, StoreKind::ChromiumCache, caches);
    stores
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Os;
    use crate::testutil::write;

    #[test]
    fn profiles_come_from_local_state_in_a_stable_order() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Linux, home.path());
        let udd = home.path().join(".config/google-chrome");
        write(
            &udd.join("Local State"),
            r#"{"profile":{"info_cache":{"Profile 10":{"name":"Ten"},"Default":{"name":"Me"},
               "Profile 2":{"name":"Work"},"../evil":{"name":"x"},"Gone":{"name":"g"}}}}"#,
        );
        write(&udd.join("Last Version"), "156.0.1.2\n");
        for d in ["Default", "Profile 2", "Profile 10", "Profile 3"] {
            write(&udd.join(d).join("Cookies"), "");
        }
        let mut out = Discovery::default();
        discover(&layout, Browser::Chrome, &mut out);
        let names: Vec<_> = out.profiles.iter().map(|p| p.dir_name.as_str()).collect();
        // `Profile 3` is not in info_cache; `Gone` has no directory; `../evil` is refused.
        assert_eq!(names, ["Default", "Profile 2", "Profile 10"]);
        assert_eq!(out.profiles[1].display_name.as_deref(), Some("Work"));
        assert_eq!(out.profiles[0].version.as_deref(), Some("156.0.1.2"));
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    }

    #[test]
    fn falls_back_to_directories_when_local_state_is_unreadable() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Windows, home.path());
        let udd = home.path().join("AppData/Local/Microsoft/Edge/User Data");
        write(&udd.join("Local State"), "{ truncated");
        write(&udd.join("Default/Network/Cookies"), "");
        write(&udd.join("Profile 1/Cookies"), "");
        write(&udd.join("System Profile/Cookies"), "");
        let mut out = Discovery::default();
        discover(&layout, Browser::Edge, &mut out);
        let names: Vec<_> = out.profiles.iter().map(|p| p.dir_name.as_str()).collect();
        assert_eq!(names, ["Default", "Profile 1"]);
        assert_eq!(
            out.profiles[0].stores[0].path,
            udd.join("Default/Network/Cookies")
        );
        assert_eq!(
            out.profiles[1].stores[0].path,
            udd.join("Profile 1/Cookies")
        );
        assert!(out.warnings[0].contains("Local State"));
    }

    #[test]
    fn linux_cache_lives_in_the_cache_mirror() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Linux, home.path());
        write(&home.path().join(".config/chromium/Default/Cookies"), "");
        std::fs::create_dir_all(home.path().join(".cache/chromium/Default/Cache/Cache_Data"))
            .unwrap();
        let mut out = Discovery::default();
        discover(&layout, Browser::Chromium, &mut out);
        let kinds: Vec<_> = out.profiles[0].stores.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [StoreKind::ChromiumCookies, StoreKind::ChromiumCache]
        );
    }

    #[test]
    fn opera_keeps_its_profile_in_the_user_data_dir() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Windows, home.path());
        let udd = home
            .path()
            .join("AppData/Roaming/Opera Software/Opera Stable");
        write(&udd.join("Network/Cookies"), "");
        let mut out = Discovery::default();
        discover(&layout, Browser::Opera, &mut out);
        assert_eq!(out.profiles.len(), 1);
        assert_eq!(out.profiles[0].path, udd);
    }
}
