//! Test harness: run the built binary against a temporary home, build homes from a
//! compact description (Chromium and Firefox stores in their real schemas), snapshot a
//! directory tree to prove a run changed nothing, and read the rows left in a store.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `loginfix --home <home> --os <os> ARGS` with a scrubbed environment, so the
/// machine's own browsers and settings cannot leak in.
pub fn loginfix(home: &Path, os: &str, args: &[&str]) -> Run {
    let mut all: Vec<String> = vec![
        "--home".into(),
        home.display().to_string(),
        "--os".into(),
        os.into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    raw(&all, home)
}

/// Runs the binary with exactly `args`, `HOME` pointing at `home`.
pub fn raw<S: AsRef<std::ffi::OsStr>>(args: &[S], home: &Path) -> Run {
    raw_env(args, home, &[])
}

/// [`loginfix`] with extra environment variables.
pub fn loginfix_env(home: &Path, os: &str, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut all: Vec<String> = vec![
        "--home".into(),
        home.display().to_string(),
        "--os".into(),
        os.into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    raw_env(&all, home, env)
}

/// [`raw`] with extra environment variables.
pub fn raw_env<S: AsRef<std::ffi::OsStr>>(args: &[S], home: &Path, env: &[(&str, &Path)]) -> Run {
    raw_in(args, home, env, None)
}

/// [`raw`] run in the working directory `cwd`.
pub fn raw_at<S: AsRef<std::ffi::OsStr>>(args: &[S], home: &Path, cwd: &Path) -> Run {
    raw_in(args, home, &[], Some(cwd))
}

fn raw_in<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    home: &Path,
    env: &[(&str, &Path)],
    cwd: Option<&Path>,
) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loginfix"));
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    let out = cmd
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .output()
        .expect("run loginfix");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A private copy of a sample home from `profiles/`: tests never touch the originals.
pub fn sample_home(name: &str) -> tempfile::TempDir {
    let src = repo().join("profiles").join(name);
    assert!(src.is_dir(), "missing sample home {}", src.display());
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&src, dir.path());
    dir
}

/// The browser versions a sample home was written by (Chrome's `Last Version`, Firefox's
/// `compatibility.ini`), which change when `profiles/regenerate.sh` runs on newer browsers.
pub fn sample_versions(chrome_udd: &Path, firefox_profile: &Path) -> (String, String) {
    let chrome = std::fs::read_to_string(chrome_udd.join("Last Version")).unwrap();
    let compat = std::fs::read_to_string(firefox_profile.join("compatibility.ini")).unwrap();
    let ff = compat
        .lines()
        .find_map(|l| l.strip_prefix("LastVersion="))
        .and_then(|v| v.split('_').next())
        .unwrap()
        .to_string();
    (chrome.trim().to_string(), ff)
}

pub fn copy_tree(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file, directory and symlink under `dir` with its content and permission bits:
/// equal snapshots mean not one byte changed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut map = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let ft = entry.file_type();
        let mut content = if ft.is_symlink() {
            let mut v = b"link:".to_vec();
            v.extend(
                std::fs::read_link(entry.path())
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes(),
            );
            v
        } else if ft.is_dir() {
            b"dir".to_vec()
        } else {
            std::fs::read(entry.path()).unwrap()
        };
        content.extend(mode_tag(entry.path()).as_bytes());
        map.insert(rel, content);
    }
    map
}

/// The permission bits a snapshot records: the mode on Unix, the read-only flag elsewhere.
fn mode_tag(path: &Path) -> String {
    let meta = path.symlink_metadata().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!("|mode={:o}", meta.mode())
    }
    #[cfg(not(unix))]
    {
        format!("|readonly={}", meta.permissions().readonly())
    }
}

#[track_caller]
pub fn assert_unchanged(before: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) {
    let after = snapshot(dir);
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "files changed: {changed:?}");
}

/// A cookie to put into a generated store.
#[derive(Clone, Debug)]
pub struct Cookie {
    pub host: &'static str,
    pub name: &'static str,
    /// Chromium `top_frame_site_key` / Firefox `originAttributes`.
    pub partition: &'static str,
    pub value: String,
}

pub fn cookie(host: &'static str, name: &'static str, partition: &'static str) -> Cookie {
    Cookie {
        host,
        name,
        partition,
        value: format!("lfxsecret_{}_{}", host.trim_start_matches('.'), name),
    }
}

/// Chromium's cookie schema (version 24, as Chromium 156 writes it).
pub const CHROMIUM_SCHEMA: &str = loginfix::testing::chromium::COOKIES_SCHEMA;

/// Firefox's `moz_cookies` (schema 17).
pub const FIREFOX_SCHEMA: &str = "
CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL DEFAULT '',
  name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, lastAccessed INTEGER,
  creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER, inBrowserElement INTEGER DEFAULT 0,
  sameSite INTEGER DEFAULT 0, schemeMap INTEGER DEFAULT 0, isPartitionedAttributeSet INTEGER DEFAULT 0,
  updateTime INTEGER, CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes));
