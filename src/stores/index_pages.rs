//! Walking a SQLite index's B-tree straight from the database file's pages, for the one
//! question a cookie plan asks of every entry (which distinct leading pair of text values
//! it holds) at a fraction of what stepping SQLite's own cursor costs per entry.
//!
//! The layout read here is SQLite's file format (sqlite.org/fileformat2.html: the
//! database header, B-tree pages, cells, varints and record serial types), which SQLite
//! keeps stable across versions. Anything this reader does not cover — a WAL database, an
//! encoding other than UTF-8, a value that is not text, a pair that spills into overflow
//! pages, a page that does not parse — makes it decline (`Ok(None)`): the caller then asks
//! SQLite, which reads everything and reports what is wrong. It never panics on what it
//! reads, follows no page twice, and reads nothing but the file it is given.

use std::fs::File;

use crate::stores::entry_scan::read_at;

/// Why the walk stopped: it cannot read this file (the caller asks SQLite instead), or
/// the visitor failed.
pub enum Stop<E> {
    Declined,
    Visitor(E),
}

/// B-tree page types (the first byte of a page's header).
const INTERIOR_INDEX: u8 = 0x02;
const LEAF_INDEX: u8 = 0x0a;

/// The walk's stack holds a page for each level: deeper than any real B-tree (SQLite's
/// own cursor stops at 20 levels).
const MAX_DEPTH: usize = 64;

/// Calls `visit` with each distinct (first, second) pair of key columns of the index
/// whose root is page `root`, in index order, where both are text: consecutive entries
/// with the same pair are visited once. `file` is the database file SQLite reads, whole
/// and current (no WAL, no hot journal).
pub fn distinct_pairs<E>(
    file: &File,
    root: u32,
    visit: impl FnMut(&[u8], &[u8]) -> Result<(), E>,
) -> Result<(), Stop<E>> {
    walk(file, root, visit).map(|_pages| ())
}

/// [`distinct_pairs`], returning how many pages it read.
///
/// The keys are in order, so entries with one pair lie side by side, and what lies
/// between two keys with the same pair has that pair too. The walk uses both to read
/// less than every entry. On a page, it finds where a run of one pair ends by probing
/// 1, 2, 4... cells on and then bisecting, rather than reading each cell. It skips a
/// child page whose neighbour keys on either side both have the pair it gave last;
/// everything in that child has that pair too. A site's cookies are then read in a few
/// probes, whatever their number.
fn walk<E>(
    file: &File,
    root: u32,
    mut visit: impl FnMut(&[u8], &[u8]) -> Result<(), E>,
) -> Result<usize, Stop<E>> {
    let mut pages = Pages::new(file).ok_or(Stop::Declined)?;
    let mut last = Last::default();
    let mut emit = |last: &mut Last, (a, b): (&[u8], &[u8])| -> Result<(), Stop<E>> {
        if !last.is(a, b) {
            visit(a, b).map_err(Stop::Visitor)?;
            last.set(a, b);
        }
        Ok(())
    };
    // Every page below the top of the stack is an interior page that went down into
    // the child left of its cell `next - 1`: that cell's key comes once the pages above
    // it are done, and it is the key after everything in them.
    let mut stack = vec![pages.read(root).ok_or(Stop::Declined)?];
    while let Some(top) = stack.last_mut() {
        if top.right.is_none() {
            let mut i = 0;
            while i < top.cells {
                let pair = top.pair(i, pages.usable).ok_or(Stop::Declined)?;
                emit(&mut last, pair)?;
                i = top.run_end(i, pair, pages.usable).ok_or(Stop::Declined)?;
            }
            top.next = top.cells;
        }
        if top.next < top.cells {
            let i = top.next;
            top.next += 1;
            let cell = top.cell(i, pages.usable).ok_or(Stop::Declined)?;
            let (a, b) = first_two_texts(cell.key).ok_or(Stop::Declined)?;
            if last.is(a, b) {
                // The child lies between the last key given and this one: one pair.
                continue;
            }
            let child = cell.left.ok_or(Stop::Declined)?;
            let child = pages.read(child).ok_or(Stop::Declined)?;
            if stack.len() >= MAX_DEPTH {
                return Err(Stop::Declined);
            }
            stack.push(child);
            continue;
        }
        let Some(done) = stack.pop() else {
            unreachable!("the loop holds the top");
        };
        let right = done.right;
        pages.recycle(done);
        // The key after this page (and after its right-most child) waits below it.
        let after = match stack.last() {
            Some(below) => {
                let cell = below.next.checked_sub(1).ok_or(Stop::Declined)?;
                Some(below.pair(cell, pages.usable).ok_or(Stop::Declined)?)
            }
            None => None,
        };
        if let Some(right) = right {
            if !after.is_some_and(|(a, b)| last.is(a, b)) {
                stack.push(pages.read(right).ok_or(Stop::Declined)?);
                continue;
            }
        }
        if let Some(pair) = after {
            emit(&mut last, pair)?;
        }
    }
    Ok(pages.read)
}

