//! Long runs as a person sees them: progress on a terminal (and not in a pipe or JSON),
//! text that streams profile by profile, and Ctrl-C (SIGINT) sent to a running clean,
//! which must stop at a boundary with every store whole, reported and undoable (exit 130).
//! Signals and `script(1)`: Unix only (the handler itself is built for Windows too).

#![cfg(unix)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use loginfix::testing;
use rusqlite::Connection;

use crate::util::*;

const TARGET_KEY: &str = "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/c/";
const OTHER_KEY: &str = "1/0/_dk_https://example.org https://example.org https://example.org/a/";

/// A Linux home with Chrome profiles `names`, listed in Local State in that order, each
/// with a Cookies store holding a target cookie and another site's.
pub(crate) fn chrome_home(names: &[String]) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let udd = home.path().join(".config/google-chrome");
    let cache: Vec<String> = names
        .iter()
        .map(|n| format!("\"{n}\":{{\"name\":\"{n}\"}}"))
        .collect();
    write(
        &udd.join("Local State"),
        format!("{{\"profile\":{{\"info_cache\":{{{}}}}}}}", cache.join(",")),
    );
    write(&udd.join("Last Version"), "156.0.8078.73");
    for name in names {
        chromium_cookies(
            &udd.join(name).join("Cookies"),
            &[
                cookie("chatgpt.com", "session", ""),
                cookie("example.org", "keep", ""),
            ],
        );
    }
    home
}

/// Fills profile `name`'s simple cache with `entries` entries, every `every`-th one a
/// target's; a target entry has two files (`_0` and `_1`), so a half-removed one shows.
/// Returns the cache directory and the stems of the target entries.
pub(crate) fn fill_cache(
    home: &Path,
    name: &str,
    entries: u64,
    every: u64,
) -> (PathBuf, Vec<String>) {
    let dir = home
        .join(".cache/google-chrome")
        .join(name)
        .join("Cache/Cache_Data");
    std::fs::create_dir_all(dir.join("index-dir")).unwrap();
    std::fs::write(dir.join("index"), b"index").unwrap();
    std::fs::write(dir.join("index-dir/the-real-index"), b"real index").unwrap();
    let target = testing::chromium::encode_entry(TARGET_KEY, b"body");
    let other = testing::chromium::encode_entry(OTHER_KEY, b"body");
    let mut stems = Vec::new();
    for n in 0..entries {
        let stem = testing::chromium::entry_stem(0x10_0000 + n);
        if n % every == 0 {
            std::fs::write(dir.join(format!("{stem}_0")), &target).unwrap();
            std::fs::write(dir.join(format!("{stem}_1")), b"second stream").unwrap();
            stems.push(stem);
        } else {
            std::fs::write(dir.join(format!("{stem}_0")), &other).unwrap();
        }
    }
    (dir, stems)
}

