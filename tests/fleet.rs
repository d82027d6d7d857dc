//! `--all-users` on a fixture root (a passwd file and homes under it, as on a mounted
//! disk): exactly the people's homes are cleaned, each keeps its owner and modes and
//! gets its own backup set, one document names every user; and the output forms for
//! management tools (`--summary`, `--summary=jamf`, `--json-out`, `--redact`), the
//! refusal to report success for root's own empty home, and the integration scripts.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::util::*;

/// The users of the fixture: (name, uid, has browsers).
const USERS: &[(&str, u32, bool)] = &[
    ("ana", 2001, true),
    ("bob", 2002, true),
    ("cy", 2003, false),
];

pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn chown_tree(dir: &Path, uid: u32) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(uid), Some(uid)).unwrap();
    }
}

/// A root with three people (two with Chrome and Firefox target cookies, one with no
/// browser), a system account whose home exists, `nobody`, a 3-field line, and
/// `Shared`/`Public` directories that are nobody's home. Owned by distinct uids when
/// the tests run as root.
pub fn fleet_root() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    let mut passwd = String::from(
        "root:x:0:0:root:/root:/bin/bash\n\
         svc:x:999:999:a service:/var/lib/svc:/bin/sh\n\
         broken:x:1000\n\
         nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    );
    for (name, uid, browsers) in USERS {
        passwd.push_str(&format!(
            "{name}:x:{uid}:{uid}:{name}:/home/{name}:/bin/bash\n"
        ));
        let home = r.join("home").join(name);
        std::fs::create_dir_all(&home).unwrap();
        if *browsers {
            let src = synthetic_linux_home();
            copy_tree(src.path(), &home);
            // A mode that must survive the rewrite.
            let db = home.join(".config/google-chrome/Default/Cookies");
            std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
        } else {
            write(&home.join(".bashrc"), "# no browser\n");
        }
    }
    write(&r.join("etc/passwd"), passwd);
    write(&r.join("etc/login.defs"), "# test\nUID_MIN\t\t 2000\n");
    // The system account's home exists and has a browser: it must still be left alone.
    let svc = r.join("var/lib/svc");
    copy_tree(synthetic_linux_home().path(), &svc);
    for d in ["home/Shared", "home/Public"] {
        std::fs::create_dir_all(r.join(d)).unwrap();
    }
    if is_root() {
        for (name, uid, _) in USERS {
            chown_tree(&r.join("home").join(name), *uid);
        }
    }
    root
}

/// `loginfix --root ROOT --os linux --all-users ARGS`, HOME an empty directory (the
/// fleet tool's own account).
pub fn fleet(root: &Path, args: &[&str]) -> Run {
    let own = tempfile::tempdir().unwrap();
    let mut all: Vec<String> = vec![
        "--root".into(),
        root.display().to_string(),
        "--os".into(),
        "linux".into(),
        "--all-users".into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    raw(&all, own.path())
}

/// Owner, group and mode of every entry under `dir`.
fn owners(dir: &Path) -> BTreeMap<PathBuf, (u32, u32, u32)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.path().to_string_lossy().contains("loginfix/backups"))
        .filter(|e| !e.path().to_string_lossy().contains("/.local"))
        .map(|e| {
            let m = e.path().symlink_metadata().unwrap();
            (
                e.path().to_path_buf(),
                (m.uid(), m.gid(), m.mode() & 0o7777),
            )
        })
        .collect()
}

