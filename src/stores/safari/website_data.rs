//! WebKit's per-origin site data (Safari 17+, macOS): `WebKit/WebsiteData/Default/<top
//! origin hash>/<client origin hash>/` in Safari's container, each client directory
//! holding the origin's LocalStorage, IndexedDB, Cache Storage, OPFS (and, at newer
//! storage levels, service workers). The directory names are salted hashes; the `origin`
//! file in each client directory names the top and client origins (WTF::Persistence
//! encoding), so the site is read from it, never inferred from a name. The top-origin
//! directory of a target goes whole (the target's own data and everything framed under
//! it); under any other top origin, the client directories of target origins go.

use std::path::Path;

use crate::stores::site_dirs::{children, found, refuse, site_item};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::Targets;

/// Safari's `WebKit/WebsiteData/Default` directory.
pub static KIND: StoreKind = StoreKind {
    id: "safari_website_data",
    label: "website_data",
    category: Category::SiteData,
    shape: Shape::Dir,
    read: scan,
};

/// An `origin` file is two short origins.
const MAX_ORIGIN_FILE: u64 = 64 * 1024;

/// Reads a WTF::Persistence string: u32 LE length, a flag byte (1 Latin-1, 0 UTF-16LE),
/// the characters.
fn read_string(b: &[u8], at: &mut usize) -> Result<String, String> {
    let len = b.get(*at..*at + 4).ok_or("truncated (string length)")?;
    let len = u32::from_le_bytes(len.try_into().unwrap()) as usize;
    let latin1 = *b.get(*at + 4).ok_or("truncated (string flag)")?;
    *at += 5;
    let s = match latin1 {
        1 => {
            let bytes = b.get(*at..*at + len).ok_or("truncated (string)")?;
            *at += len;
            bytes.iter().map(|&c| c as char).collect()
        }
        0 => {
            let bytes = b
                .get(*at..*at + len.checked_mul(2).ok_or("absurd string length")?)
                .ok_or("truncated (string)")?;
            *at += len * 2;
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).map_err(|_| "invalid UTF-16")?
        }
        f => return Err(format!("unknown string flag {f}")),
    };
    Ok(s)
}