PRAGMA user_version = 17;";

pub fn write(path: &Path, data: impl AsRef<[u8]>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, data).unwrap();
}

pub fn chromium_cookies(path: &Path, cookies: &[Cookie]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(CHROMIUM_SCHEMA).unwrap();
    for (i, c) in cookies.iter().enumerate() {
        conn.execute(
            "INSERT INTO cookies VALUES (?1, ?2, ?3, ?4, '', ?5, '/', 0, 1, 1, 0, 1, 1, 1, 0, 2, 443, 0, 1, 0)",
            rusqlite::params![13_400_000_000_000_000i64 + i as i64, c.host, c.partition, c.name, c.value.as_bytes()],
        )
        .unwrap();
    }
}

pub fn firefox_cookies(path: &Path, cookies: &[Cookie]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(FIREFOX_SCHEMA).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL").unwrap();
    for c in cookies {
        conn.execute(
            "INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry) VALUES (?1, ?2, ?3, ?4, '/', 9999999999999)",
            rusqlite::params![c.partition, c.name, c.value, c.host],
        )
        .unwrap();
    }
}

/// (host, name, partition) of every row left in a Chromium or Firefox cookie store.
pub fn rows(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let sql = if conn.prepare("SELECT 1 FROM cookies LIMIT 0").is_ok() {
        "SELECT host_key, name, top_frame_site_key FROM cookies ORDER BY host_key, name, top_frame_site_key"
    } else {
        "SELECT host, name, originAttributes FROM moz_cookies ORDER BY host, name, originAttributes"
    };
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// A Firefox session-restore file holding `cookies` (partition as a decoded key).
pub fn session_file(path: &Path, cookies: &[Cookie]) {
    let list: Vec<serde_json::Value> = cookies
        .iter()
        .map(|c| {
            serde_json::json!({
                "host": c.host, "value": c.value, "path": "/", "name": c.name,
                "secure": true, "httponly": false, "sameSite": 0, "schemeMap": 2,
                "originAttributes": {"firstPartyDomain": "", "geckoViewSessionContextId": "",
                    "inIsolatedMozBrowser": false, "partitionKey": c.partition,
                    "privateBrowsingId": 0, "userContextId": 0}
            })
        })
        .collect();
    let doc = serde_json::json!({
        "version": ["sessionrestore", 1],
        "windows": [{"tabs": [{"entries": [{"url": "https://chatgpt.com/", "title": "ChatGPT"}]}], "selected": 1}],
        "session": {"lastUpdate": 1_763_900_000_000u64, "startTime": 1_763_800_000_000u64},
        "global": {},
        "cookies": list,
    });
    let text = serde_json::to_vec(&doc).unwrap();
    write(path, loginfix::stores::firefox::mozlz4::encode(&text));
}

/// (host, name) of the cookies left in a session-restore file.
pub fn session_cookies(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&loginfix::stores::firefox::mozlz4::decode(&bytes).unwrap())
            .unwrap();
    let mut out = Vec::new();
    let mut collect = |list: &serde_json::Value| {
        for c in list.as_array().into_iter().flatten() {
            out.push((
                c["host"].as_str().unwrap().to_string(),
                c["name"].as_str().unwrap().to_string(),
            ));
        }
    };
    collect(&json["cookies"]);
    for w in json["windows"].as_array().into_iter().flatten() {
        collect(&w["cookies"]);
    }
    out.sort();
    out
}

/// The standard mix: target cookies, a partitioned third-party cookie under a target,
/// and look-alikes and other sites that must survive.
pub fn chromium_mix() -> Vec<Cookie> {
    vec![
        cookie("chatgpt.com", "__Secure-next-auth.session-token", ""),
        cookie(".chatgpt.com", "oai-did", ""),
        cookie("auth.openai.com", "auth0", ""),
        cookie(".openai.com", "_cfuvid", ""),
        cookie("cdn.oaistatic.com", "tp", "https://chatgpt.com"),
        cookie("cdn.oaistatic.com", "tp", "https://example.org"),
        cookie("example.org", "keep", ""),
        cookie("notchatgpt.com", "keep", ""),
        cookie("chatgpt.com.evil.org", "keep", ""),
        cookie("openai.com.example.org", "keep", ""),
    ]
}

pub fn firefox_mix() -> Vec<Cookie> {
    vec![
        cookie("chatgpt.com", "__Secure-next-auth.session-token", ""),
        cookie(".chatgpt.com", "oai-did", "^userContextId=2"),
        cookie("auth.openai.com", "auth0", ""),
        cookie(".openai.com", "_cfuvid", ""),
        cookie(
            ".cdn.oaistatic.com",
            "tp",
            "^partitionKey=%28https%2Cchatgpt.com%29",
        ),
        cookie(
            ".cdn.oaistatic.com",
            "tp",
            "^partitionKey=%28https%2Cexample.org%29",
        ),
        cookie("example.org", "keep", ""),
        cookie("notchatgpt.com", "keep", ""),
        cookie("chatgpt.com.evil.org", "keep", ""),
        cookie("openai.com.example.org", "keep", ""),
    ]
}

