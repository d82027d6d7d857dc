//! Benchmark for `clear-cache` on a heavy synthetic profile: 100,000 Chromium
//! simple-cache entries and 50,000 Firefox cache2 entries, 2% of them the targets'.
//! Prints entries/s for the dry-run scan and the real clean next to a floor measured
//! on the same files with the scan's own listing and threads (open, read the needed
//! bytes, close; no parsing, no matching),
//! peak memory of a scan, and how time grows with the number of entries.
//!
//! Run: `cargo bench --bench cache_scan` (add `-- --quick` for 10x fewer entries).

#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use loginfix::commands::clean::{self, What};
use loginfix::commands::Selection;
use loginfix::platform::{Layout, Os};
use loginfix::stores::entry_scan::{list_entries, read_at, scan_entries};
use loginfix::targets::Targets;
use loginfix::testing;

const TARGET_EVERY: usize = 50; // 2%

fn chromium_key(i: usize) -> String {
    if i % TARGET_EVERY == 0 {
        format!("1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/assets/{i}.js")
    } else {
        format!("1/0/_dk_https://site{0}.example https://site{0}.example https://cdn{0}.example/static/app.{i}.js", i % 997)
    }
}

fn firefox_key(i: usize) -> String {
    if i % TARGET_EVERY == 0 {
        format!(
            "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/assets/{i}.js"
        )
    } else {
        format!("O^partitionKey=%28https%2Csite{0}.example%29,a,:https://cdn{0}.example/static/app.{i}.js", i % 997)
    }
}

/// A Linux home with one Chromium profile and one Firefox profile, caches filled.
fn generate(home: &Path, chromium: usize, firefox: usize) -> (PathBuf, PathBuf) {
    let udd = home.join(".config/chromium");
    std::fs::create_dir_all(udd.join("Default")).unwrap();
    let cc = home.join(".cache/chromium/Default/Cache/Cache_Data");
    std::fs::create_dir_all(cc.join("index-dir")).unwrap();
    std::fs::write(cc.join("index-dir/the-real-index"), b"index").unwrap();
    let body = vec![b'x'; 1500];
    for i in 0..chromium {
        let stem = format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        std::fs::write(
            cc.join(format!("{stem}_0")),
            testing::chromium::encode_entry(&chromium_key(i), &body),
        )
        .unwrap();
    }
    let ff = home.join(".mozilla/firefox");
    std::fs::create_dir_all(ff.join("p.default")).unwrap();
    std::fs::write(
        ff.join("profiles.ini"),
        "[Profile0]\nName=p\nIsRelative=1\nPath=p.default\n",
    )
    .unwrap();
    let c2 = home.join(".cache/mozilla/firefox/p.default/cache2");
    std::fs::create_dir_all(c2.join("entries")).unwrap();
    std::fs::write(c2.join("index"), b"index").unwrap();
    for i in 0..firefox {
        let name = format!(
            "{:040X}",
            (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834)
        );
        std::fs::write(
            c2.join("entries").join(name),
            testing::firefox::encode_entry(&firefox_key(i), &body),
        )
        .unwrap();
    }
    (cc, c2)
}

/// The floor: the scan's own listing and thread pool, opening each entry file and
/// reading the bytes the format needs (Chromium: the first 2 KiB; Firefox: its size,
/// the last 4 bytes, then the metadata header and key), with no parsing or matching.
fn floor(cc: &Path, c2: &Path) -> Duration {
    let targets = Targets::default();
    let start = Instant::now();
    let chromium = list_entries(cc, |n| n.ends_with(b"_0")).unwrap();
    scan_entries(
        &chromium,
        &targets,
        |p, _| {
            let f = File::open(p).map_err(|e| e.to_string())?;
            let mut buf = [0u8; 2048];
            read_at(&f, 0, &mut buf, 24).map_err(|e| e.to_string())?;
            Ok(())
        },
        |_| None,
    )
    .unwrap();
    let firefox = list_entries(&c2.join("entries"), |n| n.len() == 40).unwrap();
    scan_entries(
        &firefox,
        &targets,
        |p, _| {
            let f = File::open(p).map_err(|e| e.to_string())?;
            let len = f.metadata().map_err(|e| e.to_string())?.len();
            let mut tail = [0u8; 4];
            read_at(&f, len - 4, &mut tail, 4).map_err(|e| e.to_string())?;
            let at = u64::from(u32::from_be_bytes(tail));
            let mut meta = vec![0u8; (len - 4 - at).min(1056) as usize];
            let want = meta.len();
            read_at(&f, at, &mut meta, want).map_err(|e| e.to_string())?;
            Ok(())
        },
        |_| None,
    )
    .unwrap();
    start.elapsed()
}

