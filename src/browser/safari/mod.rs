//! Safari discovery (macOS layouts only). The default profile keeps its data in the
//! sandbox container's `Library` (Safari 14+; `~/Library` before), named profiles
//! (Safari 17+) under `WebKit/WebsiteDataStore/<uuid>/` with their names in
//! `Safari/SafariTabs.db`. Stores: `Cookies/Cookies.binarycookies`, the URL cache
//! `Caches/com.apple.Safari/Cache.db` and the WebKit cache beside it, and site data
//! (`WebKit/WebsiteData/Default`, or a named profile's `Origins`, and the legacy
//! `LocalStorage` files).

use std::path::{Path, PathBuf};

pub mod safari_tabs;

use super::{add_existing, Browser, Discovery, LockSite, Profile, Store};
use crate::fsutil::is_plain_component;
use crate::platform::Layout;
use crate::stores::{safari, StoreKind};
use safari_tabs::profile_names;

/// Where each store kind lives, relative to a `Library` directory (the default profile's)
/// or to a named profile's `WebsiteDataStore/<uuid>` directory.
static STORES: &[(&StoreKind, &str)] = &[
    (
        &safari::binarycookies::KIND,
        "Cookies/Cookies.binarycookies",
    ),
    (&safari::cache_db::KIND, "Caches/com.apple.Safari/Cache.db"),
    (
        &safari::webkit_cache::KIND,
        "Caches/com.apple.Safari/WebKitCache",
    ),
    (&safari::website_data::KIND, "WebKit/WebsiteData/Default"),
    (
        &safari::local_storage::KIND,
        "WebKit/WebsiteData/LocalStorage",
    ),
    (&safari::local_storage::KIND, "Safari/LocalStorage"),
];

/// What loginfix knows of a named profile's `WebsiteDataStore/<uuid>`: its cookies, its
/// per-origin site data (`Origins/<top hash>/<client hash>/`, the layout of the default
/// profile's `WebsiteData/Default`), its legacy per-origin `LocalStorage` files, and its
/// HTTP cache: WebKit gives a store made for an identifier that same directory as its
/// cache base, and the network cache is `<base>/NetworkCache` in the default profile's
/// format (`WebsiteDataStoreConfiguration(const UUID&)`, `defaultNetworkCacheDirectory`
/// in WebsiteDataStoreCocoa.mm; `NetworkCacheStorage.cpp`'s `Version N/Records`).
static NAMED_PROFILE_STORES: &[(&StoreKind, &str)] = &[
    (
        &safari::binarycookies::KIND,
        "Cookies/Cookies.binarycookies",
    ),
    (&safari::website_data::KIND, "Origins"),
    (&safari::local_storage::KIND, "LocalStorage"),
    (&safari::webkit_cache::KIND, "NetworkCache"),
];

pub fn discover(layout: &Layout, browser: Browser, out: &mut Discovery) -> Vec<PathBuf> {
    let libraries: Vec<PathBuf> = browser
        .dirs(layout.os)
        .map(|row| layout.resolve(row.data))
        .collect();
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
        stores.extend(stores_under(lib, STORES));
    }
    out.profiles.push(profile(
        browser,
        "Default".to_string(),
        None,
        library.clone(),
        stores,
    ));

    let store_root = library.join("WebKit").join("WebsiteDataStore");
    let names = profile_names(&library.join("Safari").join("SafariTabs.db"));
    if let Ok(entries) = std::fs::read_dir(&store_root) {
        let mut dirs: Vec<String> = Vec::new();
        for e in entries.flatten().filter(|e| e.path().is_dir()) {
            match e.file_name().into_string() {
                Ok(n) if is_plain_component(&n) => dirs.push(n),
                Ok(_) => {}
                // Safari names these by UUID; one that is not UTF-8 is told about.
                Err(_) => out.warnings.push(format!(
                    "`{}`: the profile directory name is not valid UTF-8; skipped",
                    e.path().display()
                )),
            }
        }
        dirs.sort();
        for uuid in dirs {
            let dir = store_root.join(&uuid);
            let name = names
                .iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(&uuid))
                .map(|(_, n)| n.clone());
            let stores = stores_under(&dir, NAMED_PROFILE_STORES);
            out.profiles.push(profile(browser, uuid, name, dir, stores));
        }
    }
    libraries
}

fn profile(
    browser: Browser,
    dir_name: String,
    display_name: Option<String>,
    path: PathBuf,
    stores: Vec<Store>,
) -> Profile {
    Profile {
        browser,
        channel: "stable",
        dir_name,
        display_name,
        path,
        version: None,
        lock: LockSite::SafariProcess,
        stores,
    }
}

fn stores_under(dir: &Path, table: &[(&'static StoreKind, &str)]) -> Vec<Store> {
    let mut stores = Vec::new();
    for &(kind, rel) in table {
        add_existing(&mut stores, kind, [crate::platform::join_rel(dir, rel)]);
    }
    stores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_store_kind_here_is_in_the_one_list() {
        for (kind, _) in STORES.iter().chain(NAMED_PROFILE_STORES) {
            assert!(crate::stores::KINDS.contains(kind), "{}", kind.id);
        }
    }
}
