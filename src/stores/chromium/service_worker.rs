//! Chromium's `Service Worker/Database`: a shared LevelDB of every site's registrations.
//! A target's `REG:<storage key>\x00<registration id>` goes with everything that belongs
//! to it — the set Chromium's own `DeleteAllDataForStorageKeys` removes:
//! `REGID_TO_ORIGIN:<reg id>`, every `RES:<version id>\x00<resource id>` (the version id is
//! field 4 of the `REG:` value), `REG_USER_DATA:<reg id>\x00*`,
//! `REG_HAS_USER_DATA:*\x00<reg id>` and `INITDATA_UNIQUE_ORIGIN:<storage key>` — plus the
//! scripts' `Service Worker/ScriptCache/<hash(resource id)>_{0,1,s}` files. All of them go
//! in one rebuild: half a registration makes Chromium drop every site's workers. A
//! registration whose value does not parse is reported unreadable and left whole.
//! `INITDATA_NEXT_*` stay.

use std::path::{Path, PathBuf};

use super::leveldb::{db_item, found, read_all, with_prefix};
use super::storage_key::parse_storage_key;
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::Targets;

/// A Chromium profile's `Service Worker/Database` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_service_worker",
    label: "service_worker",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// The simple-cache file stem of a script cache entry keyed by `resource id` (decimal):
