//! Reading Chromium's shared bytewise LevelDBs (`Local Storage/leveldb`, `Session
//! Storage`, `Service Worker/Database`, `File System/Origins`), read-only: the checks made
//! before a database is read or rewritten (the MANIFEST's comparator is
//! `leveldb.BytewiseComparator`, every table it names is there, no log record is cut
//! short) and the live keys, read with `rusty-leveldb` from a private copy (that crate
//! works in place and may compact or write its `LOG`, so the browser's own directory is
//! never opened by it). Damage is an error naming the file; nothing is guessed.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use cap_std::fs::Dir;

use crate::confine::{self, Confined};

/// The only comparator whose databases are read or rewritten (IndexedDB's `idb_cmp1` is
/// never edited).
pub const BYTEWISE: &str = "leveldb.BytewiseComparator";

/// The size of a log block (`.log` and `MANIFEST-*` share the format).
const BLOCK: usize = 32 * 1024;
const HEADER: usize = 7;

/// A database's live keys and values, in key order.
pub type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

/// The records of a log-format file: fragments joined, every length checked against the
/// block and the file. A record cut short (a truncated file) is an error saying where.
pub fn log_records(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    let mut pending: Option<Vec<u8>> = None;
    let mut at = 0usize;
    while at < bytes.len() {
        let left_in_block = BLOCK - at % BLOCK;
        if left_in_block < HEADER {
            at += left_in_block;
            continue;
        }
        if bytes.len() - at < HEADER {
            if bytes[at..].iter().all(|&b| b == 0) {
                break;
            }
            return Err(format!("record header cut short at byte {at}"));
        }
        let len = usize::from(u16::from_le_bytes([bytes[at + 4], bytes[at + 5]]));
        let kind = bytes[at + 6];
        if kind == 0 && len == 0 {
            // Zero padding (preallocated space) ends the block.
            at += left_in_block;
            continue;
        }
        let start = at + HEADER;
        let end = start + len;
        if end > bytes.len() {
            return Err(format!(
                "record at byte {at} wants {len} bytes, the file ends after {}",
                bytes.len() - start
            ));
        }
        if len > left_in_block - HEADER {
            return Err(format!("record at byte {at} runs past its block"));
        }
        let data = &bytes[start..end];
        match kind {
            1 => out.push(data.to_vec()),
            2 => pending = Some(data.to_vec()),
            3 => match &mut pending {
                Some(p) => p.extend_from_slice(data),
                None => return Err(format!("middle fragment without a first at byte {at}")),
            },
            4 => match pending.take() {
                Some(mut p) => {
                    p.extend_from_slice(data);
                    out.push(p);
                }
                None => return Err(format!("last fragment without a first at byte {at}")),
            },
            k => return Err(format!("unknown record type {k} at byte {at}")),
        }
        at = end;
    }
    if pending.is_some() {
        return Err("the last record is cut short".to_string());
    }
    Ok(out)
}

fn varint(b: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    for i in 0..10 {
        let byte = *b.get(*at).ok_or("truncated varint")?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("varint longer than ten bytes".to_string())
}

fn slice<'a>(b: &'a [u8], at: &mut usize) -> Result<&'a [u8], String> {
    let len = usize::try_from(varint(b, at)?).map_err(|_| "absurd length")?;
    let end = at
        .checked_add(len)
        .filter(|&e| e <= b.len())
        .ok_or("truncated string")?;
    let s = &b[*at..end];
    *at = end;
    Ok(s)
}

/// What a MANIFEST says: the comparator named (if any) and the table files live at its
/// end, by number.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub comparator: Option<String>,
    pub tables: Vec<u64>,
}

