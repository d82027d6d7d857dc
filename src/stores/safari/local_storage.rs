//! WebKit's legacy localStorage: one SQLite file per origin,
//! `LocalStorage/<origin id>.localstorage` (`https_chatgpt.com_0.localstorage`, with its
//! `-wal` / `-shm` beside it), in the container's `WebKit/WebsiteData/LocalStorage` and
//! the home's `Library/Safari/LocalStorage`. A target origin's files are removed whole,
//! each backed up first ([`Removal::SiteFiles`]); nothing inside them is edited.

use std::path::Path;

use crate::stores::chromium::storage_key::origin_of_identifier;
use crate::stores::site_dirs::children;
use crate::stores::{
    Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind, Unreadable,
};
use crate::targets::{url_host, Targets};

/// A `LocalStorage` directory of per-origin `.localstorage` files.
pub static KIND: StoreKind = StoreKind {
    id: "safari_local_storage",
    label: "local_storage",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

const SUFFIX: &str = ".localstorage";

pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let listed = children(&opts.fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for child in &listed {
        let name = child.name.to_string_lossy();
        let Some(id) = name.strip_suffix(SUFFIX) else {
            continue;
        };
        let Some(origin) = origin_of_identifier(id) else {
            continue;
        };
        if !targets.matches_site(&origin) {
            continue;
        }
        // The database and its sidecars, each a plain file or left alone with the rest.
        let mut files = Vec::new();
        let mut refused = None;
        for suffix in ["", "-wal", "-shm"] {
            let want = format!("{name}{suffix}");
            let Some(f) = listed.iter().find(|c| c.name.to_string_lossy() == want) else {
                continue;
            };
            if f.is_symlink || f.is_dir {
                refused = Some(Unreadable {
                    file: f.path.clone(),
                    reason: if f.is_symlink {
                        "a symlink; not followed (left alone)".to_string()
                    } else {
                        "a directory, not a localStorage file (left alone)".to_string()
                    },
                });
                break;
            }
            files.push(f.path.clone());
        }
        if let Some(why) = refused {
            unreadable.push(why);
            continue;
        }
        let size = files
            .iter()
            .map(|f| opts.fs.metadata(f).map(|m| m.len()).unwrap_or(0))
            .sum();
        items.push(Item {
            host: url_host(&origin).unwrap_or_default().to_string(),
            name: None,
            path: None,
            url: Some(origin.clone()),
            partition: None,
            size: Some(size),
            key: ItemKey::Files(files),
        });
    }
    Ok(Found {
        items,
        removal: Removal::SiteFiles,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_origins_files_with_their_sidecars() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("LocalStorage");
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "https_chatgpt.com_0.localstorage",
            "https_chatgpt.com_0.localstorage-wal",
            "https_auth.openai.com_0.localstorage",
            "https_notchatgpt.com_0.localstorage",
            "https_chatgpt.com.evil.org_0.localstorage",
            "https_cdn.oaistatic.com_0.localstorage",
            "https_example.org_0.localstorage",
            "StorageTracker.db",
        ] {
            std::fs::write(dir.join(name), vec![1u8; 10]).unwrap();
        }
        std::fs::create_dir(dir.join("https_openai.com_0.localstorage")).unwrap();
        let found = scan(&dir, &Targets::default(), &ScanOptions::default()).unwrap();
        assert_eq!(found.removal, Removal::SiteFiles);
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.url.as_deref().unwrap(), i.size.unwrap()))
            .collect();
        assert_eq!(
            got,
            [("https://auth.openai.com", 10), ("https://chatgpt.com", 20)]
        );
        let ItemKey::Files(files) = &found.items[1].key else {
            panic!()
        };
        assert_eq!(
            files,
            &[
                dir.join("https_chatgpt.com_0.localstorage"),
                dir.join("https_chatgpt.com_0.localstorage-wal")
            ]
        );
        assert_eq!(found.unreadable.len(), 1);
        assert!(found.unreadable[0]
            .file
            .ends_with("https_openai.com_0.localstorage"));
    }
}