fn options(dry_run: bool) -> clean::Options {
    clean::Options {
        selection: Selection::all(),
        what: What::Cache { whole_cache: true },
        domains: Vec::new(),
        dry_run,
        // As a user runs it: the manifest records the removed entries.
        backup: true,
        backup_dir: None,
        keep: 10,
        locks: Default::default(),
    }
}

fn run_clean(home: &Path, dry_run: bool) -> (Duration, usize) {
    let layout = Layout::for_home(Os::Linux, home);
    let start = Instant::now();
    let report = clean::run(&layout, &options(dry_run)).unwrap();
    let elapsed = start.elapsed();
    let c = report.summary.counts;
    (elapsed, c.would_remove + c.removed)
}

fn best(n: usize, mut f: impl FnMut() -> Duration) -> Duration {
    (0..n).map(|_| f()).min().unwrap()
}

fn rate(entries: usize, d: Duration) -> String {
    format!(
        "{:>9.0} entries/s  ({:>7.1} ms)",
        entries as f64 / d.as_secs_f64(),
        d.as_secs_f64() * 1000.0
    )
}

/// Peak resident memory (KiB) of a child process that runs only the dry-run scan
/// (`getrusage`, whose `ru_maxrss` is in KiB on Linux only).
#[cfg(target_os = "linux")]
fn peak_memory_kib(home: &Path) -> libc::c_long {
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--scan-only")
        .arg(home)
        .status()
        .unwrap();
    assert!(status.success());
    // SAFETY: getrusage only fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--scan-only") {
        run_clean(Path::new(&argv[2]), true);
        return;
    }
    let quick = argv.iter().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let (chromium, firefox) = (100_000 / scale, 50_000 / scale);
    let total = chromium + firefox;
    println!("loginfix clear-cache benchmark: {chromium} Chromium + {firefox} Firefox entries, 2% targets, {} cores", std::thread::available_parallelism().map_or(1, |n| n.get()));

    let home = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let (cc, c2) = generate(home.path(), chromium, firefox);
    println!("generated in {:.1} s", t.elapsed().as_secs_f64());

    // Warm the page cache, then take the best of 3.
    floor(&cc, &c2);
    run_clean(home.path(), true);
    let floor_t = best(3, || floor(&cc, &c2));
    let mut found = 0;
    let dry_t = best(3, || {
        let (d, n) = run_clean(home.path(), true);
        found = n;
        d
    });
    assert_eq!(
        found,
        chromium.div_ceil(TARGET_EVERY) + firefox.div_ceil(TARGET_EVERY)
    );
    println!("floor (open+read+close)  {}", rate(total, floor_t));
    println!(
        "dry-run scan             {}  = {:.2}x floor (target <= 1.25x)",
        rate(total, dry_t),
        dry_t.as_secs_f64() / floor_t.as_secs_f64()
    );

    // The real clean removes 2% of the entries; time it on a fresh copy each round.
    let mut clean_times = Vec::new();
    for _ in 0..3 {
        let h = tempfile::tempdir().unwrap();
        let (cc2, c22) = generate(h.path(), chromium, firefox);
        floor(&cc2, &c22);
        let (d, n) = run_clean(h.path(), false);
        assert_eq!(n, found);
        clean_times.push(d);
    }
    let clean_t = *clean_times.iter().min().unwrap();
    println!(
        "real clean               {}  = {:.2}x floor (target <= 1.5x)",
        rate(total, clean_t),
        clean_t.as_secs_f64() / floor_t.as_secs_f64()
    );

    #[cfg(target_os = "linux")]
    {
        let kib = peak_memory_kib(home.path());
        println!(
            "peak memory of a dry-run scan: {:.1} MiB (target < 64 MiB)",
            kib as f64 / 1024.0
        );
    }

    println!("scaling (dry-run scan, Chromium entries only):");
    for n in [chromium / 4, chromium / 2, chromium] {
        let h = tempfile::tempdir().unwrap();
        generate(h.path(), n, 0);
        run_clean(h.path(), true);
        let d = best(3, || run_clean(h.path(), true).0);
        println!(
            "  {n:>7} entries: {:>8.1} ms, {:.2} us/entry",
            d.as_secs_f64() * 1000.0,
            d.as_secs_f64() * 1e6 / n as f64
        );
    }
}