#[test]
fn all_users_clear_cookies_cleans_exactly_the_people_with_browsers() {
    if !is_root() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root; this test must run there"
        );
    }
    let root = fleet_root();
    let r = root.path();
    let before = owners(&r.join("home"));
    let svc = snapshot(&r.join("var/lib/svc"));
    let cy = snapshot(&r.join("home/cy"));
    let run = fleet(r, &["clear-cookies", "--json"]);
    run.assert_code(0);
    let doc = run.json();
    assert_eq!(doc["command"], "clear-cookies");
    assert_eq!(doc["all_users"], true);
    let names: Vec<&str> = doc["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ana", "bob", "cy"]);
    assert_eq!(doc["summary"]["users"], 3);
    assert_eq!(doc["summary"]["done"], 3);
    for (i, (name, uid, browsers)) in USERS.iter().enumerate() {
        let u = &doc["users"][i];
        let home = r.join("home").join(name);
        assert_eq!(u["home"], home.display().to_string());
        assert_eq!(u["uid"], *uid);
        assert_eq!(u["status"], "done");
        assert_eq!(u["report"]["home"], home.display().to_string());
        let removed = u["report"]["summary"]["removed"].as_u64().unwrap();
        if *browsers {
            assert_eq!(removed, 13, "{name}");
            let db = home.join(".config/google-chrome/Default/Cookies");
            assert_eq!(rows(&db), survivors(&chromium_mix()));
            let ff = home.join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
            assert_eq!(rows(&ff), survivors(&firefox_mix()));
            // One backup set, in the user's own data directory, and the undo command
            // names the user's home.
            let sets: Vec<_> = std::fs::read_dir(home.join(".local/share/loginfix/backups"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir())
                .collect();
            assert_eq!(sets.len(), 1, "{name}: {sets:?}");
            assert_eq!(u["report"]["backup"]["dir"], sets[0].display().to_string());
            let undo = u["report"]["undo_command"].as_str().unwrap();
            assert!(
                undo.contains(&format!("--home {}", home.display())),
                "{undo}"
            );
            if is_root() {
                for entry in walkdir::WalkDir::new(home.join(".local")) {
                    let m = entry.unwrap().path().symlink_metadata().unwrap();
                    assert_eq!((m.uid(), m.gid()), (*uid, *uid));
                }
            }
        } else {
            assert_eq!(removed, 0);
            assert!(u["report"]["backup"].is_null());
        }
    }
    assert_unchanged(&svc, &r.join("var/lib/svc"));
    assert_unchanged(&cy, &r.join("home/cy"));
    assert!(!r.join("home/Shared/.local").exists());
    assert!(!r.join("home/Public/.local").exists());
    // Owners and modes of everything that was there before are as they were.
    let after = owners(&r.join("home"));
    for (path, was) in &before {
        assert_eq!(after.get(path), Some(was), "{}", path.display());
    }
    assert_eq!(
        before[&r.join("home/ana/.config/google-chrome/Default/Cookies")].2,
        0o640
    );

    // Each user's own sets are listed.
    let sets = fleet(r, &["--summary", "backups"]);
    sets.assert_code(0);
    assert_eq!(
        sets.stdout,
        "loginfix backups: 2 backup set(s); 3 of 3 user(s) done; exit 0 (ok)\n"
    );

    // Text groups by user, a header line each.
    let text = fleet(r, &["clear-cookies", "--dry-run"]);
    text.assert_code(0);
    for (name, uid, _) in USERS {
        let header = format!(
            "== user {name} (uid {uid})  {}",
            r.join("home").join(name).display()
        );
        assert!(text.stdout.contains(&header), "{}", text.stdout);
    }
    assert!(
        text.stdout
            .ends_with("Users: 3 (3 done, 0 failed, 0 unreadable, 0 skipped, 0 timed out)\n"),
        "{}",
        text.stdout
    );
}

/// The summary line of a dry `clear-cookies` over the fixture's three users.
const CLEAN_DRY_LINE: &str = "loginfix clear-cookies: would remove 26 item(s) in 6 profile(s), \
     0 skipped (browser running), 0 failed, 0 not reached; 3 of 3 user(s) done; exit 0 (ok)\n";

