//! The real Chromium judges a held-out set of the documented policy cases
//! (tests/policy_cases): each case's policy files are put in a private `/etc/chromium`
//! (a mount namespace of the browser's own, `unshare --mount`; nothing of the machine's
//! changes), and the browser, headless, visits the login sites twice. What it did — a
//! login page never requested (blocked), a page whose script was never fetched
//! (JavaScript blocked), a cookie not sent back on the second launch (cookies blocked or
//! kept for the session only) — must be what the case says, and doctor's verdict on the
//! same files must say the same, but for the cases listed in `KNOWN-GAPS`.
//!
//! Needs what the other real-browser rounds need, plus `unshare` (util-linux) and root.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::harness::*;
use crate::util::{loginfix, repo};

/// The cases run here: each kind of rule once or twice, blocks and look-alikes that must
/// not block, and the file-reading rules (comments, no extension, later file wins, wrong
/// type).
const HELD_OUT: &[&str] = &[
    "001-url-blocklist-host",
    "004-url-blocklist-auth-origin",
    "009-url-blocklist-case-insensitive",
    "017-json-comments-trailing-commas",
    "018-policy-file-without-json-extension",
    "021-later-file-sets-block",
    "022-later-file-overrides-block",
    "024-url-blocklist-string-type",
    "025-block-all-allow-login-hosts",
    "028-url-blocklist-http-only",
    "032-url-blocklist-path-star-literal",
    "038-default-cookies-block",
    "039-default-cookies-session-only",
    "044-cookies-blocked-other-site",
    "048-default-js-block",
    "051-js-blocked-cdn-only",
];

/// The login sites the browser visits (each page sets cookies and loads `/app.js`).
pub(super) const LOGIN: [&str; 3] = ["chatgpt.com", "auth.openai.com", "openai.com"];

/// What the browser's behaviour, or a verdict, says about the login.
#[derive(Debug, PartialEq, Eq, Default, Clone)]
struct Effect {
    site_blocked: bool,
    javascript_blocked: bool,
    cookies_blocked: bool,
}

impl Effect {
    fn of_findings(ids: &BTreeSet<String>) -> Effect {
        let has = |p: &str| ids.iter().any(|i| i.starts_with(p));
        Effect {
            site_blocked: has("policy_blocks_site "),
            javascript_blocked: has("policy_blocks_javascript "),
            cookies_blocked: has("policy_blocks_cookies "),
        }
    }
}

pub(super) fn case_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap()
}

pub(super) fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir::WalkDir::new(src).min_depth(1) {
        let entry = entry.unwrap();
        let target = dst.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn chromium_judges_held_out_policy_cases() {
    let label = "chromium_judges_held_out_policy_cases";
    let _lock = suite_lock();
    let tools = match preflight(false) {
        Ok(t) => t,
        Err(reason) => return skip_or_fail(label, &reason),
    };
    let unshare = Path::new("/usr/bin/unshare");
    if !unshare.is_file() {
        return skip_or_fail(
            label,
            "unshare not installed (apt-get install -y util-linux)",
        );
    }
    let probe = Command::new(unshare)
        .args(["--mount", "--propagation", "private", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        return skip_or_fail(label, "cannot make a mount namespace (run as root)");
    }
    let cases = repo().join("tests/policy_cases");
    let gaps = std::fs::read_to_string(cases.join("KNOWN-GAPS")).unwrap();
    let work = tempfile::tempdir().unwrap();
    let certs = make_certs(&tools, &work.path().join("certs"));
    let server = Server::start(&tools, &certs, work.path());
    let mut wrong = Vec::new();
    for (n, name) in HELD_OUT.iter().enumerate() {
        let dir = cases.join(name);
        let case = case_json(&dir);
        assert_eq!(case["judge"], "chromium", "{name}");
        let want: BTreeSet<String> = case["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        let run_dir = work.path().join(format!("case-{n}"));
        let (home, tmp, etc) = (
            run_dir.join("home"),
            run_dir.join("tmp"),
            run_dir.join("etc"),
        );
        for d in [&home, &tmp, &etc] {
            std::fs::create_dir_all(d).unwrap();
        }
        nss_trust(&tools, &home.join(".pki/nssdb"), &certs.ca);
        // The machine's /etc/chromium as it is, with the case's policies added.
        copy_dir(Path::new("/etc/chromium"), &etc);
        copy_dir(&dir.join("root/etc/chromium"), &etc);

        let mut launches = Vec::new();
        for launch in 0..2 {
            let mark = server.mark();
            let mut cmd = Command::new(unshare);
            browser_env(&mut cmd, &home, &tmp);
            cmd.args(["--mount", "--propagation", "private", "sh", "-c"])
                .arg(r#"mount --bind "$0" /etc/chromium && exec "$@""#)
                .arg(&etc)
                .arg(&tools.python)
                .arg(repo().join("profiles/regen/chromium_drive.py"))
                .args(["--wait", "0.5", "--rounds", "1", "--"]);
            for host in LOGIN {
                cmd.arg(format!("https://{host}/"));
            }
            cmd.arg("--").arg(&tools.chromium).args(chromium_args());
            cmd.arg(format!(
                "--user-data-dir={}",
                home.join(".config/chromium").display()
            ));
            let mut d = Driver::spawn(
                cmd,
                &home,
                run_dir.join(format!("driver-{launch}.err")),
                &format!("{name} launch {launch}"),
            );
            let fin = d.finish(Duration::from_secs(120));
            assert_eq!(
                fin.code,
                0,
                "{name}: the browser's driver failed\n{}",
                tail(&d.stderr, 30)
            );
            launches.push(server.requests_since(mark));
        }
        let asked = |reqs: &[Request], host: &str, path: &str| {
            reqs.iter()
                .find(|r| r.host == host && r.plain_path() == path)
                .cloned()
        };
        let browser = Effect {
            site_blocked: LOGIN.iter().any(|h| asked(&launches[0], h, "/").is_none()),
            javascript_blocked: LOGIN.iter().any(|h| {
                asked(&launches[0], h, "/").is_some() && asked(&launches[0], h, "/app.js").is_none()
            }),
            cookies_blocked: LOGIN
                .iter()
                .any(|h| asked(&launches[1], h, "/").is_some_and(|r| r.cookies.is_empty())),
        };
        let case_says = Effect::of_findings(&want);
        if browser != case_says {
            wrong.push(format!(
                "{name}: the browser did {browser:?}, the case says {case_says:?}"
            ));
        }
        let empty = run_dir.join("empty-home");
        std::fs::create_dir_all(&empty).unwrap();
        let root = dir.join("root");
        let doctor = loginfix(
            &empty,
            "linux",
            &["--root", root.to_str().unwrap(), "--json", "doctor"],
        );
        let got: BTreeSet<String> = crate::util::finding_keys(&doctor.json(), "severity");
        let verdict = Effect::of_findings(&got);
        let gap = gaps
            .lines()
            .any(|l| l.split_whitespace().next() == Some(name));
        if verdict != browser && !gap {
            wrong.push(format!(
                "{name}: doctor says {verdict:?} ({got:?}), the browser did {browser:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}
