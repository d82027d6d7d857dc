//! The storage round: real browsers judge what `clear-site-data` removed and kept.
//!
//! In a fresh throwaway home per layout (the Scenario of the cookie/cache round):
//!
//! 1. the browser visits `/storage?mode=write` on chatgpt.com, auth.openai.com and the
//!    control site example.org; each page writes localStorage, an IndexedDB record, a
//!    Cache Storage entry and (top-level pages) registers a service worker, then reports
//!    to the server (`/report?key=..&ls=1&idb=1&cache=1&sw=1`). chatgpt.com embeds
//!    example.org's page in an iframe and example.org embeds chatgpt.com's, so both write
//!    the same in the other's partition. The page's `/slow` image is answered only once
//!    its report arrived, which holds the load event (and the browser) until the
//!    asynchronous writes are done (FIELD-NOTES, "Site storage in a real-browser test");
//! 2. a second launch reads everything back (`mode=read`): the control, proving the probe
//!    sees every kind of storage in every partition before anything is removed;
//! 3. browser closed, `clear-site-data --dry-run` changes no byte of the home, then the
//!    real run removes what the dry run planned, nothing failing;
//! 4. the browser reads back again: localStorage, IndexedDB and Cache Storage of the
//!    targets are gone in every partition (chatgpt.com's own, example.org under
//!    chatgpt.com, chatgpt.com under example.org, auth.openai.com) — in Chromium from the
//!    rebuilt shared LevelDB, the removed per-site directories and bucket directories —
//!    and so are the targets' service workers; example.org's own data is all still there,
//!    so the browser opened the profile without wiping anything;
//! 5. `restore` of the run's backup set, and the browser reads every old value again.
//!
//! The `fix_*` rounds do the same with `fix --yes` (cookies, cache and site data in one
//! run, one backup set) in place of `clear-site-data`: the browser judges its site data.
//!
//! What a read-back does not judge is printed as a `not judged:` line (`--nocapture`).

use std::collections::BTreeMap;
use std::time::Instant;

use super::*;

/// The top-level pages of a round, in visiting order.
const PAGES: [&str; 3] = ["chatgpt.com", "auth.openai.com", "example.org"];

/// Every (origin host, top-level site) that writes and reads storage, and whether it
/// belongs to the targets (its host is one, or it is partitioned under one).
const CONTEXTS: [(&str, &str, bool); 5] = [
    ("chatgpt.com", "chatgpt.com", true),
    ("example.org", "chatgpt.com", true),
    ("auth.openai.com", "auth.openai.com", true),
    ("example.org", "example.org", false),
    ("chatgpt.com", "example.org", true),
];

/// The kinds of storage the page reports, as its report's parameter names.
const KINDS: [&str; 4] = ["ls", "idb", "cache", "sw"];

#[test]
fn chromium() {
    run(Layout::Chromium);
}

#[test]
fn fix_chromium() {
    run_with(Layout::Chromium, Round::Fix);
}

#[test]
fn fix_firefox() {
    run_with(Layout::Firefox, Round::Fix);
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

fn pages(mode: &str, run: &str) -> Vec<String> {
    PAGES
        .iter()
        .map(|h| format!("https://{h}/storage?mode={mode}&run={run}"))
        .collect()
}

/// `%XX` and `+` decoding of one query component (URLSearchParams encodes with both).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first report of each (host, top-level site) of one run, as its parameters.
fn reports(reqs: &[Request], run: &str) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for r in reqs.iter().filter(|r| r.plain_path() == "/report") {
        let q: BTreeMap<String, String> = r
            .path
            .split_once('?')
            .map_or("", |p| p.1)
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (unescape(k), unescape(v)))
            .collect();
        let Some(key) = q.get("key") else { continue };
        if !key.starts_with(&format!("{run}~")) || q.get("host") != Some(&r.host) {
            continue;
        }
        let ctx = (r.host.clone(), q.get("top").cloned().unwrap_or_default());
        out.entry(ctx).or_insert(q);
    }
    out
}

