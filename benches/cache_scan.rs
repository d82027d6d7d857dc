//! Whole-process benchmark of loginfix as users run it, against floors run the same way:
//! the cache-scan floor program (`benches/scan_floor.c`, built here with `cc`: open each
//! entry, read what a scanner must read, close; no parsing) and `sqlite3` deleting
//! exactly the target rows. Each pair (floor, loginfix) is run one after the other, the
//! ratio taken pair by pair, and the median of the pairs printed, so the machine's drift
//! during the run does not move the figure.
//!
//! The generated home: 100,000 Chromium simple-cache entries and 50,000 Firefox cache2
//! entries, about 1.6 KiB each, 2% of them the targets'; a Chromium cookie database of
//! 100,000 rows, 2% the targets' (with the backup and the integrity check, timed by
//! loginfix's `-v` inside the same run, printed beside). Also measured: a cold page cache (when run as root,
//! `sync; echo 1 > /proc/sys/vm/drop_caches` before each run), the floor's threads (2 vs
//! 8, cold), the real clean against the dry run plus unlinking the same files, growth to
//! 1,000,000 entries with peak memory (`--million`), and 10,000 profiles against ten
//! runs over 1,000 (`--profiles`).
//!
//! Run: `cargo bench --bench cache_scan` (`-- --quick` for 10x fewer entries and pairs;
//! `-- --million`, `-- --profiles` for the long ones; `-- --cookies` for the clear-cookies
//! pairs alone).

#![allow(clippy::print_stdout, clippy::disallowed_methods)]

// The floors and the page-cache drop are Linux's; elsewhere the bench says so.
#[cfg(not(unix))]
fn main() {
    println!(
        "the whole-process benchmark runs on Linux (it builds a C floor and drops the page cache)"
    );
}

#[cfg(unix)]
fn main() {
    bench::main();
}

