//! A home whose owner is hostile, run as the tool runs for support staff: a directory
//! swapped for a symlink between plan and execute, or a deeper symlink, must not send a
//! deletion or a rewrite outside the home. Each case checks the files outside are intact.
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use loginfix::browser::{discover, Browser};
use loginfix::confine::Confined;
use loginfix::execute::backup::{BackupOptions, Session};
use loginfix::execute::{self, RunOptions};
use loginfix::plan;
use loginfix::platform::{Layout, Os};
use loginfix::stores::{Category, ScanOptions};
use loginfix::targets::Targets;
use loginfix::testing;

use crate::util::*;

const TARGET: &str = "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/app.js";
const OTHER: &str = "1/0/_dk_https://example.org https://example.org https://example.org/a.js";

/// A Linux home with a Chromium profile whose cache (in the cache mirror) holds a target
/// entry and another site's, and a tree outside the home with files of the same names.
struct Setup {
    _top: tempfile::TempDir,
    home: PathBuf,
    cache: PathBuf,
    outside: PathBuf,
}

fn setup() -> Setup {
    let top = tempfile::tempdir().unwrap();
    let home = top.path().join("home");
    chromium_cookies(
        &home.join(".config/chromium/Default/Cookies"),
        &chromium_mix(),
    );
    let cache = home.join(".cache/chromium/Default/Cache/Cache_Data");
    let outside = top.path().join("outside");
    for dir in [&cache, &outside] {
        write(
            &dir.join("0000000000000001_0"),
            testing::chromium::encode_entry(TARGET, b"x"),
        );
        write(
            &dir.join("0000000000000002_0"),
            testing::chromium::encode_entry(OTHER, b"y"),
        );
        write(&dir.join("index-dir/the-real-index"), b"index");
    }
    owned_by_another_user(&home);
    Setup {
        _top: top,
        home,
        cache,
        outside,
    }
}