/// Parses a MANIFEST's VersionEdit records (tag 1 comparator, 6 deleted file, 7 new file;
/// the rest stepped over).
pub fn parse_manifest(bytes: &[u8]) -> Result<Manifest, String> {
    let mut m = Manifest::default();
    let mut live = std::collections::BTreeSet::new();
    for rec in log_records(bytes)? {
        let mut at = 0;
        while at < rec.len() {
            match varint(&rec, &mut at)? {
                1 => {
                    let name = slice(&rec, &mut at)?;
                    m.comparator = Some(String::from_utf8_lossy(name).into_owned());
                }
                2 | 3 | 4 | 9 => {
                    varint(&rec, &mut at)?;
                }
                5 => {
                    varint(&rec, &mut at)?;
                    slice(&rec, &mut at)?;
                }
                6 => {
                    varint(&rec, &mut at)?;
                    live.remove(&varint(&rec, &mut at)?);
                }
                7 => {
                    varint(&rec, &mut at)?;
                    let n = varint(&rec, &mut at)?;
                    varint(&rec, &mut at)?;
                    slice(&rec, &mut at)?;
                    slice(&rec, &mut at)?;
                    live.insert(n);
                }
                tag => return Err(format!("unknown VersionEdit tag {tag}")),
            }
        }
    }
    m.tables = live.into_iter().collect();
    Ok(m)
}

/// The most of a MANIFEST or `.log` file that is read: Chromium rolls its logs over at
/// 4 MiB; a larger file is damage or a trap, and is refused.
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// Reads the regular file `name` in `dir`, shown as `shown` in errors.
fn read_in(dir: &Dir, name: &str, shown: &Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = confine::open_in(dir, std::ffi::OsStr::new(name)).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &shown.display().to_string())],
        )
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &shown.display().to_string())],
            )
        })?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_FILE,
        "{}",
        crate::i18n::ta(
            "err-larger-than-bytes-database-left",
            &[
                ("file", &shown.display().to_string()),
                ("n", &MAX_FILE.to_string())
            ]
        )
    );
    Ok(bytes)
}

/// Checks a database directory (opened as `dir`, shown as `db`) before it is read:
/// `CURRENT` names a MANIFEST that parses, names the bytewise comparator, and whose
/// tables all exist; every `.log` reads to its end. Each failure names the file.
pub fn check_in(dir: &Dir, db: &Path) -> anyhow::Result<()> {
    let current = db.join("CURRENT");
    let name = read_in(dir, "CURRENT", &current)?;
    let name = String::from_utf8_lossy(&name);
    let name = name.trim_end_matches('\n');
    if !name.starts_with("MANIFEST-") || !crate::fsutil::is_plain_component(name) {
        bail!(
            "{}",
            crate::i18n::ta(
                "err-does-name-manifest-leveldb-left",
                &[("file", &current.display().to_string())]
            )
        );
    }
    let manifest_path = db.join(name);
    let bytes = read_in(dir, name, &manifest_path)?;
    let manifest = parse_manifest(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::ta(
                "err-damaged-database-left-alone",
                &[
                    ("file", &manifest_path.display().to_string()),
                    ("detail", &e.to_string())
                ]
            )
        )
    })?;
    match manifest.comparator.as_deref() {
        Some(BYTEWISE) => {}
        other => bail!(
            "{}",
            crate::i18n::ta(
                "err-names-comparator-database-left-alone",
                &[
                    ("file", &manifest_path.display().to_string()),
                    ("name", other.unwrap_or("(none)")),
                    ("want", BYTEWISE)
                ]
            )
        ),
    }
    let is_file = |n: &str| dir.symlink_metadata(n).is_ok_and(|m| m.is_file());
    for n in &manifest.tables {
        let (ldb, sst) = (format!("{n:06}.ldb"), format!("{n:06}.sst"));
        if !is_file(&ldb) && !is_file(&sst) {
            bail!(
                "{}",
                crate::i18n::ta(
                    "err-names-table-which-missing-database",
                    &[
                        ("file", &manifest_path.display().to_string()),
                        ("name", &db.join(ldb).display().to_string())
                    ]
                )
            );
        }
    }
    let listed = confine::list_dir(dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &db.display().to_string())])
    })?;
    let mut logs: Vec<&std::ffi::OsStr> = listed
        .iter()
        .filter(|e| e.is_file && e.name.to_string_lossy().ends_with(".log"))
        .map(|e| e.name.as_os_str())
        .collect();
    logs.sort();
    for log in logs {
        let shown = db.join(log);
        let bytes = read_in(dir, &log.to_string_lossy(), &shown)?;
        if let Err(e) = log_records(&bytes) {
            bail!(
                "{}",
                crate::i18n::ta(
                    "err-damaged-database-left-alone",
                    &[
                        ("file", &shown.display().to_string()),
                        ("detail", &e.to_string())
                    ]
                )
            );
        }
    }
    Ok(())
}

