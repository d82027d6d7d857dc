//! Real browsers judge what loginfix removed and kept.
//!
//! For each layout (Chromium with its default user-data dir `~/.config/chromium`, the
//! Chrome layout `~/.config/google-chrome`, the Edge layout `~/.config/microsoft-edge`,
//! all three driven with Debian's `chromium`, and `firefox-esr` with a profile listed in
//! `~/.mozilla/firefox/profiles.ini`), in a throwaway home:
//!
//! 1. profiles/regen/server.py serves every test host over HTTPS on 127.0.0.1:443 (a
//!    throwaway CA trusted through NSS) and logs each request's host, path, Cookie and
//!    Referer;
//! 2. the real browser, headless, visits every site in two launches: the first writes
//!    cookies and cache, the second is the control that shows, from the log, that every
//!    cookie (targets included) is sent and every cacheable sub-resource comes from the
//!    cache when nothing was removed;
//! 3. `loginfix clear-cookies` and `clear-cache` run for that browser, dry run first
//!    (nothing may change), then for real (the same items, nothing failed);
//! 4. the browser visits every site again: the first request to each target carries no
//!    target cookie, every other site's cookies arrive, exactly the targets' cached
//!    sub-resources are fetched again, and the browser exits 0;
//! 5. with the browser running on the profile (its lock held; frozen with SIGSTOP so it
//!    cannot write), loginfix refuses with exit code 3 and changes no byte of the home.
//!
//! Only the first request to a host tells whether its cookie survived: the server sets
//! the cookies again on every page. A page's `/` is `no-cache`, so it always reaches the
//! server; the cache is judged on `/app.js` and the CDN's `/logo.png`. The partitioned CDN
//! cookie of an already-cached image is only observable through a cache-busting visit
//! (`/?bust=...`, which the server passes on to the page's sub-resources).
//!
//! Needs chromium, firefox-esr, certutil (libnss3-tools), openssl, python3 and ports 443
//! and 2828 (root): without them the tests say `skipped: <why>`, except in CI (`CI` set)
//! where that is a failure. The tests (these four, the storage round's four in
//! `real_browsers/storage.rs`, doctor's two in `real_browsers/doctor.rs` and the policy
//! judges in `real_browsers/policy.rs` and `real_browsers/policy_firefox.rs`) take one
//! machine-wide lock.

// Debian's chromium and firefox-esr, process groups and signals: Unix only.
#![cfg(unix)]
#![allow(clippy::print_stderr)]

mod doctor;
mod harness;
mod policy;
mod policy_firefox;
mod storage;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use harness::*;

use crate::util::{loginfix, repo, Run};

pub const CDN: &str = "cdn.oaistatic.com";

/// Every site visited, in order. Each page `/` sets its cookies and loads its `/app.js`;
/// chatgpt.com and example.org also embed the CDN's `/logo.png` (partitioned cookie).
const SITES: [&str; 7] = [
    "chatgpt.com",
    "auth.openai.com",
    "openai.com",
    "example.org",
    "notchatgpt.com",
    "chatgpt.com.evil.org",
    "openai.com.example.org",
];

/// What server.py sets, per (host, top-level site for the CDN): the cookies the first
/// request there must carry when they were kept.
struct Site {
    host: &'static str,
    top: &'static str,
    target: bool,
    cookies: &'static [(&'static str, &'static str)],
}

const EXPECT: [Site; 9] = [
    Site {
        host: "chatgpt.com",
        top: "",
        target: true,
        cookies: &[
            (
                "__Secure-next-auth.session-token",
                "lfxsecret_chatgpt_hostonly_session_token",
            ),
            ("oai-did", "lfxsecret_chatgpt_domain_did"),
            ("oai-session", "lfxsecret_chatgpt_session_only"),
        ],
    },
    Site {
        host: "auth.openai.com",
        top: "",
        target: true,
        cookies: &[
            ("auth-session", "lfxsecret_auth_openai_hostonly"),
            ("oai-domain", "lfxsecret_openai_domain"),
        ],
    },
    Site {
        host: "openai.com",
        top: "",
        target: true,
        cookies: &[("oai-domain", "lfxsecret_openai_domain")],
    },
    Site {
        host: CDN,
        top: "chatgpt.com",
        target: true,
        cookies: &[("tp", "lfxsecret_cdn_partitioned_under_chatgpt")],
    },
    Site {
        host: "example.org",
        top: "",
        target: false,
        cookies: &[
            ("eo-keep", "lfxsecret_example_org_persistent"),
            ("eo-session", "lfxsecret_example_org_session_only"),
        ],
    },
    Site {
        host: "notchatgpt.com",
        top: "",
        target: false,
        cookies: &[("nc-keep", "lfxsecret_notchatgpt_persistent")],
    },
    Site {
        host: "chatgpt.com.evil.org",
        top: "",
        target: false,
        cookies: &[("evil-keep", "lfxsecret_chatgpt_com_evil_org_persistent")],
    },
    Site {
        host: "openai.com.example.org",
        top: "",
        target: false,
        cookies: &[(
            "lookalike-keep",
            "lfxsecret_openai_com_example_org_persistent",
        )],
    },
    Site {
        host: CDN,
        top: "example.org",
        target: false,
        cookies: &[("tp", "lfxsecret_cdn_partitioned_under_example_org")],
    },
];

