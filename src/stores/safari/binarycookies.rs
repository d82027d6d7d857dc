//! Safari's `Cookies.binarycookies`: `cook`, a big-endian page count and page sizes, the
//! pages, a big-endian checksum (the sum of every fourth byte of every page), the footer
//! `07 17 20 05 00 00 00 4b`, and a trailing binary plist. A page is `00 00 01 00`, a
//! little-endian cookie count and record offsets (from the page start), four zero bytes,
//! then the records: little-endian size, version, flags, has-port, offsets of domain,
//! name, path, value, comment, comment URL (from the record start), expiry and creation
//! as f64 Mac absolute time, then NUL-terminated strings. Layout checked against yt-dlp,
//! libyal's documentation and CookiesTool (../shared/reference/store-formats.md, section
//! 5) and the PyPI `binarycookies` writer.
//!
//! Removing cookies rewrites only what must change: pages that lose no cookie are copied
//! byte for byte, kept records always are; page sizes and the checksum are recomputed
//! and the trailing plist is kept as it was.

use std::path::Path;

use anyhow::Context;

use crate::stores::{
    fingerprint, Category, Found, Item, ItemKey, Removal, RewriteFormat, ScanOptions, Shape,
    StoreKind,
};

pub static KIND: StoreKind = StoreKind {
    id: "safari_cookies",
    label: "cookies",
    category: Category::Cookies,
    shape: Shape::File,
    read: scan,
};
use crate::targets::Targets;

pub(crate) const MAGIC: &[u8; 4] = b"cook";
pub(crate) const PAGE_MAGIC: [u8; 4] = [0, 0, 1, 0];
pub(crate) const FOOTER: [u8; 8] = [0x07, 0x17, 0x20, 0x05, 0x00, 0x00, 0x00, 0x4b];
pub(crate) const RECORD_HEADER: usize = 56;
/// Cookie files are kilobytes; refuse absurd ones rather than read them into memory.
const MAX_FILE: u64 = 64 * 1024 * 1024;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum BinaryCookiesError {
    #[error("not a binarycookies file (no `cook` magic)")]
    Magic,
    #[error("truncated: {0}")]
    Truncated(String),
    #[error("inconsistent: {0}")]
    Inconsistent(String),
    #[error("the checksum does not match its pages (stored {stored:#x}, computed {computed:#x})")]
    Checksum { stored: u32, computed: u32 },
}

use BinaryCookiesError::{Inconsistent, Truncated};

/// One cookie record: where it is in the file and what it names. No value is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub start: usize,
    pub end: usize,
    pub domain: String,
    pub name: String,
    pub path: String,
}

#[derive(Clone, Debug)]
struct Page {
    start: usize,
    end: usize,
    records: Vec<Record>,
}

/// A parsed file: pages in order, and where the checksum starts.
#[derive(Clone, Debug)]
pub struct Parsed {
    pages: Vec<Page>,
    tail: usize,
}

impl Parsed {
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.pages.iter().flat_map(|p| p.records.iter())
    }
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The checksum Safari writes: the sum of the bytes at offsets 0, 4, 8, ... of each page.
pub(crate) fn checksum<'a>(pages: impl IntoIterator<Item = &'a [u8]>) -> u32 {
    pages.into_iter().fold(0u32, |sum, page| {
        page.iter()
            .step_by(4)
            .fold(sum, |s, &b| s.wrapping_add(u32::from(b)))
    })
}

/// Parses and checks the whole file; any inconsistency is an error, so a file this
/// module does not fully understand is never rewritten.
pub fn parse(b: &[u8]) -> Result<Parsed, BinaryCookiesError> {
    if b.len() < 4 || &b[..4] != MAGIC {
        return Err(BinaryCookiesError::Magic);
    }
    if b.len() < 8 {
        return Err(Truncated("no page count".into()));
    }
    let count = be32(b, 4) as usize;
    let table_end = 8usize
        .checked_add(
            count
                .checked_mul(4)
                .ok_or_else(|| Inconsistent("page count".into()))?,
        )
        .ok_or_else(|| Inconsistent("page count".into()))?;
    if table_end > b.len() {
        return Err(Truncated(format!(
            "{count} page sizes do not fit in {} bytes",
            b.len()
        )));
    }
    let mut pages = Vec::with_capacity(count);
    let mut at = table_end;
    for i in 0..count {
        let size = be32(b, 8 + 4 * i) as usize;
        let end = at
            .checked_add(size)
            .filter(|&e| e <= b.len())
            .ok_or_else(|| Truncated(format!("page {i} ({size} bytes) runs past the end")))?;
        pages.push(parse_page(b, at, end, i)?);
        at = end;
    }
    if at + 12 > b.len() {
        return Err(Truncated("no checksum and footer after the pages".into()));
    }
    if b[at + 4..at + 12] != FOOTER {
        return Err(Inconsistent("unknown footer after the pages".into()));
    }
    let stored = be32(b, at);
    let computed = checksum(pages.iter().map(|p| &b[p.start..p.end]));
    if stored != computed {
        return Err(BinaryCookiesError::Checksum { stored, computed });
    }
    Ok(Parsed { pages, tail: at })
}