/// The last pair given to the visitor.
#[derive(Default)]
struct Last {
    given: bool,
    first: Vec<u8>,
    second: Vec<u8>,
}

impl Last {
    fn is(&self, a: &[u8], b: &[u8]) -> bool {
        self.given && same(&self.first, a) && same(&self.second, b)
    }

    fn set(&mut self, a: &[u8], b: &[u8]) {
        self.given = true;
        self.first.clear();
        self.first.extend_from_slice(a);
        self.second.clear();
        self.second.extend_from_slice(b);
    }
}

/// `x == y`, without calling `memcmp` on empty slices: an empty `Vec`'s pointer is a
/// dangling one, and glibc's AVX-512 `memcmp` does a masked load from it even for zero
/// bytes, which the processor completes through a slow fault-suppressing assist (half of
/// the walk's time, when every partition was empty).
#[inline]
fn same(x: &[u8], y: &[u8]) -> bool {
    x.len() == y.len() && (x.is_empty() || x == y)
}

/// The database's pages as the walk reads them: what the header says about them, which
/// were read already (a page reached twice is a loop), and the buffers of pages done,
/// for the next pages to be read into.
struct Pages<'f> {
    file: &'f File,
    page_size: usize,
    /// The bytes of a page that B-tree content may use (the rest is reserved).
    usable: usize,
    pages: u32,
    seen: Vec<u64>,
    spare: Vec<Vec<u8>>,
    read: usize,
}