/// Cacheable sub-resources as (host, path, top-level site for the CDN), and whether
/// they belong to a target (so clear-cache must remove them).
const SUBRESOURCES: [(&str, &str, &str, bool); 9] = [
    ("chatgpt.com", "/app.js", "", true),
    ("auth.openai.com", "/app.js", "", true),
    ("openai.com", "/app.js", "", true),
    (CDN, "/logo.png", "chatgpt.com", true),
    ("example.org", "/app.js", "", false),
    ("notchatgpt.com", "/app.js", "", false),
    ("chatgpt.com.evil.org", "/app.js", "", false),
    ("openai.com.example.org", "/app.js", "", false),
    (CDN, "/logo.png", "example.org", false),
];

const FF_PROFILE: &str = "lfxtest.default-release";
/// The install hash firefox-esr computes for /usr/lib/firefox-esr (profiles/README.md).
const FF_INSTALL_HASH: &str = "3B6073811A6ABF12";

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Chromium,
    /// Chromium with its SQL disk-cache backend (`sqldb` shards in `Cache_Data`),
    /// switched on as its field trial does.
    ChromiumSql,
    Chrome,
    Edge,
    Firefox,
}

impl Layout {
    /// The `--browser` value, also the test's name.
    fn browser(self) -> &'static str {
        match self {
            Layout::Chromium | Layout::ChromiumSql => "chromium",
            Layout::Chrome => "chrome",
            Layout::Edge => "edge",
            Layout::Firefox => "firefox",
        }
    }

    /// The user-data dir's name under `~/.config` (and the cache's under `~/.cache`).
    fn chromium_dir(self) -> Option<&'static str> {
        match self {
            Layout::Chromium | Layout::ChromiumSql => Some("chromium"),
            Layout::Chrome => Some("google-chrome"),
            Layout::Edge => Some("microsoft-edge"),
            Layout::Firefox => None,
        }
    }
}

#[test]
fn chromium() {
    run(Layout::Chromium);
}

/// The round on Chromium's SQL-backend cache: the targets' rows go, the other sites'
/// entries are still served from it.
#[test]
fn chromium_sql_cache() {
    run(Layout::ChromiumSql);
}

#[test]
fn chrome() {
    run(Layout::Chrome);
}

#[test]
fn edge() {
    run(Layout::Edge);
}

#[test]
fn firefox() {
    run(Layout::Firefox);
}

/// The same round with `fix --yes` in place of `clear-cookies` and `clear-cache`.
#[test]
fn fix_chromium() {
    run_with(Layout::Chromium, true);
}

#[test]
fn fix_firefox() {
    run_with(Layout::Firefox, true);
}

/// The URLs of one visit: every site, then (with `bust`) chatgpt.com and example.org
/// with a query that defeats the cache of their sub-resources, so the CDN's partitioned
/// cookies show in the log even when the plain logo comes from the cache.
fn visits(bust: Option<&str>) -> Vec<String> {
    let mut urls: Vec<String> = SITES.iter().map(|s| format!("https://{s}/")).collect();
    if let Some(b) = bust {
        urls.push(format!("https://chatgpt.com/?bust={b}"));
        urls.push(format!("https://example.org/?bust={b}"));
    }
    urls
}

fn run(layout: Layout) {
    run_with(layout, false);
}

