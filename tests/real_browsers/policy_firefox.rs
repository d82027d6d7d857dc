//! The real Firefox judges a held-out set of the documented policy cases
//! (tests/policy_cases), as `policy.rs` has Chromium do: each case's system files are laid
//! over the machine's `/etc` and `/usr/lib/firefox-esr` in a mount namespace of the
//! browser's own (`unshare --mount`, a read-only overlay; nothing of the machine changes),
//! its profile (or a new one) is the home's default profile, and headless firefox-esr,
//! driven over Marionette, visits the login sites in two launches, quitting cleanly after
//! each so shutdown sanitizing runs. What it did — a login page never requested
//! (blocked), a page whose script was never fetched (JavaScript off), cookies never sent
//! back even within the first launch (blocked), or sent back within it but not after a
//! restart (session only, cleared at exit) — must be what the case says, and doctor's
//! verdict on the same files must say the same.
//!
//! Needs what the other Firefox rounds need, plus `unshare` (util-linux), overlayfs and
//! root.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::harness::*;
use super::policy::{case_json, copy_dir, LOGIN};
use crate::util::{loginfix, repo};

/// The cases run here: a WebsiteFilter block (in /etc/firefox/policies and in Debian's
/// distribution directory) and one that names only look-alikes; Cookies Behavior reject,
/// with Allow for the login sites, and AllowSession; cookieBehavior 2 through the
/// Preferences policy, and javascript.enabled, which that policy may not set; AutoConfig
/// (byte-shifted) and a Debian /etc/firefox-esr/*.js locking javascript.enabled off;
/// cookies cleared at exit by SanitizeOnShutdown, ClearOnShutdown and a prefs.js alone,
/// and an unlocked SanitizeOnShutdown the profile's own pref overrides.
const HELD_OUT: &[&str] = &[
    "092-ff-websitefilter-block-chatgpt",
    "095-ff-websitefilter-other-site",
    "143-ff-distribution-policies-debian",
    "099-ff-cookies-behavior-reject",
    "107-ff-cookies-reject-with-login-allow",
    "103-ff-cookies-allowsession",
    "129-ff-preferences-cookiebehavior-locked",
    "131-ff-preferences-javascript-not-allowed",
    "160-ff-autoconfig-obscured",
    "163-ff-debian-syspref-locked-attr",
    "112-ff-sanitize-cookies",
    "115-ff-clearonshutdown-cookies",
    "150-ff-prefs-sanitize-cookies",
    "180-ff-sanitize-unlocked-profile-keeps-cookies",
];

/// The system directories a case's `root/` may add files to, as Firefox reads them:
/// `/etc/firefox/policies/policies.json` (SysConfD) and Debian's `/etc/firefox-esr/*.js`
/// (the install's `browser/defaults/syspref` links there); AutoConfig files and
/// `distribution/policies.json` in the install directory.
const SYSTEM_DIRS: [&str; 2] = ["etc", "usr/lib/firefox-esr"];

/// firefox-esr's install hash for /usr/lib/firefox-esr (profiles/README.md): profiles.ini
/// must name the case's profile as this install's default, or Firefox makes a new one.
const INSTALL_HASH: &str = "3B6073811A6ABF12";

/// Prefs the chrome-context probe reports, so a disagreement shows what Firefox held.
const PROBED_PREFS: [&str; 5] = [
    "network.cookie.cookieBehavior",
    "javascript.enabled",
    "privacy.sanitize.sanitizeOnShutdown",
    "privacy.clearOnShutdown_v2.cookiesAndStorage",
    "privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs3",
];

/// What the browser's behaviour, or a verdict, says about the login. Blocked cookies
/// and cookies lost at exit are told apart by a second visit in the first launch.
#[derive(Debug, PartialEq, Eq, Default, Clone)]
struct Effect {
    site_blocked: bool,
    javascript_blocked: bool,
    cookies_blocked: bool,
    cookies_lost_at_exit: bool,
}

