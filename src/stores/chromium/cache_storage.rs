//! Chromium's Cache Storage of first-party default buckets: `Service Worker/CacheStorage/
//! <sha1 of the origin id>/`, one directory per storage key holding `index.txt` (a
//! protobuf: field 2 the origin, field 3 the storage key with its `^0` top-level site)
//! and one simple-cache directory per cache. The site is read from `index.txt`, never
//! inferred from the hash; each target's directory is removed whole.

use std::path::Path;

use super::protobuf::length_delimited_fields;
use super::storage_key::parse_storage_key;
use crate::stores::site_dirs::{children, found, refuse, site_item};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::Targets;

/// A Chromium profile's `Service Worker/CacheStorage` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_cache_storage",
    label: "cache_storage",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// `index.txt` lists caches by name and size; a real one is a few kilobytes.
const MAX_INDEX: u64 = 4 * 1024 * 1024;

/// One item per `<hash>` directory whose index names a target storage key.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let listed = children(&opts.fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for child in listed {
        if child.is_symlink || !child.is_dir {
            // Not a cache directory (or a link to one, which is never followed); what a
            // link points to cannot be told without following it.
            if child.is_symlink {
                unreadable.extend(refuse(&child));
            }
            continue;
        }
        let index = child.path.join("index.txt");
        let key = match read_index(&opts.fs, &index) {
            Ok(key) => key,
            Err(reason) => {
                unreadable.push(Unreadable {
                    file: index,
                    reason,
                });
                continue;
            }
        };
        let Some(key) = parse_storage_key(&key) else {
            unreadable.push(Unreadable {
                file: index,
                reason: format!(
                    "not a storage key: {:?}",
                    key.chars().take(80).collect::<String>()
                ),
            });
            continue;
        };
        if targets.matches_storage(&key.origin, key.top_site.as_deref()) {
            items.push(site_item(
                &opts.fs,
                &key.origin,
                key.top_site,
                vec![child.path],
            ));
        }
    }
    Ok(found(items, unreadable))
}

/// The storage key an `index.txt` names: field 3, else the origin in field 2.
fn read_index(fs: &crate::confine::Confined, path: &Path) -> Result<String, String> {
    // A link is not followed (run as root, it could name any file).
    let bytes = fs
        .read_bounded(path, MAX_INDEX)
        .map_err(|e| e.to_string())?;
    let fields = length_delimited_fields(&bytes)?;
    let pick = |n| fields.iter().find(|(f, _)| *f == n).map(|(_, v)| *v);
    let value = pick(3)
        .or_else(|| pick(2))
        .ok_or_else(|| "names no origin (fields 2 and 3 missing)".to_string())?;
    String::from_utf8(value.to_vec()).map_err(|_| "the origin is not UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;

    use crate::testutil::write;

    fn field(n: u8, data: &[u8]) -> Vec<u8> {
        let mut v = vec![(n << 3) | 2, data.len() as u8];
        v.extend_from_slice(data);
        v
    }

    /// An `index.txt` as Chromium writes it: one cache, the origin, maybe a storage key.
    fn index(origin: &str, storage_key: Option<&str>) -> Vec<u8> {
        let mut cache = field(1, b"v1");
        cache.extend(field(2, b"5f3c1e2a-uuid"));
        let mut v = field(1, &cache);
        v.extend(field(2, origin.as_bytes()));
        if let Some(k) = storage_key {
            v.extend(field(3, k.as_bytes()));
        }
        v.extend([0x28, 1]); // field 5: default bucket
        v
    }

    #[test]
    fn dirs_whose_index_names_a_target_or_a_target_top_level_site() {
        let tmp = tempfile::tempdir().unwrap();
        let cs = tmp.path().join("CacheStorage");
        let cases: [(&str, &str, Option<&str>); 7] = [
            ("aa", "https://chatgpt.com/", None),
            (
                "bb",
                "https://other.test/",
                Some("https://other.test/^0https://chatgpt.com"),
            ),
            (
                "cc",
                "https://chatgpt.com/",
                Some("https://chatgpt.com/^0https://other.test"),
            ),
            (
                "dd",
                "https://cdn.oaistatic.com/",
                Some("https://cdn.oaistatic.com/^0https://example.org"),
            ),
            ("ee", "https://notchatgpt.com/", None),
            ("ff", "https://chatgpt.com.evil.org/", None),
            ("gg", "https://example.org/", None),
        ];
        for (dir, origin, key) in cases {
            write(&cs.join(dir).join("index.txt"), index(origin, key));
            write(&cs.join(dir).join("5f3c1e2a-uuid/index"), vec![0u8; 24]);
        }
        write(&cs.join("hh/index.txt"), [0x12, 0x40, b'h']);
        std::fs::create_dir_all(cs.join("ii")).unwrap();
        write(&cs.join("stray-file"), b"x");
        let found = scan(&cs, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.url.as_deref().unwrap(), i.partition.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("https://chatgpt.com", None),
                ("https://other.test", Some("https://chatgpt.com")),
                ("https://chatgpt.com", Some("https://other.test")),
            ]
        );
        let ItemKey::Trees(dirs) = &found.items[1].key else {
            panic!()
        };
        assert_eq!(dirs, &[cs.join("bb")]);
        let size = index(
            "https://other.test/",
            Some("https://other.test/^0https://chatgpt.com"),
        )
        .len() as u64
            + 24;
        assert_eq!(found.items[1].size, Some(size));
        let bad: Vec<_> = found.unreadable.iter().map(|u| u.file.clone()).collect();
        assert_eq!(bad, [cs.join("hh/index.txt"), cs.join("ii/index.txt")]);
        assert!(
            found.unreadable[0].reason.contains("truncated"),
            "{}",
            found.unreadable[0].reason
        );
    }
}