/// The round, with `clear-cookies` and `clear-cache` or (`fix`) one `fix --yes`.
fn run_with(layout: Layout, fix: bool) {
    let name = layout.browser();
    let label = if fix {
        format!("fix_{name}")
    } else if layout == Layout::ChromiumSql {
        "chromium_sql_cache".to_string()
    } else {
        name.to_string()
    };
    let _lock = suite_lock();
    let tools = match preflight(layout == Layout::Firefox) {
        Ok(t) => t,
        Err(reason) => return skip_or_fail(&label, &reason),
    };
    let commands: Vec<Vec<&str>> = if fix {
        vec![vec!["fix", "--yes"]]
    } else {
        vec![vec!["clear-cookies"], vec!["clear-cache"]]
    };
    let args = |cmd: &[&'static str], tail: &[&'static str]| -> Vec<&'static str> {
        let mut a = vec!["--json"];
        a.extend_from_slice(cmd);
        a.extend_from_slice(tail);
        a
    };
    // The clean's document: the whole one, or `fix`'s `clean`.
    let doc = |run: &Run| {
        let j = run.json();
        if fix {
            j["clean"].clone()
        } else {
            j
        }
    };
    let t0 = Instant::now();
    let mut s = Scenario::new(layout, tools);

    // 2. Two launches: the first writes cookies and cache, the second is the control.
    let seed = s.visit("step 2: first visit", &visits(None));
    let mut f = seed.exit_ok();
    f.extend(pages_requested(&seed.requests));
    s.check("step 2: first visit", &seed, f);
    s.check_layout();

    let control = s.visit("step 2: second visit (control)", &visits(Some("control")));
    let mut f = control.exit_ok();
    f.extend(cookies_arrive(&control.requests, EXPECT.iter()));
    f.extend(cache_refetched(&control.requests, &[]));
    s.check(
        "step 2: second visit (control, nothing removed yet)",
        &control,
        f,
    );

    // 3. Dry runs change nothing; the real runs do what the dry runs planned.
    let b = name;
    let before = snapshot(&s.home);
    let dry: Vec<Run> = commands
        .iter()
        .map(|cmd| s.lfx(&args(cmd, &["--browser", b, "--dry-run"])))
        .collect();
    let mut f = Vec::new();
    for run in &dry {
        f.extend(exit_code(run, 0));
        let j = doc(run);
        if j["dry_run"] != true || j["summary"]["would_remove"].as_u64().unwrap_or(0) == 0 {
            f.push(format!(
                "{}: the dry run planned nothing (summary {})",
                j["command"], j["summary"]
            ));
        }
    }
    f.extend(
        changes(&before, &snapshot(&s.home))
            .into_iter()
            .map(|c| format!("the dry runs changed {c}")),
    );
    s.check_lfx("step 3: dry runs", f);

    let cache_before = s.cache_state();
    let real: Vec<Run> = commands
        .iter()
        .map(|cmd| s.lfx(&args(cmd, &["--browser", b])))
        .collect();
    // The SQL backend has no entry files nor index to go stale: its shards stay.
    let mut f = if layout == Layout::ChromiumSql {
        let shard = s.cache_dir().join("sqldb0");
        (!shard.is_file())
            .then(|| format!("the SQL cache's shard {} is gone", shard.display()))
            .into_iter()
            .collect()
    } else {
        stale_index(&cache_before, &s.cache_state())
    };
    for (dry, real) in dry.iter().zip(&real) {
        f.extend(exit_code(real, 0));
        let (d, r) = (doc(dry), doc(real));
        if r["summary"]["failed"] != 0 || r["summary"]["removed"] != d["summary"]["would_remove"] {
            f.push(format!(
                "{}: real run summary {} after dry-run summary {}",
                r["command"], r["summary"], d["summary"]
            ));
        }
        if planned_items(&d) != planned_items(&r) {
            f.push(format!(
                "{}: the real run's items differ from the dry run's",
                r["command"]
            ));
        }
    }
    s.check_lfx("step 3: real runs", f);

    // 4. The browser judges: targets' cookies and cache gone, everything else kept.
    let post = s.visit("step 4: visit after loginfix", &visits(Some("post")));
    let mut f = post.exit_ok();
    f.extend(no_target_cookies(&post.requests));
    f.extend(cookies_arrive(
        &post.requests,
        EXPECT.iter().filter(|e| !e.target),
    ));
    let targets: Vec<_> = SUBRESOURCES.iter().filter(|r| r.3).collect();
    f.extend(cache_refetched(&post.requests, &targets));
    s.check("step 4: visit after loginfix", &post, f);

    // 5. The browser runs on the profile: loginfix refuses (exit 3) and changes nothing.
    let t5 = Instant::now();
    let mut held = s.hold();
    held.freeze();
    let before = snapshot(&s.home);
    let refused: Vec<Run> = commands
        .iter()
        .map(|cmd| s.lfx(&args(cmd, &["--browser", b])))
        .collect();
    let after = snapshot(&s.home);
    held.thaw();
    std::fs::write(s.work.path().join("hold"), "").unwrap();
    let fin = held.finish(Duration::from_secs(60));
    let mut f = Vec::new();
    for run in &refused {
        f.extend(exit_code(run, 3));
        let j = doc(run);
        for p in j["profiles"].as_array().into_iter().flatten() {
            if p["status"] != "skipped_running"
                || p["lock"]["state"] != "running"
                || p["counts"]["removed"] != 0
                || p["counts"]["skipped"].as_u64().unwrap_or(0) == 0
            {
                f.push(format!(
                    "{}: profile {} has status {}, lock {}, counts {} (want skipped_running, \
                     running, nothing removed, the targets re-set in step 4 skipped)",
                    j["command"], p["profile"], p["status"], p["lock"], p["counts"]
                ));
            }
        }
        if j["profiles"].as_array().map_or(0, |a| a.len()) != 1 {
            f.push(format!(
                "{}: want exactly one profile in {}",
                j["command"], j["profiles"]
            ));
        }
    }
    f.extend(
        changes(&before, &after)
            .into_iter()
            .map(|c| format!("loginfix changed {c} while the browser was running")),
    );
    if fin.code != 0 {
        f.push(format!(
            "the held browser's driver exited with {}",
            fin.code
        ));
    }
    s.check_lfx("step 5: browser running", f);
    s.timings
        .push(("step 5".into(), t5.elapsed().as_secs_f64()));

    let timings: Vec<String> = s
        .timings
        .iter()
        .map(|(l, t)| format!("{l} {t:.1}s"))
        .collect();
    eprintln!(
        "real_browsers::{label}: passed in {:.1}s ({})",
        t0.elapsed().as_secs_f64(),
        timings.join(", ")
    );
}