impl Effect {
    /// The effect of `"<id> <severity>"` findings, and those this judge cannot observe
    /// (a held-out case must have none; doctor's others are tests/policy_cases.rs's to
    /// judge).
    fn of_findings(ids: &BTreeSet<String>) -> (Effect, Vec<String>) {
        let mut e = Effect::default();
        let mut unseen = Vec::new();
        for f in ids {
            match f.split_once(' ').unwrap_or((f, "")) {
                ("policy_blocks_site", _) => e.site_blocked = true,
                ("policy_blocks_javascript" | "javascript_blocked", _) => {
                    e.javascript_blocked = true
                }
                // Cookies.Block and a reject behaviour are errors; Cookies.AllowSession
                // (kept for the session only) is the warning.
                ("policy_blocks_cookies", "error") | ("cookies_blocked", _) => {
                    e.cookies_blocked = true
                }
                ("policy_blocks_cookies", "warning")
                | ("cookies_session_only", _)
                | ("policy_clears_data", _) => e.cookies_lost_at_exit = true,
                _ => unseen.push(f.clone()),
            }
        }
        (e, unseen)
    }
}

// ------------------------------------------------------------------ Marionette

/// A Marionette client (length-prefixed JSON over TCP, protocol 3), enough to navigate,
/// read a page's text, run a chrome-context script and quit Firefox cleanly.
struct Marionette {
    stream: TcpStream,
    buf: Vec<u8>,
    id: u64,
}

impl Marionette {
    /// Connects once Firefox listens, or says why not (it exited, or never listened).
    fn connect(driver: &mut Driver, limit: Duration) -> Result<Marionette, String> {
        let end = Instant::now() + limit;
        let stream = loop {
            match TcpStream::connect(("127.0.0.1", MARIONETTE_PORT)) {
                Ok(s) => break s,
                Err(e) if Instant::now() > end => {
                    return Err(format!("Marionette never listened: {e}"))
                }
                Err(_) if !driver.running() => return Err("Firefox exited at start".into()),
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        };
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut m = Marionette {
            stream,
            buf: Vec::new(),
            id: 0,
        };
        m.read().map_err(|e| format!("no Marionette hello: {e}"))?;
        Ok(m)
    }

    fn read(&mut self) -> std::io::Result<Value> {
        loop {
            if let Some(colon) = self.buf.iter().position(|&b| b == b':') {
                let n: usize = std::str::from_utf8(&self.buf[..colon])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| std::io::Error::other("bad Marionette length prefix"))?;
                if self.buf.len() >= colon + 1 + n {
                    let msg = serde_json::from_slice(&self.buf[colon + 1..colon + 1 + n])?;
                    self.buf.drain(..colon + 1 + n);
                    return Ok(msg);
                }
            }
            let mut chunk = [0u8; 65536];
            let got = self.stream.read(&mut chunk)?;
            if got == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.buf.extend_from_slice(&chunk[..got]);
        }
    }

    /// A command's result, or its error as Marionette gives it (`{error, message}`).
    fn call(&mut self, name: &str, params: Value) -> Result<Value, String> {
        self.id += 1;
        let data = json!([0, self.id, name, params]).to_string();
        self.stream
            .write_all(format!("{}:{data}", data.len()).as_bytes())
            .map_err(|e| format!("{name}: {e}"))?;
        loop {
            let msg = self.read().map_err(|e| format!("{name}: {e}"))?;
            if msg[0] == 1 && msg[1] == self.id {
                if !msg[2].is_null() {
                    return Err(format!("{name}: {} {}", msg[2]["error"], msg[2]["message"]));
                }
                return Ok(msg[3].clone());
            }
        }
    }