fn read_origin(b: &[u8], at: &mut usize) -> Result<String, String> {
    let scheme = read_string(b, at)?;
    let host = read_string(b, at)?;
    let scheme_ok = !scheme.is_empty()
        && scheme
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c));
    // Hosts are ASCII (punycode) in practice; a Unicode one is matched after conversion.
    let host_ok = !host.is_empty()
        && !host
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "/?#@".contains(c));
    if !scheme_ok || !host_ok {
        return Err("not an origin (scheme or host)".to_string());
    }
    let port = match b.get(*at) {
        Some(0) => {
            *at += 1;
            None
        }
        Some(1) => {
            let p = b.get(*at + 1..*at + 3).ok_or("truncated (port)")?;
            *at += 3;
            Some(u16::from_le_bytes([p[0], p[1]]))
        }
        Some(f) => return Err(format!("unknown port flag {f}")),
        None => return Err("truncated (port flag)".to_string()),
    };
    Ok(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

/// Parses an `origin` file into (top origin, client origin).
pub fn parse_origin_file(b: &[u8]) -> Result<(String, String), String> {
    let mut at = 0;
    let top = read_origin(b, &mut at)?;
    let client = read_origin(b, &mut at)?;
    if at != b.len() {
        return Err(format!("{} bytes after the two origins", b.len() - at));
    }
    Ok((top, client))
}

fn read_origin_at(fs: &crate::confine::Confined, path: &Path) -> Result<(String, String), String> {
    let bytes = fs
        .read_bounded(path, MAX_ORIGIN_FILE)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ORIGIN_FILE {
        return Err("too large for an origin file".to_string());
    }
    parse_origin_file(&bytes)
}

pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let listed = children(&opts.fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for top in listed {
        if !top.is_dir || top.is_symlink {
            // `salt`, and links (never followed; what they point to cannot be told).
            if top.is_symlink {
                unreadable.extend(refuse(&top));
            }
            continue;
        }
        let clients = match children(&opts.fs, &top.path) {
            Ok(c) => c,
            Err(e) => {
                unreadable.push(Unreadable {
                    file: top.path.clone(),
                    reason: crate::i18n::ta("err-could-list-2", &[("detail", &e.to_string())]),
                });
                continue;
            }
        };
        // (client dir, top origin, client origin) of each readable client.
        let mut read = Vec::new();
        for client in clients {
            if client.is_symlink || !client.is_dir {
                if client.is_symlink {
                    unreadable.extend(refuse(&client));
                }
                continue;
            }
            let file = client.path.join("origin");
            match read_origin_at(&opts.fs, &file) {
                Ok((t, c)) => read.push((client, t, c)),
                Err(reason) => unreadable.push(Unreadable {
                    file,
                    reason: format!("{reason} (left alone)"),
                }),
            }
        }
        let Some(top_origin) = read.first().map(|r| r.1.clone()) else {
            continue;
        };
        if read.iter().any(|r| r.1 != top_origin) {
            unreadable.push(Unreadable {
                file: top.path.clone(),
                reason: "its client directories name different top origins (left alone)"
                    .to_string(),
            });
            continue;
        }
        if targets.matches_site(&top_origin) {
            items.push(site_item(
                &opts.fs,
                &top_origin,
                None,
                vec![top.path.clone()],
            ));
            continue;
        }
        for (client, _, client_origin) in read {
            if targets.matches_site(&client_origin) {
                items.push(site_item(
                    &opts.fs,
                    &client_origin,
                    Some(top_origin.clone()),
                    vec![client.path],
                ));
            }
        }
    }
    Ok(found(items, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::ItemKey;
    use crate::testing::webkit_origin::origin_file;

    fn write(path: &Path, data: impl AsRef<[u8]>) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }

    /// (top dir, client dir, top origin, client origin).
    const DIRS: [(&str, &str, &str, &str); 8] = [
        ("T1", "T1", "https://chatgpt.com", "https://chatgpt.com"),
        ("T1", "C1", "https://chatgpt.com", "https://other.test"),
        ("T2", "T2", "https://other.test", "https://other.test"),
        (
            "T2",
            "C2",
            "https://other.test",
            "https://auth.openai.com:8443",
        ),
        ("T3", "T3", "https://example.org", "https://example.org"),
        (
            "T3",
            "C3",
            "https://example.org",
            "https://cdn.oaistatic.com",
        ),
        (
            "T4",
            "T4",
            "https://notchatgpt.com",
            "https://notchatgpt.com",
        ),
        (
            "T5",
            "C5",
            "https://chatgpt.com.evil.org",
            "https://chatgpt.com.evil.org",
        ),
    ];

    fn tree(root: &Path) {
        write(&root.join("salt"), [7u8; 8]);
        for (t, c, top, client) in DIRS {
            let dir = root.join(t).join(c);
            write(&dir.join("origin"), origin_file(top, client));
            write(
                &dir.join("LocalStorage/localstorage.sqlite3"),
                vec![1u8; 50],
            );
        }
    }

    #[test]
    fn origin_files_round_trip() {
        let b = origin_file("https://chatgpt.com", "http://a.test:8080");
        assert_eq!(
            parse_origin_file(&b).unwrap(),
            ("https://chatgpt.com".into(), "http://a.test:8080".into())
        );
        let u = origin_file("https://caf\u{e9}\u{2603}.test", "https://x.test");
        assert_eq!(
            parse_origin_file(&u).unwrap().0,
            "https://caf\u{e9}\u{2603}.test"
        );
        for cut in 0..b.len() {
            assert!(parse_origin_file(&b[..cut]).is_err(), "{cut}");
        }
        let mut extra = b.clone();
        extra.push(0);
        assert!(parse_origin_file(&extra).is_err());
    }

    #[test]
    fn top_directories_of_targets_and_target_clients_elsewhere() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("Default");
        tree(&root);
        let found = scan(&root, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| {
                let ItemKey::Trees(d) = &i.key else { panic!() };
                (
                    i.url.as_deref().unwrap(),
                    i.partition.as_deref(),
                    d[0].strip_prefix(&root).unwrap().to_path_buf(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("https://chatgpt.com", None, "T1".into()),
                (
                    "https://auth.openai.com:8443",
                    Some("https://other.test"),
                    Path::new("T2/C2").to_path_buf()
                ),
            ]
        );
        assert!(found.unreadable.is_empty());
    }

    #[test]
    fn damaged_origin_files_are_named_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("Default");
        tree(&root);
        let bad = root.join("T2/C2/origin");
        let good = std::fs::read(&bad).unwrap();
        std::fs::write(&bad, &good[..good.len() - 1]).unwrap();
        // Clients disagreeing on their top origin: the whole top directory is left.
        write(
            &root.join("T1/C9/origin"),
            origin_file("https://other.test", "https://x.test"),
        );
        let found = scan(&root, &Targets::default(), &ScanOptions::default()).unwrap();
        assert!(found.items.is_empty(), "{:?}", found.items);
        let files: Vec<_> = found.unreadable.iter().map(|u| u.file.clone()).collect();
        assert_eq!(files, [root.join("T1"), bad]);
        assert!(found.unreadable[1].reason.contains("truncated"));
    }
}