// ------------------------------------------------------------------ judgments

/// The first request to each (host, top-level site): the only one that shows which
/// cookies survived, since the server sets them again on every page.
fn firsts(reqs: &[Request]) -> BTreeMap<(String, String), &Request> {
    let mut out = BTreeMap::new();
    for r in reqs {
        out.entry((r.host.clone(), r.top())).or_insert(r);
    }
    out
}

fn pages_requested(reqs: &[Request]) -> Vec<String> {
    SITES
        .iter()
        .filter(|s| !reqs.iter().any(|r| r.host == **s && r.path == "/"))
        .map(|s| {
            format!("{s}: the page `/` was never requested (did the browser reach the server?)")
        })
        .collect()
}

/// The first request to each listed site carries every cookie the site set.
fn cookies_arrive<'a>(reqs: &[Request], sites: impl Iterator<Item = &'a Site>) -> Vec<String> {
    let firsts = firsts(reqs);
    let mut f = Vec::new();
    for site in sites {
        let on = if site.top.is_empty() {
            String::new()
        } else {
            format!(" on {}", site.top)
        };
        let Some(r) = firsts.get(&(site.host.to_string(), site.top.to_string())) else {
            f.push(format!("{}{on}: never requested", site.host));
            continue;
        };
        for (n, v) in site.cookies {
            if !r.has(n, v) {
                f.push(format!(
                    "{}{on}: cookie {n}={v} did not arrive with the first request ({})",
                    site.host,
                    r.show()
                ));
            }
        }
    }
    f
}

/// No first request carries a target's cookie, and every target was requested.
fn no_target_cookies(reqs: &[Request]) -> Vec<String> {
    let target_values: BTreeSet<&str> = EXPECT
        .iter()
        .filter(|e| e.target)
        .flat_map(|e| e.cookies.iter().map(|c| c.1))
        .collect();
    let firsts = firsts(reqs);
    let mut f = Vec::new();
    for e in EXPECT.iter().filter(|e| e.target) {
        if !firsts.contains_key(&(e.host.to_string(), e.top.to_string())) {
            f.push(format!("{} (top {:?}): never requested", e.host, e.top));
        }
    }
    for r in firsts.values() {
        for (n, v) in &r.cookies {
            if target_values.contains(v.as_str()) {
                f.push(format!(
                    "target cookie {n}={v} survived: sent with the first request {}",
                    r.show()
                ));
            }
        }
    }
    f
}

