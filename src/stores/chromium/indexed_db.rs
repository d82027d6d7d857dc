//! Chromium's first-party IndexedDB: `IndexedDB/<origin id>.indexeddb.leveldb` and its
//! `<origin id>.indexeddb.blob` beside it (origin id `https_chatgpt.com_0`). The LevelDB
//! inside uses Chromium's own comparator and embeds the origin id, so a site's pair is
//! never edited, only removed whole (what Chromium does when it forgets the origin).
//! Partitioned and non-default-bucket IndexedDBs live under `WebStorage/<bucket id>`
//! and are not read here.

use std::path::{Path, PathBuf};

use super::storage_key::origin_of_identifier;
use crate::stores::site_dirs::{children, found, refuse, site_item};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::Targets;

/// A Chromium profile's `IndexedDB` directory.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_indexed_db",
    label: "indexed_db",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// One item per target origin: its `.indexeddb.*` directories (the `.leveldb` and the
/// `.blob`, whichever exist).
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let listed = children(&opts.fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut sites: Vec<(String, String, Vec<PathBuf>)> = Vec::new();
    let mut unreadable: Vec<Unreadable> = Vec::new();
    for child in listed {
        let name = child.name.to_string_lossy();
        let Some((id, _)) = name.split_once(".indexeddb.") else {
            continue;
        };
        let Some(origin) = origin_of_identifier(id) else {
            continue;
        };
        if !targets.matches_site(&origin) {
            continue;
        }
        if let Some(why) = refuse(&child) {
            unreadable.push(why);
            continue;
        }
        match sites.iter_mut().find(|(i, _, _)| i == id) {
            Some((_, _, dirs)) => dirs.push(child.path),
            None => sites.push((id.to_string(), origin, vec![child.path])),
        }
    }
    let items = sites
        .into_iter()
        .map(|(_, origin, dirs)| site_item(&opts.fs, &origin, None, dirs))
        .collect();
    Ok(found(items, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;

    use crate::testutil::write;

    #[test]
    fn one_item_per_target_origin_pair_and_look_alikes_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let idb = tmp.path().join("IndexedDB");
        for id in [
            "https_chatgpt.com_0",
            "https_auth.openai.com_0",
            "https_notchatgpt.com_0",
            "https_chatgpt.com.evil.org_0",
            "https_cdn.oaistatic.com_0",
            "https_example.org_0",
        ] {
            write(
                &idb.join(format!("{id}.indexeddb.leveldb/000003.log")),
                vec![1u8; 10],
            );
            write(
                &idb.join(format!("{id}.indexeddb.leveldb/CURRENT")),
                b"MANIFEST-000001\n",
            );
        }
        write(
            &idb.join("https_chatgpt.com_0.indexeddb.blob/1/00/3"),
            vec![2u8; 300],
        );
        write(&idb.join("https_chatgpt.com_0.junk"), b"x");
        write(&idb.join("https_chatgpt.com_0.indexeddb.file"), b"x");
        let found = scan(&idb, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.host.as_str(), i.url.as_deref().unwrap(), i.size.unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("auth.openai.com", "https://auth.openai.com", 26),
                ("chatgpt.com", "https://chatgpt.com", 326),
            ]
        );
        let ItemKey::Trees(dirs) = &found.items[1].key else {
            panic!()
        };
        assert_eq!(
            dirs,
            &[
                idb.join("https_chatgpt.com_0.indexeddb.blob"),
                idb.join("https_chatgpt.com_0.indexeddb.leveldb")
            ]
        );
        // A target's entry that is not a directory is named, not removed.
        assert_eq!(found.unreadable.len(), 1);
        assert!(found.unreadable[0]
            .file
            .ends_with("https_chatgpt.com_0.indexeddb.file"));
        let none = scan(
            &tmp.path().join("missing"),
            &Targets::default(),
            &ScanOptions::default(),
        );
        assert!(none.unwrap().items.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_site_directory_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let idb = tmp.path().join("IndexedDB");
        let elsewhere = tmp.path().join("elsewhere");
        write(&elsewhere.join("CURRENT"), b"x");
        std::fs::create_dir_all(&idb).unwrap();
        std::os::unix::fs::symlink(
            &elsewhere,
            idb.join("https_chatgpt.com_0.indexeddb.leveldb"),
        )
        .unwrap();
        let found = scan(&idb, &Targets::default(), &ScanOptions::default()).unwrap();
        assert!(found.items.is_empty());
        assert_eq!(found.unreadable.len(), 1);
        assert!(found.unreadable[0].reason.contains("symlink"));
    }
}
