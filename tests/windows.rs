//! The Windows build, run under Wine: `loginfix.exe` cross-built for
//! x86_64-pc-windows-gnu acts on a copy of `profiles/windows` named by a Windows path
//! (`--home Z:\tmp\... --os windows`; Wine maps `/` to `Z:`), and the stores it leaves
//! are read back from Linux with the same row-level expectations as tests/samples.rs
//! and tests/backups.rs.
//!
//! Needs the exe (`cargo build --target x86_64-pc-windows-gnu`, or
//! `LOGINFIX_WINDOWS_EXE=path`) and a Wine prefix made by tests/wine/setup.sh (Debian's
//! wine64 and gcc-mingw-w64-x86-64); .ci/run prepares both. Without them the tests say
//! `skipped: <why>`, except in CI (`CI` set) where that is a failure.
//!
//! The Windows-only lock checks (files held open without sharing) are tested from the
//! Windows side, in tests/windows_locks.rs.

#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

use crate::samples::{
    cache_urls, chrome_default_keep, chrome_profile1_keep, firefox_keep, site_data_clean, WINDOWS,
};
use crate::util::*;

const CHROME: &str = "AppData/Local/Google/Chrome/User Data";
const EDGE: &str = "AppData/Local/Microsoft/Edge/User Data";
const FIREFOX: &str = "AppData/Roaming/Mozilla/Firefox/Profiles/abcd1234.default-release";
const FIREFOX_CACHE: &str =
    "AppData/Local/Mozilla/Firefox/Profiles/abcd1234.default-release/cache2";
const BACKUPS: &str = "AppData/Roaming/loginfix/backups";

/// What the Windows runs need: the Wine wrapper and the cross-built exe.
struct Wine {
    wrapper: PathBuf,
    exe: PathBuf,
}

/// The exe Cargo builds for the Windows target beside this test binary's own target
/// dir: `<target>/<profile>/deps/integration-…` → `<target>/x86_64-pc-windows-gnu/<profile>/`.
fn default_exe() -> Option<PathBuf> {
    let me = std::env::current_exe().ok()?;
    let profile_dir = me.parent()?.parent()?;
    let target = profile_dir.parent()?;
    Some(
        target
            .join("x86_64-pc-windows-gnu")
            .join(profile_dir.file_name()?)
            .join("loginfix.exe"),
    )
}

