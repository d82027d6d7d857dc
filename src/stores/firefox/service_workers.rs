//! Firefox's service-worker registrations, `serviceworker.txt`: every origin's in one text
//! file, version line `12`, then one record per registration, one value per line (see
//! `ServiceWorkerRegistrar.cpp` `WriteData`): origin-attributes suffix, scope, current
//! worker URL, handles-fetch (`true`/`false`), cache name, updateViaCache (hex), installed,
//! activated and last-update times, navigation-preload enabled (`0`/`1`) and header,
//! expando count (hex) and that many key/value line pairs, attempted activations,
//! is-broken, cache API id, type, and a `#` terminator line. Records are variable length,
//! so they are parsed by structure. A target's record is cut out whole; every other byte
//! of the file stays as Firefox wrote it, and a file that does not parse is refused.

use std::path::Path;

use anyhow::Context;

use super::origin_attributes::top_level_site_of_origin_attributes;
use crate::stores::{
    fingerprint, Category, Found, Item, ItemKey, Removal, RewriteFormat, ScanOptions, Shape,
    StoreKind,
};
use crate::targets::{url_host, Targets};

/// A Firefox profile's `serviceworker.txt`.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_service_workers",
    label: "service_worker",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

/// The only record format read (and so edited).
const VERSION: &str = "12";

/// A real file is a few kilobytes per registration.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// Expandos are a handful of key/value pairs in practice.
const MAX_EXPANDOS: usize = 4096;

/// One registration: its byte span in the file, the suffix and the scope.
#[derive(Debug, PartialEq, Eq)]
pub struct Record<'a> {
    pub span: (usize, usize),
    pub suffix: &'a str,
    pub scope: &'a str,
}

/// The file as read: the header's span and each record.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub header: (usize, usize),
    pub records: Vec<Record<'a>>,
}