/// Exactly `want` of the cacheable sub-resources were fetched (not served from the
/// cache); cache-busting requests do not count.
fn cache_refetched(reqs: &[Request], want: &[&(&str, &str, &str, bool)]) -> Vec<String> {
    let fetched: BTreeSet<(String, String, String)> = reqs
        .iter()
        .filter(|r| !r.busted() && (r.path == "/app.js" || r.path == "/logo.png"))
        .map(|r| (r.host.clone(), r.plain_path().to_string(), r.top()))
        .collect();
    let want: BTreeSet<(String, String, String)> = want
        .iter()
        .map(|(h, p, t, _)| (h.to_string(), p.to_string(), t.to_string()))
        .collect();
    let mut f = Vec::new();
    for (h, p, t) in want.difference(&fetched) {
        f.push(format!(
            "https://{h}{p}{}: served from the cache, so its cache entry was left behind",
            if t.is_empty() {
                String::new()
            } else {
                format!(" (on {t})")
            }
        ));
    }
    for (h, p, t) in fetched.difference(&want) {
        f.push(format!(
            "https://{h}{p}{}: fetched again, so its cache entry was {}",
            if t.is_empty() {
                String::new()
            } else {
                format!(" (on {t})")
            },
            if want.is_empty() {
                "not used (control)"
            } else {
                "removed but belongs to no target"
            }
        ));
    }
    f
}

fn exit_code(run: &Run, code: i32) -> Vec<String> {
    if run.code == code {
        Vec::new()
    } else {
        vec![format!("loginfix exited {} (want {code})", run.code)]
    }
}

/// A JSON report in a few lines: each profile's status and lock, then one line per item.
fn summarize(stdout: &str) -> String {
    let Ok(j) = serde_json::from_str::<serde_json::Value>(stdout) else {
        return stdout.to_string();
    };
    let s = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let mut out = String::new();
    for p in j["profiles"].as_array().into_iter().flatten() {
        out += &format!(
            "  {} {}: status {}, lock {}, counts {}\n",
            s(&p["browser"]),
            s(&p["profile"]),
            s(&p["status"]),
            p["lock"],
            p["counts"]
        );
        for i in p["items"].as_array().into_iter().flatten() {
            let what = if i["url"].is_string() {
                &i["url"]
            } else {
                &i["name"]
            };
            out += &format!(
                "    {} [{}] {} {} partition={}\n",
                s(&i["action"]),
                s(&i["store"]),
                s(&i["host"]),
                s(what),
                s(&i["partition"])
            );
        }
    }
    out + &format!("  summary {}\n", j["summary"])
}