impl<'f> Pages<'f> {
    fn new(file: &'f File) -> Option<Pages<'f>> {
        let mut header = [0u8; 100];
        if read_at(file, 0, &mut header, 100).ok()? != 100 || &header[..16] != b"SQLite format 3\0"
        {
            return None;
        }
        let page_size = match u16::from_be_bytes([header[16], header[17]]) {
            1 => 65536,
            n => usize::from(n),
        };
        // A power of two from 512 to 65536; 1 and 1 for the read and write versions
        // (2 is WAL, whose pages may be newer than the file's); UTF-8 text.
        let encoding = u32::from_be_bytes([header[56], header[57], header[58], header[59]]);
        if !page_size.is_power_of_two()
            || !(512..=65536).contains(&page_size)
            || header[18] != 1
            || header[19] != 1
            || encoding != 1
        {
            return None;
        }
        let usable = page_size.checked_sub(usize::from(header[20]))?;
        // SQLite's own floor for the usable size.
        if usable < 480 {
            return None;
        }
        let len = file.metadata().ok()?.len();
        let pages = u32::try_from(len / page_size as u64).ok()?;
        Some(Pages {
            file,
            page_size,
            usable,
            pages,
            seen: vec![0u64; (pages as usize).div_ceil(64)],
            spare: Vec::new(),
            read: 0,
        })
    }

    /// Reads B-tree page `pgno` (once: a page seen before means a loop, and declines),
    /// into the buffer of a page done where there is one.
    fn read(&mut self, pgno: u32) -> Option<Page> {
        if pgno == 0 || pgno > self.pages {
            return None;
        }
        let bit = (pgno - 1) as usize;
        let word = self.seen.get_mut(bit / 64)?;
        if *word & (1 << (bit % 64)) != 0 {
            return None;
        }
        *word |= 1 << (bit % 64);
        let mut data = self
            .spare
            .pop()
            .unwrap_or_else(|| vec![0u8; self.page_size]);
        let offset = u64::from(pgno - 1) * self.page_size as u64;
        if read_at(self.file, offset, &mut data, self.page_size).ok()? != self.page_size {
            return None;
        }
        self.read += 1;
        let at = if pgno == 1 { 100 } else { 0 };
        let bytes = data.get(..self.usable)?;
        let kind = *bytes.get(at)?;
        let cells = usize::from(u16::from_be_bytes([
            *bytes.get(at + 3)?,
            *bytes.get(at + 4)?,
        ]));
        let (right, pointers) = match kind {
            LEAF_INDEX => (None, at + 8),
            INTERIOR_INDEX => {
                let r = bytes.get(at + 8..at + 12)?;
                (Some(u32::from_be_bytes([r[0], r[1], r[2], r[3]])), at + 12)
            }
            _ => return None,
        };
        if pointers + 2 * cells > bytes.len() {
            return None;
        }
        Some(Page {
            data,
            pointers,
            cells,
            next: 0,
            right,
        })
    }

    fn recycle(&mut self, page: Page) {
        self.spare.push(page.data);
    }
}

/// A page being walked: its bytes, where its cell pointers start, how many cells it has
/// and which comes next, and (on an interior page) its right-most child.
struct Page {
    data: Vec<u8>,
    pointers: usize,
    cells: usize,
    next: usize,
    /// Set on interior pages only, which have one.
    right: Option<u32>,
}

/// One cell: its key's local bytes (the start of the record) and, on an interior page,
/// the child holding the keys before it.
struct Cell<'a> {
    key: &'a [u8],
    left: Option<u32>,
}

impl Page {
    #[inline]
    fn cell(&self, i: usize, usable: usize) -> Option<Cell<'_>> {
        let bytes = self.data.get(..usable)?;
        let p = self.pointers + 2 * i;
        let mut at = usize::from(u16::from_be_bytes([*bytes.get(p)?, *bytes.get(p + 1)?]));
        let left = if self.right.is_some() {
            let c = bytes.get(at..at + 4)?;
            at += 4;
            Some(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        } else {
            None
        };
        let (payload, n) = varint(bytes.get(at..)?)?;
        at += n;
        let local = local_payload(payload, usable)?;
        let key = bytes.get(at..at.checked_add(local)?)?;
        Some(Cell { key, left })
    }

    /// The pair of cell `i`.
    #[inline]
    fn pair(&self, i: usize, usable: usize) -> Option<(&[u8], &[u8])> {
        first_two_texts(self.cell(i, usable)?.key)
    }