fn spawn(home: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_loginfix"))
        .arg("--home")
        .arg(home)
        .args(["--os", "linux"])
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Sends SIGINT to `child` once `ready` holds (checked every few milliseconds), then
/// waits for it. Returns the exit code, stdout and stderr, and whether the signal went
/// out before the child ended by itself.
fn interrupt_when(mut child: Child, ready: impl Fn() -> bool) -> (Run, bool) {
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let start = Instant::now();
    let mut signalled = false;
    while start.elapsed() < Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if ready() {
            // SAFETY: kill with the pid of a child not yet waited for, and a valid signal.
            unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
            signalled = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = child.wait().unwrap();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    (run, signalled)
}

fn integrity(path: &Path) -> String {
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn cookie_names(path: &Path) -> Vec<String> {
    rows(path).into_iter().map(|(_, name, _)| name).collect()
}

/// SIGINT while a real `clear-cookies` goes through 300 profiles: the profile in hand is
/// finished (its transaction committed), the rest is not touched, the report lists what
/// was done, every store passes SQLite's integrity check, and `restore` puts back every
/// store that was backed up.
#[test]
fn sigint_during_a_clean_stops_at_a_store_with_everything_undoable() {
    let names: Vec<String> = (0..300).map(|i| format!("Profile {i}")).collect();
    let home = chrome_home(&names);
    let backups = home.path().join("backups");
    let udd = home.path().join(".config/google-chrome");
    let backups_for_check = backups.clone();
    let child = spawn(
        home.path(),
        &[
            "--json",
            "clear-cookies",
            "--backup-dir",
            backups.to_str().unwrap(),
        ],
    );
    // Once a backup set holds a store copy, stores are being changed.
    let (run, signalled) = interrupt_when(child, || {
        std::fs::read_dir(&backups_for_check)
            .into_iter()
            .flatten()
            .flatten()
            .any(|set| {
                walkdir::WalkDir::new(set.path())
                    .into_iter()
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with("-Cookies"))
            })
    });
    assert!(signalled, "the run ended before it could be interrupted");
    run.assert_code(130);
    let doc = run.json();
    assert_eq!(doc["interrupted"], true, "{doc:#}");
    let done: Vec<&serde_json::Value> = doc["profiles"].as_array().unwrap().iter().collect();
    assert!(
        !done.is_empty() && done.len() < names.len(),
        "{} profiles",
        done.len()
    );
    let done_names: Vec<&str> = done
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    for p in &done {
        assert!(
            ["done", "interrupted"].contains(&p["status"].as_str().unwrap()),
            "{p:#}"
        );
    }
    // Every store is whole; a reported profile lost its target cookie (its transaction
    // committed), any other kept both.
    for name in &names {
        let db = udd.join(name).join("Cookies");
        assert_eq!(integrity(&db), "ok", "{name}");
        let left = cookie_names(&db);
        let reported = done
            .iter()
            .find(|p| p["profile"] == name.as_str())
            .map(|p| p["counts"]["removed"].as_u64().unwrap());
        match reported {
            Some(1) => assert_eq!(left, ["keep"], "{name}"),
            Some(_) | None => assert_eq!(left.len(), 2, "{name}: {left:?}"),
        }
    }
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("error"),
        "{}",
        run.stderr
    );
    // The undo command restores every store that was changed.
    let undo = doc["undo_command"]
        .as_str()
        .expect("an undo command")
        .to_string();
    let id = doc["backup"]["id"].as_str().unwrap();
    assert!(undo.ends_with(id), "{undo}");
    let restore = loginfix(
        home.path(),
        "linux",
        &[
            "--json",
            "restore",
            "--backup-dir",
            backups.to_str().unwrap(),
            id,
        ],
    );
    restore.assert_code(0);
    for name in &names {
        let db = udd.join(name).join("Cookies");
        assert_eq!(integrity(&db), "ok", "{name}");
        let mut left = cookie_names(&db);
        left.sort();
        assert_eq!(
            left,
            ["keep", "session"],
            "{name} after restore (done: {done_names:?})"
        );
    }
}

/// SIGINT while a real `clear-cache` removes thousands of entries: it stops between two
/// entries; every entry is whole or gone (none half-removed), every entry the report
/// calls removed is gone and every other one is still there, the index went (so the
/// browser rebuilds it), and the backup set records what went.
#[test]
fn sigint_during_a_cache_clean_leaves_no_half_removed_entry() {
    let home = chrome_home(&["Default".to_string()]);
    let (dir, stems) = fill_cache(home.path(), "Default", 30_000, 2);
    let first_files = std::fs::read_dir(&dir).unwrap().count();
    let watch = dir.clone();
    let child = spawn(home.path(), &["--json", "clear-cache"]);
    let (run, signalled) = interrupt_when(child, || {
        // Checked by a few sample entries: a listing of 45,000 files each time would
        // slow the run down more than the test needs.
        stems
            .iter()
            .step_by(500)
            .any(|s| !watch.join(format!("{s}_0")).exists())
    });
    assert!(signalled, "the run ended before it could be interrupted");
    run.assert_code(130);
    let doc = run.json();
    assert_eq!(doc["interrupted"], true);
    let profile = &doc["profiles"][0];
    assert_eq!(profile["status"], "interrupted", "{profile:#}");
    let removed: std::collections::BTreeSet<String> = profile["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["action"] == "removed")
        .map(|i| i["url"].as_str().unwrap_or_default().to_string())
        .collect();
    let removed_count = profile["counts"]["removed"].as_u64().unwrap() as usize;
    let not_reached = profile["counts"]["not_reached"].as_u64().unwrap() as usize;
    assert!(
        removed_count > 0 && not_reached > 0,
        "{}",
        profile["counts"]
    );
    assert_eq!(removed_count + not_reached, stems.len());
    assert!(!removed.is_empty());
    let mut gone = 0;
    for stem in &stems {
        let a = dir.join(format!("{stem}_0")).exists();
        let b = dir.join(format!("{stem}_1")).exists();
        assert_eq!(a, b, "entry {stem} is half removed");
        if !a {
            gone += 1;
        }
    }
    assert_eq!(gone, removed_count, "the report says what went");
    assert!(
        !dir.join("index-dir/the-real-index").exists(),
        "the index goes with the entries"
    );
    let left = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(first_files - left, 2 * gone, "only target entries went");
    // The backup set records each removed entry (cache is not copied: it is
    // re-downloadable), so `backups` shows the interrupted run.
    let id = doc["backup"]["id"]
        .as_str()
        .expect("a backup set")
        .to_string();
    let list = loginfix(home.path(), "linux", &["--json", "backups"]);
    list.assert_code(0);
    assert!(list.stdout.contains(&id), "{}", list.stdout);
    assert!(
        run.stdout.contains("not reached") || run.stdout.contains("interrupted"),
        "{}",
        run.stdout
    );
}

/// Whether process `pid` has `dir` (or something under it) open. Without `/proc` (a
/// Unix other than Linux) it cannot be seen: then after 400 ms of `pid`'s life.
fn holds_open(pid: u32, dir: &Path, started: Instant) -> bool {
    if !Path::new("/proc/self/fd").is_dir() {
        return started.elapsed() > Duration::from_millis(400);
    }
    std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
        fds.flatten()
            .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|to| to.starts_with(dir)))
    })
}