/// Lines with the offset of each line's start and the offset after its `\n`.
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn next(&mut self, what: &str) -> anyhow::Result<&'a str> {
        self.line += 1;
        let rest = &self.text[self.at..];
        let Some(end) = rest.find('\n') else {
            anyhow::bail!(
                "line {}: the file ends where {what} was expected (a record without its `#` line)",
                self.line
            );
        };
        self.at += end + 1;
        let line = &rest[..end];
        Ok(line.strip_suffix('\r').unwrap_or(line))
    }

    fn expect(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> anyhow::Result<&'a str> {
        let line = self.next(what)?;
        anyhow::ensure!(
            ok(line),
            "line {}: expected {what}, found {:?}",
            self.line,
            line.chars().take(60).collect::<String>()
        );
        Ok(line)
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_decimal(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a v12 `serviceworker.txt`; any deviation from the record structure is an error
/// saying which line.
/// How many fields may stand between the expandos and a record's `#` terminator.
const MAX_TRAILING: usize = 8;

pub fn parse(bytes: &[u8]) -> anyhow::Result<Parsed<'_>> {
    let text = std::str::from_utf8(bytes).context("not UTF-8 text")?;
    let mut lines = Lines {
        text,
        at: 0,
        line: 0,
    };
    let version = lines.next("the version line")?;
    anyhow::ensure!(
        version == VERSION,
        "version {:?} is not the v{VERSION} record format loginfix reads",
        version.chars().take(20).collect::<String>()
    );
    let header = (0, lines.at);
    let mut records = Vec::new();
    while lines.at < text.len() {
        let start = lines.at;
        let suffix = lines.expect("an origin-attributes suffix", |l| {
            l.is_empty() || l.starts_with('^')
        })?;
        let scope = lines.expect("a scope URL", |l| l.contains("://"))?;
        lines.expect("the current worker URL", |l| l.contains("://"))?;
        lines.expect("`true` or `false` (handles fetch)", |l| {
            l == "true" || l == "false"
        })?;
        lines.next("the cache name")?;
        lines.expect("updateViaCache (hex)", is_hex)?;
        for what in [
            "the installed time",
            "the activated time",
            "the last update time",
        ] {
            lines.expect(what, is_decimal)?;
        }
        lines.expect("`0` or `1` (navigation preload)", |l| l == "0" || l == "1")?;
        lines.next("the navigation-preload header")?;
        let count = lines.expect("the expando count (hex)", is_hex)?;
        let count = usize::from_str_radix(count, 16)
            .ok()
            .filter(|&n| n <= MAX_EXPANDOS)
            .with_context(|| format!("line {}: absurd expando count", lines.line))?;
        for _ in 0..count * 2 {
            lines.next("an expando line")?;
        }
        // Then a few scalar fields (attempted activations, is-broken, cache API id,
        // worker type; ESR 153 writes is-broken as `0`/`1`, other versions differ) up to
        // the `#` terminator: only their count is checked, nothing here needs their values.
        let mut trailing = 0;
        loop {
            let line = lines.next("the `#` record terminator")?;
            if line == "#" {
                break;
            }
            trailing += 1;
            anyhow::ensure!(
                trailing <= MAX_TRAILING,
                "line {}: no `#` record terminator after {MAX_TRAILING} fields",
                lines.line
            );
        }
        records.push(Record {
            span: (start, lines.at),
            suffix,
            scope,
        });
    }
    Ok(Parsed { header, records })
}

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let bytes = opts.fs.read_bounded(file, MAX_FILE).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &file.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_FILE,
        "{}",
        crate::i18n::ta(
            "err-larger-than-bytes-read",
            &[
                ("file", &file.display().to_string()),
                ("n", &MAX_FILE.to_string())
            ]
        )
    );
    let (len, hash) = fingerprint(&bytes);
    let removal = Removal::RewriteFile {
        format: RewriteFormat::FirefoxServiceWorkers,
        len,
        hash,
    };
    if bytes.is_empty() {
        return Ok(Found::new(Vec::new(), removal));
    }
    let parsed = parse(&bytes).with_context(|| {
        crate::i18n::ta(
            "err-firefox-service-worker-registration-file",
            &[("file", &file.display().to_string())],
        )
    })?;
    let items = parsed
        .records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let partition = top_level_site_of_origin_attributes(r.suffix);
            targets
                .matches_storage(r.scope, partition.as_deref())
                .then(|| Item {
                    host: url_host(r.scope)
                        .map(|h| h.split(['/', ':']).next().unwrap_or(h).to_string())
                        .unwrap_or_default(),
                    name: None,
                    path: None,
                    url: Some(r.scope.to_string()),
                    partition,
                    size: Some((r.span.1 - r.span.0) as u64),
                    key: ItemKey::Element(i),
                })
        })
        .collect();
    Ok(Found::new(items, removal))
}