    /// The first cell after `i` whose pair is not `pair` (cell `i`'s), or `cells`: by
    /// probing 1, 2, 4... cells on until one differs, then bisecting the last step.
    fn run_end(&self, i: usize, pair: (&[u8], &[u8]), usable: usize) -> Option<usize> {
        let is_pair = |j: usize| -> Option<bool> {
            let (a, b) = self.pair(j, usable)?;
            Some(same(a, pair.0) && same(b, pair.1))
        };
        // Cell `lo` has the pair; `hi` does not, or is the end.
        let (mut lo, mut step) = (i, 1);
        let mut hi = loop {
            let probe = lo + step;
            if probe >= self.cells {
                break self.cells;
            }
            if !is_pair(probe)? {
                break probe;
            }
            lo = probe;
            step *= 2;
        };
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if is_pair(mid)? {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(hi)
    }
}

/// How many bytes of an index cell's payload of `payload` bytes are on its page (the rest
/// is in overflow pages), per the file format's formula for index B-trees.
fn local_payload(payload: u64, usable: usize) -> Option<usize> {
    let u = usable as u64;
    let max_local = (u - 12) * 64 / 255 - 23;
    if payload <= max_local {
        return usize::try_from(payload).ok();
    }
    let min_local = (u - 12) * 32 / 255 - 23;
    let k = min_local + (payload - min_local) % (u - 4);
    usize::try_from(if k <= max_local { k } else { min_local }).ok()
}

/// The first two columns of a record when both are text and lie in `record` (the local
/// part of the payload).
#[inline]
fn first_two_texts(record: &[u8]) -> Option<(&[u8], &[u8])> {
    let (header_len, mut at) = varint(record)?;
    let header_len = usize::try_from(header_len).ok()?;
    let mut lens = [0usize; 2];
    for len in &mut lens {
        let (serial, n) = varint(record.get(at..header_len)?)?;
        at += n;
        // Text of (serial - 13) / 2 bytes has an odd serial type of 13 or more.
        if serial < 13 || serial % 2 == 0 {
            return None;
        }
        *len = usize::try_from((serial - 13) / 2).ok()?;
    }
    let first_end = header_len.checked_add(lens[0])?;
    let a = record.get(header_len..first_end)?;
    let b = record.get(first_end..first_end.checked_add(lens[1])?)?;
    Some((a, b))
}

/// A SQLite varint (1 to 9 bytes, big-endian, 7 bits a byte but all 8 of the ninth) and
/// its length.
#[inline]
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().take(9).enumerate() {
        if i == 8 {
            return Some(((value << 8) | u64::from(b), 9));
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rusqlite::Connection;

    const SCHEMA: &str = "CREATE TABLE cookies(host_key TEXT NOT NULL, top_frame_site_key TEXT
        NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL);
        CREATE UNIQUE INDEX cookies_unique_index ON cookies(host_key, top_frame_site_key,
        name, path);";

    /// A database of these rows, with pages of `page_size` bytes.
    fn database(page_size: u32, rows: &[(String, String, String)]) -> tempfile::TempPath {
        let path = tempfile::NamedTempFile::new().unwrap().into_temp_path();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!("PRAGMA page_size={page_size}; {SCHEMA}"))
            .unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for (host, site, name) in rows {
            tx.execute(
                "INSERT OR IGNORE INTO cookies VALUES (?1, ?2, ?3, '/')",
                (host, site, name),
            )
            .unwrap();
        }
        tx.commit().unwrap();
        path
    }