    /// The text of the page's `#status`: `ok` once its `/app.js` ran, else `loading`.
    fn status_text(&mut self) -> Result<String, String> {
        let el = self.call(
            "WebDriver:FindElement",
            json!({"using": "css selector", "value": "#status"}),
        )?;
        let id = el["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .ok_or_else(|| format!("FindElement gave {el}"))?
            .to_string();
        let text = self.call("WebDriver:GetElementText", json!({ "id": id }))?;
        Ok(text["value"].as_str().unwrap_or("").to_string())
    }
}

// ------------------------------------------------------------------ one case

/// What one launch saw, beyond the server's log.
#[derive(Default)]
struct Launch {
    requests: Vec<Request>,
    /// Login hosts Firefox refused with its "blocked by your organization" page.
    blocked_by_policy: BTreeSet<&'static str>,
    /// `#status` of each login page that loaded, on its first visit.
    status: BTreeMap<&'static str, String>,
    /// The chrome-context probe (first launch only): policy engine state and prefs.
    probe: Value,
}

/// The profile directory profiles.ini names first (every case's is `x.default`).
fn profile_dir(ff: &Path) -> String {
    std::fs::read_to_string(ff.join("profiles.ini"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Path="))
        .unwrap_or("x.default")
        .trim()
        .to_string()
}

/// The case's home (or a new one with an empty profile) in `home`, made this install's
/// default profile, trusting the test CA and pointed at the test server.
fn make_home(tools: &Tools, case: &Path, home: &Path, ca: &Path) -> PathBuf {
    let ff = home.join(".mozilla/firefox");
    if case.join("home").is_dir() {
        copy_dir(&case.join("home"), home);
    } else {
        std::fs::create_dir_all(ff.join("x.default")).unwrap();
        std::fs::write(
            ff.join("profiles.ini"),
            "[Profile0]\nName=default\nIsRelative=1\nPath=x.default\nDefault=1\n\n\
             [General]\nStartWithLastProfile=1\nVersion=2\n",
        )
        .unwrap();
    }
    let name = profile_dir(&ff);
    let profile = ff.join(&name);
    assert!(profile.is_dir(), "{}: no profile {name}", case.display());
    // Without an [Install…] entry naming it, firefox-esr would create and use a new
    // `*.default-esr` profile instead of the case's.
    let mut ini = std::fs::read_to_string(ff.join("profiles.ini")).unwrap();
    ini += &format!("\n[Install{INSTALL_HASH}]\nDefault={name}\nLocked=1\n");
    std::fs::write(ff.join("profiles.ini"), ini).unwrap();
    std::fs::write(
        ff.join("installs.ini"),
        format!("[{INSTALL_HASH}]\nDefault={name}\nLocked=1\n"),
    )
    .unwrap();
    nss_trust(tools, &profile, ca);
    // The suite's test prefs (every host on the local server, no background traffic),
    // after any user.js of the case's. But not "restore the previous session": that would
    // bring session cookies back on the second launch, and what is judged there is
    // whether cookies outlived the first.
    let mut user = std::fs::read_to_string(profile.join("user.js")).unwrap_or_default();
    user += "\n";
    user += &std::fs::read_to_string(repo().join("profiles/regen/user.js")).unwrap();
    user += "user_pref(\"browser.startup.page\", 1);\n\
             user_pref(\"browser.sessionstore.resume_from_crash\", false);\n";
    std::fs::write(profile.join("user.js"), user).unwrap();
    profile
}

/// Lays each `SOURCE TARGET` pair before `--` over TARGET (read-only overlayfs, the
/// source's files on top: a bind mount needs a mount point, and /etc/firefox does not
/// exist on the machine), then execs the rest.
const OVERLAY_SH: &str = concat!(
    r#"while [ "$1" != -- ]; do "#,
    r#"mount -t overlay overlay -o "lowerdir=$1:$2" "$2" || exit 97; shift 2; "#,
    r#"done; shift; exec "$@""#
);

/// The `sh -c` arguments that lay each of the case's system directories over the
/// machine's (a read-only overlay, the case's files on top), then exec Firefox.
fn overlay_args(case_root: &Path, private: &Path) -> Vec<String> {
    let mut args = vec![OVERLAY_SH.to_string(), "sh".to_string()];
    if case_root.is_dir() {
        for f in walkdir::WalkDir::new(case_root).min_depth(1) {
            let f = f.unwrap();
            let rel = f.path().strip_prefix(case_root).unwrap();
            assert!(
                !f.file_type().is_file() || SYSTEM_DIRS.iter().any(|d| rel.starts_with(d)),
                "{}: the judge cannot lay {} over the machine",
                case_root.display(),
                rel.display()
            );
        }
    }
    for dir in SYSTEM_DIRS {
        if !case_root.join(dir).is_dir() {
            continue;
        }
        // A private copy (tempdir paths hold no `:` or `,`, which overlay options
        // cannot), so neither the machine's files nor the repository's are touched.
        let copy = private.join(dir);
        std::fs::create_dir_all(&copy).unwrap();
        copy_dir(&case_root.join(dir), &copy);
        args.push(copy.display().to_string());
        args.push(format!("/{dir}"));
    }
    args.push("--".to_string());
    args
}

/// The policy names Firefox must have active: those of the one policies.json it reads
/// (EnterprisePoliciesParent: /etc/firefox/policies, else the install's distribution).
fn expected_policies(case_root: &Path) -> BTreeSet<String> {
    let file = [
        "etc/firefox/policies/policies.json",
        "usr/lib/firefox-esr/distribution/policies.json",
    ]
    .iter()
    .map(|f| case_root.join(f))
    .find(|f| f.is_file());
    let Some(file) = file else {
        return BTreeSet::new();
    };
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    v["policies"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// The chrome-context probe: the policy engine's status and active policies, and the
/// probed prefs' values and locks.
const PROBE: &str = r#"
const p = Services.prefs;
const val = n => {
  switch (p.getPrefType(n)) {
    case p.PREF_INT: return p.getIntPref(n);
    case p.PREF_BOOL: return p.getBoolPref(n);
    case p.PREF_STRING: return p.getStringPref(n);
    default: return null;
  }
};
return {
  status: Services.policies.status,
  active: Object.keys(Services.policies.getActivePolicies() || {}),
  prefs: Object.fromEntries(arguments[0].map(n => [n, [val(n), p.prefIsLocked(n)]])),
};
"#;

/// A launch that went wrong for the test's own reasons (not a judgement): stop here.
fn fail(label: &str, d: &Driver, what: String) -> ! {
    panic!(
        "{label}: {what}\n--- firefox stderr\n{}",
        tail(&d.stderr, 30)
    )
}

struct Run<'a> {
    tools: &'a Tools,
    server: &'a Server,
    name: &'a str,
    home: PathBuf,
    tmp: PathBuf,
    overlay: Vec<String>,
    dir: PathBuf,
}

impl Run<'_> {
    /// One launch: every login site `rounds` times, then (with `probe`) the
    /// chrome-context probe, then a clean quit.
    fn launch(&self, n: usize, rounds: usize, probe: bool) -> Launch {
        let label = format!("{} launch {n}", self.name);
        let mut cmd = Command::new("/usr/bin/unshare");
        browser_env(&mut cmd, &self.home, &self.tmp);
        cmd.args(["--mount", "--propagation", "private", "sh", "-c"])
            .args(&self.overlay)
            .arg(&self.tools.firefox)
            // Chrome context (the probe) needs system access.
            .args(["--headless", "--marionette", "--remote-allow-system-access"]);
        let stderr = self.dir.join(format!("firefox-{n}.err"));
        let mark = self.server.mark();
        let mut d = Driver::spawn(cmd, &self.home, stderr, &label);
        let mut out = Launch::default();
        let mut m = match Marionette::connect(&mut d, Duration::from_secs(60)) {
            Ok(m) => m,
            Err(e) => fail(&label, &d, e),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "acceptInsecureCerts": false,
            "pageLoadStrategy": "normal",
            "timeouts": {"pageLoad": 30000},
        }}});
        if let Err(e) = m.call("WebDriver:NewSession", caps) {
            fail(&label, &d, e);
        }
        for round in 0..rounds {
            for host in LOGIN {
                match m.call(
                    "WebDriver:Navigate",
                    json!({"url": format!("https://{host}/")}),
                ) {
                    Ok(_) if round == 0 => match m.status_text() {
                        Ok(t) => {
                            out.status.insert(host, t);
                        }
                        Err(e) => fail(&label, &d, format!("https://{host}/: {e}")),
                    },
                    Ok(_) => {}
                    // WebsiteFilter's block ends on this error page; any other error
                    // page (DNS, certificate) is the test's own failure.
                    Err(e) if e.contains("e=blockedByPolicy") => {
                        out.blocked_by_policy.insert(host);
                    }
                    Err(e) => fail(&label, &d, format!("https://{host}/: {e}")),
                }
            }
        }
        if probe {
            let r = m
                .call("Marionette:SetContext", json!({"value": "chrome"}))
                .and_then(|_| {
                    m.call(
                        "WebDriver:ExecuteScript",
                        json!({"script": PROBE, "args": [PROBED_PREFS]}),
                    )
                });
            match r {
                Ok(v) => out.probe = v["value"].clone(),
                Err(e) => fail(&label, &d, format!("the chrome-context probe: {e}")),
            }
        }
        // An application quit, as a user's: Firefox sanitizes what it clears on
        // shutdown and writes its stores (SIGTERM would not, firefox_drive.py).
        let _ = m.call("Marionette:Quit", json!({"flags": ["eAttemptQuit"]}));
        let fin = d.finish(Duration::from_secs(60));
        if fin.code != 0 {
            fail(&label, &d, format!("Firefox exited with {}", fin.code));
        }
        out.requests = self.server.requests_since(mark);
        out
    }
}

