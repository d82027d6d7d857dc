//! The Chromium-family adapter's discovery: profiles from `Local State`, with a fallback
//! to `Default` / `Profile *` directories, and the stores each profile holds. The same
//! code serves every Chromium browser of `browser::table`; the parsers of the files it
//! reads are beside it (`local_state`, `preferences`).

pub mod local_state;
pub mod preferences;

use std::path::{Path, PathBuf};

use super::{add_existing, Browser, DataDir, Discovery, LockSite, Profile, Store};
use crate::fsutil::{self, is_plain_component};
use crate::platform::{join_rel as join, Layout};
use crate::stores::{chromium, StoreKind};
use local_state::{read_info_cache, ProfileNames};

/// Where each store kind lives in a Chromium profile, relative to the profile directory
/// or (for caches) to the profile's cache base as well; every candidate that exists is
/// a store. Both cookie locations are listed (`Network/Cookies` on Windows since the
/// network-service migration, `Cookies` elsewhere).
static STORES: &[(&StoreKind, Base, &[&str])] = &[
    (
        &chromium::cookies::KIND,
        Base::Profile,
        &["Network/Cookies", "Cookies"],
    ),
    (
        &chromium::CACHE,
        Base::ProfileAndCache,
        &["Cache/Cache_Data", "Code Cache/js", "Code Cache/wasm"],
    ),
    (&chromium::indexed_db::KIND, Base::Profile, &["IndexedDB"]),
    (
        &chromium::cache_storage::KIND,
        Base::Profile,
        &["Service Worker/CacheStorage"],
    ),
    (
        &chromium::local_storage::KIND,
        Base::Profile,
        &["Local Storage/leveldb"],
    ),
    (
        &chromium::session_storage::KIND,
        Base::Profile,
        &["Session Storage"],
    ),
    // The SQLite DOM-storage backend, used instead of (or beside) the LevelDBs when
    // field trials put the profile on it: detected by the files present.
    (
        &chromium::dom_storage_sqlite::LOCAL_KIND,
        Base::Profile,
        &["LocalStorage"],
    ),
    (
        &chromium::dom_storage_sqlite::SESSION_KIND,
        Base::Profile,
        &["SessionStorage"],
    ),
    (
        &chromium::service_worker::KIND,
        Base::Profile,
        &["Service Worker/Database"],
    ),
    (
        &chromium::file_system::KIND,
        Base::Profile,
        &["File System/Origins"],
    ),
    (
        &chromium::buckets::KIND,
        Base::Profile,
        &["WebStorage/QuotaManager"],
    ),
];

/// What a store's relative paths are joined to.
#[derive(Clone, Copy)]
enum Base {
    Profile,
    /// The cache mirror of the profile (default user-data dirs on Linux and macOS), then
    /// the profile itself: the cache can be in either.
    ProfileAndCache,
}

/// A user-data dir of one browser and channel, resolved.
struct UserDataDir {
    channel: &'static str,
    path: PathBuf,
    cache_mirror: Option<PathBuf>,
    profiles_at_root: bool,
}

impl UserDataDir {
    fn resolve(layout: &Layout, row: &DataDir) -> UserDataDir {
        UserDataDir {
            channel: row.channel,
            path: layout.resolve(row.data),
            cache_mirror: row.cache.map(|c| layout.resolve(c)),
            profiles_at_root: row.profiles_at_root,
        }
    }
}

/// Adds the profiles of every user-data dir of `browser`; returns the dirs looked at.
pub fn discover(layout: &Layout, browser: Browser, out: &mut Discovery) -> Vec<PathBuf> {
    let fs = crate::confine::Confined::with(layout.confinement());
    let mut searched = Vec::new();
    for udd in browser
        .dirs(layout.os)
        .map(|row| UserDataDir::resolve(layout, row))
    {
        searched.push(udd.path.clone());
        if !udd.path.is_dir() {
            continue;
        }
        let version = fsutil::read_text(&fs, &udd.path.join("Last Version"))
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.len() < 64);
        for (dir_name, display_name) in list_profiles(&fs, &udd, &mut out.warnings) {
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
fn list_profiles(
    fs: &crate::confine::Confined,
    udd: &UserDataDir,
    warnings: &mut Vec<String>,
) -> ProfileNames {
    if udd.profiles_at_root {
        return vec![("Default".to_string(), None)];
    }
    let local_state = udd.path.join("Local State");
    let mut profiles = match read_info_cache(fs, &local_state) {
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
        Ok(None) => scan_profile_dirs(&udd.path, warnings),
        Err(err) => {
            warnings.push(format!(
                "could not read `{}` ({err}); looking for `Default` and `Profile *` directories instead",
                local_state.display()
            ));
            scan_profile_dirs(&udd.path, warnings)
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

fn scan_profile_dirs(udd: &Path, warnings: &mut Vec<String>) -> ProfileNames {
    let Ok(entries) = std::fs::read_dir(udd) else {
        return Vec::new();
    };
    let is_profile = |n: &str| n == "Default" || n.starts_with("Profile ");
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        match name.into_string() {
            Ok(n) => {
                if is_profile(&n) && udd.join(&n).is_dir() {
                    found.push((n, None));
                }
            }
            // Chromium names its profile directories itself, in UTF-8, and JSON reports
            // cannot carry a path that is not: such a one is told about, not skipped
            // in silence.
            Err(raw) => {
                if is_profile(&raw.to_string_lossy()) && udd.join(&raw).is_dir() {
                    warnings.push(format!(
                        "`{}`: the profile directory name is not valid UTF-8; skipped (rename it to clean it)",
                        udd.join(&raw).display()
                    ));
                }
            }
        }
    }
    found
}

/// The stores of a profile, in [`STORES`] order.
fn stores_of(udd: &UserDataDir, dir_name: &str, profile: &Path) -> Vec<Store> {
    let mut bases = Vec::new();
    if let Some(mirror) = &udd.cache_mirror {
        bases.push(if udd.profiles_at_root {
            mirror.clone()
        } else {
            mirror.join(dir_name)
        });
    }
    bases.push(profile.to_path_buf());
    let mut stores = Vec::new();
    for &(kind, base, rels) in STORES {
        let bases: &[PathBuf] = match base {
            Base::Profile => std::slice::from_ref(&bases[bases.len() - 1]),
            Base::ProfileAndCache => &bases,
        };
        let candidates = bases
            .iter()
            .flat_map(|b| rels.iter().map(move |rel| join(b, rel)));
        add_existing(&mut stores, kind, candidates);
    }
    stores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_store_kind_here_is_in_the_one_list() {
        for (kind, ..) in STORES {
            assert!(crate::stores::KINDS.contains(kind), "{}", kind.id);
        }
    }
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
        discover(&layout, Browser::named("chrome").unwrap(), &mut out);
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
        discover(&layout, Browser::named("edge").unwrap(), &mut out);
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
        discover(&layout, Browser::named("chromium").unwrap(), &mut out);
        let kinds: Vec<_> = out.profiles[0].stores.iter().map(|s| s.kind.id).collect();
        assert_eq!(kinds, ["chromium_cookies", "chromium_cache"]);
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
        discover(&layout, Browser::named("opera").unwrap(), &mut out);
        assert_eq!(out.profiles.len(), 1);
        assert_eq!(out.profiles[0].path, udd);
    }
}
