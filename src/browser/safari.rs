//! Safari discovery (macOS layouts only). The default profile keeps its data in the
//! sandbox container's `Library` (Safari 14+; `~/Library` before), named profiles
//! (Safari 17+) under `WebKit/WebsiteDataStore/<uuid>/` with their names in
//! `Safari/SafariTabs.db`. Stores: `Cookies/Cookies.binarycookies`, the URL cache
//! `Caches/com.apple.Safari/Cache.db` and the WebKit cache beside it.

use std::path::{Path, PathBuf};

use super::{add_existing, Browser, Discovery, LockSite, Profile, Store, StoreKind};
use crate::fsutil::is_plain_component;
use crate::platform::Layout;

pub fn discover(layout: &Layout, out: &mut Discovery) -> Vec<PathBuf> {
    let libraries = layout.safari_libraries();
    let Some(library) = libraries
        .iter()
        .find(|l| l.join("Safari").is_dir() || l.join("Cookies/Cookies.binarycookies").is_file())
    else {
        return libraries;
    };
    // The legacy home `Library` can hold the default profile's older stores too.
    let legacy = libraries.last().filter(|l| *l != library);
    let mut stores = Vec::new();
    for lib in std::iter::once(library).chain(legacy) {
        stores.extend(stores_under(lib));
    }
    out.profiles.push(profile(
        "Default".to_string(),
        None,
        library.clone(),
        stores,
    ));

    let store_root = library.join("WebKit").join("WebsiteDataStore");
    let names = profile_names(&library.join("Safari").join("SafariTabs.db"));
    if let Ok(entries) = std::fs::read_dir(&store_root) {
        let mut dirs: Vec<String> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| is_plain_component(n))
            .collect();
        dirs.sort();
        for uuid in dirs {
            let dir = store_root.join(&uuid);
            let name = names
                .iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(&uuid))
                .map(|(_, n)| n.clone());
            let mut stores = Vec::new();
            add_existing(
                &mut stores,
                StoreKind::SafariCookies,
                [dir.join("Cookies").join("Cookies.binarycookies")],
            );
            out.profiles.push(profile(uuid, name, dir, stores));
        }
    }
    libraries
}

fn profile(
    dir_name: String,
    display_name: Option<String>,
    path: PathBuf,
    stores: Vec<Store>,
) -> Profile {
    Profile {
        browser: Browser::Safari,
        channel: "stable",
        dir_name,
        display_name,
        path,
        version: None,
        lock: LockSite::SafariProcess,
        stores,
    }
}

fn stores_under(library: &Path) -> Vec<Store> {
    let mut stores = Vec::new();
    add_existing(
        &mut stores,
        StoreKind::SafariCookies,
        [library.join("Cookies").join("Cookies.binarycookies")],
    );
    let caches = library.join("Caches").join("com.apple.Safari");
    add_existing(
        &mut stores,
        StoreKind::SafariCacheDb,
        [caches.join("Cache.db")],
    );
    add_existing(
        &mut stores,
        StoreKind::SafariWebKitCache,
        [caches.join("WebKitCache")],
    );
    stores
}

/// Named profiles from `SafariTabs.db`: `bookmarks` rows of subtype 2 carry the profile's
/// UUID (upper case) and title.
fn profile_names(db: &Path) -> Vec<(String, String)> {
    let Ok(conn) = crate::stores::sqlite::open_read_only(db) else {
        return Vec::new();
    };
    let Ok(mut stmt) = conn.conn.prepare(
        "SELECT external_uuid, title FROM bookmarks WHERE subtype = 2 AND external_uuid != 'DefaultProfile'",
    ) else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
}