#[cfg(unix)]
mod bench {

    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

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
            std::fs::write(
                cc.join(format!("{}_0", stem(i))),
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

    /// The stem of the `i`-th Chromium entry's file names (`<16 hex>`).
    fn stem(i: usize) -> String {
        format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    /// One run of a command, its output thrown away: wall time and success.
    fn time(cmd: &mut Command) -> Duration {
        let start = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the command starts");
        let took = start.elapsed();
        assert!(
            status.success() || status.code() == Some(3),
            "{cmd:?} failed: {status}"
        );
        took
    }

    /// Peak resident memory (KiB) of the largest child reaped so far (`getrusage`, whose
    /// `ru_maxrss` is in KiB on Linux).
    fn children_peak_kib() -> i64 {
        // SAFETY: getrusage only fills the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        usage.ru_maxrss
    }

    fn is_root() -> bool {
        // SAFETY: geteuid cannot fail.
        unsafe { libc::geteuid() == 0 }
    }

    /// Empties the page cache (root only): what a person who just logged in meets.
    fn drop_caches() {
        let _ = Command::new("sync").status();
        let _ = std::fs::write("/proc/sys/vm/drop_caches", "1\n");
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }

    /// Runs `a` and `b` in turn `pairs` times (after one warm-up each unless cold); prints
    /// both medians and the median of the per-pair ratios a/b, and returns that ratio.
    fn pair(
        label: &str,
        pairs: usize,
        cold: bool,
        mut a: impl FnMut() -> Command,
        mut b: impl FnMut() -> Command,
    ) -> f64 {
        if !cold {
            time(&mut a());
            time(&mut b());
        }
        let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..pairs {
            if cold {
                drop_caches();
            }
            let x = time(&mut b()).as_secs_f64();
            if cold {
                drop_caches();
            }
            let y = time(&mut a()).as_secs_f64();
            tb.push(x);
            ta.push(y);
            ratios.push(y / x);
        }
        let ratio = median(ratios);
        println!(
            "{label:<52} {:>8.3} s vs {:>8.3} s   {ratio:>5.2}x",
            median(ta),
            median(tb)
        );
        ratio
    }

    /// The floor program, compiled from `benches/scan_floor.c` into the target directory.
    fn build_floor() -> PathBuf {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scan_floor");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/scan_floor.c");
        let status = Command::new("cc")
            .args(["-O2", "-pthread"])
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .status()
            .expect("cc runs");
        assert!(status.success(), "could not build {}", src.display());
        out
    }

    fn loginfix(home: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_loginfix"));
        cmd.arg("--home")
            .arg(home)
            .args(["--os", "linux"])
            .args(args);
        cmd
    }

    fn floor(bin: &Path, format: &str, dir: &Path, threads: usize) -> Command {
        let mut cmd = Command::new(bin);
        cmd.arg(format).arg(dir).arg(threads.to_string());
        cmd
    }

    /// The Chromium cache's target entries, written again after a real clean removed them
    /// (with the index), so every real run removes the same files.
    fn put_back_targets(cc: &Path, chromium: usize) {
        let body = vec![b'x'; 1500];
        for i in (0..chromium).step_by(TARGET_EVERY) {
            std::fs::write(
                cc.join(format!("{}_0", stem(i))),
                testing::chromium::encode_entry(&chromium_key(i), &body),
            )
            .unwrap();
        }
        std::fs::write(cc.join("index-dir/the-real-index"), b"index").unwrap();
    }

    /// The floor of unlinking: this program, run as `--unlink DIR`, removes the target
    /// entries of the Chromium cache in `DIR` and the index, nothing else.
    fn unlink_floor(dir: &Path, chromium: usize) {
        for i in (0..chromium).step_by(TARGET_EVERY) {
            std::fs::remove_file(dir.join(format!("{}_0", stem(i)))).unwrap();
        }
        std::fs::remove_file(dir.join("index-dir/the-real-index")).unwrap();
    }

    /// A Chromium cookie database of `rows` rows, 2% on the targets' hosts.
    fn cookie_db(path: &Path, rows: usize, sites: usize) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(testing::chromium::COOKIES_SCHEMA)
            .unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        {
            let mut ins = tx.prepare("INSERT INTO cookies VALUES (?1, ?2, '', ?3, '', x'00', '/', 0, 1, 1, 0, 1, 1, 1, 0, 2, 443, 0, 1, 0)").unwrap();
            for i in 0..rows {
                let host = if i % TARGET_EVERY == 0 {
                    if i % 100 == 0 {
                        ".chatgpt.com".to_string()
                    } else {
                        "auth.openai.com".to_string()
                    }
                } else {
                    format!(".site{}.example", i % sites)
                };
                ins.execute(rusqlite::params![
                    13_400_000_000_000_000i64 + i as i64,
                    host,
                    format!("c{i}")
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }

    /// A home with `profiles` Chromium profiles, each with a small cache (`per` entries).
    fn many_profiles(home: &Path, profiles: usize, per: usize) {
        let udd = home.join(".config/chromium");
        let mut cache = serde_json::Map::new();
        let body = vec![b'x'; 200];
        for p in 0..profiles {
            let name = format!("Profile {p}");
            cache.insert(name.clone(), serde_json::json!({"name": format!("P{p}")}));
            std::fs::create_dir_all(udd.join(&name)).unwrap();
            let cc = home
                .join(".cache/chromium")
                .join(&name)
                .join("Cache/Cache_Data");
            std::fs::create_dir_all(&cc).unwrap();
            for i in 0..per {
                let n = p * per + i;
                std::fs::write(
                    cc.join(format!("{}_0", stem(n))),
                    testing::chromium::encode_entry(&chromium_key(n), &body),
                )
                .unwrap();
            }
        }
        let state = serde_json::json!({"profile": {"info_cache": cache}});
        std::fs::write(udd.join("Local State"), state.to_string()).unwrap();
    }

    /// The cache pairs: dry runs warm and cold against the floor program, and the real
    /// clean against the dry run plus the unlink floor.
    fn caches(
        work: &tempfile::TempDir,
        floor_bin: &Path,
        pairs: usize,
        chromium: usize,
        firefox: usize,
        backups_arg: &str,
    ) {
        let home = work.path().join("home");
        let (cc, c2) = generate(&home, chromium, firefox);
        let entries = c2.join("entries");
        let chrome = ["clear-cache", "--browser", "chromium", "--dry-run"];
        let fox = ["clear-cache", "--browser", "firefox", "--dry-run"];

        pair(
            "Chromium dry run, warm",
            pairs,
            false,
            || loginfix(&home, &chrome),
            || floor(floor_bin, "chromium", &cc, 2),
        );
        pair(
            "Firefox dry run, warm",
            pairs,
            false,
            || loginfix(&home, &fox),
            || floor(floor_bin, "firefox", &entries, 2),
        );
        if is_root() {
            let cold_pairs = pairs.min(5);
            pair(
                "Chromium dry run, cold",
                cold_pairs,
                true,
                || loginfix(&home, &chrome),
                || floor(floor_bin, "chromium", &cc, 2),
            );
            pair(
                "Firefox dry run, cold",
                cold_pairs,
                true,
                || loginfix(&home, &fox),
                || floor(floor_bin, "firefox", &entries, 2),
            );
            pair(
                "floor, cold: 8 threads vs 2",
                cold_pairs,
                true,
                || floor(floor_bin, "chromium", &cc, 8),
                || floor(floor_bin, "chromium", &cc, 2),
            );
            let with = |env: &'static [(&'static str, &'static str)]| {
                let home = home.clone();
                move || {
                    let mut cmd = loginfix(&home, &chrome);
                    cmd.envs(env.iter().copied());
                    cmd
                }
            };
            pair(
                "Chromium dry run, cold: directory order vs inode order",
                cold_pairs,
                true,
                with(&[("LOGINFIX_SCAN_ORDER", "directory")]),
                with(&[]),
            );
            pair(
                "Chromium dry run, cold: 2 threads vs 8",
                cold_pairs,
                true,
                with(&[("LOGINFIX_SCAN_THREADS", "2")]),
                with(&[]),
            );
            pair(
                "Chromium dry run, cold, vs the floor with 8 threads",
                cold_pairs,
                true,
                || loginfix(&home, &chrome),
                || floor(floor_bin, "chromium", &cc, 8),
            );
        } else {
            println!("(cold page cache: not measured, needs root to drop the page cache)");
        }

        // The real clean, against the dry run plus the floor's cost of unlinking the files.
        let real = [
            "clear-cache",
            "--browser",
            "chromium",
            "--backup-dir",
            backups_arg,
        ];
        let (mut t_real, mut t_dry, mut t_unlink) = (Vec::new(), Vec::new(), Vec::new());
        time(&mut loginfix(&home, &chrome));
        for _ in 0..pairs {
            t_dry.push(time(&mut loginfix(&home, &chrome)).as_secs_f64());
            t_real.push(time(&mut loginfix(&home, &real)).as_secs_f64());
            put_back_targets(&cc, chromium);
            let me = std::env::current_exe().unwrap();
            t_unlink.push(
                time(
                    Command::new(me)
                        .arg("--unlink")
                        .arg(&cc)
                        .arg(chromium.to_string()),
                )
                .as_secs_f64(),
            );
            put_back_targets(&cc, chromium);
        }
        let (real_m, dry_m, unlink_m) = (median(t_real), median(t_dry), median(t_unlink));
        println!(
        "{:<52} {real_m:>8.3} s vs {:>8.3} s   {:>5.2}x   (dry run {dry_m:.3} s + unlinking {unlink_m:.3} s)",
        "Chromium real clean vs dry run + unlink floor",
        dry_m + unlink_m,
        real_m / (dry_m + unlink_m)
    );
    }

    pub fn main() {
        let argv: Vec<String> = std::env::args().collect();
        // `--generate DIR [COOKIES]`: only write the heavy home into DIR (for timing it
        // from outside, with a whole-process timer of one's own). With COOKIES, a home
        // scaled to that many cookies: the caches in proportion (3,000 cookies: 3,000
        // Chromium and 1,500 Firefox entries), about 20 cookies a site.
        if argv.get(1).map(String::as_str) == Some("--generate") {
            let home = Path::new(&argv[2]);
            let cookies: usize = argv.get(3).map_or(100_000, |n| n.parse().unwrap());
            generate(home, cookies, cookies / 2);
            // About 20 cookies a site, as in the heavy home (4,999 sites for 100,000).
            let sites = (cookies / 20).clamp(1, 4999);
            cookie_db(
                &home.join(".config/chromium/Default/Cookies"),
                cookies,
                sites,
            );
            return;
        }
        // `--generate-profiles DIR N`: only write a home of N Chromium profiles, each with
        // a 5-entry cache.
        if argv.get(1).map(String::as_str) == Some("--generate-profiles") {
            many_profiles(Path::new(&argv[2]), argv[3].parse().unwrap(), 5);
            return;
        }
        if argv.get(1).map(String::as_str) == Some("--unlink") {
            unlink_floor(Path::new(&argv[2]), argv[3].parse().unwrap());
            return;
        }
        let has = |flag: &str| argv.iter().any(|a| a == flag);
        let quick = has("--quick");
        let scale = if quick { 10 } else { 1 };
        let pairs = if quick { 3 } else { 7 };
        let (chromium, firefox) = (100_000 / scale, 50_000 / scale);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!("loginfix whole-process benchmark: {chromium} Chromium + {firefox} Firefox cache entries, 2% targets, {cores} cores");
        println!(
            "{:<52} {:>10}    {:>10}   {:>6}",
            "work (loginfix vs floor)", "loginfix", "floor", "ratio"
        );
        let floor_bin = build_floor();
        let work = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let backups = work.path().join("backups");
        let backups_arg = backups.to_string_lossy().into_owned();
        // `--cookies`: only the clear-cookies pairs (a minute instead of many).
        if !has("--cookies") {
            caches(&work, &floor_bin, pairs, chromium, firefox, &backups_arg);
        }

        // clear-cookies against sqlite3 deleting exactly the target rows, on fresh copies.
        let rows = 100_000 / scale;
        let pristine = work.path().join("Cookies.pristine");
        cookie_db(&pristine, rows, 4999);
        let ck_home = work.path().join("ck");
        let db = ck_home.join(".config/chromium/Default/Cookies");
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let fresh = || {
            std::fs::copy(&pristine, &db).unwrap();
        };
        let delete = "DELETE FROM cookies WHERE host_key IN ('.chatgpt.com', 'auth.openai.com');";
        let delete_checked = format!("{delete} PRAGMA quick_check;");
        // loginfix's -v line for the store: "  time: <file>: backup 21.0 ms, edit 9.8 ms,
        // integrity check 31.2 ms" — the steps measured inside the same whole-process run;
        // and after the backup line "  time: pruning older backup sets: 2.7 ms", which is
        // the backup's cost too (only a run that makes backups prunes them).
        let steps = |stdout: &str| -> (f64, f64) {
            let ms = |step: &str| -> f64 {
                step.trim_end_matches(" ms")
                    .rsplit(' ')
                    .next()
                    .unwrap()
                    .parse::<f64>()
                    .unwrap()
                    / 1e3
            };
            let line = stdout
                .lines()
                .find(|l| l.starts_with("  time: ") && !l.contains("pruning"))
                .expect("loginfix -v prints the store's time line");
            let mut backup = 0.0;
            let mut check = 0.0;
            for step in line.rsplit(": ").next().unwrap().split(", ") {
                if step.starts_with("backup") {
                    backup = ms(step);
                } else if step.starts_with("integrity check") {
                    check = ms(step);
                }
            }
            if let Some(pruning) = stdout
                .lines()
                .find(|l| l.starts_with("  time: pruning older backup sets: "))
            {
                backup += ms(pruning);
            }
            (backup, check)
        };
        // A pair takes a tenth of a second, where the machine's noise is a large part of
        // it: five times the pairs keep the medians from moving by more than the gaps
        // they are read for.
        let cookie_pairs = 5 * pairs;
        // `split`: the floor does none of the backup and check, so print them beside.
        let cookie_pair = |label: &str, extra: &[&str], floor_sql: &str, split: bool| {
            let (mut ta, mut tb, mut ratios, mut bare) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let (mut backups_s, mut checks_s) = (Vec::new(), Vec::new());
            for _ in 0..cookie_pairs {
                fresh();
                let b = time(Command::new("sqlite3").arg(&db).arg(floor_sql)).as_secs_f64();
                fresh();
                let mut args = vec![
                    "clear-cookies",
                    "--browser",
                    "chromium",
                    "--backup-dir",
                    &backups_arg,
                    "-v",
                ];
                args.extend_from_slice(extra);
                let start = Instant::now();
                let out = loginfix(&ck_home, &args)
                    .stderr(Stdio::null())
                    .output()
                    .expect("loginfix starts");
                let a = start.elapsed().as_secs_f64();
                assert!(out.status.success(), "clear-cookies failed: {}", out.status);
                let (backup, check) = steps(&String::from_utf8_lossy(&out.stdout));
                ta.push(a);
                tb.push(b);
                ratios.push(a / b);
                bare.push((a - backup - check) / b);
                backups_s.push(backup);
                checks_s.push(check);
            }
            println!(
                "{label:<52} {:>8.3} s vs {:>8.3} s   {:>5.2}x",
                median(ta),
                median(tb),
                median(ratios)
            );
            let (backup, check) = (median(backups_s), median(checks_s));
            if split {
                println!(
                    "{:<52} {:>8.3} s + {:>6.3} s   {:>5.2}x   (without them, vs the same floor)",
                    "  of it backup (with pruning) + check; the rest",
                    backup,
                    check,
                    median(bare)
                );
            }
        };
        if Command::new("sqlite3").arg("-version").output().is_ok() {
            cookie_pair(
                &format!("clear-cookies, {rows} rows, vs sqlite3 DELETE"),
                &[],
                delete,
                true,
            );
            cookie_pair(
                "clear-cookies --no-backup, vs sqlite3 DELETE",
                &["--no-backup"],
                delete,
                true,
            );
            cookie_pair(
                "clear-cookies --no-backup, vs DELETE + quick_check",
                &["--no-backup"],
                &delete_checked,
                false,
            );
        } else {
            println!("(clear-cookies vs sqlite3: not measured, sqlite3 is not installed)");
        }

        if has("--million") {
            let chrome = ["clear-cache", "--browser", "chromium", "--dry-run"];
            println!("growth and peak memory (dry run, Chromium entries only):");
            for n in [100_000, 1_000_000] {
                let h = work.path().join(format!("m{n}"));
                let (cc, _) = generate(&h, n, 0);
                time(&mut loginfix(&h, &chrome));
                let before = children_peak_kib();
                let t = median(
                    (0..3)
                        .map(|_| time(&mut loginfix(&h, &chrome)).as_secs_f64())
                        .collect(),
                );
                let peak = children_peak_kib();
                let f = median(
                    (0..3)
                        .map(|_| time(&mut floor(&floor_bin, "chromium", &cc, 2)).as_secs_f64())
                        .collect(),
                );
                println!(
                "  {n:>9} entries: {t:>7.3} s ({:.2} us/entry), floor {f:.3} s, peak memory {} MiB",
                t * 1e6 / n as f64,
                if peak > before {
                    format!("{:.1}", peak as f64 / 1024.0)
                } else {
                    "<= earlier runs'".to_string()
                }
            );
                std::fs::remove_dir_all(&h).unwrap();
            }
        }

        if has("--profiles") {
            let big = work.path().join("p10000");
            many_profiles(&big, 10_000, 5);
            let small = work.path().join("p1000");
            many_profiles(&small, 1_000, 5);
            let all = ["clear-cache", "--dry-run"];
            time(&mut loginfix(&big, &all));
            let t_big = median(
                (0..3)
                    .map(|_| time(&mut loginfix(&big, &all)).as_secs_f64())
                    .collect(),
            );
            let t_small = median(
                (0..3)
                    .map(|_| time(&mut loginfix(&small, &all)).as_secs_f64())
                    .collect(),
            );
            println!(
                "{:<52} {t_big:>8.3} s vs {:>8.3} s   {:>5.2}x",
                "10,000 profiles vs 10 runs over 1,000",
                10.0 * t_small,
                t_big / (10.0 * t_small)
            );
        }
    }
}