/// Copies the regular files of the database directory `dir` (shown as `db`) into a new
/// private scratch directory (0700, files 0600, removed on every exit path; symlinks and
/// subdirectories refused). The copy holds another user's site data, so it is not put
/// in the shared temp directory.
pub fn private_copy_in(dir: &Dir, db: &Path) -> anyhow::Result<crate::scratch::ScratchDir> {
    let tmp = crate::scratch::ScratchDir::new()
        .context(crate::i18n::t("err-could-create-private-directory"))?;
    let listed = confine::list_dir(dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &db.display().to_string())])
    })?;
    for entry in listed {
        let shown = db.join(&entry.name);
        if entry.name == "LOCK" {
            continue;
        }
        if !entry.is_file {
            bail!(
                "{}",
                crate::i18n::ta(
                    "err-regular-file-database-left-alone",
                    &[("file", &shown.display().to_string())]
                )
            );
        }
        let Some(plain) = entry
            .name
            .to_str()
            .filter(|n| crate::fsutil::is_plain_component(n))
        else {
            bail!(
                "{}",
                crate::i18n::ta(
                    "err-leveldb-file-name-database-left",
                    &[("file", &shown.display().to_string())]
                )
            );
        };
        let from = confine::open_in(dir, &entry.name).with_context(|| {
            crate::i18n::ta("err-could-copy", &[("file", &shown.display().to_string())])
        })?;
        tmp.copy_from(from, plain).with_context(|| {
            crate::i18n::ta("err-could-copy", &[("file", &shown.display().to_string())])
        })?;
    }
    Ok(tmp)
}

/// The live keys and values of the database `db`, reached through `fs` (see
/// [`read_all_in`]). A directory without `CURRENT` (no database yet) has none.
pub fn read_all(fs: &Confined, db: &Path) -> anyhow::Result<Pairs> {
    if fs.metadata(&db.join("CURRENT")).is_err() {
        return Ok(Vec::new());
    }
    let dir = fs.dir(db)?;
    read_all_in(&dir, db)
}

/// The live keys and values of the database directory `dir` (shown as `db`): checked
/// ([`check_in`]), then read from a private copy. Without `CURRENT` it has none.
pub fn read_all_in(dir: &Dir, db: &Path) -> anyhow::Result<Pairs> {
    if dir.symlink_metadata("CURRENT").is_err() {
        return Ok(Vec::new());
    }
    check_in(dir, db)?;
    let copy = private_copy_in(dir, db)?;
    let mut opts = rusty_leveldb::Options {
        create_if_missing: false,
        ..Default::default()
    };
    opts.reuse_logs = true;
    let mut ldb = rusty_leveldb::DB::open(copy.path(), opts).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::ta(
                "err-could-read-leveldb",
                &[
                    ("file", &db.display().to_string()),
                    ("detail", &e.to_string())
                ]
            )
        )
    })?;
    let mut it = ldb.new_iter().map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::ta(
                "err-could-read-leveldb",
                &[
                    ("file", &db.display().to_string()),
                    ("detail", &e.to_string())
                ]
            )
        )
    })?;
    let mut out = Vec::new();
    use rusty_leveldb::LdbIterator;
    while let Some((k, v)) = it.next() {
        out.push((k, v));
    }
    Ok(out)
}

/// The keys of `pairs` starting with `prefix`.
pub fn with_prefix<'a>(
    pairs: &'a Pairs,
    prefix: &'a [u8],
) -> impl Iterator<Item = &'a (Vec<u8>, Vec<u8>)> {
    pairs.iter().filter(move |(k, _)| k.starts_with(prefix))
}

/// The bytes of the keys and values `keys` name in `pairs`.
pub fn size_of(pairs: &Pairs, keys: &[Vec<u8>]) -> u64 {
    pairs
        .iter()
        .filter(|(k, _)| keys.contains(k))
        .map(|(k, v)| (k.len() + v.len()) as u64)
        .sum()
}

/// The item of one storage key's entries in a shared database: `keys` dropped by the
/// rebuild, `files` and `trees` outside it removed with them; `size` their bytes.
pub fn db_item(
    key: &super::storage_key::StorageKey,
    keys: Vec<Vec<u8>>,
    files: Vec<PathBuf>,
    trees: Vec<PathBuf>,
    size: u64,
) -> crate::stores::Item {
    crate::stores::Item {
        host: crate::targets::url_host(&key.origin)
            .unwrap_or_default()
            .to_string(),
        name: None,
        path: None,
        url: Some(key.origin.clone()),
        partition: key.top_site.clone(),
        size: Some(size),
        key: crate::stores::ItemKey::LevelDbKeys { keys, files, trees },
    }
}