/// the first eight bytes of the key's SHA-1 as a little-endian u64, `%016x`.
pub fn script_stem(resource_id: &str) -> String {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(resource_id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    format!("{:016x}", u64::from_le_bytes(first))
}

fn has_suffix(key: &[u8], suffix: &[u8]) -> bool {
    key.len() >= suffix.len() && &key[key.len() - suffix.len()..] == suffix
}

/// One item per target registration, with all its keys and script files.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let pairs = read_all(&opts.fs, dir)?;
    let script_cache = dir.parent().unwrap_or(dir).join("ScriptCache");
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for (k, v) in &pairs {
        let Some(rest) = k.strip_prefix(b"REG:") else {
            continue;
        };
        let Some(sep) = rest.iter().position(|&b| b == 0) else {
            continue;
        };
        let (sk, reg_id) = (&rest[..sep], &rest[sep + 1..]);
        let Some(parsed) = std::str::from_utf8(sk).ok().and_then(parse_storage_key) else {
            continue;
        };
        if !targets.matches_storage(&parsed.origin, parsed.top_site.as_deref()) {
            continue;
        }
        let version = match super::protobuf::varint_field(v, 4) {
            Ok(Some(version)) => version,
            other => {
                let why = match other {
                    Err(e) => format!("does not parse ({e})"),
                    _ => "has no version id".to_string(),
                };
                unreadable.push(Unreadable {
                    file: dir.to_path_buf(),
                    reason: format!(
                        "registration `{}` {why}; left alone",
                        String::from_utf8_lossy(k).escape_debug()
                    ),
                });
                continue;
            }
        };
        let mut keys = vec![k.clone()];
        let mut tail = vec![0u8];
        tail.extend_from_slice(reg_id);
        let push_prefix = |prefix: &[u8], keys: &mut Vec<Vec<u8>>| {
            for (key, _) in with_prefix(&pairs, prefix) {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
        };
        let exact = |key: Vec<u8>, keys: &mut Vec<Vec<u8>>| {
            if pairs.iter().any(|(k, _)| *k == key) && !keys.contains(&key) {
                keys.push(key);
            }
        };
        exact([b"REGID_TO_ORIGIN:", reg_id].concat(), &mut keys);
        let res_prefix = format!("RES:{version}\x00").into_bytes();
        let mut files: Vec<PathBuf> = Vec::new();
        for (key, _) in with_prefix(&pairs, &res_prefix) {
            keys.push(key.clone());
            let res_id = String::from_utf8_lossy(&key[res_prefix.len()..]).into_owned();
            if !res_id.is_empty() && res_id.bytes().all(|b| b.is_ascii_digit()) {
                let stem = script_stem(&res_id);
                for s in ["_0", "_1", "_s"] {
                    let f = script_cache.join(format!("{stem}{s}"));
                    if opts.fs.metadata(&f).is_ok() {
                        files.push(f);
                    }
                }
            }
        }
        push_prefix(&[b"REG_USER_DATA:", reg_id, b"\x00"].concat(), &mut keys);
        for (key, _) in with_prefix(&pairs, b"REG_HAS_USER_DATA:") {
            if has_suffix(key, &tail) && !keys.contains(key) {
                keys.push(key.clone());
            }
        }
        exact([b"INITDATA_UNIQUE_ORIGIN:", sk].concat(), &mut keys);
        let size = super::leveldb::size_of(&pairs, &keys)
            + files
                .iter()
                .filter_map(|f| opts.fs.metadata(f).ok())
                .map(|m| m.len())
                .sum::<u64>();
        items.push(db_item(&parsed, keys, files, Vec::new(), size));
    }
    let mut out = found(items);
    out.unreadable = unreadable;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;
    use crate::testing::leveldb::write_db;

    /// A `ServiceWorkerRegistrationData`: field 1 registration id, 2 scope, 4 version id.
    fn reg_value(reg: u8, version: u8) -> Vec<u8> {
        let mut v = vec![0x08, reg, 0x12, 1, b'/'];
        v.extend([0x20, version]);
        v
    }

    #[test]
    fn script_names_are_chromiums() {
        assert_eq!(script_stem("0"), "2cc80dabc69f58b6");
    }

    #[test]
    fn a_targets_registration_goes_whole_and_look_alikes_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("Service Worker/Database");
        let sc = tmp.path().join("Service Worker/ScriptCache");
        std::fs::create_dir_all(&sc).unwrap();
        let mut pairs = vec![(b"INITDATA_NEXT_REGISTRATION_ID".to_vec(), b"9".to_vec())];
        let mut put = |k: Vec<u8>, v: Vec<u8>| pairs.push((k, v));
        for (reg, sk) in [
            (1u8, "https://chatgpt.com/"),
            (2, "https://notchatgpt.com/"),
            (3, "https://chatgpt.com.evil.org/"),
            (4, "https://cdn.oaistatic.com/^0https://example.org"),
            (11, "https://example.org/"),
        ] {
            let version = reg + 100;
            put(
                [b"REG:", sk.as_bytes(), b"\x00", reg.to_string().as_bytes()].concat(),
                reg_value(reg, version),
            );
            put(
                format!("REGID_TO_ORIGIN:{reg}").into_bytes(),
                sk.as_bytes().to_vec(),
            );
            put(
                format!("RES:{version}\x00{reg}").into_bytes(),
                b"script".to_vec(),
            );
            put(
                format!("REG_USER_DATA:{reg}\x00k").into_bytes(),
                b"d".to_vec(),
            );
            put(
                format!("REG_HAS_USER_DATA:k\x00{reg}").into_bytes(),
                b"".to_vec(),
            );
            put(
                format!("INITDATA_UNIQUE_ORIGIN:{sk}").into_bytes(),
                b"".to_vec(),
            );
            std::fs::write(
                sc.join(format!("{}_0", script_stem(&reg.to_string()))),
                b"js",
            )
            .unwrap();
        }
        // A registration whose value does not parse is named and left whole.
        pairs.push((b"REG:https://auth.openai.com/\x007".to_vec(), vec![0x20]));
        pairs.push((b"RES:107\x007".to_vec(), b"script".to_vec()));
        write_db(&db, &pairs);
        let found = scan(&db, &Targets::default(), &ScanOptions::default()).unwrap();
        assert_eq!(found.items.len(), 1, "{:?}", found.items);
        assert_eq!(found.unreadable.len(), 1);
        assert!(found.unreadable[0].reason.contains("does not parse"));
        let ItemKey::LevelDbKeys { keys, files, .. } = &found.items[0].key else {
            panic!()
        };
        let mut keys: Vec<_> = keys
            .iter()
            .map(|k| String::from_utf8_lossy(k).into_owned())
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "INITDATA_UNIQUE_ORIGIN:https://chatgpt.com/",
                "REG:https://chatgpt.com/\u{0}1",
                "REGID_TO_ORIGIN:1",
                "REG_HAS_USER_DATA:k\u{0}1",
                "REG_USER_DATA:1\u{0}k",
                "RES:101\u{0}1",
            ]
        );
        assert_eq!(files, &[sc.join(format!("{}_0", script_stem("1")))]);
    }
}