    fn root(path: &std::path::Path) -> u32 {
        Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'cookies_unique_index'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// What SQLite answers for the same question, in index order.
    fn sqlite_pairs(path: &std::path::Path) -> Vec<(Vec<u8>, Vec<u8>)> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT DISTINCT host_key, top_frame_site_key FROM cookies")
            .unwrap();
        let pairs = stmt
            .query_map([], |r| {
                Ok((
                    r.get_ref(0)?.as_bytes()?.to_vec(),
                    r.get_ref(1)?.as_bytes()?.to_vec(),
                ))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        pairs
    }

    fn walked(path: &std::path::Path) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
        let file = File::open(path).unwrap();
        let mut pairs = Vec::new();
        match distinct_pairs::<()>(&file, root(path), |a, b| {
            pairs.push((a.to_vec(), b.to_vec()));
            Ok(())
        }) {
            Ok(()) => Some(pairs),
            Err(Stop::Declined) => None,
            Err(Stop::Visitor(())) => unreachable!("the visitor does not fail"),
        }
    }

    fn rows() -> impl Strategy<Value = Vec<(String, String, String)>> {
        // Few hosts and sites, so that runs form; names make the entries many. Keys stay
        // on their page even at 512 bytes (102 bytes at most there; overflow declines).
        let host = prop_oneof![
            "[a-c]{1,3}\\.example",
            Just(".chatgpt.com".to_string()),
            Just(String::new()),
            "[a-z]{20,30}",
        ];
        let site = prop_oneof![Just(String::new()), Just("https://chatgpt.com".to_string())];
        prop::collection::vec((host, site, "[a-z0-9]{1,20}"), 0..3000)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// The pages give the pairs SQLite gives, in the same order, whatever the page
        /// size (and so the depth of the tree).
        #[test]
        fn the_pages_give_the_pairs_sqlite_gives(
            rows in rows(),
            page_size in prop::sample::select(vec![512u32, 1024, 4096, 65536]),
        ) {
            let path = database(page_size, &rows);
            prop_assert_eq!(walked(&path), Some(sqlite_pairs(&path)), "page size {}", page_size);
        }

        /// Whatever a file's bytes, the walk answers or declines; it does not panic.
        #[test]
        fn a_damaged_file_is_declined_or_read(
            at in prop::collection::vec((0usize..200_000, any::<u8>()), 1..40),
        ) {
            let rows: Vec<_> = (0..2000)
                .map(|i| (format!("h{}.example", i % 97), String::new(), format!("n{i}")))
                .collect();
            let path = database(1024, &rows);
            let mut bytes = std::fs::read(&path).unwrap();
            let len = bytes.len();
            for (i, b) in at {
                bytes[i % len] = b;
            }
            std::fs::write(&path, &bytes).unwrap();
            let file = File::open(&path).unwrap();
            let _ = distinct_pairs::<()>(&file, 2, |_, _| Ok(()));
        }
    }

    #[test]
    fn pairs_that_spill_into_overflow_pages_are_declined() {
        let long = "x".repeat(3000);
        let path = database(1024, &[(long, String::new(), "a".into())]);
        assert_eq!(walked(&path), None);
    }

    #[test]
    fn a_wal_database_is_declined() {
        let path = database(4096, &[("a.example".into(), String::new(), "a".into())]);
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "journal_mode", "WAL")
            .unwrap();
        assert_eq!(walked(&path), None);
    }

    #[test]
    fn a_value_that_is_not_text_is_declined() {
        let path = database(4096, &[("a.example".into(), String::new(), "a".into())]);
        let conn = Connection::open(&path).unwrap();
        conn.execute("UPDATE cookies SET top_frame_site_key = x'00'", [])
            .unwrap();
        drop(conn);
        assert_eq!(walked(&path), None);
    }

    /// A site with thousands of cookies costs a few pages: the leaves and the subtrees
    /// that hold only its pair are skipped, not read.
    #[test]
    fn a_long_run_of_one_pair_is_not_read_page_by_page() {
        let mut rows: Vec<_> = (0..5000)
            .map(|i| ("big.example".to_string(), String::new(), format!("n{i}")))
            .collect();
        rows.push(("a.example".into(), String::new(), "a".into()));
        rows.push(("z.example".into(), String::new(), "z".into()));
        let path = database(512, &rows);
        let file = File::open(&path).unwrap();
        let mut pairs = Vec::new();
        let Ok(read) = walk::<()>(&file, root(&path), |a, _| {
            pairs.push(a.to_vec());
            Ok(())
        }) else {
            panic!("the walk declined");
        };
        assert_eq!(pairs, [&b"a.example"[..], b"big.example", b"z.example"]);
        let pages = file.metadata().unwrap().len() / 512;
        assert!(
            pages > 300,
            "the index is big enough to skip in ({pages} pages)"
        );
        assert!(read < 20, "{read} of {pages} pages read");
    }

    #[test]
    fn the_first_pairs_of_runs_are_given_once() {
        let rows: Vec<_> = (0..500)
            .map(|i| {
                (
                    format!("h{}.example", i % 3),
                    String::new(),
                    format!("n{i}"),
                )
            })
            .collect();
        let path = database(512, &rows);
        let pairs = walked(&path).unwrap();
        let hosts: Vec<_> = pairs.iter().map(|(h, _)| h.as_slice()).collect();
        assert_eq!(hosts, [&b"h0.example"[..], b"h1.example", b"h2.example"]);
    }
}