/// SIGINT while a real run is still reading (planning) a big cache: exit 130 and
/// nothing changed at all.
#[test]
fn sigint_while_planning_changes_nothing() {
    let home = chrome_home(&["Default".to_string()]);
    // Reading 150,000 entries takes over a second, so the signal comes well before the
    // reading ends.
    let (cache, _) = fill_cache(home.path(), "Default", 150_000, 50);
    let before = snapshot(home.path());
    let child = spawn(home.path(), &["clear-cache"]);
    // The signal goes once the run holds the cache directory open: it is planning then,
    // its handler installed, however slowly a loaded machine got it there (a fixed delay
    // sometimes came before the handler, and the default action killed the process).
    let (pid, started) = (child.id(), Instant::now());
    let (run, signalled) = interrupt_when(child, || holds_open(pid, &cache, started));
    assert!(signalled, "the run ended before it could be interrupted");
    run.assert_code(130);
    assert_unchanged(&before, home.path());
    assert!(run.stdout.contains("Interrupted"), "{}", run.stdout);
}

/// Runs `shell` (a command line for `sh`) on a terminal through util-linux `script`,
/// returning what the terminal received, each chunk with the time it came, counted from
/// the start.
fn on_a_terminal(shell: &str, home: &Path) -> (Vec<(Duration, String)>, i32) {
    let start = Instant::now();
    let mut child = Command::new("script")
        .args(["-q", "-f", "-e", "-c", shell, "/dev/null"])
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", "xterm-256color")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut tty = child.stdout.take().unwrap();
    let mut chunks = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tty.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => chunks.push((
                start.elapsed(),
                String::from_utf8_lossy(&buf[..n]).into_owned(),
            )),
        }
    }
    let status = child.wait().unwrap();
    (chunks, status.code().unwrap_or(-1))
}

/// When the terminal first showed `needle` (the chunks so far, joined, hold it).
fn first_shown(chunks: &[(Duration, String)], needle: &str) -> Option<Duration> {
    chunks
        .iter()
        .scan(String::new(), |seen, (at, s)| {
            seen.push_str(s);
            Some((*at, seen.contains(needle)))
        })
        .find(|(_, shown)| *shown)
        .map(|(at, _)| at)
}

fn whole(chunks: &[(Duration, String)]) -> String {
    chunks.iter().map(|(_, s)| s.as_str()).collect()
}

/// `fix` (the guided mode's clean) draws the same progress as `clear-*`: on a terminal,
/// which profile and store it reads within a second, cleared when done, and none of it in
/// the report.
#[test]
fn fix_shows_progress_on_a_terminal_within_a_second() {
    if !have("script", "to run loginfix on a terminal (Debian bsdutils)") {
        return;
    }
    let home = chrome_home(&["Default".to_string()]);
    fill_cache(home.path(), "Default", 150_000, 10);
    let bin = env!("CARGO_BIN_EXE_loginfix");
    let out = home.path().join("stdout.txt");
    let cmd = format!(
        "'{bin}' --home '{}' --os linux fix --dry-run > '{}'",
        home.path().display(),
        out.display()
    );
    let (chunks, code) = on_a_terminal(&cmd, home.path());
    let text = whole(&chunks);
    assert_eq!(code, 0, "{text:?}");
    let first = first_shown(&chunks, "Reading chrome Default: cache")
        .unwrap_or_else(|| panic!("no progress on the terminal: {text:?}"));
    assert!(
        first < Duration::from_secs(1),
        "progress came after {first:?}"
    );
    let last = text.rfind("Reading").unwrap();
    assert!(
        text[last..].contains("\u{1b}[2K"),
        "not cleared: {:?}",
        &text[last..]
    );
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains("Would remove this data of"), "{report}");
    assert!(
        !report.contains("Reading") && !report.contains('\u{1b}'),
        "{report}"
    );
}