/// As support staff run it: as root, on a home another uid owns (`nobody` here).
fn owned_by_another_user(home: &Path) {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        let status = std::process::Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(home)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Plans a cache clean of `home`, lets `between` act on the disk, then executes the plan.
fn plan_then_execute(home: &Path, between: impl FnOnce()) -> Vec<loginfix::report::ProfileReport> {
    let layout = Layout::for_home(Os::Linux, home);
    let chromium = Browser::named("chromium").unwrap();
    let found = discover(&layout, &[chromium]);
    let plans = plan::for_categories(
        &found.profiles,
        &Targets::default(),
        &[Category::Cache],
        &ScanOptions {
            whole_cache: true,
            ..Default::default()
        },
        &layout.confinement(),
        &plan::Unwatched,
    );
    assert_eq!(
        plans[0].stores[0].items.len(),
        1,
        "the plan found the target entry"
    );
    between();
    let opts = BackupOptions {
        enabled: false,
        root: home.join("backups"),
        keep: 10,
        fleet_run: None,
    };
    let confined = std::sync::Arc::new(Confined::with(layout.confinement()));
    let mut session = Session::new(opts, "clear-cache", home, confined.clone());
    execute::run(plans, RunOptions::default(), &mut session, &confined)
}

#[test]
fn a_cache_swapped_for_a_symlink_after_the_plan_is_refused() {
    let s = setup();
    let outside_before = snapshot(&s.outside);
    let reports = plan_then_execute(&s.home, || {
        std::fs::rename(&s.cache, s.cache.with_file_name("moved")).unwrap();
        symlink(&s.outside, &s.cache).unwrap();
    });
    assert_unchanged(&outside_before, &s.outside);
    let item = &reports[0].items[0];
    assert_eq!(
        serde_json::to_value(item.action).unwrap(),
        "failed",
        "{item:?}"
    );
    let error = item.error.as_deref().unwrap_or_default();
    assert!(error.contains("is a symlink"), "{error}");
}

#[test]
fn a_directory_above_the_cache_swapped_after_the_plan_is_refused() {
    let s = setup();
    // The link replaces `~/.cache/chromium/Default`, two levels above the entries.
    let profile_cache = s.home.join(".cache/chromium/Default");
    let decoy = s.outside.parent().unwrap().join("decoy");
    write(
        &decoy.join("Cache/Cache_Data/0000000000000001_0"),
        b"not ours",
    );
    write(
        &decoy.join("Cache/Cache_Data/index-dir/the-real-index"),
        b"not ours",
    );
    let decoy_before = snapshot(&decoy);
    let reports = plan_then_execute(&s.home, || {
        std::fs::rename(&profile_cache, profile_cache.with_file_name("moved")).unwrap();
        symlink(&decoy, &profile_cache).unwrap();
    });
    assert_unchanged(&decoy_before, &decoy);
    let item = &reports[0].items[0];
    assert_eq!(serde_json::to_value(item.action).unwrap(), "failed");
}

#[test]
fn a_whole_cache_swapped_for_a_symlink_after_the_plan_is_not_removed() {
    let top = tempfile::tempdir().unwrap();
    let home = top.path().join("home");
    let cache = home.join(".config/chromium/Default/Cache/Cache_Data");
    std::fs::create_dir_all(&cache).unwrap();
    testing::chromium::write_sample(&cache, &[TARGET]).unwrap();
    owned_by_another_user(&home);
    let outside = top.path().join("outside");
    write(&outside.join("precious/file"), b"someone else's");
    let outside_before = snapshot(&outside);
    let reports = plan_then_execute(&home, || {
        std::fs::rename(&cache, cache.with_file_name("moved")).unwrap();
        symlink(&outside, &cache).unwrap();
    });
    assert_unchanged(&outside_before, &outside);
    assert!(cache.symlink_metadata().unwrap().file_type().is_symlink());
    let item = &reports[0].items[0];
    assert_eq!(serde_json::to_value(item.action).unwrap(), "failed");
}

#[test]
fn a_deeper_symlink_is_refused_without_a_race() {
    let s = setup();
    let outside_before = snapshot(&s.outside);
    // `index-dir` inside the cache leads outside: found by the plan already.
    let index_dir = s.cache.join("index-dir");
    std::fs::remove_dir_all(&index_dir).unwrap();
    symlink(s.outside.join("index-dir"), &index_dir).unwrap();
    let run = loginfix(
        &s.home,
        "linux",
        &["clear-cache", "--browser", "chromium", "--json"],
    );
    run.assert_code(1);
    assert_unchanged(&outside_before, &s.outside);
    let json = run.json();
    let items = json["profiles"][0]["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["action"] != "removed"), "{json:#}");

    // A symlinked `~/.cache/chromium/Default`: the store is refused by the plan.
    let s = setup();
    let outside_before = snapshot(&s.outside);
    let mirror = s.home.join(".cache/chromium/Default");
    let elsewhere = s.outside.parent().unwrap().join("elsewhere");
    std::fs::rename(&mirror, &elsewhere).unwrap();
    symlink(&elsewhere, &mirror).unwrap();
    let elsewhere_before = snapshot(&elsewhere);
    let run = loginfix(
        &s.home,
        "linux",
        &["clear-cache", "--browser", "chromium", "--json"],
    );
    run.assert_code(1);
    assert_unchanged(&outside_before, &s.outside);
    assert_unchanged(&elsewhere_before, &elsewhere);
    let json = run.json();
    let errors = json["profiles"][0]["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["error"].as_str().unwrap().contains("is a symlink")),
        "{json:#}"
    );
}

/// The readers themselves refuse a symlink on the way, whatever the plan checked before
/// (a swap after that check is a race the plan cannot see): a cache directory swapped
/// for a link to another tree is not listed, and nothing there is read.
#[test]
fn a_reader_does_not_follow_a_symlink_swapped_in_before_it_reads() {
    let s = setup();
    let layout = Layout::for_home(Os::Linux, &s.home);
    let chromium = Browser::named("chromium").unwrap();
    let found = discover(&layout, &[chromium]);
    let store = found.profiles[0]
        .stores
        .iter()
        .find(|st| st.kind.category == Category::Cache && st.path.ends_with("Cache_Data"))
        .cloned()
        .expect("the cache store");
    // The swap, after discovery (and after the plan's own look at the path).
    std::fs::remove_dir_all(&s.cache).unwrap();
    symlink(&s.outside, &s.cache).unwrap();
    let opts = ScanOptions {
        fs: std::sync::Arc::new(Confined::with(layout.confinement())),
        ..Default::default()
    };
    let err = loginfix::stores::scan(&store, &Targets::default(), &opts).unwrap_err();
    let text = loginfix::stores::error_text(&err);
    assert!(text.contains("is a symlink"), "{text}");
}

/// A file inside a store that is a symlink (a LevelDB's MANIFEST pointing at a file of
/// root's) is not read: the error says so, and the file it names is never opened.
#[test]
fn a_symlinked_file_inside_a_store_is_not_read() {
    let top = tempfile::tempdir().unwrap();
    let home = top.path().join("home");
    let db = home.join(".config/chromium/Default/Local Storage/leveldb");
    testing::leveldb::write_db(
        &db,
        &[(b"_https://chatgpt.com\0\x01k".to_vec(), b"\x01v".to_vec())],
    );
    write(&home.join(".config/chromium/Default/Preferences"), b"{}");
    let manifest = std::fs::read_dir(&db)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("MANIFEST-")
        })
        .unwrap();
    let secret = top.path().join("root-only");
    std::fs::copy(&manifest, &secret).unwrap();
    std::fs::remove_file(&manifest).unwrap();
    symlink(&secret, &manifest).unwrap();
    owned_by_another_user(&home);
    let run = loginfix(
        &home,
        "linux",
        &[
            "clear-site-data",
            "--browser",
            "chromium",
            "--dry-run",
            "--json",
        ],
    );
    let json = run.json();
    let errors = json["profiles"][0]["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| {
            let e = e["error"].as_str().unwrap();
            e.contains("MANIFEST-") && e.contains("symlink")
        }),
        "{json:#}"
    );
}

/// Configuration files read through a directory that is a symlink (an extension's
/// version directory linked to another user's tree) are not read: the name from the
/// foreign manifest never reaches the report.
#[test]
fn a_manifest_behind_a_symlinked_directory_is_not_read() {
    let top = tempfile::tempdir().unwrap();
    let home = top.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    copy_tree(&repo().join("profiles/linux"), &home);
    let ext =
        home.join(".config/google-chrome/Default/Extensions/cjpalhdlnbpafiamejdnhcphjbkeiagm");
    let version = std::fs::read_dir(&ext)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let elsewhere = top.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    copy_tree(&version, &elsewhere);
    let manifest = elsewhere.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["name"] = "LEAKED FROM ELSEWHERE".into();
    std::fs::write(&manifest, json.to_string()).unwrap();
    std::fs::remove_dir_all(&version).unwrap();
    symlink(&elsewhere, &version).unwrap();
    owned_by_another_user(&home);
    let run = loginfix(&home, "linux", &["extensions", "--all", "--json"]);
    assert!(!run.stdout.contains("LEAKED"), "{}", run.stdout);
    assert!(!run.stderr.contains("LEAKED"), "{}", run.stderr);
}
