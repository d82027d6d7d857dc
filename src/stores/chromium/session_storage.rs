//! Chromium's `Session Storage`: a shared LevelDB. `namespace-<session id>-<storage key>`
//! (the session id a 36-character GUID written with underscores, the storage key in
//! `StorageKey::Serialize()` form, `https://chatgpt.com/`) holds a map id as decimal text;
//! the map's values are the keys `map-<id>-<script key>`. A target's namespace entries
//! and all keys of their maps go (the dash after the id included: `map-1-` never hits
//! `map-10-`); `version`, `next-map-id` and other sites' entries stay. A map that a
//! non-target namespace shares is refused as a store error: removing it would take the
//! other site's values too.

use std::path::Path;

use anyhow::bail;

use super::leveldb::{add_key, db_item, found, read_all, Site};
use super::storage_key::parse_storage_key;
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

/// A Chromium profile's `Session Storage` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_session_storage",
    label: "session_storage",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

const SESSION_ID_LEN: usize = 36;

/// `namespace-<sid>-<sk>` as (storage key bytes).
fn namespace_storage_key(key: &[u8]) -> Option<&[u8]> {
    let rest = key.strip_prefix(b"namespace-")?;
    if rest.len() <= SESSION_ID_LEN || rest[SESSION_ID_LEN] != b'-' {
        return None;
    }
    Some(&rest[SESSION_ID_LEN + 1..])
}

/// One item per target storage key: its namespace entries and their maps' keys.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let pairs = read_all(&opts.fs, dir)?;
    let mut sites: Vec<Site> = Vec::new();
    let mut maps: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut other_maps: Vec<Vec<u8>> = Vec::new();
    for (k, v) in &pairs {
        let Some(sk) = namespace_storage_key(k) else {
            continue;
        };
        let parsed = std::str::from_utf8(sk).ok().and_then(parse_storage_key);
        let is_target = parsed
            .as_ref()
            .is_some_and(|p| targets.matches_storage(&p.origin, p.top_site.as_deref()));
        if !v.iter().all(u8::is_ascii_digit) || v.is_empty() {
            if is_target {
                bail!(
                    "{}",
                    crate::i18n::ta(
                        "err-namespace-entry-holds-no-map",
                        &[
                            ("file", &dir.display().to_string()),
                            (
                                "name",
                                &String::from_utf8_lossy(k).escape_debug().to_string()
                            )
                        ]
                    )
                );
            }
            continue;
        }
        let Some(parsed) = parsed.filter(|_| is_target) else {
            other_maps.push(v.clone());
            continue;
        };
        add_key(&mut sites, sk, parsed, k, (k.len() + v.len()) as u64);
        let at = sites.iter().position(|s| s.raw == sk).unwrap_or_default();
        maps.push((at, v.clone()));
    }
    for (_, id) in &maps {
        if other_maps.contains(id) {
            bail!(
                "{}",
                crate::i18n::ta(
                    "err-map-shared-with-another-site",
                    &[
                        ("file", &dir.display().to_string()),
                        ("id", String::from_utf8_lossy(id).as_ref())
                    ]
                )
            );
        }
    }
    for (at, id) in maps {
        let mut prefix = b"map-".to_vec();
        prefix.extend_from_slice(&id);
        prefix.push(b'-');
        let site = &mut sites[at];
        for (k, v) in super::leveldb::with_prefix(&pairs, &prefix) {
            if !site.keys.contains(k) {
                site.keys.push(k.clone());
                site.size += (k.len() + v.len()) as u64;
            }
        }
    }
    let items = sites
        .into_iter()
        .map(|s| db_item(&s.key, s.keys, Vec::new(), Vec::new(), s.size))
        .collect();
    Ok(found(items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;
    use crate::testing::leveldb::write_db;

    const SID: &str = "614035b1_dc53_46a5_aff8_1f571a1c506f";

    fn pair(k: &str, v: &str) -> (Vec<u8>, Vec<u8>) {
        (k.as_bytes().to_vec(), v.as_bytes().to_vec())
    }

    #[test]
    fn a_targets_namespaces_and_maps_go_and_look_alikes_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("Session Storage");
        let mut pairs = vec![pair("version", "1"), pair("next-map-id", "12")];
        for (n, sk) in [
            (1, "https://chatgpt.com/"),
            (2, "https://other.test/^0https://chatgpt.com"),
            (3, "https://notchatgpt.com/"),
            (4, "https://chatgpt.com.evil.org/"),
            (5, "https://cdn.oaistatic.com/^0https://example.org"),
            (10, "https://example.org/"),
        ] {
            pairs.push(pair(&format!("namespace-{SID}-{sk}"), &n.to_string()));
            pairs.push(pair(&format!("map-{n}-key"), "value"));
        }
        write_db(&db, &pairs);
        let found = scan(&db, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.url.as_deref().unwrap(), i.partition.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://chatgpt.com", None),
                ("https://other.test", Some("https://chatgpt.com"))
            ]
        );
        let ItemKey::LevelDbKeys { keys, .. } = &found.items[0].key else {
            panic!()
        };
        // `map-10-` is not `map-1-`.
        assert_eq!(
            keys,
            &[
                format!("namespace-{SID}-https://chatgpt.com/").into_bytes(),
                b"map-1-key".to_vec()
            ]
        );
    }

    #[test]
    fn a_map_shared_with_another_site_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("Session Storage");
        write_db(
            &db,
            &[
                pair(&format!("namespace-{SID}-https://chatgpt.com/"), "1"),
                pair(&format!("namespace-{SID}-https://example.org/"), "1"),
                pair("map-1-key", "value"),
            ],
        );
        let err = format!(
            "{:#}",
            scan(&db, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(
            err.contains("shared") && err.contains("Session Storage"),
            "{err}"
        );
    }
}
