//! Firefox's site storage: `storage/default/<sanitized origin><suffix>/`, one directory
//! per origin and partition (`https+++chatgpt.com`, `https+++chatgpt.com+8443`,
//! `https+++other.test^partitionKey=%28https%2Cchatgpt.com%29`, containers'
//! `^userContextId=2`), holding every client of it: localStorage (`ls/`), IndexedDB
//! (`idb/`), Cache Storage and service-worker scripts (`cache/`), OPFS (`fs/`). A
//! target's directory is removed whole, which is what "Forget about this site" does;
//! their rows in `storage.sqlite` go with `quota_cache`, planned after this store.

use std::path::Path;

use super::origin_attributes::top_level_site_of_origin_attributes;
use crate::stores::site_dirs::{children, found, refuse, site_item};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

/// A Firefox profile's `storage/default` directory.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_site_storage",
    label: "site_storage",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// One item per directory whose origin host is a target's, or whose partition key
/// names a target as the top-level site.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let listed = children(&opts.fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for child in listed {
        let name = child.name.to_string_lossy();
        let Some((origin, suffix)) = parse_dir_name(&name) else {
            continue;
        };
        let partition = top_level_site_of_origin_attributes(suffix);
        if !targets.matches_storage(&origin, partition.as_deref()) {
            continue;
        }
        if let Some(why) = refuse(&child) {
            unreadable.push(why);
            continue;
        }
        items.push(site_item(&opts.fs, &origin, partition, vec![child.path]));
    }
    Ok(found(items, unreadable))
}

/// `https+++chatgpt.com+8443^userContextId=2` → (`https://chatgpt.com:8443`,
/// `^userContextId=2`). Firefox writes the origin with `:` and `/` replaced by `+`.
pub fn parse_dir_name(name: &str) -> Option<(String, &str)> {
    let (origin, suffix) = match name.find('^') {
        Some(i) => name.split_at(i),
        None => (name, ""),
    };
    let (scheme, rest) = origin.split_once("+++")?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.".contains(&b))
    {
        return None;
    }
    let (host, port) = match rest.rsplit_once('+') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (rest, None),
    };
    if host.is_empty() || host.contains('+') {
        return None;
    }
    let origin = match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    };
    Some((origin, suffix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;

    use crate::testutil::write;

    #[test]
    fn dir_names() {
        let p = |n| parse_dir_name(n);
        assert_eq!(
            p("https+++chatgpt.com"),
            Some(("https://chatgpt.com".into(), ""))
        );
        assert_eq!(
            p("https+++chatgpt.com+8443^userContextId=2"),
            Some(("https://chatgpt.com:8443".into(), "^userContextId=2"))
        );
        assert_eq!(
            p("https+++other.test^partitionKey=%28https%2Cchatgpt.com%29"),
            Some((
                "https://other.test".into(),
                "^partitionKey=%28https%2Cchatgpt.com%29"
            ))
        );
        assert_eq!(
            p("moz-extension+++0b1c-uuid"),
            Some(("moz-extension://0b1c-uuid".into(), ""))
        );
        for bad in [
            "",
            "chrome",
            "file++++",
            "about+home",
            "+++chatgpt.com",
            "https+++a+b+c",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn target_origins_and_partitions_go_look_alikes_and_others_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let sd = tmp.path().join("storage/default");
        let names = [
            "https+++chatgpt.com",
            "https+++auth.openai.com^userContextId=2",
            "https+++other.test^partitionKey=%28https%2Cchatgpt.com%29",
            "https+++chatgpt.com^partitionKey=%28https%2Cother.test%29",
            "https+++cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29",
            "https+++notchatgpt.com",
            "https+++chatgpt.com.evil.org",
            "https+++other.test^partitionKey=%28https%2Cnotchatgpt.com%29",
            "https+++example.org",
        ];
        for n in names {
            write(&sd.join(n).join(".metadata-v2"), vec![0u8; 40]);
            write(&sd.join(n).join("ls/data.sqlite"), vec![0u8; 60]);
        }
        write(&sd.join("https+++chatgpt.com+8443"), b"not a dir");
        let found = scan(&sd, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.url.as_deref().unwrap(), i.partition.as_deref(), i.size))
            .collect();
        assert_eq!(
            got,
            [
                ("https://auth.openai.com", None, Some(100)),
                ("https://chatgpt.com", None, Some(100)),
                ("https://chatgpt.com", Some("https://other.test"), Some(100)),
                ("https://other.test", Some("https://chatgpt.com"), Some(100)),
            ]
        );
        let ItemKey::Trees(dirs) = &found.items[3].key else {
            panic!()
        };
        assert_eq!(dirs, &[sd.join(names[2])]);
        assert_eq!(found.unreadable.len(), 1, "{:?}", found.unreadable);
    }
}