fn parse_page(b: &[u8], start: usize, end: usize, n: usize) -> Result<Page, BinaryCookiesError> {
    let page = &b[start..end];
    if page.len() < 12 || page[..4] != PAGE_MAGIC {
        return Err(Inconsistent(format!(
            "page {n} does not start with 00 00 01 00"
        )));
    }
    let count = le32(page, 4) as usize;
    let offsets_end = count
        .checked_mul(4)
        .and_then(|x| x.checked_add(8 + 4))
        .filter(|&e| e <= page.len())
        .ok_or_else(|| Truncated(format!("page {n}: {count} record offsets do not fit")))?;
    let mut records = Vec::with_capacity(count);
    for i in 0..count {
        let off = le32(page, 8 + 4 * i) as usize;
        if off < offsets_end || off + RECORD_HEADER > page.len() {
            return Err(Inconsistent(format!(
                "page {n}: record {i} at offset {off} is outside the page"
            )));
        }
        let size = le32(page, off) as usize;
        if size < RECORD_HEADER || off + size > page.len() {
            return Err(Inconsistent(format!(
                "page {n}: record {i} has an impossible size {size}"
            )));
        }
        let rec = &page[off..off + size];
        let string = |field: usize, what: &str| -> Result<String, BinaryCookiesError> {
            let at = le32(rec, field) as usize;
            if at < RECORD_HEADER || at >= rec.len() {
                return Err(Inconsistent(format!(
                    "page {n}: record {i}: {what} offset {at} is outside the record"
                )));
            }
            let len = rec[at..].iter().position(|&c| c == 0).ok_or_else(|| {
                Inconsistent(format!(
                    "page {n}: record {i}: {what} is not NUL-terminated"
                ))
            })?;
            Ok(String::from_utf8_lossy(&rec[at..at + len]).into_owned())
        };
        records.push(Record {
            start: start + off,
            end: start + off + size,
            domain: string(16, "domain")?,
            name: string(20, "name")?,
            path: string(24, "path")?,
        });
        // The value is checked for bounds like the others, but never read into memory.
        string(28, "value").map(|_| ())?;
    }
    Ok(Page {
        start,
        end,
        records,
    })
}