/// The file `bytes` without the records numbered in `remove`: the header and every other
/// record byte for byte. Errors, changing nothing, if the file does not parse.
pub fn rewrite(bytes: &[u8], remove: &[usize]) -> anyhow::Result<Vec<u8>> {
    let parsed = parse(bytes)?;
    let mut out = bytes[parsed.header.0..parsed.header.1].to_vec();
    for (i, r) in parsed.records.iter().enumerate() {
        if !remove.contains(&i) {
            out.extend_from_slice(&bytes[r.span.0..r.span.1]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::testing::firefox::service_worker_record as record;

    const PK_CHATGPT: &str = "^partitionKey=%28https%2Cchatgpt.com%29";
    const PK_EXAMPLE: &str = "^partitionKey=%28https%2Cexample.org%29";

    /// (suffix, scope, goes).
    pub(crate) const RECORDS: [(&str, &str, bool); 8] = [
        ("", "https://chatgpt.com/", true),
        ("^userContextId=2", "https://auth.openai.com/app/", true),
        (PK_CHATGPT, "https://other.test/", true),
        (PK_EXAMPLE, "https://chatgpt.com/", true),
        (PK_EXAMPLE, "https://cdn.oaistatic.com/", false),
        ("", "https://notchatgpt.com/", false),
        ("", "https://chatgpt.com.evil.org/", false),
        ("", "https://other.test/", false),
    ];

    pub(crate) fn sample() -> String {
        let mut s = "12\n".to_string();
        for (i, (suffix, scope, _)) in RECORDS.iter().enumerate() {
            let expandos: &[(&str, &str)] = if i % 2 == 0 { &[("k", "#")] } else { &[] };
            s.push_str(&record(suffix, scope, expandos));
        }
        s
    }

    #[test]
    fn finds_target_registrations_by_scope_and_partition() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("serviceworker.txt");
        std::fs::write(&file, sample()).unwrap();
        let found = scan(&file, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.host.as_str(), i.partition.as_deref(), i.key.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("chatgpt.com", None, ItemKey::Element(0)),
                ("auth.openai.com", None, ItemKey::Element(1)),
                (
                    "other.test",
                    Some("https://chatgpt.com"),
                    ItemKey::Element(2)
                ),
                (
                    "chatgpt.com",
                    Some("https://example.org"),
                    ItemKey::Element(3)
                ),
            ]
        );
        let out = rewrite(sample().as_bytes(), &[0, 1, 2, 3]).unwrap();
        let mut want = "12\n".to_string();
        for (i, (suffix, scope, goes)) in RECORDS.iter().enumerate() {
            if !goes {
                let expandos: &[(&str, &str)] = if i % 2 == 0 { &[("k", "#")] } else { &[] };
                want.push_str(&record(suffix, scope, expandos));
            }
        }
        assert_eq!(String::from_utf8(out).unwrap(), want);
        assert_eq!(
            rewrite(sample().as_bytes(), &[]).unwrap(),
            sample().as_bytes()
        );
    }

    #[test]
    fn damaged_files_are_refused_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("serviceworker.txt");
        let good = sample();
        let truncated = &good[..good.len() - 3];
        let bad_bool = good.replacen("\ntrue\n", "\nyes\n", 1);
        for bad in [
            "11\n".to_string(),
            "12".to_string(),
            truncated.to_string(),
            bad_bool,
            format!("12\n{}", record("", "https://a.test/", &[])).replace("\n#\n", "\n$\n"),
            format!("12\nzzz\n{}", record("", "https://a.test/", &[])),
            format!("12\n{}", record("", "https://a.test/", &[("k", "v")])).replacen(
                "\n1\n",
                "\nffffff\n",
                1,
            ),
        ] {
            std::fs::write(&file, &bad).unwrap();
            let err = scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err();
            let text = format!("{err:#}");
            assert!(text.contains("serviceworker.txt"), "{text}");
            assert!(rewrite(bad.as_bytes(), &[0]).is_err(), "{bad:?}");
        }
        std::fs::write(&file, b"\xff\xfe12\n").unwrap();
        assert!(scan(&file, &Targets::default(), &ScanOptions::default()).is_err());
        // A file with no registrations is fine.
        std::fs::write(&file, "12\n").unwrap();
        assert!(scan(&file, &Targets::default(), &ScanOptions::default())
            .unwrap()
            .items
            .is_empty());
    }

    fn arb_record() -> impl Strategy<Value = String> {
        let suffix = prop::sample::select(vec!["", "^userContextId=1", PK_CHATGPT, PK_EXAMPLE]);
        let host = prop::sample::select(vec![
            "chatgpt.com",
            "auth.openai.com",
            "notchatgpt.com",
            "example.org",
            "cdn.oaistatic.com",
        ]);
        let expandos = prop::collection::vec(("[a-z#]{0,4}", "[ -~]{0,12}"), 0..3);
        (suffix, host, expandos).prop_map(|(suffix, host, expandos)| {
            let e: Vec<(&str, &str)> = expandos
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            record(suffix, &format!("https://{host}/"), &e)
        })
    }

    proptest! {
        /// Whatever is removed, the kept records come out byte for byte, in order, after
        /// the header; the result parses again.
        #[test]
        fn kept_records_are_byte_identical(
            records in prop::collection::vec(arb_record(), 0..8),
            remove in prop::collection::vec(0usize..8, 0..8),
        ) {
            let file = format!("12\n{}", records.concat());
            let out = rewrite(file.as_bytes(), &remove).unwrap();
            let want: String = std::iter::once("12\n".to_string())
                .chain(records.iter().enumerate().filter(|(i, _)| !remove.contains(i)).map(|(_, r)| r.clone()))
                .collect();
            prop_assert_eq!(&out, want.as_bytes());
            let parsed = parse(&out).unwrap();
            prop_assert_eq!(parsed.records.len(), records.len() - (0..records.len()).filter(|i| remove.contains(i)).count());
        }
    }
}