/// The keys found so far of one storage key.
pub struct Site {
    pub raw: Vec<u8>,
    pub key: super::storage_key::StorageKey,
    pub keys: Vec<Vec<u8>>,
    pub size: u64,
}

/// Adds `key` (of `size` bytes) to the site of storage key `raw`, in first-seen order.
pub fn add_key(
    sites: &mut Vec<Site>,
    raw: &[u8],
    parsed: super::storage_key::StorageKey,
    key: &[u8],
    size: u64,
) {
    match sites.iter_mut().find(|s| s.raw == raw) {
        Some(s) => {
            s.keys.push(key.to_vec());
            s.size += size;
        }
        None => sites.push(Site {
            raw: raw.to_vec(),
            key: parsed,
            keys: vec![key.to_vec()],
            size,
        }),
    }
}

/// A shared database's items, dropped in one rebuild.
pub fn found(items: Vec<crate::stores::Item>) -> crate::stores::Found {
    crate::stores::Found::new(items, crate::stores::Removal::LevelDbKeys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::leveldb::{write_db, write_db_with_comparator};

    #[test]
    fn reads_what_was_written_and_leaves_the_directory_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("db");
        write_db(
            &db,
            &[
                (b"b".to_vec(), b"2".to_vec()),
                (b"a".to_vec(), b"1".to_vec()),
            ],
        );
        let before = crate::testing::leveldb::snapshot(&db);
        let pairs = read_all(&Confined::default(), &db).unwrap();
        assert_eq!(
            pairs,
            [
                (b"a".to_vec(), b"1".to_vec()),
                (b"b".to_vec(), b"2".to_vec())
            ]
        );
        assert_eq!(crate::testing::leveldb::snapshot(&db), before);
        assert!(read_all(&Confined::default(), &tmp.path().join("none"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_foreign_comparator_a_cut_log_and_a_missing_table_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("idb");
        write_db_with_comparator(&db, "idb_cmp1", &[(b"k".to_vec(), b"v".to_vec())]);
        let err = format!("{:#}", read_all(&Confined::default(), &db).unwrap_err());
        assert!(
            err.contains("idb_cmp1") && err.contains("MANIFEST-"),
            "{err}"
        );

        let db = tmp.path().join("cut");
        write_db(&db, &[(b"k".to_vec(), vec![7u8; 500])]);
        let mut logs: Vec<_> = std::fs::read_dir(&db)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "log"))
            .collect();
        logs.sort();
        let log = logs.pop().unwrap();
        let bytes = std::fs::read(&log).unwrap();
        std::fs::write(&log, &bytes[..bytes.len() - 100]).unwrap();
        let err = format!("{:#}", read_all(&Confined::default(), &db).unwrap_err());
        assert!(err.contains(".log") && err.contains("damaged"), "{err}");

        let db = tmp.path().join("table");
        crate::testing::leveldb::write_db_flushed(&db, &[(b"k".to_vec(), b"v".to_vec())]);
        let table = std::fs::read_dir(&db)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "ldb"))
            .unwrap();
        std::fs::remove_file(&table).unwrap();
        let err = format!("{:#}", read_all(&Confined::default(), &db).unwrap_err());
        assert!(err.contains("missing") && err.contains(".ldb"), "{err}");
    }

    #[test]
    fn log_damage_is_an_error_never_a_panic() {
        let mut rec = vec![0u8, 0, 0, 0, 3, 0, 1];
        rec.extend_from_slice(b"abc");
        assert_eq!(log_records(&rec).unwrap(), [b"abc".to_vec()]);
        for cut in 5..rec.len() {
            assert!(log_records(&rec[..cut]).is_err(), "{cut}");
        }
        for seed in 0u32..500 {
            let bytes: Vec<u8> = (0..(seed % 60))
                .map(|i| (seed.wrapping_mul(2654435761).wrapping_add(i * 97) >> 7) as u8)
                .collect();
            let _ = log_records(&bytes);
            let _ = parse_manifest(&bytes);
        }
    }
}