fn mtime(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The newest source the exe is built from, so a stale exe is not tested by mistake.
fn newest_source() -> Option<(SystemTime, PathBuf)> {
    let root = repo();
    walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .chain([root.join("Cargo.toml"), root.join("Cargo.lock")])
        .filter_map(|p| Some((mtime(&p)?, p)))
        .max()
}

fn preflight() -> Result<Wine, String> {
    let wrapper = repo().join("tests/wine/wine");
    let wine64 = std::env::var_os("LOGINFIX_WINE64")
        .map_or_else(|| PathBuf::from("/usr/lib/wine/wine64"), PathBuf::from);
    if !wine64.is_file() {
        return Err(format!(
            "{} not found (apt-get install wine64, then tests/wine/setup.sh)",
            wine64.display()
        ));
    }
    let exe = match std::env::var_os("LOGINFIX_WINDOWS_EXE") {
        Some(p) => PathBuf::from(p),
        None => default_exe().ok_or("cannot tell the target directory")?,
    };
    let Some(built) = mtime(&exe) else {
        return Err(format!(
            "{} not built (cargo build --target x86_64-pc-windows-gnu)",
            exe.display()
        ));
    };
    if let Some((newest, source)) = newest_source() {
        if newest > built {
            return Err(format!(
                "{} is older than {} (cargo build --target x86_64-pc-windows-gnu)",
                exe.display(),
                source.display()
            ));
        }
    }
    // A prefix without the ProcessPrng shim fails every Rust program at start
    // (c0000135): ask the exe for its version once.
    let out = Command::new(&wrapper)
        .arg(&exe)
        .arg("--version")
        .env_clear()
        .envs(wine_env())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", wrapper.display()))?;
    let version = format!("loginfix {}", env!("CARGO_PKG_VERSION"));
    if !out.status.success() || !String::from_utf8_lossy(&out.stdout).contains(&version) {
        return Err(format!(
            "`loginfix.exe --version` under Wine exited with {} (stdout {:?}, stderr {:?}); \
             run tests/wine/setup.sh to make the prefix",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(Wine { wrapper, exe })
}

/// The environment a run gets: no HOME or XDG variables of this machine, only what
/// Wine needs (the wrapper sets WINEPREFIX and WINEDEBUG).
fn wine_env() -> Vec<(String, std::ffi::OsString)> {
    ["PATH", "LOGINFIX_WINEPREFIX", "LOGINFIX_WINE64"]
        .into_iter()
        .filter_map(|k| Some((k.to_string(), std::env::var_os(k)?)))
        .chain([("NO_COLOR".to_string(), "1".into())])
        .collect()
}

/// Wine, or `None` after saying why not (a failure in CI).
fn wine(test: &str) -> Option<&'static Wine> {
    static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();
    match WINE.get_or_init(preflight) {
        Ok(w) => Some(w),
        Err(reason) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("windows::{test}: cannot run in CI: {reason}")
        }
        Err(reason) => {
            eprintln!("windows::{test}: skipped: {reason}");
            None
        }
    }
}

/// `path` as Wine's Windows programs see it: `/tmp/x` is `Z:\tmp\x`.
fn win(path: &Path) -> String {
    format!("Z:{}", path.to_str().unwrap().replace('/', "\\"))
}

impl Wine {
    /// `loginfix.exe --home Z:\<home> --os windows ARGS` under Wine.
    fn run(&self, home: &Path, args: &[&str]) -> Run {
        self.run_env(home, args, &[])
    }

    /// [`Wine::run`] with `env` added to what a run gets.
    fn run_env(&self, home: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(&self.wrapper)
            .arg(&self.exe)
            .args(["--home", &win(home), "--os", "windows"])
            .args(args)
            .env_clear()
            .envs(wine_env())
            .envs(env.iter().copied())
            .output()
            .expect("run loginfix.exe under wine");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

#[test]
fn browsers_lists_the_windows_sample_with_windows_paths() {
    let Some(w) = wine("browsers_lists_the_windows_sample_with_windows_paths") else {
        return;
    };
    let home = sample_home("windows");
    let run = w.run(
        home.path(),
        &["browsers", "--browser", "chrome", "--browser", "firefox"],
    );
    run.assert_code(0);
    let h = win(home.path());
    let udd = format!(r"{h}\AppData\Local\Google\Chrome\User Data");
    let ff = r"Mozilla\Firefox\Profiles\abcd1234.default-release";
    let (cv, fv) = sample_versions(
        &home.path().join("AppData/Local/Google/Chrome/User Data"),
        &home
            .path()
            .join("AppData/Roaming/Mozilla/Firefox/Profiles/abcd1234.default-release"),
    );
    let want = format!(
        r#"chrome
  Default "Your Chromium"  [stable] version {cv}
    path             {udd}\Default
    cookies          {udd}\Default\Network\Cookies
    indexed_db       {udd}\Default\IndexedDB
    cache_storage    {udd}\Default\Service Worker\CacheStorage
    local_storage    {udd}\Default\Local Storage\leveldb
    session_storage  {udd}\Default\Session Storage
    service_worker   {udd}\Default\Service Worker\Database
    bucket           {udd}\Default\WebStorage\QuotaManager
  Profile 1 "Person 1"  [stable] version {cv}
    path             {udd}\Profile 1
    cookies          {udd}\Profile 1\Network\Cookies
    local_storage    {udd}\Profile 1\Local Storage\leveldb
    session_storage  {udd}\Profile 1\Session Storage
    bucket           {udd}\Profile 1\WebStorage\QuotaManager
firefox
  abcd1234.default-release "default-release"  [standard] version {fv}
    path             {h}\AppData\Roaming\{ff}
    cookies          {h}\AppData\Roaming\{ff}\cookies.sqlite
    session_restore+session_storage  {h}\AppData\Roaming\{ff}\sessionstore.jsonlz4
    session_restore+session_storage  {h}\AppData\Roaming\{ff}\sessionstore-backups\recovery.jsonlz4
    session_restore+session_storage  {h}\AppData\Roaming\{ff}\sessionstore-backups\recovery.baklz4
    cache            {h}\AppData\Local\{ff}\cache2
    site_storage     {h}\AppData\Roaming\{ff}\storage\default
    quota_cache      {h}\AppData\Roaming\{ff}\storage.sqlite
    service_worker   {h}\AppData\Roaming\{ff}\serviceworker.txt
    local_storage    {h}\AppData\Roaming\{ff}\webappsstore.sqlite
    local_storage    {h}\AppData\Roaming\{ff}\storage\ls-archive.sqlite
"#
    );
    assert_eq!(run.stdout, want);

    let json = w.run(home.path(), &["browsers", "--json"]);
    json.assert_code(0);
    let json = json.json();
    assert_eq!(json["os"], "windows");
    assert_eq!(json["home"], h.as_str());
    let found: Vec<(String, String, bool, String)> = json["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| {
            b["profiles"].as_array().into_iter().flatten().map(|p| {
                (
                    b["browser"].as_str().unwrap().to_string(),
                    p["profile"].as_str().unwrap().to_string(),
                    p["running"].as_bool().unwrap(),
                    p["lock"]["state"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let free = |b: &str, p: &str| (b.to_string(), p.to_string(), false, "free".to_string());
    assert_eq!(
        found,
        [
            free("chrome", "Default"),
            free("chrome", "Profile 1"),
            free("edge", "Default"),
            free("firefox", "abcd1234.default-release"),
        ]
    );
}

#[test]
fn clear_cookies_removes_exactly_the_target_cookies() {
    let Some(w) = wine("clear_cookies_removes_exactly_the_target_cookies") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let chrome_db = |p: &str| h.join(CHROME).join(p).join("Network/Cookies");
    let prof = h.join(FIREFOX);

    // A dry run changes no byte and lists what the real run removes.
    let before = snapshot(h);
    let dry = w.run(h, &["clear-cookies", "--dry-run", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    // Chrome's two profiles (6 + 4), Edge's (6) and Firefox's (8).
    assert_eq!(dry.json()["summary"]["would_remove"], 24);
    assert!(!dry.stdout.contains("lfxsecret"), "a cookie value leaked");

    let ff_before = snapshot(&prof);
    let run = w.run(h, &["clear-cookies", "--browser", "chrome"]);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("Summary: 10 removed, 0 skipped, 0 failed, in 2 profiles."),
        "{}",
        run.stdout
    );
    assert_eq!(rows(&chrome_db("Default")), chrome_default_keep());
    assert_eq!(rows(&chrome_db("Profile 1")), chrome_profile1_keep());
    assert!(h
        .join(CHROME)
        .join("Default/Network/Cookies-journal")
        .exists());
    assert_unchanged(&ff_before, &prof);

    let edge_db = h.join(EDGE).join("Default/Network/Cookies");
    let run = w.run(h, &["clear-cookies", "--browser", "edge", "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()["summary"]["removed"], 6);
    assert_eq!(rows(&edge_db), chrome_default_keep());

    let run = w.run(h, &["clear-cookies", "--browser", "firefox", "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()["summary"]["removed"], 8);
    assert_eq!(rows(&prof.join("cookies.sqlite")), firefox_keep());
    let eo = vec![("example.org".to_string(), "eo-session".to_string())];
    assert_eq!(session_cookies(&prof.join("sessionstore.jsonlz4")), eo);
    assert_eq!(
        session_cookies(&prof.join("sessionstore-backups/recovery.jsonlz4")),
        eo
    );
    assert!(
        session_cookies(&prof.join("sessionstore-backups/recovery.baklz4"))
            .iter()
            .all(|(host, _)| host == "example.org")
    );
    // SQLite folded Firefox's (empty) WAL into the database and removed it on close.
    assert!(!prof.join("cookies.sqlite-wal").exists());

    let again = w.run(h, &["clear-cookies", "--json"]);
    again.assert_code(0);
    let again = again.json();
    assert_eq!(again["summary"]["removed"], 0);
    assert_eq!(again["backup"], serde_json::Value::Null);
}

#[test]
fn clear_cache_removes_the_targets_entries_and_a_blockfile_cache_whole() {
    let Some(w) = wine("clear_cache_removes_the_targets_entries_and_a_blockfile_cache_whole")
    else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let ff = h.join(FIREFOX_CACHE);
    // Chrome on Windows keeps a blockfile cache; the sample has none, so add one with a
    // target entry (it can only be cleared whole) to the Default profile.
    let blockfile = h.join(CHROME).join("Default/Cache/Cache_Data");
    std::fs::create_dir_all(&blockfile).unwrap();
    loginfix::testing::chromium::write_sample(
        &blockfile,
        &[
            "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/app.js",
            "1/0/_dk_https://example.org https://example.org https://example.org/a.js",
        ],
    )
    .unwrap();
    let all = cache_urls(&ff, true);
    let keep: Vec<String> = all
        .iter()
        .filter(|u| !u.contains("//chatgpt.com ") && !u.contains("//openai.com "))
        .cloned()
        .collect();
    assert_eq!((all.len(), keep.len()), (16, 9));

    let before = snapshot(h);
    let dry = w.run(h, &["clear-cache", "--dry-run", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    // The blockfile cache's target entry, and Firefox's seven.
    assert_eq!(dry.json()["summary"]["would_remove"], 1 + 7);

    let run = w.run(h, &["clear-cache", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["removed"], 1 + 7);
    assert_eq!(json["summary"]["unreadable"], 0);
    let chrome = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "chrome" && p["profile"] == "Default")
        .unwrap();
    assert_eq!(chrome["stores"][0]["scope"], "whole_cache");
    assert!(!blockfile.exists(), "the whole blockfile cache goes");
    assert!(
        blockfile.parent().unwrap().is_dir(),
        "only the cache directory"
    );
    assert_eq!(cache_urls(&ff, true), keep);
    assert!(!ff.join("index").exists() && !ff.join("index.log").exists());

    let again = w.run(h, &["clear-cache", "--json"]);
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["removed"], 0);
}

#[test]
fn backups_are_listed_and_restore_puts_the_stores_back() {
    let Some(w) = wine("backups_are_listed_and_restore_puts_the_stores_back") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let chrome_db = h.join(CHROME).join("Default/Network/Cookies");
    let ff = h.join(FIREFOX);
    let chrome_rows = rows(&chrome_db);
    let edge_db = h.join(EDGE).join("Default/Network/Cookies");
    let edge_rows = rows(&edge_db);
    let ff_rows = rows(&ff.join("cookies.sqlite"));
    let session = std::fs::read(ff.join("sessionstore.jsonlz4")).unwrap();

    let run = w.run(h, &["clear-cookies", "--json"]);
    run.assert_code(0);
    let json = run.json();
    let id = json["backup"]["id"].as_str().unwrap().to_string();
    let set = h.join(BACKUPS).join(&id);
    assert_eq!(json["backup"]["dir"], win(&set));
    assert_ne!(rows(&chrome_db), chrome_rows);

    // The manifest names the originals by their Windows paths; each copy matches its
    // recorded size and SHA-256.
    let manifest = serde_json::to_value(
        loginfix::execute::backup::read_manifest(&loginfix::confine::Confined::default(), &set)
            .unwrap(),
    )
    .unwrap();
    let entries = manifest["entries"].as_array().unwrap();
    // Two Chrome databases, Edge's, Firefox's database and its three session files.
    assert_eq!(entries.len(), 7, "{entries:#?}");
    assert!(entries
        .iter()
        .any(|e| e["original"] == win(&chrome_db).as_str()));
    for e in entries {
        let copy = set.join(e["file"].as_str().unwrap());
        assert_eq!(
            e["size"].as_u64().unwrap(),
            std::fs::metadata(&copy).unwrap().len()
        );
        assert_eq!(
            e["sha256"].as_str().unwrap(),
            loginfix::execute::backup::sha256_file(&copy).unwrap()
        );
    }

    let listed = w.run(h, &["backups", "--json"]);
    listed.assert_code(0);
    let listed = listed.json();
    assert_eq!(listed["backup_dir"], win(&h.join(BACKUPS)));
    let sets = listed["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0]["id"], id.as_str());
    assert_eq!(sets[0]["for_command"], "clear-cookies");
    assert_eq!(sets[0]["stores"], 7);
    assert_eq!(
        sets[0]["profiles"],
        serde_json::json!([
            "chrome Default",
            "chrome Profile 1",
            "edge Default",
            "firefox abcd1234.default-release"
        ])
    );

    let cleaned = snapshot(h);
    let dry = w.run(h, &["restore", "--dry-run", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&cleaned, h);
    let dry = dry.json();
    assert_eq!(dry["stores"].as_array().unwrap().len(), 7);
    assert!(dry["stores"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["action"] == "would_restore"));

    let restore = w.run(h, &["restore", &id]);
    restore.assert_code(0);
    assert!(
        restore.stdout.contains("Restored  chrome Default"),
        "{}",
        restore.stdout
    );
    assert_eq!(rows(&chrome_db), chrome_rows);
    assert_eq!(rows(&edge_db), edge_rows);
    assert_eq!(rows(&ff.join("cookies.sqlite")), ff_rows);
    assert_eq!(
        std::fs::read(ff.join("sessionstore.jsonlz4")).unwrap(),
        session
    );
}

/// SYSTEM works in a user's home as that user, with a token for them. Nothing runs as
/// SYSTEM under Wine, so a debug build is told to decide as SYSTEM would; Wine's
/// `WTSQueryUserToken` hands back the signed-in user's token, and `CreateProcessAsUserW`
/// starts the child with it. What Wine cannot show: another user's SID (every process is
/// the one Wine user) and an S4U logon (`LsaLogonUser` is not implemented).
#[test]
fn as_system_the_users_home_is_worked_on_with_their_token() {
    let Some(w) = wine("as_system_the_users_home_is_worked_on_with_their_token") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let chrome_db = |p: &str| h.join(CHROME).join(p).join("Network/Cookies");
    let chrome_rows = rows(&chrome_db("Default"));
    let system = [("LOGINFIX_TEST_AS_SYSTEM", "1")];
    let how = "with their signed-in session's token";

    let run = w.run_env(h, &["-v", "clear-cookies", "--browser", "chrome"], &system);
    run.assert_code(0);
    let note = run
        .stderr
        .lines()
        .find(|l| l.contains(how))
        .unwrap_or_else(|| panic!("no note of the token:\n{}", run.stderr));
    assert!(
        note.starts_with(&format!(
            "note: working in `{}` as its owner S-1-5-21-",
            win(h)
        )),
        "{note}"
    );
    // The child's events and report came through: each profile, the summary, the undo.
    assert!(
        run.stdout
            .contains("Summary: 10 removed, 0 skipped, 0 failed, in 2 profiles."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("restore 20"), "{}", run.stdout);
    assert_eq!(rows(&chrome_db("Default")), chrome_default_keep());
    assert_eq!(rows(&chrome_db("Profile 1")), chrome_profile1_keep());

    // The home half of doctor in the child, the machine half here, in one report.
    let doctor = w.run_env(h, &["doctor", "--json"], &system);
    doctor.assert_code(1);
    let here = w.run(h, &["doctor", "--json"]);
    let (got, want) = (doctor.json(), here.json());
    for k in ["findings", "profiles", "browsers", "summary", "unread"] {
        assert_eq!(got[k], want[k], "{k}");
    }
    assert_eq!(got["findings"].as_array().unwrap().len(), 4, "{got:#}");

    let restore = w.run_env(h, &["-v", "restore"], &system);
    restore.assert_code(0);
    assert!(restore.stderr.contains(how), "{}", restore.stderr);
    assert_eq!(rows(&chrome_db("Default")), chrome_rows);

    // Not SYSTEM: this process does the work, and says nothing of a token.
    let plain = w.run(h, &["-v", "browsers"]);
    plain.assert_code(0);
    assert!(!plain.stderr.contains("as its owner"), "{}", plain.stderr);
}

/// `--all-users` in the Windows build: the accounts of `<root>\Users` less the shared
/// profiles, each run as with `--home`, one line for Intune.
#[test]
fn all_users_lists_the_users_directory_of_a_windows_root() {
    let Some(w) = wine("all_users_lists_the_users_directory_of_a_windows_root") else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let users = root.path().join("Users");
    copy_tree(&repo().join("profiles/windows"), &users.join("ana"));
    for d in [
        "Public",
        "Default",
        "Default User",
        "All Users",
        "defaultuser0",
    ] {
        std::fs::create_dir_all(users.join(d)).unwrap();
    }
    let one = w.run(
        &users.join("ana"),
        &["--json", "clear-cookies", "--dry-run"],
    );
    one.assert_code(0);
    let json = one.json();
    let n = json["summary"]["would_remove"].as_u64().unwrap();
    let profiles = json["profiles"].as_array().unwrap().len();
    let run = |args: &[&str]| {
        let out = Command::new(&w.wrapper)
            .arg(&w.exe)
            .args([
                "--root",
                &win(root.path()),
                "--os",
                "windows",
                "--all-users",
            ])
            .args(args)
            .env_clear()
            .envs(wine_env())
            .output()
            .expect("run loginfix.exe under wine");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let summary = run(&["--summary", "clear-cookies", "--dry-run"]);
    summary.assert_code(0);
    assert_eq!(
        summary.stdout,
        format!(
            "loginfix clear-cookies: would remove {n} item(s) in {profiles} profile(s), \
             0 skipped (browser running), 0 failed, 0 not reached; 1 of 1 user(s) done; exit 0 (ok)\n"
        )
    );
    let doc = run(&["--json", "browsers"]);
    doc.assert_code(0);
    let doc = doc.json();
    assert_eq!(doc["users"].as_array().unwrap().len(), 1);
    assert_eq!(doc["users"][0]["name"], "ana");
    assert!(doc["users"][0]["uid"].is_null());

    // A real fleet run: ana's stores are cleaned as with `--home`, the others' rows kept,
    // and the shared profiles are left alone.
    let planned = w
        .run(&users.join("ana"), &["--json", "fix", "--dry-run"])
        .json()["clean"]["summary"]["would_remove"]
        .as_u64()
        .unwrap();
    assert_eq!(
        planned, 81,
        "24 cookies, 7 cache entries, 18 + 18 + 14 site data"
    );
    let real = run(&["--json", "fix", "--yes"]);
    real.assert_code(0);
    let doc = real.json();
    let user = &doc["users"][0];
    assert_eq!(
        (&user["name"], &user["status"], &user["exit_code"]),
        (&"ana".into(), &"done".into(), &0.into())
    );
    assert_eq!(
        user["report"]["clean"]["summary"]["removed"].as_u64(),
        Some(planned)
    );
    let ana = users.join("ana");
    for (db, keep) in cookie_dbs(&ana).iter().zip([
        chrome_default_keep(),
        chrome_profile1_keep(),
        chrome_default_keep(),
        firefox_keep(),
    ]) {
        assert_eq!(rows(db), keep, "{}", db.display());
    }
    assert_eq!(std::fs::read_dir(users.join("Public")).unwrap().count(), 0);
}

/// `clear-site-data` in Chrome, Edge and Firefox under Windows' rules, with the same
/// expectations as on Linux (samples.rs): the targets' directories go, the shared LevelDBs
/// are rebuilt without their keys and keep every other site's key and value (each rebuilt
/// file flushed through a handle that may flush: `FlushFileBuffers` refuses a read-only
/// one), the other sites' directories stay byte-for-byte, and `restore` puts it all back.
#[test]
fn clear_site_data_removes_the_targets_keeps_the_others_and_restore_brings_it_back() {
    let Some(w) =
        wine("clear_site_data_removes_the_targets_keeps_the_others_and_restore_brings_it_back")
    else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let text = w.run(h, &["clear-site-data", "--dry-run"]);
    text.assert_code(0);
    assert!(
        text.stdout.contains("edge Default")
            && text.stdout.ends_with("Dry run: nothing was changed.\n"),
        "{}",
        text.stdout
    );
    site_data_clean(h, &WINDOWS, &|h, args| w.run(h, args));
    for db in ["Default/Local Storage/leveldb", "Default/Session Storage"] {
        let db = h.join(EDGE).join(db);
        let tmp = format!(
            "{}__tmp_for_rebuild",
            db.file_name().unwrap().to_string_lossy()
        );
        assert!(!db.with_file_name(tmp).exists(), "{}", db.display());
    }
}

/// The cookie stores of the Windows sample: Chrome's two profiles, Edge's and Firefox's.
fn cookie_dbs(h: &Path) -> [PathBuf; 4] {
    [
        h.join(CHROME).join("Default/Network/Cookies"),
        h.join(CHROME).join("Profile 1/Network/Cookies"),
        h.join(EDGE).join("Default/Network/Cookies"),
        h.join(FIREFOX).join("cookies.sqlite"),
    ]
}

/// `fix` in one run: the dry run plans every kind of data in Chrome, Edge and Firefox and
/// changes nothing; `fix --yes` removes what it planned (cookies, Firefox's cache entries,
/// site data), keeps every other site's rows and directories, leaves nothing to find, and
/// its one backup set restores the cookies.
#[test]
fn fix_dry_run_then_yes_clears_chrome_edge_and_firefox_and_restore_undoes_it() {
    let Some(w) = wine("fix_dry_run_then_yes_clears_chrome_edge_and_firefox_and_restore_undoes_it")
    else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let dbs = cookie_dbs(h);
    let rows_before: Vec<_> = dbs.iter().map(|d| rows(d)).collect();
    let example = [
        h.join(CHROME)
            .join("Default/IndexedDB/https_example.org_0.indexeddb.leveldb"),
        h.join(EDGE)
            .join("Default/IndexedDB/https_example.org_0.indexeddb.leveldb"),
        h.join(FIREFOX).join("storage/default/https+++example.org"),
    ];
    let example_before: Vec<_> = example.iter().map(|d| snapshot(d)).collect();
    let gone = [
        h.join(CHROME)
            .join("Default/IndexedDB/https_chatgpt.com_0.indexeddb.leveldb"),
        h.join(EDGE)
            .join("Default/IndexedDB/https_chatgpt.com_0.indexeddb.leveldb"),
        h.join(FIREFOX).join("storage/default/https+++chatgpt.com"),
    ];

    let before = snapshot(h);
    let plan = w.run(h, &["fix", "--dry-run", "--json"]);
    plan.assert_code(0);
    assert_unchanged(&before, h);
    let plan = plan.json();
    let planned = |browser: &str| -> Vec<String> {
        let mut v: Vec<String> = plan["clean"]["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["browser"] == browser)
            .flat_map(|p| p["items"].as_array().unwrap())
            .map(|i| i["store"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let chromium = [
        "bucket",
        "cache_storage",
        "cookies",
        "indexed_db",
        "local_storage",
        "service_worker",
        "session_storage",
    ];
    assert_eq!(planned("chrome"), chromium);
    assert_eq!(planned("edge"), chromium);
    for kind in ["cache", "cookies", "site_storage", "session_storage"] {
        assert!(planned("firefox").contains(&kind.to_string()), "{kind}");
    }
    let text = w.run(h, &["fix", "--dry-run"]);
    text.assert_code(0);
    assert_unchanged(&before, h);
    assert!(!text.stdout.contains("lfxsecret"), "a cookie value leaked");

    let run = w.run(h, &["fix", "--yes", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["clean"]["summary"]["failed"], 0, "{json:#}");
    assert_eq!(
        json["clean"]["summary"]["removed"],
        plan["clean"]["summary"]["would_remove"]
    );
    let keep = [
        chrome_default_keep(),
        chrome_profile1_keep(),
        chrome_default_keep(),
        firefox_keep(),
    ];
    for (db, keep) in dbs.iter().zip(&keep) {
        assert_eq!(&rows(db), keep, "{}", db.display());
    }
    for d in &gone {
        assert!(!d.exists(), "{} is still there", d.display());
    }
    for (d, snap) in example.iter().zip(&example_before) {
        assert_unchanged(snap, d);
    }
    let again = w.run(h, &["fix", "--dry-run", "--json"]);
    assert_eq!(again.json()["clean"]["summary"]["would_remove"], 0);

    let listed = w.run(h, &["backups", "--json"]);
    listed.assert_code(0);
    assert_eq!(listed.json()["sets"].as_array().unwrap().len(), 1);
    let id = json["clean"]["backup"]["id"].as_str().unwrap();
    let undo = json["clean"]["undo_command"].as_str().unwrap();
    assert!(undo.ends_with(&format!("restore {id}")), "{undo}");
    let restore = w.run(h, &["restore", id, "--json"]);
    restore.assert_code(0);
    assert!(restore.json()["stores"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["action"] == "restored"));
    for (db, want) in dbs.iter().zip(&rows_before) {
        assert_eq!(&rows(db), want, "{}", db.display());
    }
    for d in &gone {
        assert!(d.is_dir(), "{} not restored", d.display());
    }

    // The text of a real run, in Japanese through a pipe (UTF-8).
    let fresh = sample_home("windows");
    let ja = w.run(fresh.path(), &["--lang", "ja", "fix", "--yes"]);
    ja.assert_code(0);
    assert!(ja.stdout.contains("削除しました"), "{}", ja.stdout);
    for (db, keep) in cookie_dbs(fresh.path()).iter().zip(&keep) {
        assert_eq!(&rows(db), keep, "{}", db.display());
    }
}

/// A report of the Windows build, with what differs by run (time, host, user) dropped,
/// beside the Linux build's reading of the same files with its paths written the Windows
/// way: the two must be equal.
fn as_on_linux(wine: &Run, native: &Run, home: &Path) -> (serde_json::Value, serde_json::Value) {
    fn paths(v: &mut serde_json::Value, unix: &str, windows: &str) {
        match v {
            serde_json::Value::String(s) if s.starts_with(unix) => {
                *s = format!("{windows}{}", s[unix.len()..].replace('/', "\\"));
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|v| paths(v, unix, windows)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|v| paths(v, unix, windows)),
            _ => {}
        }
    }
    let strip = |run: &Run| {
        let mut v = run.json();
        for k in ["time", "hostname", "user"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v
    };
    let mut n = strip(native);
    paths(&mut n, home.to_str().unwrap(), &win(home));
    (strip(wine), n)
}

/// `extensions` reads Chrome's and Edge's Preferences and Firefox's extensions.json as
/// the Linux build does, and lists the sample's ad blockers and translator.
#[test]
fn extensions_lists_the_troublemakers_as_the_linux_build_does() {
    let Some(w) = wine("extensions_lists_the_troublemakers_as_the_linux_build_does") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let run = w.run(h, &["extensions", "--json"]);
    run.assert_code(0);
    let (got, want) = as_on_linux(&run, &loginfix(h, "windows", &["extensions", "--json"]), h);
    assert_eq!(got, want);
    let ids: Vec<String> = got["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["extensions"].as_array().unwrap().iter().map(move |e| {
                format!(
                    "{} {}",
                    p["browser"].as_str().unwrap(),
                    e["id"].as_str().unwrap()
                )
            })
        })
        .collect();
    assert_eq!(
        ids,
        [
            "chrome cjpalhdlnbpafiamejdnhcphjbkeiagm",
            "chrome mnopabcdefghijklmnopabcdefghijkl",
            "chrome aapbdbdomjkkjkaonfhkkikfgjllcleb",
            "edge cfhdojbkjhnklbpkdaibdccddilifddb",
            "edge odfafepnkmbhccpbejgmiehpchacaeak",
            "firefox uBlock0@raymondhill.net",
            "firefox proxy-sample@example.org",
            "firefox CookieAutoDelete@kennydo.com",
        ]
    );
    let text = w.run(h, &["extensions"]);
    text.assert_code(0);
    assert!(
        text.stdout.contains("Adblock Plus - free ad blocker"),
        "{}",
        text.stdout
    );
}

/// `doctor` on the sample: the same profile findings as the Linux build's reading, and
/// (a Windows build examining a home it was given) the same machine checks. Policies and
/// a proxy in Wine's registry are doctor_machine.rs's `windows_registry_policies_and_proxies`.
#[test]
fn doctor_finds_the_samples_extensions_as_the_linux_build_does() {
    let Some(w) = wine("doctor_finds_the_samples_extensions_as_the_linux_build_does") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let run = w.run(h, &["doctor", "--json"]);
    run.assert_code(1);
    let (got, want) = as_on_linux(&run, &loginfix(h, "windows", &["doctor", "--json"]), h);
    for k in ["findings", "profiles", "browsers", "summary", "unread"] {
        assert_eq!(got[k], want[k], "{k}");
    }
    let found: Vec<String> = crate::util::finding_keys(&got, "browser");
    assert_eq!(
        found,
        [
            "interfering_extension chrome",
            "interfering_extension edge",
            "interfering_extension edge",
            "interfering_extension firefox",
        ]
    );
    let text = w.run(h, &["--lang", "ja", "doctor"]);
    text.assert_code(1);
    assert!(text.stdout.contains("uBlock Origin"), "{}", text.stdout);
}

/// The Wine user's own folder (`C:\users\<name>` in the prefix): where a run with no
/// `--home` looks, as a double-clicked `loginfix.exe` does.
fn wine_user_dir() -> PathBuf {
    let prefix = std::env::var_os("LOGINFIX_WINEPREFIX")
        .map_or_else(|| PathBuf::from("/tmp/loginfix-wine"), PathBuf::from);
    let users: Vec<PathBuf> = std::fs::read_dir(prefix.join("drive_c/users"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "Public"))
        .collect();
    assert_eq!(users.len(), 1, "{users:?}");
    users.into_iter().next().unwrap()
}

/// The sample's browser folders copied into the Wine user's AppData for one test, and
/// removed (with loginfix's backups) when it ends, passed or not.
struct InstalledSample(Vec<PathBuf>);

const SAMPLE_APPS: [&str; 4] = [
    "AppData/Local/Google",
    "AppData/Local/Microsoft/Edge",
    "AppData/Local/Mozilla",
    "AppData/Roaming/Mozilla",
];

impl InstalledSample {
    fn new(user: &Path) -> InstalledSample {
        let installed = InstalledSample(
            SAMPLE_APPS
                .iter()
                .map(|rel| user.join(rel))
                .chain([user.join("AppData/Roaming/loginfix")])
                .collect(),
        );
        installed.remove();
        for rel in SAMPLE_APPS {
            copy_tree(&repo().join("profiles/windows").join(rel), &user.join(rel));
        }
        installed
    }

    fn remove(&self) {
        for d in &self.0 {
            if d.exists() {
                std::fs::remove_dir_all(d).unwrap();
            }
        }
    }
}

impl Drop for InstalledSample {
    fn drop(&mut self) {
        self.remove();
    }
}

/// What a console showed, as one line: Wine's console draws on the terminal with escape
/// sequences and breaks lines at its width.
fn shown(term: &crate::fix::terminal::Term) -> String {
    let text = term.text();
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.next() == Some('[') {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
            }
            '\r' | '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Waits until the console shows `needle`: 5 minutes at most, as the whole guided clean
/// (with backups, under Wine, beside the rest of the suite on a loaded machine) may come
/// before it.
#[track_caller]
fn wait_for(term: &mut crate::fix::terminal::Term, needle: &str) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while !shown(term).contains(needle) {
        assert!(
            std::time::Instant::now() < end && term.running(),
            "{needle:?} never shown:\n{}",
            shown(term)
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Double-clicked, `loginfix.exe` is alone on a console Windows made for it: it runs the
/// guided mode in the user's language (Japanese here: kana and kanji on the console, not
/// `?`), and keeps the window open until Enter. From a shell (`cmd /c`, which shares its
/// console) or with any argument it never waits. Wine started on a terminal gives the exe
/// a console of its own, as Explorer does.
#[test]
fn a_double_click_runs_the_guided_mode_in_japanese_and_waits_for_enter() {
    use crate::fix::terminal::Term;
    let Some(w) = wine("a_double_click_runs_the_guided_mode_in_japanese_and_waits_for_enter")
    else {
        return;
    };
    let console = |args: &[&str], from_cmd: bool| -> Term {
        let mut cmd = Command::new(&w.wrapper);
        if from_cmd {
            cmd.args(["cmd", "/c", &win(&w.exe)]);
        } else {
            cmd.arg(&w.exe);
        }
        cmd.args(args)
            .env_clear()
            .envs(wine_env())
            // Wine draws the console on the terminal in the Unix locale's charset (C.UTF-8
            // is on every machine); loginfix takes Japanese from LC_MESSAGES.
            .env("LANG", "C.UTF-8")
            .env("LC_MESSAGES", "ja_JP.UTF-8")
            .env("TERM", "xterm");
        Term::spawn_raw(cmd)
    };
    let press_enter = "Enter キーを押すとこのウィンドウを閉じます。";

    // From a shell: the guided mode (no argument, on a console) ends without waiting.
    let (code, text) = console(&[], true).finish();
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("loginfix：") && !text.contains(press_enter),
        "{text}"
    );
    // With an argument, alone on the console: no waiting either.
    let (code, text) = console(&["--lang", "ja"], false).finish();
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains(press_enter), "{text}");

    let user = wine_user_dir();
    let _sample = InstalledSample::new(&user);
    let chrome = user.join(CHROME).join("Default/Network/Cookies");
    let edge = user.join(EDGE).join("Default/Network/Cookies");
    let mut term = console(&[], false);
    wait_for(
        &mut term,
        "ブラウザーに残った ChatGPT のログイン情報を消して",
    );
    wait_for(&mut term, "削除してよろしいですか？ [Y/n]");
    // As a person would: after the question is on screen and its read has begun.
    std::thread::sleep(std::time::Duration::from_millis(500));
    term.type_in("y\r");
    wait_for(&mut term, press_enter);
    // The result stays on screen: the window waits for Enter, however long.
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(term.running(), "closed without Enter:\n{}", shown(&term));
    assert_eq!(rows(&chrome), chrome_default_keep());
    assert_eq!(rows(&edge), chrome_default_keep());
    term.type_in("\r");
    let (code, _) = term.finish();
    assert_eq!(code, 0);
}

/// A clean requested on a Windows machine is marked in `HKLM\SOFTWARE\loginfix`, where no
/// user can write; `fix --if-requested` cleans while it stands and clears it, so the next
/// scheduled remediation changes nothing.
#[test]
fn a_clean_requested_in_hklm_is_served_once() {
    let Some(w) = wine("a_clean_requested_in_hklm_is_served_once") else {
        return;
    };
    let home = sample_home("windows");
    let h = home.path();
    let chrome = h.join(CHROME).join("Default/Network/Cookies");
    let before = rows(&chrome);
    // Whatever an earlier, interrupted run left.
    w.run(h, &["request", "--clear"]).assert_code(0);
    let status = w.run(h, &["request", "--status", "--json"]);
    status.assert_code(0);
    assert_eq!(status.json()["requested"], false);
    assert_eq!(
        status.json()["marker"],
        r"HKLM\SOFTWARE\loginfix\FixRequested"
    );
    let idle = w.run(h, &["fix", "--yes", "--if-requested"]);
    idle.assert_code(0);
    assert_eq!(rows(&chrome), before, "cleaned without a request");

    w.run(h, &["request"]).assert_code(0);
    let reg = Command::new(&w.wrapper)
        .args([
            "reg",
            "query",
            r"HKLM\SOFTWARE\loginfix",
            "/v",
            "FixRequested",
        ])
        .env_clear()
        .envs(wine_env())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&reg.stdout).contains("FixRequested"),
        "{reg:?}"
    );
    w.run(h, &["request", "--status"]).assert_code(1);
    let fix = w.run(h, &["--summary", "fix", "--yes", "--if-requested"]);
    fix.assert_code(0);
    assert!(
        fix.stdout.starts_with("loginfix fix: removed"),
        "{}",
        fix.stdout
    );
    assert_eq!(rows(&chrome), chrome_default_keep());
    let status = w.run(h, &["request", "--status", "--json"]);
    status.assert_code(0);
    assert_eq!(status.json()["requested"], false, "the request was served");
}
