//! The Firefox adapter's discovery: profiles from `profiles.ini` (relative and absolute
//! `Path=`, `[Install…]` defaults) under every Firefox root, the local (cache) directory of
//! each, its version from `compatibility.ini`, and the stores it holds. The INI dialect
//! of those files is parsed in [`profiles_ini`].

pub mod profiles_ini;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{add_existing, Browser, DataDir, Discovery, LockSite, Profile, Store};
use crate::fsutil;
use crate::platform::{join_rel, Layout};
use crate::stores::{firefox, StoreKind};
use profiles_ini::{get, parse_ini, read_version};

/// Where each store kind lives in a Firefox profile. A path ending in `*` stands for
/// every file of its directory whose name starts with what precedes the `*`.
static STORES: &[(&StoreKind, Base, &[&str])] = &[
    (&firefox::cookies::KIND, Base::Profile, &["cookies.sqlite"]),
    // Each session-restore file can bring session cookies back; Firefox keeps one
    // `upgrade.jsonlz4-<build id>` per upgrade too.
    (
        &firefox::session::KIND,
        Base::Profile,
        &[
            "sessionstore.jsonlz4",
            "sessionstore-backups/recovery.jsonlz4",
            "sessionstore-backups/recovery.baklz4",
            "sessionstore-backups/previous.jsonlz4",
            "sessionstore-backups/upgrade.jsonlz4-*",
        ],
    ),
    // The same files, for the sessionStorage they keep (site data, not cookies).
    (
        &firefox::session::STORAGE_KIND,
        Base::Profile,
        &[
            "sessionstore.jsonlz4",
            "sessionstore-backups/recovery.jsonlz4",
            "sessionstore-backups/recovery.baklz4",
            "sessionstore-backups/previous.jsonlz4",
            "sessionstore-backups/upgrade.jsonlz4-*",
        ],
    ),
    (&firefox::cache2::KIND, Base::LocalThenProfile, &["cache2"]),
    (
        &firefox::site_storage::KIND,
        Base::Profile,
        &["storage/default"],
    ),
    // After `storage/default`: its rows go, and the cache is invalidated, once the
    // origin directories have been removed.
    (
        &firefox::quota_cache::KIND,
        Base::Profile,
        &["storage.sqlite"],
    ),
    (
        &firefox::service_workers::KIND,
        Base::Profile,
        &["serviceworker.txt"],
    ),
    (
        &firefox::legacy_local_storage::KIND,
        Base::Profile,
        &["webappsstore.sqlite", "storage/ls-archive.sqlite"],
    ),
];

/// What a store's relative paths are joined to.
#[derive(Clone, Copy)]
enum Base {
    Profile,
    /// The profile's local directory (where relative profiles keep their cache), then
    /// the profile itself.
    LocalThenProfile,
}

/// A Firefox root, resolved: where `profiles.ini` lives, and the root under which
/// relative profiles keep their local (cache) directory.
struct FirefoxRoot {
    variant: &'static str,
    path: PathBuf,
    local_root: PathBuf,
}

impl FirefoxRoot {
    fn resolve(layout: &Layout, row: &DataDir) -> FirefoxRoot {
        let path = layout.resolve(row.data);
        FirefoxRoot {
            variant: row.channel,
            local_root: row
                .cache
                .map_or_else(|| path.clone(), |c| layout.resolve(c)),
            path,
        }
    }
}

/// Adds every Firefox profile; returns the roots looked at.
pub fn discover(layout: &Layout, browser: Browser, out: &mut Discovery) -> Vec<PathBuf> {
    let fs = crate::confine::Confined::with(layout.confinement());
    let mut searched = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for root in browser
        .dirs(layout.os)
        .map(|row| FirefoxRoot::resolve(layout, row))
    {
        searched.push(root.path.clone());
        if !root.path.is_dir() {
            continue;
        }
        for entry in list_profiles(layout, &fs, &root, &mut out.warnings) {
            if !entry.path.is_dir() {
                out.warnings.push(format!(
                    "`{}` lists profile `{}` at `{}`, which does not exist",
                    root.path.join("profiles.ini").display(),
                    entry.name.as_deref().unwrap_or("?"),
                    entry.path.display()
                ));
                continue;
            }
            // The same profile can be reachable from two roots (a symlinked XDG dir).
            let canonical = entry.path.canonicalize().unwrap_or(entry.path.clone());
            if !seen.insert(canonical) {
                continue;
            }
            let dir_name = entry
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let version = read_version(&fs, &entry.path);
            let stores = stores_of(&entry.path, entry.local_dir.as_deref());
            out.profiles.push(Profile {
                browser,
                channel: root.variant,
                dir_name,
                display_name: entry.name,
                path: entry.path.clone(),
                version,
                lock: LockSite::FirefoxProfile(entry.path),
                stores,
            });
        }
    }
    searched
}