#[test]
fn summary_forms_json_out_and_redaction_are_pinned() {
    let root = fleet_root();
    let r = root.path();
    let run = fleet(r, &["--summary", "clear-cookies", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(run.stdout, CLEAN_DRY_LINE);
    let run = fleet(r, &["--summary=jamf", "clear-cookies", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        format!("<result>{}</result>\n", CLEAN_DRY_LINE.trim_end())
    );

    // The document goes to a private file, replaced whole; stdout keeps the summary.
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("report.json");
    write(&file, "old");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = fleet(
        r,
        &[
            "--summary",
            "--json-out",
            &file.display().to_string(),
            "doctor",
        ],
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(doc["command"], "doctor");
    assert_eq!(doc["users"].as_array().unwrap().len(), 3);
    // Machine checks once, for the machine; none in the users' reports.
    assert!(doc["machine"]["findings"].is_array());
    assert!(doc["users"][0]["report"]["not_checked"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    // The fixture's Firefox 153.7 is out of support: an error, per user; the first
    // findings follow the counts, user by user.
    run.assert_code(1);
    assert_eq!(run.stdout, format!("{DOCTOR_LINE}\n"));
    assert!(run.stdout.is_ascii() && run.stdout.len() <= 2001);

    // --redact: no name and no home in any output; stable hashes in their place.
    let run = fleet(r, &["--redact", "--json", "clear-cookies", "--dry-run"]);
    run.assert_code(0);
    let text = fleet(r, &["--redact", "clear-cookies", "--dry-run"]);
    for out in [&run.stdout, &run.stderr, &text.stdout, &text.stderr] {
        for (name, _, _) in USERS {
            let home = r.join("home").join(name).display().to_string();
            assert!(!out.contains(&home), "{home} in {out}");
            assert!(!out.contains(&format!("\"{name}\"")), "{name} in {out}");
        }
    }
    let doc = run.json();
    let ana = r.join("home/ana").display().to_string();
    assert_eq!(
        doc["users"][0]["name"],
        loginfix::output::forms::hash12("ana")
    );
    assert_eq!(
        doc["users"][0]["home"],
        loginfix::output::forms::hash12(&ana)
    );
    assert_eq!(
        doc["users"][0]["report"]["profiles"][0]["path"],
        format!(
            "{}/.config/google-chrome/Default",
            loginfix::output::forms::hash12(&ana)
        )
    );
    assert!(text.stdout.contains(&format!(
        "== user {} (uid 2001)  {}",
        loginfix::output::forms::hash12("ana"),
        loginfix::output::forms::hash12(&ana)
    )));
}

#[test]
fn fix_for_all_users_checks_the_machine_once() {
    let root = fleet_root();
    let r = root.path();
    write(
        &r.join("etc/hosts"),
        "127.0.0.1 localhost\n0.0.0.0 chatgpt.com\n",
    );
    let run = fleet(r, &["--json", "fix", "--dry-run", "--yes"]);
    // As for one home, the exit code is the clean's: a finding is advice, not a failure.
    run.assert_code(0);
    let doc = run.json();
    assert_eq!(doc["command"], "fix");
    let ids = |findings: &serde_json::Value| -> Vec<String> {
        findings
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&doc["machine"]["findings"]), ["hosts_file_block"]);
    let users = doc["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    for user in users {
        let findings = &user["report"]["doctor"]["findings"];
        assert!(
            !ids(findings).contains(&"hosts_file_block".to_string()),
            "{}: {findings}",
            user["name"]
        );
    }
    // The summary line still names the machine's finding, once.
    let summary = fleet(r, &["--summary", "fix", "--dry-run", "--yes"]);
    summary.assert_code(0);
    assert_eq!(
        summary.stdout,
        "loginfix fix: would remove 26 item(s) in 6 profile(s), 0 skipped (browser running), \
         0 failed, 0 not reached, 3 finding(s) to act on; 3 of 3 user(s) done; exit 0 (ok): \
         system:hosts_file_block chatgpt.com; \
         ana:firefox/abcd1234.default-release:browser_outdated 153.7.0; \
         bob:firefox/abcd1234.default-release:browser_outdated 153.7.0\n"
    );
}

#[test]
fn symlinked_and_unreadable_homes_are_reported_and_the_others_still_run() {
    let root = fleet_root();
    let r = root.path();
    // A hostile user points their home at another user's.
    let mut passwd = std::fs::read_to_string(r.join("etc/passwd")).unwrap();
    passwd.push_str("eve:x:2004:2004::/home/eve:/bin/bash\n");
    write(&r.join("etc/passwd"), passwd);
    std::os::unix::fs::symlink(r.join("home/ana"), r.join("home/eve")).unwrap();
    let run = fleet(r, &["clear-cookies", "--dry-run", "--json"]);
    // Partial: one user was not done.
    run.assert_code(4);
    let doc = run.json();
    let eve = &doc["users"][3];
    assert_eq!(eve["name"], "eve");
    assert_eq!(eve["status"], "skipped");
    assert!(eve["report"].is_null());
    assert!(eve["reason"].as_str().unwrap().contains("symlink"));
    assert_eq!(doc["summary"]["done"], 3);
    assert!(run.stderr.contains("user eve: skipped"), "{}", run.stderr);
    let line = fleet(r, &["--summary", "clear-cookies", "--dry-run"]);
    assert!(
        line.stdout.ends_with(
            "; 3 of 4 user(s) done; exit 4 (not everything was done): user eve:skipped\n"
        ),
        "{}",
        line.stdout
    );
}

#[test]
fn a_timeout_leaves_every_profile_alone_and_says_so() {
    let root = fleet_root();
    let r = root.path();
    let db = r.join("home/ana/.config/google-chrome/Default/Cookies");
    let before = rows(&db);
    let run = fleet(r, &["--timeout", "0.000001", "--json", "clear-cookies"]);
    run.assert_code(4);
    let doc = run.json();
    assert_eq!(doc["users"][0]["status"], "timed_out");
    assert!(doc["summary"]["timed_out"].as_u64().unwrap() >= 2);
    assert_eq!(rows(&db), before);
}

#[test]
fn all_users_is_refused_where_it_does_not_apply() {
    let root = fleet_root();
    let run = fleet(root.path(), &["restore", "--backup-dir", "/tmp"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("--all-users restores each user's own backup sets"),
        "{}",
        run.stderr
    );

    let run = fleet(root.path(), &["backups", "--backup-dir", "/tmp"]);
    run.assert_code(2);
    let run = fleet(root.path(), &["--home", "/tmp", "browsers"]);
    run.assert_code(2);
    // No passwd file under the root: could not check, never success.
    let empty = tempfile::tempdir().unwrap();
    let run = fleet(empty.path(), &["--summary", "doctor"]);
    run.assert_code(4);
    assert!(
        run.stdout
            .starts_with("loginfix doctor: error: could not list the user accounts"),
        "{}",
        run.stdout
    );
}

#[test]
fn mac_and_windows_roots_list_the_users_directory() {
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for d in [
        "ana",
        "bob",
        "Shared",
        "Public",
        "Guest",
        "Default",
        "All Users",
        ".localized",
        "_mbsetupuser",
    ] {
        std::fs::create_dir_all(r.join("Users").join(d)).unwrap();
    }
    let own = tempfile::tempdir().unwrap();
    for (os, expected) in [
        (
            "macos",
            vec!["All Users", "Default", "Public", "ana", "bob"],
        ),
        (
            "windows",
            vec!["Guest", "Shared", "_mbsetupuser", "ana", "bob"],
        ),
    ] {
        let run = raw(
            &[
                "--root",
                &r.display().to_string(),
                "--os",
                os,
                "--all-users",
                "--json",
                "browsers",
            ],
            own.path(),
        );
        run.assert_code(0);
        let names: Vec<String> = run.json()["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, expected, "{os}");
    }
}

#[test]
fn root_on_its_own_empty_home_is_told_it_is_probably_not_the_account_meant() {
    if !is_root() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root; this test must run there"
        );
        eprintln!("skipped: needs root");
        return;
    }
    let own = tempfile::tempdir().unwrap();
    for args in [&["clear-cookies"][..], &["doctor"], &["--json", "browsers"]] {
        let run = raw(args, own.path());
        run.assert_code(2);
        assert!(
            run.stderr.contains("probably not the account you meant"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--all-users"), "{}", run.stderr);
    }
    let run = raw(&["--summary", "doctor"], own.path());
    run.assert_code(2);
    assert!(
        run.stdout
            .starts_with("loginfix doctor: error: running as root"),
        "{}",
        run.stdout
    );
    // With a profile in root's home, root's home is what is meant.
    copy_tree(synthetic_linux_home().path(), own.path());
    raw(&["--os", "linux", "clear-cookies", "--dry-run"], own.path()).assert_code(0);
}

/// Runs `program ARGS` with `env`, the fixture tool's way: no terminal, no stdin.
fn run_script(program: &str, args: &[&str], env: &[(&str, String)]) -> Run {
    let own = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(repo())
        .env_clear()
        .env("HOME", own.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run the script");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn script_env(root: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("LOGINFIX", env!("CARGO_BIN_EXE_loginfix").to_string()),
        (
            "LOGINFIX_OPTS",
            format!("--root {} --os linux", root.display()),
        ),
    ]
}

const DOCTOR_LINE: &str =
    "loginfix doctor: 2 error(s), 0 warning(s), 0 info, 0 unreadable in 6 profile(s); \
     3 of 3 user(s) done; exit 1 (findings to act on): \
     ana:firefox/abcd1234.default-release:browser_outdated 153.7.0; \
     bob:firefox/abcd1234.default-release:browser_outdated 153.7.0";

#[test]
fn jamf_scripts_run_against_a_fixture_root() {
    let root = fleet_root();
    let r = root.path();
    let env = script_env(r);
    let ea = run_script("sh", &["integrations/jamf/extension_attribute.sh"], &env);
    ea.assert_code(0);
    assert_eq!(ea.stdout, format!("<result>{DOCTOR_LINE}</result>\n"));
    let missing = run_script(
        "sh",
        &["integrations/jamf/extension_attribute.sh"],
        &[("LOGINFIX", "/nonexistent/loginfix".to_string())],
    );
    assert_eq!(missing.stdout, "<result>loginfix not installed</result>\n");

    let db = r.join("home/bob/.config/google-chrome/Default/Cookies");
    let before = rows(&db);
    let args = [
        "integrations/jamf/policy.sh",
        "/",
        "mac-1",
        "",
        "clear-cookies --dry-run",
    ];
    let dry = run_script("sh", &args, &env);
    dry.assert_code(0);
    assert_eq!(dry.stdout, CLEAN_DRY_LINE);
    assert_eq!(rows(&db), before);
    let real = run_script(
        "sh",
        &["integrations/jamf/policy.sh", "/", "mac-1", ""],
        &env,
    );
    real.assert_code(0);
    assert_eq!(
        real.stdout,
        "loginfix clear-cookies: removed 26 item(s) in 6 profile(s), 0 skipped (browser running), \
         0 failed, 0 not reached; 3 of 3 user(s) done; exit 0 (ok)\n"
    );
    assert_eq!(rows(&db), survivors(&chromium_mix()));
}

/// The words of the `$LoginfixArgs = @('a', 'b')` line of a PowerShell script.
fn powershell_args(script: &str, var: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(script)).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{var} = @(")))
        .unwrap_or_else(|| panic!("{script} has no {var} line"));
    let inner = line.split_once("@(").unwrap().1.rsplit_once(')').unwrap().0;
    inner
        .split(',')
        .map(|w| {
            let w = w.trim();
            assert!(
                w.starts_with('\'') && w.ends_with('\'') && w.len() >= 2,
                "{w}"
            );
            w[1..w.len() - 1].to_string()
        })
        .collect()
}

/// No PowerShell here (neither Debian nor PyPI ship one): the scripts' loginfix command
/// lines are read out of them and run, and the decisions the scripts leave to loginfix
/// checked (the scripts only pass its exit code on: detection exits with `request
/// --status`'s 0 or 1, remediation 0 for 0).
fn intune(script: &str, var: &str) -> Vec<String> {
    powershell_args(&format!("integrations/intune/{script}"), var)
}

/// The stand-in for a script's last step: its `switch ($X.Code) { N { exit M } ...
/// default { exit D } }`, read out of the script, applied to loginfix's exit code (what
/// Intune then sees).
fn intune_exit(script: &str, code: i32) -> i32 {
    let text = std::fs::read_to_string(repo().join("integrations/intune").join(script)).unwrap();
    let block = text
        .split_once("switch (")
        .and_then(|(_, rest)| rest.split_once('{'))
        .map(|(_, body)| body)
        .unwrap_or_else(|| panic!("{script} has no switch"));
    let mut default = None;
    for line in block.lines() {
        let line = line.trim();
        if line == "}" {
            break;
        }
        let Some((key, action)) = line.split_once('{') else {
            continue;
        };
        let exit: i32 = action
            .trim()
            .trim_start_matches("exit")
            .trim_end_matches('}')
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{script}: {line}"));
        match key.trim() {
            "default" => default = Some(exit),
            n if n.parse() == Ok(code) => return exit,
            _ => {}
        }
    }
    default.unwrap_or_else(|| panic!("{script}: no default arm"))
}

#[test]
fn intune_scripts_command_lines_work() {
    let detect = intune("detect.ps1", "$LoginfixArgs");
    assert_eq!(
        detect,
        ["--all-users", "--summary", "--timeout", "30", "doctor"]
    );
    let request = intune("detect.ps1", "$RequestArgs");
    assert_eq!(request, ["--summary", "request", "--status"]);
    let remediate = intune("remediate.ps1", "$LoginfixArgs");
    assert_eq!(
        remediate,
        [
            "--all-users",
            "--summary",
            "--timeout",
            "120",
            "fix",
            "--yes",
            "--if-requested"
        ]
    );
    let root = fleet_root();
    let r = root.path();
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("doctor.json");
    let run_line = |line: &[String], extra: &[&str]| {
        let mut args = vec![
            "--root".to_string(),
            r.display().to_string(),
            "--os".to_string(),
            "linux".to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(line.iter().cloned());
        raw(&args, out.path())
    };
    // doctor's findings are the portal's line, and no reason to remediate.
    let run = run_line(&detect, &["--json-out", json.to_str().unwrap()]);
    run.assert_code(1);
    assert_eq!(run.stdout, format!("{DOCTOR_LINE}\n"));
    assert_eq!(
        std::fs::metadata(&json).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The scripts' exit mapping: detection remediates on 1 only; remediation passes 0 and
    // 2 on and turns everything else (a failure, an open browser, partial) into 1.
    assert_eq!(
        (0..=4)
            .map(|c| intune_exit("detect.ps1", c))
            .collect::<Vec<_>>(),
        [0, 1, 2, 2, 2]
    );
    assert_eq!(
        [0, 1, 2, 3, 4, 130].map(|c| intune_exit("remediate.ps1", c)),
        [0, 1, 2, 1, 1, 1]
    );
    let status = run_line(&request, &[]);
    status.assert_code(0);
    assert_eq!(
        status.stdout,
        "loginfix request: no clean is requested; 1 of 1 user(s) done; exit 0 (ok)\n"
    );
    // The remediation without a request changes nothing.
    let db = r.join("home/ana/.config/google-chrome/Default/Cookies");
    let before = rows(&db);
    let fix = run_line(&remediate, &[]);
    fix.assert_code(0);
    assert_eq!(fix.stdout.lines().count(), 1, "{}", fix.stdout);
    assert!(
        fix.stdout.contains("no clean is requested"),
        "{}",
        fix.stdout
    );
    assert_eq!(rows(&db), before);
}

/// A week of Intune cycles on a machine whose users sign in to ChatGPT again every day:
/// the scheduled detection reports every day, and the users are signed out exactly once,
/// on the day support asks (`loginfix request`).
#[test]
fn a_week_of_intune_cycles_cleans_once_on_the_day_support_asks() {
    let root = fleet_root();
    let r = root.path();
    let own = tempfile::tempdir().unwrap();
    let run_line = |line: &[String]| {
        let mut args = vec![
            "--root".to_string(),
            r.display().to_string(),
            "--os".to_string(),
            "linux".to_string(),
        ];
        args.extend(line.iter().cloned());
        raw(&args, own.path())
    };
    let detect = intune("detect.ps1", "$LoginfixArgs");
    let request = intune("detect.ps1", "$RequestArgs");
    let remediate = intune("remediate.ps1", "$LoginfixArgs");
    let db = r.join("home/ana/.config/google-chrome/Default/Cookies");
    let mut cleaned = Vec::new();
    for day in 1..=7 {
        // Everyone signs in to ChatGPT again (what a clean removed comes back).
        let _ = std::fs::remove_file(&db);
        chromium_cookies(&db, &chromium_mix());
        if is_root() {
            std::os::unix::fs::lchown(&db, Some(2001), Some(2001)).unwrap();
        }
        if day == 3 {
            // Support asks, as an administrator on the machine (or an Intune script).
            run_line(&["request".to_string()]).assert_code(0);
        }
        // detect.ps1: the doctor line for the portal, the request for the decision.
        let report = run_line(&detect);
        assert_eq!(report.stdout.lines().count(), 1, "{}", report.stdout);
        let asked = run_line(&request);
        match intune_exit("detect.ps1", asked.code) {
            0 => {}
            1 => {
                // Intune runs remediate.ps1.
                let fix = run_line(&remediate);
                assert_eq!(intune_exit("remediate.ps1", fix.code), 0, "{}", fix.stderr);
                assert!(
                    fix.stdout.starts_with("loginfix fix: removed"),
                    "{}",
                    fix.stdout
                );
                cleaned.push(day);
            }
            code => panic!("day {day}: detection exits {code}: {}", asked.stderr),
        }
        let left = rows(&db).len();
        if cleaned.last() == Some(&day) {
            assert_eq!(rows(&db), survivors(&chromium_mix()), "day {day}");
        } else {
            assert_eq!(
                left,
                chromium_mix().len(),
                "day {day}: signed out without a request"
            );
        }
    }
    assert_eq!(cleaned, [3]);
}

/// A marker that a user could have made is no request.
#[test]
fn a_request_marker_someone_else_owns_is_no_request() {
    if !is_root() {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        eprintln!("skipped: needs root to give the marker to another user");
        return;
    }
    let root = fleet_root();
    let r = root.path();
    let status = |args: &[&str]| {
        let mut all = vec!["--root", r.to_str().unwrap(), "--os", "linux"];
        all.extend_from_slice(args);
        fleet_free(&all, r)
    };
    status(&["request"]).assert_code(0);
    status(&["request", "--status"]).assert_code(1);
    let marker = r.join("var/lib/loginfix/fix-requested");
    std::os::unix::fs::lchown(&marker, Some(2001), Some(2001)).unwrap();
    let run = status(&["request", "--status"]);
    run.assert_code(0);
    assert!(run.stderr.contains("is not trusted"), "{}", run.stderr);
    assert!(
        run.stderr.contains("belongs to another user"),
        "{}",
        run.stderr
    );
}

/// `loginfix ARGS` with HOME an empty directory (not a fleet run).
fn fleet_free(args: &[&str], _root: &Path) -> Run {
    let own = tempfile::tempdir().unwrap();
    raw(args, own.path())
}

/// The playbook against localhost (`-c local`), on a fixture root with two users.
#[test]
fn ansible_play_reports_changed_then_ok_keeps_its_report_and_undoes_a_run() {
    let have = std::process::Command::new("ansible-playbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs ansible-core (.ci/run); ansible-playbook is missing"
        );
        eprintln!("skipped: ansible-playbook is not installed");
        return;
    }
    let root = fleet_root();
    let r = root.path();
    // Two users: cy is not in this machine's passwd.
    let passwd = std::fs::read_to_string(r.join("etc/passwd")).unwrap();
    let passwd: String = passwd
        .lines()
        .filter(|l| !l.starts_with("cy:"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(&r.join("etc/passwd"), passwd);
    let work = tempfile::tempdir().unwrap();
    let dest = work.path().join("bin/loginfix");
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    // The binary is installed by a first play, so that each play below counts only
    // loginfix's own task as changed or not.
    let play = |vars: serde_json::Value| -> Run {
        let mut all = serde_json::json!({
            "loginfix_binary": env!("CARGO_BIN_EXE_loginfix"),
            "loginfix_dest": dest,
            "loginfix_become": false,
            "loginfix_global": ["--root", r, "--os", "linux"],
        });
        all.as_object_mut()
            .unwrap()
            .extend(vars.as_object().unwrap().clone());
        let vars_file = work.path().join("vars.json");
        write(&vars_file, all.to_string());
        run_script(
            "ansible-playbook",
            &[
                "-i",
                "localhost,",
                "-c",
                "local",
                "integrations/ansible/playbook.yml",
                "-e",
                &format!("@{}", vars_file.display()),
            ],
            &[
                ("ANSIBLE_NOCOLOR", "1".to_string()),
                (
                    "ANSIBLE_LOCAL_TEMP",
                    work.path().join("tmp").display().to_string(),
                ),
                (
                    "ANSIBLE_HOME",
                    work.path().join("ansible").display().to_string(),
                ),
                ("ANSIBLE_PYTHON_INTERPRETER", "auto_silent".to_string()),
            ],
        )
    };
    let recap = |run: &Run, changed: usize, failed: usize| {
        assert!(
            run.stdout.contains(&format!("changed={changed} "))
                && run.stdout.contains(&format!("failed={failed} ")),
            "want changed={changed} failed={failed}:\n{}",
            run.stdout
        );
    };
    let doctor = play(serde_json::json!({"loginfix_action": "doctor"}));
    doctor.assert_code(0);
    // The copy of the binary changed; doctor's findings (exit 1) are a result.
    recap(&doctor, 1, 0);
    assert!(
        doctor
            .stdout
            .contains("loginfix doctor: {'users': 2, 'changed': 0, 'done': 2"),
        "{}",
        doctor.stdout
    );
    let dbs = [
        r.join("home/ana/.config/google-chrome/Default/Cookies"),
        r.join("home/bob/.config/google-chrome/Default/Cookies"),
    ];
    let before: Vec<_> = dbs.iter().map(|d| rows(d)).collect();
    assert_eq!(before[0].len(), chromium_mix().len());

    // The play's default fix: changed, then ok with nothing left.
    let fix = play(serde_json::json!({"loginfix_action": "fix"}));
    fix.assert_code(0);
    recap(&fix, 1, 0);
    for db in &dbs {
        assert_eq!(rows(db), survivors(&chromium_mix()));
    }
    let again = play(serde_json::json!({"loginfix_action": "fix"}));
    again.assert_code(0);
    recap(&again, 0, 0);

    // The fleet run is undone by one play: every user's cookies are back.
    let restore = play(serde_json::json!({"loginfix_action": "restore"}));
    restore.assert_code(0);
    recap(&restore, 1, 0);
    for (db, rows_before) in dbs.iter().zip(&before) {
        assert_eq!(&rows(db), rows_before);
    }

    // clear-cookies through loginfix_fix_args, with ana's Chrome open: her Chrome
    // profiles are skipped (exit 3), which reports without failing the host...
    let udd = r.join("home/ana/.config/google-chrome");
    let mut sleeper = running_chromium(&udd);
    let open = play(serde_json::json!({
        "loginfix_action": "fix",
        "loginfix_fix_args": ["clear-cookies"],
    }));
    open.assert_code(0);
    recap(&open, 1, 0);
    assert_eq!(rows(&dbs[0]), before[0]);
    assert_eq!(rows(&dbs[1]), survivors(&chromium_mix()));
    // ...unless the operator asks, and then the message is short.
    let strict = play(serde_json::json!({
        "loginfix_action": "fix",
        "loginfix_fix_args": ["clear-cookies"],
        "loginfix_fail_on_running": true,
    }));
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    assert_ne!(strict.code, 0);
    recap(&strict, 0, 1);
    let msg = strict
        .stdout
        .lines()
        .find(|l| l.contains("loginfix fix exited 3"))
        .unwrap_or_else(|| panic!("{}", strict.stdout));
    assert!(msg.len() < 1000, "{msg}");
}

#[test]
fn fleet_options_work_on_one_home_too() {
    let home = synthetic_linux_home();
    let h = home.path();
    let run = loginfix(h, "linux", &["--summary", "clear-cookies", "--dry-run"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "loginfix clear-cookies: would remove 13 item(s) in 3 profile(s), 0 skipped (browser running), \
         0 failed, 0 not reached; 1 of 1 user(s) done; exit 0 (ok)\n"
    );
    let run = loginfix(
        h,
        "linux",
        &["--redact", "--json", "clear-cookies", "--dry-run"],
    );
    run.assert_code(0);
    let hashed = loginfix::output::forms::hash12(&h.display().to_string());
    assert_eq!(run.json()["home"], hashed);
    assert!(
        !run.stdout.contains(&h.display().to_string()),
        "{}",
        run.stdout
    );
    // An error still ends in one summary line.
    let run = loginfix(
        h,
        "linux",
        &["--summary", "clear-cookies", "--profile", "Nope"],
    );
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "loginfix clear-cookies: error: no profile named `Nope` was found; exit 1 (something failed)\n"
    );
    // Errors are redacted too.
    let gone = h.join("gone").display().to_string();
    let run = raw(&["--home", &gone, "--redact", "--json", "browsers"], h);
    run.assert_code(2);
    assert!(
        !run.stdout.contains(&gone) && !run.stderr.contains(&gone),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains(&loginfix::output::forms::hash12(&gone)),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["error"]["exit_code"], 2);
}

#[test]
fn a_name_and_home_that_are_not_utf8_do_not_stop_the_others() {
    use std::os::unix::ffi::OsStrExt;
    let root = fleet_root();
    let r = root.path();
    let mut passwd = std::fs::read(r.join("etc/passwd")).unwrap();
    passwd.extend_from_slice(b"d\xffn:x:2005:2005::/home/d\xffn:/bin/bash\nshort:x:2006\n");
    write(&r.join("etc/passwd"), passwd);
    let home = r.join("home").join(std::ffi::OsStr::from_bytes(b"d\xffn"));
    copy_tree(synthetic_linux_home().path(), &home);
    let run = fleet(r, &["--json", "browsers"]);
    let doc = run.json();
    assert_eq!(doc["summary"]["users"], 4);
    assert_eq!(doc["summary"]["done"], 3);
    let odd = &doc["users"][3];
    assert_eq!(odd["name"], "d\u{fffd}n");
    assert_eq!(odd["status"], "failed");
    run.assert_code(4);
    let text = fleet(r, &["clear-cookies", "--dry-run"]);
    assert!(
        text.stdout.contains("== user d\u{fffd}n (uid 2005)"),
        "{}",
        text.stdout
    );
}

/// The `--summary` line of every command, on one home and with `--all-users`: the same
/// words, what was removed, skipped (browser running), failed and not reached, the users
/// done of the users found, and why the exit code is what it is.
#[test]
fn every_commands_summary_line_is_pinned_for_one_home_and_for_all_users() {
    let root = fleet_root();
    let r = root.path();
    let ana = r.join("home/ana");
    let one = |args: &[&str]| {
        let mut all = vec!["--summary"];
        all.extend_from_slice(args);
        loginfix(&ana, "linux", &all)
    };
    let every = |args: &[&str]| {
        let mut all = vec!["--summary"];
        all.extend_from_slice(args);
        fleet(r, &all)
    };
    let clean = |verb: &str, n: usize, profiles: usize, users: &str| {
        format!(
            "{verb} {n} item(s) in {profiles} profile(s), 0 skipped (browser running), 0 failed, \
             0 not reached; {users} user(s) done; exit 0 (ok)\n"
        )
    };
    let cases: &[(&[&str], String, String)] = &[
        (
            &["browsers"],
            "loginfix browsers: 3 profile(s) in 2 browser(s); 1 of 1 user(s) done; exit 0 (ok)\n"
                .into(),
            "loginfix browsers: 6 profile(s) in 2 browser(s); 3 of 3 user(s) done; exit 0 (ok)\n"
                .into(),
        ),
        (
            &["clear-cookies", "--dry-run"],
            format!("loginfix clear-cookies: {}", clean("would remove", 13, 3, "1 of 1")),
            format!("loginfix clear-cookies: {}", clean("would remove", 26, 6, "3 of 3")),
        ),
        (
            &["clear-cache", "--dry-run"],
            format!("loginfix clear-cache: {}", clean("would remove", 0, 3, "1 of 1")),
            format!("loginfix clear-cache: {}", clean("would remove", 0, 6, "3 of 3")),
        ),
        (
            &["clear-site-data", "--dry-run"],
            format!("loginfix clear-site-data: {}", clean("would remove", 0, 3, "1 of 1")),
            format!("loginfix clear-site-data: {}", clean("would remove", 0, 6, "3 of 3")),
        ),
        (
            &["extensions"],
            "loginfix extensions: 0 extension(s) in 3 profile(s); 1 of 1 user(s) done; exit 0 (ok)\n"
                .into(),
            "loginfix extensions: 0 extension(s) in 6 profile(s); 3 of 3 user(s) done; exit 0 (ok)\n"
                .into(),
        ),
        (
            &["backups"],
            "loginfix backups: 0 backup set(s); 1 of 1 user(s) done; exit 0 (ok)\n".into(),
            "loginfix backups: 0 backup set(s); 3 of 3 user(s) done; exit 0 (ok)\n".into(),
        ),
    ];
    for (args, want_one, want_all) in cases {
        assert_eq!(&one(args).stdout, want_one, "{args:?}");
        assert_eq!(&every(args).stdout, want_all, "--all-users {args:?}");
    }
    let doctor = one(&["doctor"]);
    doctor.assert_code(1);
    assert_eq!(
        doctor.stdout,
        "loginfix doctor: 1 error(s), 0 warning(s), 0 info, 0 unreadable in 3 profile(s); \
         1 of 1 user(s) done; exit 1 (findings to act on): \
         firefox/abcd1234.default-release:browser_outdated 153.7.0\n"
    );
    let fix = one(&["fix", "--dry-run"]);
    fix.assert_code(0);
    assert_eq!(
        fix.stdout,
        "loginfix fix: would remove 13 item(s) in 3 profile(s), 0 skipped (browser running), \
         0 failed, 0 not reached, 1 finding(s) to act on; 1 of 1 user(s) done; exit 0 (ok): \
         firefox/abcd1234.default-release:browser_outdated 153.7.0\n"
    );

    // A real fix with ana's Chrome open: its profiles are skipped and said so, the rest
    // removed; then restore puts the stores back and says how many.
    let udd = ana.join(".config/google-chrome");
    let mut sleeper = running_chromium(&udd);
    let fix = one(&["fix", "--yes"]);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    std::fs::remove_file(udd.join("SingletonLock")).unwrap();
    fix.assert_code(3);
    assert_eq!(
        fix.stdout,
        "loginfix fix: removed 7 item(s) in 3 profile(s), 2 skipped (browser running), \
         0 failed, 0 not reached, 3 finding(s) to act on; 1 of 1 user(s) done; \
         exit 3 (a browser is running): chrome/Default:skipped_running; \
         chrome/Profile 2:skipped_running; chrome/Default:browser_running Google Chrome; \
         chrome/Profile 2:browser_running Google Chrome; \
         firefox/abcd1234.default-release:browser_outdated 153.7.0\n"
    );
    let id = loginfix(&ana, "linux", &["backups", "--json"]).json()["sets"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let restore = one(&["restore"]);
    restore.assert_code(0);
    assert_eq!(
        restore.stdout,
        format!(
            "loginfix restore: restored 2 store(s) of set {id}, 0 skipped (browser running), \
             0 failed; 1 of 1 user(s) done; exit 0 (ok)\n"
        )
    );

    // A fleet restore puts back the sets of an --all-users run: none yet (ana's set above
    // is her own run's), said in one line.
    let none = every(&["restore"]);
    none.assert_code(1);
    assert_eq!(
        none.stdout,
        "loginfix restore: error: no backup set of an --all-users run was found in any home; \
         exit 1 (something failed)\n"
    );
    let fleet_fix = every(&["fix", "--yes"]);
    fleet_fix.assert_code(0);
    let run_id = fleet(r, &["--json", "backups"]).json()["users"][0]["report"]["sets"][0]
        ["fleet_run"]
        .as_str()
        .unwrap()
        .to_string();
    let undo = every(&["restore"]);
    undo.assert_code(0);
    assert_eq!(
        undo.stdout,
        format!(
            "loginfix restore: restored 8 store(s) of run {run_id}, 0 skipped (browser running), \
             0 failed; 2 of 3 user(s) done; exit 0 (ok): user cy:skipped\n"
        )
    );
    // A command line clap refuses still ends in one summary line.
    let typo = every(&["clear-cookies", "--dry-rn"]);
    typo.assert_code(2);
    assert_eq!(typo.stdout.lines().count(), 1, "{}", typo.stdout);
    assert!(
        typo.stdout
            .starts_with("loginfix clear-cookies: error: unexpected argument '--dry-rn'")
            && typo.stdout.ends_with("; exit 2 (usage error)\n"),
        "{}",
        typo.stdout
    );
}

/// A `--json-out` that cannot be written is refused before anything is read or changed.
#[test]
fn an_unwritable_json_out_is_refused_before_anything_changes() {
    let root = fleet_root();
    let r = root.path();
    let before = snapshot(&r.join("home"));
    for out in [r.join("no/such/dir/report.json"), r.join("home")] {
        let run = fleet(
            r,
            &[
                "--summary",
                "--json-out",
                out.to_str().unwrap(),
                "clear-cookies",
            ],
        );
        run.assert_code(2);
        assert!(
            run.stdout
                .starts_with("loginfix clear-cookies: error: --json-out `")
                && run.stdout.ends_with("; exit 2 (usage error)\n"),
            "{}",
            run.stdout
        );
        assert!(
            run.stderr.contains("hint: give --json-out a file"),
            "{}",
            run.stderr
        );
        assert_unchanged(&before, &r.join("home"));
    }
}