/// What a context must report for each kind: `Some("1")` kept, `Some("0")` gone, `None`
/// not judged.
type Want = fn(host: &str, top: &str, target: bool, kind: &str) -> Option<&'static str>;

/// Everything written is there (the write itself, the control read, after restore).
fn all_there(host: &str, top: &str, _target: bool, kind: &str) -> Option<&'static str> {
    if kind == "sw" && host != top {
        // Service workers are registered by top-level pages only.
        return Some("na");
    }
    Some("1")
}

/// After clear-site-data, in Chromium.
fn cleaned_chromium(host: &str, top: &str, target: bool, kind: &str) -> Option<&'static str> {
    if !target {
        return all_there(host, top, target, kind);
    }
    if host != top {
        // A third-party (partitioned) StorageKey's IndexedDB and Cache Storage live in a
        // bucket directory, `WebStorage/<bucket id>`, with its row in
        // `WebStorage/QuotaManager` (seen with Chromium 156); its localStorage in the
        // shared LevelDB. Service workers are registered by top-level pages only.
        return match kind {
            "idb" | "cache" | "ls" => Some("0"),
            _ => all_there(host, top, target, kind),
        };
    }
    match kind {
        // localStorage and service workers live in shared LevelDBs, rebuilt without the
        // targets' keys: the browser must read the rebuilt databases.
        "idb" | "cache" | "ls" | "sw" => Some("0"),
        _ => None,
    }
}

/// After clear-site-data, in Firefox: localStorage lives in the origin directory too.
fn cleaned_firefox(host: &str, top: &str, target: bool, kind: &str) -> Option<&'static str> {
    if !target {
        return all_there(host, top, target, kind);
    }
    match kind {
        "idb" | "cache" | "ls" => Some("0"),
        // Registered by top-level pages only; removed from `serviceworker.txt`.
        "sw" if host == top => Some("0"),
        _ => all_there(host, top, target, kind),
    }
}

fn judge(reqs: &[Request], run: &str, want: Want) -> Vec<String> {
    let got = reports(reqs, run);
    let mut f = Vec::new();
    // What the browser read back but this round does not judge, so a run's output shows
    // it anyway.
    let unjudged: Vec<String> = CONTEXTS
        .iter()
        .filter_map(|&(host, top, target)| {
            let r = got.get(&(host.to_string(), top.to_string()))?;
            let kinds: Vec<String> = KINDS
                .iter()
                .filter(|k| want(host, top, target, k).is_none())
                .map(|k| format!("{k}={}", r.get(*k).map_or("absent", String::as_str)))
                .collect();
            (!kinds.is_empty()).then(|| format!("{host} under {top}: {}", kinds.join(" ")))
        })
        .collect();
    if !unjudged.is_empty() {
        eprintln!("  run {run}: not judged: {}", unjudged.join("; "));
    }
    for (host, top, target) in CONTEXTS {
        let what = if host == top {
            host.to_string()
        } else {
            format!("{host} (frame under {top})")
        };
        let Some(r) = got.get(&(host.to_string(), top.to_string())) else {
            f.push(format!("{what}: no report from run {run}"));
            continue;
        };
        for kind in KINDS {
            let Some(w) = want(host, top, target, kind) else {
                continue;
            };
            let v = r.get(kind).map_or("absent", String::as_str);
            if v != w {
                let err = r
                    .get(&format!("{kind}_err"))
                    .map_or(String::new(), |e| format!(" ({e})"));
                let meaning = match (w, v) {
                    ("0", "1") => " — it survived",
                    ("1", "0") => " — it is gone",
                    _ => "",
                };
                f.push(format!(
                    "{what}: {kind}={v}{err}, want {kind}={w}{meaning}{}",
                    if target { "" } else { " (not a target)" }
                ));
            }
        }
    }
    f
}

/// Which command removes the site data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Round {
    ClearSiteData,
    /// `fix --yes`: its clean is the document's `clean`.
    Fix,
}

fn run(layout: Layout) {
    run_with(layout, Round::ClearSiteData);
}