struct IniProfile {
    name: Option<String>,
    path: PathBuf,
    local_dir: Option<PathBuf>,
}

fn list_profiles(
    layout: &Layout,
    fs: &crate::confine::Confined,
    root: &FirefoxRoot,
    warnings: &mut Vec<String>,
) -> Vec<IniProfile> {
    let ini_path = root.path.join("profiles.ini");
    let text = match fsutil::read_text(fs, &ini_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return scan_profile_dirs(root, warnings)
        }
        Err(e) => {
            warnings.push(format!(
                "could not read `{}` ({e}); looking for profile directories instead",
                ini_path.display()
            ));
            return scan_profile_dirs(root, warnings);
        }
    };
    let sections = parse_ini(&text);
    let mut profiles: Vec<IniProfile> = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    let mut add = |name: Option<String>, raw: &str, relative: bool| {
        if raw.is_empty() {
            return;
        }
        let (path, local_dir) = if relative {
            let rel = layout.profile_rel_path(raw);
            if rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                refused.push(raw.to_string());
                return;
            }
            (root.path.join(&rel), Some(root.local_root.join(&rel)))
        } else {
            // Absolute profiles keep their cache inside the profile dir.
            (PathBuf::from(raw), None)
        };
        if !profiles.iter().any(|p| p.path == path) {
            profiles.push(IniProfile {
                name,
                path,
                local_dir,
            });
        }
    };
    for section in &sections {
        if section.0.starts_with("Profile") {
            let relative = get(section, "IsRelative") != Some("0");
            if let Some(path) = get(section, "Path") {
                add(get(section, "Name").map(str::to_string), path, relative);
            }
        }
    }
    // A dedicated install profile may be named only in an `[Install<hash>]` section.
    for section in &sections {
        if section.0.starts_with("Install") {
            if let Some(path) = get(section, "Default") {
                let relative = !Path::new(path).is_absolute() && !looks_like_windows_absolute(path);
                add(None, path, relative);
            }
        }
    }
    for raw in refused {
        warnings.push(format!(
            "`{}` lists a profile at `{}`, which leads outside `{}`; ignored",
            ini_path.display(),
            raw.escape_debug(),
            root.path.display()
        ));
    }
    if profiles.is_empty() {
        // An empty or cut profiles.ini says nothing; the profiles on disk still count.
        let found = scan_profile_dirs(root, warnings);
        if !found.is_empty() {
            warnings.push(format!(
                "`{}` lists no profile; using the profile directories found beside it",
                ini_path.display()
            ));
        }
        return found;
    }
    profiles
}

fn looks_like_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