/// On a terminal, a dry run over a 150,000-entry cache shows which profile and store it
/// reads within a second, on stderr (stdout, sent to a file, has none of it), and clears
/// the line when done; with `--json`, `-q`, or stderr in a pipe there is none. A real
/// run shows the items removed of the total and the bytes freed.
#[test]
fn progress_shows_on_a_terminal_within_a_second_and_never_in_pipes_or_json() {
    if !have("script", "to run loginfix on a terminal (Debian bsdutils)") {
        return;
    }
    let home = chrome_home(&["Default".to_string()]);
    fill_cache(home.path(), "Default", 150_000, 10);
    let bin = env!("CARGO_BIN_EXE_loginfix");
    let out = home.path().join("stdout.txt");
    let cmd = |extra: &str| {
        format!(
            "'{bin}' --home '{}' --os linux clear-cache {extra} > '{}'",
            home.path().display(),
            out.display()
        )
    };
    let (chunks, code) = on_a_terminal(&cmd("--dry-run"), home.path());
    assert_eq!(code, 0, "{:?}", whole(&chunks));
    let first = first_shown(&chunks, "Reading chrome Default: cache");
    let text = whole(&chunks);
    let first = first.unwrap_or_else(|| panic!("no progress on the terminal: {text:?}"));
    let end = chunks.last().unwrap().0;
    assert!(
        first < Duration::from_secs(1),
        "progress came after {first:?} (the run took {end:?})"
    );
    // While the cache is read, the entries read of those listed (the scan of 150,000
    // entries in a debug build takes well over the half second before the bar).
    if end > Duration::from_millis(900) {
        assert!(text.contains(" of 150000 entries"), "{text:?}");
    }
    // It clears itself: the last thing drawn erases the line.
    let last = text.rfind("Reading").unwrap();
    assert!(
        text[last..].contains("\u{1b}[2K"),
        "not cleared: {:?}",
        &text[last..]
    );
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains("Dry run: nothing was changed."), "{report}");
    assert!(
        !report.contains("Reading") && !report.contains('\u{1b}'),
        "{report}"
    );

    for extra in ["--dry-run --json", "--dry-run -q"] {
        let (chunks, code) = on_a_terminal(&cmd(extra), home.path());
        assert_eq!(code, 0);
        let text = whole(&chunks);
        assert!(!text.contains("Reading"), "{extra}: {text:?}");
    }
    // stderr in a pipe (no terminal at all).
    let piped = loginfix(home.path(), "linux", &["clear-cache", "--dry-run"]);
    piped.assert_code(0);
    assert!(!piped.stderr.contains("Reading"), "{}", piped.stderr);
    assert!(!piped.stderr.contains('\u{1b}'), "{}", piped.stderr);
    // A real run: 15,000 entries go, with the count and the bytes freed on the way.
    let (chunks, code) = on_a_terminal(&cmd(""), home.path());
    let text = whole(&chunks);
    assert_eq!(code, 0, "{text:?}");
    assert!(
        text.contains("Removing chrome Default: cache (") && text.contains(" freed)"),
        "{text:?}"
    );
    assert!(text.contains("of 15000 items"), "{text:?}");
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(report.contains("Summary: 15000 removed"), "{report}");
}

/// With stdout in a pipe, a small first profile's lines arrive while a big second
/// profile is still being read, not all at the end; the summary comes last.
#[test]
fn a_profiles_lines_arrive_when_it_is_done() {
    let home = chrome_home(&["Default".to_string(), "Profile 1".to_string()]);
    fill_cache(home.path(), "Default", 10, 2);
    fill_cache(home.path(), "Profile 1", 150_000, 50);
    let mut child = spawn(home.path(), &["clear-cache", "--dry-run"]);
    let start = Instant::now();
    let stdout = child.stdout.take().unwrap();
    let mut lines = Vec::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        lines.push((start.elapsed(), line.unwrap()));
    }
    let end = start.elapsed();
    let status = child.wait().unwrap();
    assert!(status.success());
    let text: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
    assert!(text[0].starts_with("chrome Default"), "{text:#?}");
    let (first_done, _) = lines
        .iter()
        .find(|(_, l)| l.starts_with("  = "))
        .unwrap_or_else(|| panic!("{text:#?}"));
    assert!(
        end.saturating_sub(*first_done) > Duration::from_millis(300),
        "the first profile's lines came at {first_done:?}, the end at {end:?}"
    );
    assert!(text.last().unwrap().starts_with("Dry run"), "{text:#?}");
    assert!(text.iter().any(|l| l.starts_with("Summary: ")));
}