fn findings_of(doctor: &Value) -> BTreeSet<String> {
    crate::util::finding_keys(doctor, "severity")
}

#[test]
fn firefox_judges_held_out_policy_cases() {
    let label = "firefox_judges_held_out_policy_cases";
    let _lock = suite_lock();
    let tools = match preflight(true) {
        Ok(t) => t,
        Err(reason) => return skip_or_fail(label, &reason),
    };
    if !Path::new("/usr/bin/unshare").is_file() {
        return skip_or_fail(
            label,
            "unshare not installed (apt-get install -y util-linux)",
        );
    }
    // The namespace must be able to lay a directory over /etc, as the cases need.
    let probe_dir = tempfile::tempdir().unwrap();
    let probe = Command::new("/usr/bin/unshare")
        .args(["--mount", "--propagation", "private", "mount", "-t"])
        .args(["overlay", "overlay", "-o"])
        .arg(format!("lowerdir={}:/etc", probe_dir.path().display()))
        .arg("/etc")
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        return skip_or_fail(
            label,
            "cannot lay an overlay over /etc in a mount namespace (run as root, overlayfs)",
        );
    }
    let t0 = Instant::now();
    let cases = repo().join("tests/policy_cases");
    let work = tempfile::tempdir().unwrap();
    // One CA, leaf and server for every case.
    let certs = make_certs(&tools, &work.path().join("certs"));
    let server = Server::start(&tools, &certs, work.path());
    let mut wrong = Vec::new();
    for (n, name) in HELD_OUT.iter().enumerate() {
        let tc = Instant::now();
        let case = cases.join(name);
        let meta = case_json(&case);
        assert_eq!(meta["judge"], "firefox", "{name}");
        assert_eq!(meta["os"], "linux", "{name}");
        let want: BTreeSet<String> = meta["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        let (case_says, unseen) = Effect::of_findings(&want);
        assert!(
            unseen.is_empty(),
            "{name}: this judge cannot observe the findings {unseen:?}"
        );
        let run_dir = work.path().join(format!("case-{n}"));
        let run = Run {
            tools: &tools,
            server: &server,
            name,
            home: run_dir.join("home"),
            tmp: run_dir.join("tmp"),
            overlay: overlay_args(&case.join("root"), &run_dir.join("system")),
            dir: run_dir.clone(),
        };
        std::fs::create_dir_all(&run.home).unwrap();
        std::fs::create_dir_all(&run.tmp).unwrap();
        let profile = make_home(&tools, &case, &run.home, &certs.ca);

        // The first launch visits every login site twice: a cookie refused outright is
        // missing on the second visit already; one kept for the session only (or
        // cleared at exit) arrives then, and is missing only after the restart.
        let first = run.launch(0, 2, true);
        let second = run.launch(1, 1, false);

        // Firefox used the case's profile, not one of its own making.
        let ff = run.home.join(".mozilla/firefox");
        let used: Vec<String> = std::fs::read_dir(&ff)
            .unwrap()
            .flatten()
            .filter(|e| e.path().join("times.json").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            used == [profile.file_name().unwrap().to_string_lossy()],
            "{name}: Firefox used the profiles {used:?}, not {}",
            profile.display()
        );
        // Firefox read the case's policy file (or none): a case that must change
        // nothing then proves its policy had no effect, not that it went unread.
        let active: BTreeSet<String> = first.probe["active"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let expected = expected_policies(&case.join("root"));
        if active != expected {
            wrong.push(format!(
                "{name}: Firefox's active policies are {active:?} (status {}), the case's file \
                 names {expected:?}",
                first.probe["status"]
            ));
        }

        let page = |l: &Launch, host: &str| -> Option<Request> {
            l.requests
                .iter()
                .find(|r| r.host == host && r.plain_path() == "/")
                .cloned()
        };
        let page_again = |host: &str| -> Option<Request> {
            first
                .requests
                .iter()
                .filter(|r| r.host == host && r.plain_path() == "/")
                .nth(1)
                .cloned()
        };
        let fetched = |host: &str, path: &str| {
            first
                .requests
                .iter()
                .any(|r| r.host == host && r.plain_path() == path)
        };
        let browser = Effect {
            site_blocked: LOGIN.iter().any(|h| page(&first, h).is_none()),
            javascript_blocked: LOGIN
                .iter()
                .any(|h| page(&first, h).is_some() && !fetched(h, "/app.js")),
            cookies_blocked: LOGIN
                .iter()
                .any(|h| page_again(h).is_some_and(|r| r.cookies.is_empty())),
            cookies_lost_at_exit: LOGIN.iter().any(|h| {
                page_again(h).is_some_and(|r| !r.cookies.is_empty())
                    && page(&second, h).is_some_and(|r| r.cookies.is_empty())
            }),
        };
        // The browser's own account must agree with the server's log: a page never
        // requested is Firefox's policy block page, a script never fetched never ran.
        for h in LOGIN {
            let requested = page(&first, h).is_some();
            if requested == first.blocked_by_policy.contains(h) {
                wrong.push(format!(
                    "{name}: https://{h}/ requested {requested}, but Firefox's policy block \
                     page shown {}",
                    !requested
                ));
            }
            let ran = first.status.get(h).map(String::as_str) == Some("ok");
            if requested && ran != fetched(h, "/app.js") {
                wrong.push(format!(
                    "{name}: https://{h}/app.js fetched {}, but the page says {:?}",
                    fetched(h, "/app.js"),
                    first.status.get(h)
                ));
            }
        }
        let shown = |l: &Launch| {
            l.requests
                .iter()
                .map(|r| format!("    {}", r.show()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if browser != case_says {
            wrong.push(format!(
                "{name}: the browser did {browser:?}, the case says {case_says:?}\n  \
                 Firefox held {}\n  first launch:\n{}\n  second launch:\n{}",
                first.probe,
                shown(&first),
                shown(&second)
            ));
        }

        // Doctor on the same files: the case's root and home, as tests/policy_cases.rs.
        let empty = run_dir.join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let pick = |sub: &str| {
            let d = case.join(sub);
            if d.is_dir() {
                d
            } else {
                empty.clone()
            }
        };
        let (home, root) = (pick("home"), pick("root"));
        let doctor = loginfix(
            &home,
            "linux",
            &["--root", root.to_str().unwrap(), "--json", "doctor"],
        );
        let got = findings_of(&doctor.json());
        let (verdict, _) = Effect::of_findings(&got);
        if verdict != browser {
            wrong.push(format!(
                "{name}: doctor says {verdict:?} ({got:?}), the browser did {browser:?}"
            ));
        }
        // What each case did, for the log (`--nocapture`).
        eprintln!(
            "real_browsers::{label}: {name}: {browser:?} ({:.1}s)",
            tc.elapsed().as_secs_f64()
        );
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    eprintln!(
        "real_browsers::{label}: {} cases passed in {:.1}s",
        HELD_OUT.len(),
        t0.elapsed().as_secs_f64()
    );
}
