//! Chromium's legacy sandboxed file system (also first-party OPFS): `File System/Origins`
//! is a shared LevelDB mapping `ORIGIN:<origin id>` (`https_chatgpt.com_0`) to the
//! three-digit directory `File System/<NNN>` that holds the origin's files. A target's
//! `ORIGIN:` key goes with its directory; `LAST_PATH` stays (Chromium never reuses a
//! number).

use std::path::Path;

use super::leveldb::{db_item, found, read_all};
use super::storage_key::{origin_of_identifier, StorageKey};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::Targets;

/// A Chromium profile's `File System/Origins` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_file_system",
    label: "file_system",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// One item per target origin: its `ORIGIN:` key and its `File System/<NNN>` directory.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let pairs = read_all(&opts.fs, dir)?;
    let base = dir.parent().unwrap_or(dir);
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for (k, v) in &pairs {
        let Some(id) = k.strip_prefix(b"ORIGIN:") else {
            continue;
        };
        let Some(origin) = std::str::from_utf8(id).ok().and_then(origin_of_identifier) else {
            continue;
        };
        if !targets.matches_site(&origin) {
            continue;
        }
        // Only a plain number names a directory; anything else is not followed.
        let trees = match std::str::from_utf8(v) {
            Ok(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                vec![base.join(n)]
            }
            _ => Vec::new(),
        };
        // A directory that is a symlink or not a directory is not followed: the origin's
        // key stays with it.
        if let Some(t) = trees.iter().find(|t| {
            opts.fs
                .metadata(t)
                .is_ok_and(|m| !m.is_dir() || m.file_type().is_symlink())
        }) {
            unreadable.push(Unreadable {
                file: t.clone(),
                reason: "not a plain directory; not followed (the origin was left alone)"
                    .to_string(),
            });
            continue;
        }
        let size = (k.len() + v.len()) as u64
            + trees
                .iter()
                .map(|t| crate::stores::site_dirs::tree_size(&opts.fs, t))
                .sum::<u64>();
        let key = StorageKey {
            origin,
            top_site: None,
        };
        items.push(db_item(&key, vec![k.clone()], Vec::new(), trees, size));
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

    #[test]
    fn a_targets_origin_key_and_directory_go_and_last_path_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let fs = tmp.path().join("File System");
        let mut pairs = vec![(b"LAST_PATH".to_vec(), b"5".to_vec())];
        for (n, id) in [
            ("000", "https_chatgpt.com_0"),
            ("001", "https_notchatgpt.com_0"),
            ("002", "https_chatgpt.com.evil.org_0"),
            ("003", "https_cdn.oaistatic.com_0"),
            ("004", "https_auth.openai.com_0"),
        ] {
            pairs.push((format!("ORIGIN:{id}").into_bytes(), n.as_bytes().to_vec()));
            std::fs::create_dir_all(fs.join(n).join("t/00")).unwrap();
            std::fs::write(fs.join(n).join("t/00/00000001"), [1u8; 10]).unwrap();
        }
        pairs.push((
            b"ORIGIN:https_x.chatgpt.com_0".to_vec(),
            b"../../etc".to_vec(),
        ));
        // A file-system directory that is a symlink (Unix: where the test can make one).
        #[cfg(unix)]
        {
            pairs.push((b"ORIGIN:https_y.chatgpt.com_0".to_vec(), b"009".to_vec()));
            std::os::unix::fs::symlink(tmp.path(), fs.join("009")).unwrap();
        }
        write_db(&fs.join("Origins"), &pairs);
        let found = scan(
            &fs.join("Origins"),
            &Targets::default(),
            &ScanOptions::default(),
        )
        .unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| {
                let ItemKey::LevelDbKeys { keys, trees, .. } = &i.key else {
                    panic!()
                };
                (i.url.clone().unwrap(), keys.clone(), trees.clone())
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "https://auth.openai.com".to_string(),
                    vec![b"ORIGIN:https_auth.openai.com_0".to_vec()],
                    vec![fs.join("004")]
                ),
                (
                    "https://chatgpt.com".to_string(),
                    vec![b"ORIGIN:https_chatgpt.com_0".to_vec()],
                    vec![fs.join("000")]
                ),
                (
                    "https://x.chatgpt.com".to_string(),
                    vec![b"ORIGIN:https_x.chatgpt.com_0".to_vec()],
                    vec![]
                ),
            ]
        );
        #[cfg(unix)]
        assert_eq!(found.unreadable[0].file, fs.join("009"));
    }
}