/// A run's items without their action, to compare a dry run's plan with a real run.
fn planned_items(j: &serde_json::Value) -> Vec<String> {
    let mut items: Vec<String> = j["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["items"].as_array().cloned().unwrap_or_default())
        .map(|mut i| {
            if let Some(o) = i.as_object_mut() {
                o.remove("action");
            }
            i.to_string()
        })
        .collect();
    items.sort();
    items
}

/// A cache directory's entry hashes and the bytes of its index files.
struct CacheState {
    dir: PathBuf,
    entries: BTreeSet<Vec<u8>>,
    /// (file, content) of every index file: Chromium's `index` and
    /// `index-dir/the-real-index`, Firefox's `index` and `index.log`.
    indexes: Vec<(PathBuf, Vec<u8>)>,
}

/// The entry's hash as its index stores it, from the entry file's name: Chromium
/// `<16 hex>_0` (u64, little-endian), Firefox `entries/<40 hex>` (SHA-1).
fn entry_hash(rel: &Path) -> Option<Vec<u8>> {
    let name = rel.file_name()?.to_str()?;
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(stem) = name.strip_suffix("_0") {
        if stem.len() == 16 && hex(stem) && rel.parent() == Some(Path::new("")) {
            return Some(u64::from_str_radix(stem, 16).ok()?.to_le_bytes().to_vec());
        }
    }
    if name.len() == 40 && hex(name) && rel.parent() == Some(Path::new("entries")) {
        return (0..40)
            .step_by(2)
            .map(|i| u8::from_str_radix(&name[i..i + 2], 16).ok())
            .collect();
    }
    None
}

/// clear-cache must not leave an index that still lists the entries it removed: the
/// browser would trust it (README: the index is removed so the browser rebuilds it), and
/// it would keep a trace (the key's hash) of every removed URL. Neither browser
/// misbehaves visibly with such an index (both notice the missing files and fetch
/// again), so this is judged on disk. The check first proves it can see something: the
/// index held every removed entry before the run.
fn stale_index(before: &CacheState, after: &CacheState) -> Vec<String> {
    let removed: Vec<&Vec<u8>> = before.entries.difference(&after.entries).collect();
    let mut f = Vec::new();
    if removed.is_empty() {
        f.push(format!(
            "clear-cache removed no entry file from {}",
            before.dir.display()
        ));
    }
    let listed = |indexes: &[(PathBuf, Vec<u8>)], h: &[u8]| {
        indexes
            .iter()
            .filter(|(_, data)| data.windows(h.len()).any(|w| w == h))
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>()
    };
    let unlisted = removed
        .iter()
        .filter(|h| listed(&before.indexes, h).is_empty())
        .count();
    if unlisted > 0 {
        f.push(format!(
            "{unlisted} of the {} removed cache entries were not in the browser's index before \
             the run (index files: {:?}): the stale-index check cannot see anything",
            removed.len(),
            before
                .indexes
                .iter()
                .map(|(p, _)| p.display().to_string())
                .collect::<Vec<_>>()
        ));
    }
    let stale: BTreeSet<String> = removed
        .iter()
        .flat_map(|h| listed(&after.indexes, h))
        .collect();
    for file in stale {
        f.push(format!(
            "the cache index {file} still lists entries clear-cache removed (a stale index)"
        ));
    }
    f
}

// ------------------------------------------------------------------ scenario

struct Visit {
    label: String,
    code: i32,
    requests: Vec<Request>,
    stderr: PathBuf,
}

impl Visit {
    fn exit_ok(&self) -> Vec<String> {
        if self.code == 0 {
            Vec::new()
        } else {
            vec![format!("the browser (driver) exited with {}", self.code)]
        }
    }
}

struct Scenario {
    layout: Layout,
    tools: Tools,
    work: tempfile::TempDir,
    home: PathBuf,
    tmp: PathBuf,
    server: Server,
    /// Every loginfix run so far, shown when a step fails.
    lfx_log: Vec<String>,
    timings: Vec<(String, f64)>,
    launches: usize,
    /// Firefox: wait for the session-restore file to hold the session cookies of
    /// chatgpt.com and example.org before quitting (their `/` pages set them).
    session_hosts: bool,
}

impl Scenario {
    fn new(layout: Layout, tools: Tools) -> Scenario {
        // LFX_KEEP_WORK=1 keeps the home, certificates and server log for a look.
        let keep = std::env::var_os("LFX_KEEP_WORK").is_some();
        let work = tempfile::Builder::new()
            .prefix(&format!("lfx-real-{}-", layout.browser()))
            .disable_cleanup(keep)
            .tempdir()
            .unwrap();
        if keep {
            eprintln!(
                "real_browsers::{}: work dir kept: {}",
                layout.browser(),
                work.path().display()
            );
        }
        let home = work.path().join("home");
        let tmp = work.path().join("tmp");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        let certs = make_certs(&tools, &work.path().join("certs"));
        match layout.chromium_dir() {
            Some(dir) => {
                nss_trust(&tools, &home.join(".pki/nssdb"), &certs.ca);
                // "Continue where you left off": Chromium keeps session cookies on disk,
                // as a user's browser with that setting does.
                let prefs = home.join(".config").join(dir).join("Default/Preferences");
                std::fs::create_dir_all(prefs.parent().unwrap()).unwrap();
                std::fs::write(prefs, r#"{"session":{"restore_on_startup":1}}"#).unwrap();
            }
            None => {
                let root = home.join(".mozilla/firefox");
                let prof = root.join(FF_PROFILE);
                std::fs::create_dir_all(&prof).unwrap();
                std::fs::write(
                    root.join("profiles.ini"),
                    format!(
                        "[Install{FF_INSTALL_HASH}]\nDefault={FF_PROFILE}\nLocked=1\n\n\
                         [Profile0]\nName=default-release\nIsRelative=1\nPath={FF_PROFILE}\n\
                         Default=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n\n"
                    ),
                )
                .unwrap();
                std::fs::write(
                    root.join("installs.ini"),
                    format!("[{FF_INSTALL_HASH}]\nDefault={FF_PROFILE}\nLocked=1\n\n"),
                )
                .unwrap();
                nss_trust(&tools, &prof, &certs.ca);
                std::fs::copy(repo().join("profiles/regen/user.js"), prof.join("user.js")).unwrap();
            }
        }
        let server = Server::start(&tools, &certs, work.path());
        Scenario {
            layout,
            tools,
            work,
            home,
            tmp,
            server,
            lfx_log: Vec::new(),
            timings: Vec::new(),
            launches: 0,
            session_hosts: true,
        }
    }

    fn udd(&self) -> PathBuf {
        self.home
            .join(".config")
            .join(self.layout.chromium_dir().unwrap())
    }

    fn ff_profile(&self) -> PathBuf {
        self.home.join(".mozilla/firefox").join(FF_PROFILE)
    }

    /// The driver's command line: `rounds` visits of `urls`, or with `hold` a browser
    /// that stays up until the hold file exists (creating the ready file first).
    fn driver(&mut self, urls: &[String], hold: bool, label: &str) -> Driver {
        self.launches += 1;
        let regen = repo().join("profiles/regen");
        let mut cmd = Command::new(&self.tools.python);
        browser_env(&mut cmd, &self.home, &self.tmp);
        let rounds = if hold { "0" } else { "1" };
        if self.layout == Layout::Firefox {
            cmd.arg(regen.join("firefox_drive.py"))
                .arg("--profile-dir")
                .arg(self.ff_profile())
                .args(["--rounds", rounds]);
            if !hold && self.session_hosts {
                // Session cookies must be in the session-restore files too.
                cmd.args([
                    "--session-host",
                    "chatgpt.com",
                    "--session-host",
                    "example.org",
                ]);
            }
        } else {
            cmd.arg(regen.join("chromium_drive.py"))
                .args(["--wait", "0.5", "--rounds", rounds]);
        }
        if hold {
            cmd.arg("--ready-file")
                .arg(self.work.path().join("ready"))
                .arg("--hold-file")
                .arg(self.work.path().join("hold"));
        }
        cmd.arg("--").args(urls).arg("--");
        if self.layout == Layout::Firefox {
            cmd.arg(&self.tools.firefox).arg("--headless");
        } else {
            cmd.arg(&self.tools.chromium).args(harness::chromium_args());
            // Headless Chromium ignores the default user-data dir: name it explicitly.
            cmd.arg(format!("--user-data-dir={}", self.udd().display()));
            if self.layout == Layout::ChromiumSql {
                // net/base/features.cc: the backend experiment, `backend` = `sql`.
                cmd.arg("--enable-features=DiskCacheBackendExperiment:backend/sql");
            }
        }
        let stderr = self
            .work
            .path()
            .join(format!("driver-{}.err", self.launches));
        Driver::spawn(
            cmd,
            &self.home,
            stderr,
            &format!("{} {label}", self.layout.browser()),
        )
    }

    fn visit(&mut self, label: &str, urls: &[String]) -> Visit {
        let mark = self.server.mark();
        let mut d = self.driver(urls, false, label);
        let fin = d.finish(Duration::from_secs(150));
        self.timings.push((label.to_string(), fin.seconds));
        Visit {
            label: label.to_string(),
            code: fin.code,
            requests: self.server.requests_since(mark),
            stderr: d.stderr.clone(),
        }
    }

    /// Starts the browser in the background and returns once it holds its profile lock.
    fn hold(&mut self) -> Driver {
        let ready = self.work.path().join("ready");
        let mut d = self.driver(&[], true, "step 5: held");
        let lock = match self.layout {
            Layout::Firefox => self.ff_profile().join("lock"),
            _ => self.udd().join("SingletonLock"),
        };
        let locked = |lock: &Path| {
            // Chromium: `host-PID`; Firefox: `127.0.0.1:+PID` (a stale one may be left
            // from the previous run, so the PID must be alive).
            std::fs::read_link(lock)
                .ok()
                .and_then(|t| {
                    let t = t.to_string_lossy().into_owned();
                    t.rsplit(['-', '+'])
                        .next()
                        .and_then(|p| p.parse::<i32>().ok())
                })
                .is_some_and(pid_alive)
        };
        let up = wait_until(Duration::from_secs(60), || {
            (ready.exists() && locked(&lock)) || !d.running()
        });
        let running = d.running();
        if !up || !running {
            panic!(
                "{}: the browser did not start and take its lock `{}` (driver running: \
                 {running})\n--- driver stderr\n{}",
                d.label,
                lock.display(),
                tail(&d.stderr, 40)
            );
        }
        d
    }

    /// The stores must be where this layout keeps them, or the test would prove nothing.
    fn check_layout(&self) {
        let mut f = Vec::new();
        let nonempty = |p: &Path| std::fs::read_dir(p).is_ok_and(|mut d| d.next().is_some());
        match self.layout.chromium_dir() {
            Some(dir) => {
                let cookies = self.udd().join("Default/Cookies");
                let cache = self
                    .home
                    .join(".cache")
                    .join(dir)
                    .join("Default/Cache/Cache_Data");
                if !cookies.is_file() {
                    f.push(format!("no cookie store at {}", cookies.display()));
                }
                if !nonempty(&cache) {
                    f.push(format!("no cache at {}", cache.display()));
                }
                if self.layout == Layout::ChromiumSql && !cache.join("sqldb0").is_file() {
                    f.push(format!(
                        "no SQL-backend shard at {}",
                        cache.join("sqldb0").display()
                    ));
                }
            }
            None => {
                let prof = self.ff_profile();
                let cache = self
                    .home
                    .join(".cache/mozilla/firefox")
                    .join(FF_PROFILE)
                    .join("cache2/entries");
                for p in [
                    prof.join("cookies.sqlite"),
                    prof.join("sessionstore.jsonlz4"),
                ] {
                    if !p.is_file() {
                        f.push(format!("Firefox did not write {}", p.display()));
                    }
                }
                if !nonempty(&cache) {
                    f.push(format!(
                        "no cache at {} (did Firefox use another profile?)",
                        cache.display()
                    ));
                }
            }
        }
        if !f.is_empty() {
            let tree: Vec<String> = snapshot(&self.home)
                .keys()
                .map(|k| k.display().to_string())
                .filter(|k| !k.contains("/Cache_Data/") && !k.contains("/entries/"))
                .collect();
            panic!(
                "[{}] step 2: the browser did not write the layout's stores:\n  - {}\n--- home\n{}",
                self.layout.browser(),
                f.join("\n  - "),
                tree.join("\n")
            );
        }
    }

    fn cache_dir(&self) -> PathBuf {
        match self.layout.chromium_dir() {
            Some(dir) => self
                .home
                .join(".cache")
                .join(dir)
                .join("Default/Cache/Cache_Data"),
            None => self
                .home
                .join(".cache/mozilla/firefox")
                .join(FF_PROFILE)
                .join("cache2"),
        }
    }

    fn cache_state(&self) -> CacheState {
        let dir = self.cache_dir();
        let mut state = CacheState {
            dir: dir.clone(),
            entries: BTreeSet::new(),
            indexes: Vec::new(),
        };
        for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let rel = e.path().strip_prefix(&dir).unwrap();
            let name = rel.to_string_lossy();
            if let Some(h) = entry_hash(rel) {
                state.entries.insert(h);
            } else if name == "index" || name == "index.log" || name.starts_with("index-dir/") {
                state.indexes.push((
                    e.path().to_path_buf(),
                    std::fs::read(e.path()).unwrap_or_default(),
                ));
            }
        }
        state
    }

    fn lfx(&mut self, args: &[&str]) -> Run {
        let run = loginfix(&self.home, "linux", args);
        self.lfx_log.push(format!(
            "$ loginfix --home <home> --os linux {}   -> exit {}\n{}{}",
            args.join(" "),
            run.code,
            summarize(&run.stdout),
            run.stderr
        ));
        run
    }

    fn context(&self) -> String {
        format!(
            "--- loginfix runs so far\n{}\n--- server errors\n{}",
            self.lfx_log.join("\n"),
            tail(&self.server.stderr, 20)
        )
    }

    #[track_caller]
    fn check(&self, step: &str, visit: &Visit, failures: Vec<String>) {
        if failures.is_empty() {
            return;
        }
        let reqs: Vec<String> = visit
            .requests
            .iter()
            .map(|r| format!("  {}", r.show()))
            .collect();
        panic!(
            "[{}] {step}: {} failure(s):\n  - {}\n--- requests the server saw during `{}`\n{}\n{}\n\
             --- driver stderr (tail)\n{}",
            self.layout.browser(),
            failures.len(),
            failures.join("\n  - "),
            visit.label,
            reqs.join("\n"),
            self.context(),
            tail(&visit.stderr, 30)
        );
    }

    #[track_caller]
    fn check_lfx(&self, step: &str, failures: Vec<String>) {
        if failures.is_empty() {
            return;
        }
        panic!(
            "[{}] {step}: {} failure(s):\n  - {}\n{}",
            self.layout.browser(),
            failures.len(),
            failures.join("\n  - "),
            self.context()
        );
    }
}