/// Without `profiles.ini`, every directory holding `prefs.js` or `cookies.sqlite`
/// directly under the root or its `Profiles/` dir is a profile.
fn scan_profile_dirs(root: &FirefoxRoot, warnings: &mut Vec<String>) -> Vec<IniProfile> {
    let mut found = Vec::new();
    for (dir, rel_prefix) in [
        (root.path.clone(), ""),
        (root.path.join("Profiles"), "Profiles"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = Vec::new();
        for e in entries.flatten() {
            match e.file_name().into_string() {
                Ok(n) => names.push(n),
                // Reports name every path they act on, and JSON has no way to carry one
                // that is not UTF-8: such a profile is told about, not skipped silently.
                Err(raw) => {
                    let path = dir.join(&raw);
                    if path.join("prefs.js").is_file() || path.join("cookies.sqlite").is_file() {
                        warnings.push(format!(
                            "`{}`: the profile directory name is not valid UTF-8; skipped (rename it to clean it)",
                            path.display()
                        ));
                    }
                }
            }
        }
        names.sort();
        for name in names {
            let path = dir.join(&name);
            if path.join("prefs.js").is_file() || path.join("cookies.sqlite").is_file() {
                let rel = Path::new(rel_prefix).join(&name);
                found.push(IniProfile {
                    name: None,
                    path,
                    local_dir: Some(root.local_root.join(rel)),
                });
            }
        }
    }
    found
}

/// The stores of a profile, in [`STORES`] order.
fn stores_of(profile: &Path, local_dir: Option<&Path>) -> Vec<Store> {
    let mut stores = Vec::new();
    for &(kind, base, rels) in STORES {
        let bases: Vec<&Path> = match base {
            Base::Profile => vec![profile],
            Base::LocalThenProfile => local_dir.into_iter().chain([profile]).collect(),
        };
        let mut candidates = Vec::new();
        for base in bases {
            for rel in rels {
                match rel.strip_suffix('*') {
                    Some(prefix) => candidates.extend(files_starting_with(base, prefix)),
                    None => candidates.push(join_rel(base, rel)),
                }
            }
        }
        add_existing(&mut stores, kind, candidates);
    }
    stores
}

/// The files `<base>/<dir>/<prefix>*`, sorted by name.
fn files_starting_with(base: &Path, rel_prefix: &str) -> Vec<PathBuf> {
    let (dir, prefix) = rel_prefix.rsplit_once('/').unwrap_or(("", rel_prefix));
    let Ok(entries) = std::fs::read_dir(join_rel(base, dir)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
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
    fn profiles_ini_relative_absolute_and_install_sections() {
        let home = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Linux, home.path());
        let root = home.path().join(".mozilla/firefox");
        let ini = format!(
            "\u{feff}[General]\r\nStartWithLastProfile=1\r\nVersion=2\r\n\r\n\
             [Profile1]\r\nName=work\r\nIsRelative=0\r\nPath={}\r\n\r\n\
             [Profile0]\r\nName=default-release\r\nIsRelative=1\r\nPath=abcd.default-release\r\nDefault=1\r\n\r\n\
             [Profile2]\r\nName=escape\r\nIsRelative=1\r\nPath=../../etc\r\n\r\n\
             [Install4F96D1932A9F858E]\r\nDefault=efgh.dedicated\r\nLocked=1\r\n",
            other.path().display()
        );
        write(&root.join("profiles.ini"), &ini);
        write(
            &root.join("abcd.default-release/compatibility.ini"),
            "[Compatibility]\nLastVersion=153.7.0_20260101000000/20260101000000\n",
        );
        write(&root.join("abcd.default-release/cookies.sqlite"), "");
        write(
            &root.join("abcd.default-release/sessionstore-backups/recovery.jsonlz4"),
            "",
        );
        write(&root.join("efgh.dedicated/cookies.sqlite"), "");
        write(&other.path().join("cookies.sqlite"), "");
        std::fs::create_dir_all(
            home.path()
                .join(".cache/mozilla/firefox/abcd.default-release/cache2"),
        )
        .unwrap();
        std::fs::create_dir_all(other.path().join("cache2")).unwrap();

        let mut out = Discovery::default();
        discover(&layout, Browser::named("firefox").unwrap(), &mut out);
        let names: Vec<_> = out.profiles.iter().map(|p| p.dir_name.clone()).collect();
        let other_leaf = other
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(
            names,
            [
                other_leaf,
                "abcd.default-release".into(),
                "efgh.dedicated".into()
            ]
        );
        let main = &out.profiles[1];
        assert_eq!(main.display_name.as_deref(), Some("default-release"));
        assert_eq!(main.version.as_deref(), Some("153.7.0"));
        let kinds: Vec<_> = main.stores.iter().map(|s| s.kind.id).collect();
        assert_eq!(
            kinds,
            [
                "firefox_cookies",
                "firefox_session",
                "firefox_session_storage",
                "firefox_cache"
            ]
        );
        assert_eq!(
            main.stores[3].path,
            home.path()
                .join(".cache/mozilla/firefox/abcd.default-release/cache2")
        );
        assert_eq!(out.profiles[0].stores[1].path, other.path().join("cache2"));
    }

    #[test]
    fn without_profiles_ini_profile_dirs_are_scanned() {
        let home = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Macos, home.path());
        let root = home.path().join("Library/Application Support/Firefox");
        write(&root.join("Profiles/x.default/prefs.js"), "");
        write(&root.join("Profiles/notaprofile/readme"), "");
        let mut out = Discovery::default();
        discover(&layout, Browser::named("firefox").unwrap(), &mut out);
        assert_eq!(out.profiles.len(), 1);
        assert_eq!(out.profiles[0].dir_name, "x.default");
    }
}