/// The file without the records numbered in `remove` (in reading order).
pub fn rewrite(b: &[u8], remove: &[usize]) -> Result<Vec<u8>, BinaryCookiesError> {
    let parsed = parse(b)?;
    let mut index = 0;
    let mut pages: Vec<std::borrow::Cow<'_, [u8]>> = Vec::new();
    for page in &parsed.pages {
        let kept: Vec<&Record> = page
            .records
            .iter()
            .filter(|_| {
                let gone = remove.contains(&index);
                index += 1;
                !gone
            })
            .collect();
        if kept.len() == page.records.len() {
            pages.push(std::borrow::Cow::Borrowed(&b[page.start..page.end]));
            continue;
        }
        if kept.is_empty() {
            continue;
        }
        let header = 8 + 4 * kept.len() + 4;
        let mut out =
            Vec::with_capacity(header + kept.iter().map(|r| r.end - r.start).sum::<usize>());
        out.extend_from_slice(&PAGE_MAGIC);
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        let mut off = header;
        for r in &kept {
            out.extend_from_slice(&(off as u32).to_le_bytes());
            off += r.end - r.start;
        }
        out.extend_from_slice(&[0, 0, 0, 0]);
        for r in &kept {
            out.extend_from_slice(&b[r.start..r.end]);
        }
        pages.push(std::borrow::Cow::Owned(out));
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(pages.len() as u32).to_be_bytes());
    for p in &pages {
        out.extend_from_slice(&(p.len() as u32).to_be_bytes());
    }
    for p in &pages {
        out.extend_from_slice(p);
    }
    out.extend_from_slice(&checksum(pages.iter().map(|p| p.as_ref())).to_be_bytes());
    out.extend_from_slice(&b[parsed.tail + 4..]);
    Ok(out)
}

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let bytes = opts.fs.read_bounded(file, MAX_FILE).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &file.display().to_string())],
        )
    })?;
    let parsed = parse(&bytes).with_context(|| {
        crate::i18n::ta(
            "err-left-untouched-binarycookies-file-this",
            &[("file", &file.display().to_string())],
        )
    })?;
    let items = parsed
        .records()
        .enumerate()
        .filter(|(_, r)| targets.matches_host(&r.domain))
        .map(|(i, r)| Item {
            host: r.domain.clone(),
            name: Some(r.name.clone()),
            path: Some(r.path.clone()),
            url: None,
            partition: None,
            size: None,
            key: ItemKey::Element(i),
        })
        .collect();
    let (len, hash) = fingerprint(&bytes);
    Ok(Found::new(
        items,
        Removal::RewriteFile {
            format: RewriteFormat::BinaryCookies,
            len,
            hash,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::binarycookies::encode;

    const PLIST: &[u8] = b"bplist00\xd1\x01\x02_\x10\x18NSHTTPCookieAcceptPolicy\x10\x02\x08\x0b&\x00\x00\x00\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00(";

    fn sample() -> Vec<u8> {
        encode(
            &[
                (".chatgpt.com", "a", "/", "lfxsecret_a"),
                ("example.org", "keep", "/", "lfxsecret_k"),
                (".chatgpt.com", "b", "/", "lfxsecret_b"),
                ("auth.openai.com", "c", "/x", "lfxsecret_c"),
                ("notchatgpt.com", "keep2", "/", "lfxsecret_n"),
            ],
            PLIST,
        )
    }

    fn names(b: &[u8]) -> Vec<String> {
        parse(b)
            .unwrap()
            .records()
            .map(|r| format!("{} {}", r.domain, r.name))
            .collect()
    }

    #[test]
    fn round_trip_without_deletions_is_byte_identical() {
        let b = sample();
        assert_eq!(rewrite(&b, &[]).unwrap(), b);
        assert_eq!(
            names(&b),
            [
                ".chatgpt.com a",
                ".chatgpt.com b",
                "example.org keep",
                "auth.openai.com c",
                "notchatgpt.com keep2"
            ]
        );
    }

    #[test]
    fn removing_records_keeps_the_rest_byte_identical() {
        let b = sample();
        let parsed = parse(&b).unwrap();
        let keep_bytes: Vec<Vec<u8>> = parsed
            .records()
            .filter(|r| r.name.starts_with("keep"))
            .map(|r| b[r.start..r.end].to_vec())
            .collect();
        // Remove `.chatgpt.com b` only: its page is rebuilt, the others copied.
        let one = rewrite(&b, &[1]).unwrap();
        assert_eq!(
            names(&one),
            [
                ".chatgpt.com a",
                "example.org keep",
                "auth.openai.com c",
                "notchatgpt.com keep2"
            ]
        );
        // Remove every target: their pages disappear.
        let out = rewrite(&b, &[0, 1, 3]).unwrap();
        assert_eq!(names(&out), ["example.org keep", "notchatgpt.com keep2"]);
        let after = parse(&out).unwrap();
        let got: Vec<Vec<u8>> = after
            .records()
            .map(|r| out[r.start..r.end].to_vec())
            .collect();
        assert_eq!(got, keep_bytes);
        assert!(out.ends_with(PLIST));
        // What a fresh encoder writes for the survivors is what the rewrite produced.
        assert_eq!(
            out,
            encode(
                &[
                    ("example.org", "keep", "/", "lfxsecret_k"),
                    ("notchatgpt.com", "keep2", "/", "lfxsecret_n")
                ],
                PLIST
            )
        );
    }

    #[test]
    fn damaged_files_are_refused() {
        let b = sample();
        assert_eq!(parse(b"nope").unwrap_err(), BinaryCookiesError::Magic);
        assert!(matches!(parse(b"cook").unwrap_err(), Truncated(_)));
        for cut in [8, 12, 30, b.len() - PLIST.len() - 5] {
            assert!(parse(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut big = b.clone();
        big[4..8].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(parse(&big).is_err());
        let mut bad_off = b.clone();
        // First record offset of the first page (file: 8 + 4 * pages, page: +8).
        let first_page = 8 + 4 * parse(&b).unwrap().pages.len();
        bad_off[first_page + 8..first_page + 12].copy_from_slice(&0xffffu32.to_le_bytes());
        assert!(parse(&bad_off).is_err());
        let mut bad_sum = b.clone();
        let tail = parse(&b).unwrap().tail;
        bad_sum[tail + 3] ^= 1;
        assert!(matches!(
            parse(&bad_sum).unwrap_err(),
            BinaryCookiesError::Checksum { .. }
        ));
        let mut bad_footer = b.clone();
        bad_footer[tail + 5] ^= 1;
        assert!(parse(&bad_footer).is_err());
        assert!(rewrite(&bad_sum, &[0]).is_err());
    }
}