/// Rows that must survive a clean of the standard mix.
pub fn survivors(mix: &[Cookie]) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = mix
        .iter()
        .filter(|c| c.name == "keep" || c.partition.contains("example.org"))
        .map(|c| {
            (
                c.host.to_string(),
                c.name.to_string(),
                c.partition.to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// A Linux home with a Chrome user-data dir (Local State naming two profiles) and a
/// Firefox profile listed in profiles.ini, filled with the standard mixes.
pub fn synthetic_linux_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let udd = h.join(".config/google-chrome");
    write(
        &udd.join("Local State"),
        r#"{"profile":{"info_cache":{"Default":{"name":"Person 1"},"Profile 2":{"name":"Work"}}}}"#,
    );
    write(&udd.join("Last Version"), "156.0.8078.73");
    chromium_cookies(&udd.join("Default/Cookies"), &chromium_mix());
    chromium_cookies(
        &udd.join("Profile 2/Cookies"),
        &[
            cookie("chatgpt.com", "w", ""),
            cookie("example.org", "keep", ""),
        ],
    );
    let ff = h.join(".mozilla/firefox");
    write(
        &ff.join("profiles.ini"),
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n",
    );
    let prof = ff.join("abcd1234.default-release");
    firefox_cookies(&prof.join("cookies.sqlite"), &firefox_mix());
    write(
        &prof.join("compatibility.ini"),
        "[Compatibility]\nLastVersion=153.7.0_20260101000000/20260101000000\n",
    );
    session_file(
        &prof.join("sessionstore-backups/recovery.jsonlz4"),
        &[
            cookie(".chatgpt.com", "oai-session", ""),
            cookie("cdn.oaistatic.com", "tps", "(https,chatgpt.com)"),
            cookie("example.org", "session-keep", ""),
            cookie("notchatgpt.com", "session-keep", ""),
        ],
    );
    home
}

/// This machine's host name, as Chromium writes it into `SingletonLock`.
/// A Chromium user-data dir `udd` held by a live process of this host (a `sleep`, named
/// in `SingletonLock` as Chromium names itself): loginfix takes the browser as running
/// until the returned child is killed.
#[cfg(unix)]
pub fn running_chromium(udd: &Path) -> std::process::Child {
    let sleeper = std::process::Command::new("sleep")
        .arg("120")
        .spawn()
        .unwrap();
    std::os::unix::fs::symlink(
        format!("{}-{}", hostname(), sleeper.id()),
        udd.join("SingletonLock"),
    )
    .unwrap();
    sleeper
}

pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| {
            let out = std::process::Command::new("hostname").output().unwrap();
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
}

/// `2026-11-23T22:18:46Z`: RFC 3339, UTC, to the second.
pub fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Every path-valued field of a JSON document (by name) that is not absolute.
pub fn relative_paths(doc: &serde_json::Value) -> Vec<String> {
    const PATH_KEYS: [&str; 8] = [
        "home",
        "path",
        "file",
        "dir",
        "backup_dir",
        "original",
        "searched",
        "files",
    ];
    let mut bad = Vec::new();
    fn strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    fn walk(v: &serde_json::Value, bad: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    if PATH_KEYS.contains(&k.as_str()) {
                        let mut found = Vec::new();
                        strings(v, &mut found);
                        bad.extend(
                            found
                                .into_iter()
                                .filter(|s| !Path::new(s).is_absolute())
                                .map(|s| format!("{k}: {s}")),
                        );
                    }
                    walk(v, bad);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, bad)),
            _ => {}
        }
    }
    walk(doc, &mut bad);
    bad
}

/// `s` quoted as loginfix quotes a word of an undo command.
pub fn sh_quote(s: &str) -> String {
    loginfix::report::shell_quote(s)
}

/// Whether `tool` runs; without it the test is skipped, but in CI (`CI` set) it fails.
pub fn have(tool: &str, why: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            !std::env::var_os("CI").is_some_and(|v| !v.is_empty()),
            "`{tool}` is missing ({why}); .ci/run installs it"
        );
        eprintln!("skipped: `{tool}` is missing ({why})");
    }
    found
}

/// Whether the tests that act on homes other users own can run: as root (CI must be
/// root, so there a test fails rather than skips).
#[cfg(target_os = "linux")]
pub fn as_root() -> bool {
    if crate::fleet::is_root() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI runs as root; these tests must run there"
    );
    eprintln!("skipped: needs root to act on homes other users own");
    false
}

/// Each of the `findings` of a `doctor --json` document as `"<id> <field>"` (`field`:
/// `severity`, `scope`, `browser`, ...), in the document's order.
pub fn finding_keys<B: FromIterator<String>>(doc: &serde_json::Value, field: &str) -> B {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["id"].as_str().unwrap(),
                f[field].as_str().unwrap()
            )
        })
        .collect()
}
