//! Chromium's `Local Storage/leveldb`: a shared LevelDB holding every site's
//! localStorage. A storage key `<sk>` (`https://chatgpt.com` first-party, without the
//! slash; `https://other.test/^0https://chatgpt.com` partitioned) owns `META:<sk>`,
//! `METAACCESS:<sk>` and every key starting `_<sk>\x00` — the set Chromium's own
//! `DeleteStorageKeysFromSession` removes. `VERSION` and other sites' keys stay.

use std::path::Path;

use super::leveldb::{add_key, db_item, found, read_all, Site};
use super::storage_key::parse_storage_key;
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

/// A Chromium profile's `Local Storage/leveldb` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_local_storage",
    label: "local_storage",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// The storage key a Local Storage key belongs to, if any.
fn storage_key_of(key: &[u8]) -> Option<&[u8]> {
    if let Some(sk) = key.strip_prefix(b"METAACCESS:") {
        return Some(sk);
    }
    if let Some(sk) = key.strip_prefix(b"META:") {
        return Some(sk);
    }
    let rest = key.strip_prefix(b"_")?;
    let end = rest.iter().position(|&b| b == 0)?;
    Some(&rest[..end])
}

/// One item per target storage key, with all its keys.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let pairs = read_all(&opts.fs, dir)?;
    let mut sites: Vec<Site> = Vec::new();
    for (k, v) in &pairs {
        let Some(sk) = storage_key_of(k) else {
            continue;
        };
        let Some(parsed) = std::str::from_utf8(sk).ok().and_then(parse_storage_key) else {
            continue;
        };
        if !targets.matches_storage(&parsed.origin, parsed.top_site.as_deref()) {
            continue;
        }
        add_key(&mut sites, sk, parsed, k, (k.len() + v.len()) as u64);
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

    fn pair(k: &[u8], v: &[u8]) -> (Vec<u8>, Vec<u8>) {
        (k.to_vec(), v.to_vec())
    }

    #[test]
    fn one_item_per_target_storage_key_and_look_alikes_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("leveldb");
        let mut pairs = vec![pair(b"VERSION", b"1")];
        for sk in [
            "https://chatgpt.com",
            "https://other.test/^0https://chatgpt.com",
            "https://notchatgpt.com",
            "https://chatgpt.com.evil.org",
            "https://cdn.oaistatic.com/^0https://example.org",
            "https://example.org",
        ] {
            pairs.push(pair(format!("META:{sk}").as_bytes(), b"\x08\x01"));
            pairs.push(pair(format!("METAACCESS:{sk}").as_bytes(), b"\x08\x02"));
            pairs.push(pair(format!("_{sk}\x00\x01k").as_bytes(), b"\x01v"));
        }
        // Another origin whose name starts like a target's: not `_<sk>\x00`.
        pairs.push(pair(b"_https://chatgpt.com.evil.org\x00\x01x", b"\x01y"));
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
                ("https://other.test", Some("https://chatgpt.com")),
            ]
        );
        let ItemKey::LevelDbKeys { keys, .. } = &found.items[0].key else {
            panic!()
        };
        assert_eq!(
            keys,
            &[
                b"META:https://chatgpt.com".to_vec(),
                b"METAACCESS:https://chatgpt.com".to_vec(),
                b"_https://chatgpt.com\x00\x01k".to_vec(),
            ]
        );
        assert_eq!(found.items[0].size, Some(24 + 2 + 30 + 2 + 23 + 2));
        assert!(scan(
            &tmp.path().join("none"),
            &Targets::default(),
            &ScanOptions::default()
        )
        .unwrap()
        .items
        .is_empty());
    }
}
