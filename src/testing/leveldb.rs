//! Writers of Chromium's shared LevelDBs for tests only (built with the `test-support`
//! feature): a database holding given keys, written with `rusty-leveldb` as a browser
//! would (Snappy tables when flushed), or under a foreign comparator name.

use std::cmp::Ordering;
use std::path::Path;

use rusty_leveldb::{Cmp, DefaultCmp, Options, DB};

/// A key and its value.
pub type Pair = (Vec<u8>, Vec<u8>);

fn options() -> Options {
    Options {
        compressor: 1,
        ..Default::default()
    }
}

fn write_with(db: &Path, opts: Options, pairs: &[Pair], flush_tables: bool) {
    std::fs::create_dir_all(db).unwrap();
    let mut d = DB::open(db, opts).unwrap();
    for (k, v) in pairs {
        d.put(k, v).unwrap();
    }
    if flush_tables {
        d.compact_range(b"", &[0xff; 64]).unwrap();
    }
    d.flush().unwrap();
    // Dropped rather than `close`d: Wine refuses the explicit unlock.
    drop(d);
}

/// A database holding `pairs` (in its log).
pub fn write_db(db: &Path, pairs: &[Pair]) {
    write_with(db, options(), pairs, false);
}

/// A database holding `pairs` in a table file.
pub fn write_db_flushed(db: &Path, pairs: &[Pair]) {
    write_with(db, options(), pairs, true);
}

/// Bytewise order under another comparator name (IndexedDB's is `idb_cmp1`).
struct Named(&'static str);

impl Cmp for Named {
    fn cmp(&self, a: &[u8], b: &[u8]) -> Ordering {
        a.cmp(b)
    }
    fn find_shortest_sep(&self, a: &[u8], b: &[u8]) -> Vec<u8> {
        DefaultCmp.find_shortest_sep(a, b)
    }
    fn find_short_succ(&self, a: &[u8]) -> Vec<u8> {
        DefaultCmp.find_short_succ(a)
    }
    fn id(&self) -> &'static str {
        self.0
    }
}

/// A database whose MANIFEST names the comparator `name`.
pub fn write_db_with_comparator(db: &Path, name: &'static str, pairs: &[Pair]) {
    let opts = Options {
        cmp: std::rc::Rc::new(Box::new(Named(name))),
        ..options()
    };
    write_with(db, opts, pairs, false);
}

/// Every regular file of `dir` (not recursive) with its bytes, by name.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The keys and values of the database at `db`, read from a copy (the original is not
/// touched).
pub fn read_db(db: &Path) -> Vec<Pair> {
    crate::stores::chromium::leveldb::read_all(&Default::default(), db).unwrap()
}