fn run_with(layout: Layout, round: Round) {
    let name = match round {
        Round::ClearSiteData => format!("storage::{}", layout.browser()),
        Round::Fix => format!("storage::fix_{}", layout.browser()),
    };
    let (command, extra): (&str, &[&str]) = match round {
        Round::ClearSiteData => ("clear-site-data", &[]),
        Round::Fix => ("fix", &["--yes"]),
    };
    // The clean's document: the whole one, or `fix`'s `clean`.
    let clean_doc = |v: serde_json::Value| match round {
        Round::ClearSiteData => v,
        Round::Fix => v["clean"].clone(),
    };
    let _lock = suite_lock();
    let tools = match preflight(layout == Layout::Firefox) {
        Ok(t) => t,
        Err(reason) => return skip_or_fail(&name, &reason),
    };
    let t0 = Instant::now();
    let mut s = Scenario::new(layout, tools);
    s.session_hosts = false;
    let b = layout.browser();
    let cleaned: Want = if layout == Layout::Firefox {
        cleaned_firefox
    } else {
        cleaned_chromium
    };

    // 1. Write, 2. read back before anything is removed.
    let w = s.visit("storage 1: write", &pages("write", "w"));
    let mut f = w.exit_ok();
    f.extend(judge(&w.requests, "w", all_there));
    s.check("storage 1: write", &w, f);

    let c = s.visit("storage 2: read back (control)", &pages("read", "r0"));
    let mut f = c.exit_ok();
    f.extend(judge(&c.requests, "r0", all_there));
    s.check("storage 2: read back (control, nothing removed yet)", &c, f);

    // 3. The dry run changes nothing; the real run does what it planned.
    let before = snapshot(&s.home);
    let mut args = vec!["--json", command, "--browser", b, "--dry-run"];
    args.extend(extra);
    let dry = s.lfx(&args);
    let mut f = exit_code(&dry, 0);
    let d = clean_doc(dry.json());
    if d["dry_run"] != true || d["summary"]["would_remove"].as_u64().unwrap_or(0) == 0 {
        f.push(format!(
            "the dry run planned nothing (summary {})",
            d["summary"]
        ));
    }
    f.extend(
        changes(&before, &snapshot(&s.home))
            .into_iter()
            .map(|c| format!("the dry run changed {c}")),
    );
    s.check_lfx("storage 3: dry run", f);

    let mut args = vec!["--json", command, "--browser", b];
    args.extend(extra);
    let real = s.lfx(&args);
    let mut f = exit_code(&real, 0);
    let r = clean_doc(real.json());
    if r["summary"]["failed"] != 0 || r["summary"]["removed"] != d["summary"]["would_remove"] {
        f.push(format!(
            "real run summary {} after dry-run summary {}",
            r["summary"], d["summary"]
        ));
    }
    if planned_items(&d) != planned_items(&r) {
        f.push("the real run's items differ from the dry run's".into());
    }
    let id = r["backup"]["id"].as_str().map(str::to_string);
    if id.is_none() {
        f.push(format!("the real run made no backup set ({})", r["backup"]));
    }
    s.check_lfx("storage 3: real run", f);

    // 4. The browser judges.
    let post = s.visit(
        "storage 4: read back after clear-site-data",
        &pages("read", "r1"),
    );
    let mut f = post.exit_ok();
    f.extend(judge(&post.requests, "r1", cleaned));
    s.check("storage 4: read back after clear-site-data", &post, f);

    // 5. restore brings the old values back.
    let restore = s.lfx(&["--json", "restore", id.as_deref().unwrap()]);
    s.check_lfx("storage 5: restore", exit_code(&restore, 0));
    let back = s.visit("storage 5: read back after restore", &pages("read", "r2"));
    let mut f = back.exit_ok();
    f.extend(judge(&back.requests, "r2", all_there));
    s.check("storage 5: read back after restore", &back, f);

    let timings: Vec<String> = s
        .timings
        .iter()
        .map(|(l, t)| format!("{l} {t:.1}s"))
        .collect();
    eprintln!(
        "real_browsers::{name}: passed in {:.1}s ({})",
        t0.elapsed().as_secs_f64(),
        timings.join(", ")
    );
}
