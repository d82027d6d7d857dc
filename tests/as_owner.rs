//! Root working in a user's home as that user (see `worker`): the work in the home runs
//! in a child whose every id is the home owner's, seen from outside through
//! `/proc/<pid>/status` while it waits at the guided mode's question, and by what the
//! kernel refused it (a file in the home only root may read stays unread); a home under
//! a directory only root can walk is still cleaned (the handle, not the path); and the
//! fleet runs each user's home as that user. Root only (CI is root).

#![cfg(target_os = "linux")]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::fix::terminal::Term;
use crate::util::*;

const ALICE: u32 = 4201;
const BOB: u32 = 4202;

/// A copy of the Linux sample home at `home`, owned by `uid` (its group `uid` too).
fn user_home(home: &Path, uid: u32) {
    std::fs::create_dir_all(home).unwrap();
    copy_tree(&repo().join("profiles/linux"), home);
    for entry in walkdir::WalkDir::new(home) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(uid), Some(uid)).unwrap();
    }
}

/// A directory anyone may walk holding `alice`, a copy of the sample home she owns.
fn alice_home() -> (tempfile::TempDir, PathBuf) {
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = top.path().join("alice");
    user_home(&home, ALICE);
    (top, home)
}

fn chrome_cookies(home: &Path, profile: &str) -> PathBuf {
    home.join(".config/google-chrome")
        .join(profile)
        .join("Cookies")
}

/// openai.com, chatgpt.com or one of their subdomains (`https://` and a leading dot
/// aside).
fn is_target(host: &str) -> bool {
    let host = host.trim_start_matches("https://").trim_start_matches('.');
    ["openai.com", "chatgpt.com"]
        .iter()
        .any(|t| host == *t || host.ends_with(&format!(".{t}")))
}

fn target_rows(db: &Path) -> usize {
    rows(db).iter().filter(|(host, ..)| is_target(host)).count()
}

/// The status lines of process `pid` that name its ids (`Uid:`, `Gid:`, `Groups:`).
fn ids_of(pid: u32) -> Vec<String> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("Uid:") || l.starts_with("Gid:") || l.starts_with("Groups:"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The worker children of `parent` (loginfix re-executed to work in a home).
fn workers_of(parent: u32) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        let ppid = status
            .lines()
            .find_map(|l| l.strip_prefix("PPid:"))
            .map(|p| p.trim().to_string());
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if ppid == Some(parent.to_string())
            && String::from_utf8_lossy(&cmdline).contains("--loginfix-home-worker")
        {
            found.push(pid);
        }
    }
    found
}

/// Field `n` (1-based, after the command) of `/proc/<pid>/stat`.
fn stat_field(pid: u32, n: usize) -> String {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    after.split_whitespace().nth(n - 3).unwrap().to_string()
}

#[test]
fn the_guided_fix_under_sudo_runs_in_the_home_as_its_owner_and_still_asks() {
    if !as_root() {
        return;
    }
    let (_top, home) = alice_home();
    let db = chrome_cookies(&home, "Default");
    assert!(target_rows(&db) > 0);
    let own = tempfile::tempdir().unwrap();
    let mut term = Term::run(
        &["--home", home.to_str().unwrap(), "--os", "linux", "fix"],
        own.path(),
        &[],
    );
    term.expect("[Y/n]");
    // At the question, the child that read the home waits for the answer: look at it.
    let workers = workers_of(term.pid());
    assert_eq!(workers.len(), 1, "{workers:?}\n{}", term.text());
    let child = workers[0];
    let a = ALICE.to_string();
    assert_eq!(
        ids_of(child),
        [
            format!("Uid: {a} {a} {a} {a}"),
            format!("Gid: {a} {a} {a} {a}"),
            format!("Groups: {a}"),
        ],
        "the child working in the home is not alice alone"
    );
    // A session of its own, no terminal, stdin from /dev/null, not dumpable (its
    // /proc entries then belong to root).
    assert_ne!(
        stat_field(child, 6),
        stat_field(term.pid(), 6),
        "same session"
    );
    assert_eq!(stat_field(child, 7), "0", "it has a controlling terminal");
    assert_eq!(
        std::fs::read_link(format!("/proc/{child}/fd/0")).unwrap(),
        Path::new("/dev/null")
    );
    assert_eq!(
        std::fs::metadata(format!("/proc/{child}/status"))
            .unwrap()
            .uid(),
        0,
        "the child is dumpable"
    );
    // The parent stays root, and it is the one asking.
    assert_eq!(ids_of(term.pid())[0], "Uid: 0 0 0 0");
    term.type_in("y\n");
    let (code, shown) = term.finish();
    assert_eq!(code, 0, "{shown}");
    assert_eq!(target_rows(&db), 0, "{shown}");
    // Everything the run made in the home is alice's.
    for entry in walkdir::WalkDir::new(&home) {
        let meta = entry.unwrap().metadata().unwrap();
        assert_eq!(meta.uid(), ALICE);
    }
}

#[test]
fn what_only_root_may_read_in_a_home_stays_unread() {
    if !as_root() {
        return;
    }
    let (_top, home) = alice_home();
    // A cookie store root put there, readable by root alone: root in its own process
    // would read and clean it; the user cannot.
    let rooted = chrome_cookies(&home, "Profile 1");
    std::os::unix::fs::lchown(&rooted, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&rooted, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::read(&rooted).unwrap();
    let db = chrome_cookies(&home, "Default");
    let run = loginfix(&home, "linux", &["clear-cookies", "--browser", "chrome"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&rooted.display().to_string())
            && run.stderr.contains("Permission denied")
            && run.stderr.contains("give it back to them (chown)"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&rooted).unwrap(), before);
    // The rest of the home was cleaned, as its owner.
    assert_eq!(target_rows(&db), 0, "{}", run.stdout);
    assert!(!rows(&db).is_empty());
}

#[test]
fn a_home_under_a_directory_only_root_can_walk_is_cleaned_through_its_handle() {
    if !as_root() {
        return;
    }
    let top = tempfile::tempdir().unwrap();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let locked = top.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    write(&locked.join("roots-own"), "root's");
    let home = locked.join("alice");
    user_home(&home, ALICE);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = chrome_cookies(&home, "Default");
    // Other sites' rows, but those stored under a target as the top-level site.
    let kept: Vec<_> = rows(&db)
        .into_iter()
        .filter(|(host, _, top)| !is_target(host) && !is_target(top))
        .collect();
    assert!(target_rows(&db) > 0);
    let run = loginfix(&home, "linux", &["--json", "clear-cookies"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(target_rows(&db), 0);
    assert_eq!(rows(&db), kept);
    // The directory alice cannot walk is as it was: the way in was the child's alone.
    let names: Vec<_> = std::fs::read_dir(&locked)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["alice", "roots-own"]);
    let meta = std::fs::metadata(&locked).unwrap();
    assert_eq!((meta.uid(), meta.mode() & 0o7777), (0, 0o700));
    // And the report names the home by its own path.
    let doc = run.json();
    assert_eq!(doc["home"], home.display().to_string());
    // `restore` gets there the same way.
    let run = loginfix(&home, "linux", &["restore"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(target_rows(&db) > 0);
}

#[test]
fn the_fleet_runs_each_users_home_as_that_user() {
    if !as_root() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let alice = root.path().join("home/alice");
    let bob = root.path().join("home/bob");
    user_home(&alice, ALICE);
    user_home(&bob, BOB);
    write(
        &root.path().join("etc/passwd"),
        format!(
            "root:x:0:0:root:/root:/bin/bash\n\
             alice:x:{ALICE}:{ALICE}::/home/alice:/bin/bash\n\
             bob:x:{BOB}:{BOB}::/home/bob:/bin/bash\n"
        ),
    );
    // Bob's second profile holds a store only root may read.
    let rooted = chrome_cookies(&bob, "Profile 1");
    std::os::unix::fs::lchown(&rooted, Some(0), Some(0)).unwrap();
    std::fs::set_permissions(&rooted, std::fs::Permissions::from_mode(0o600)).unwrap();
    let own = tempfile::tempdir().unwrap();
    let run = raw(
        &[
            "--all-users",
            "--root",
            root.path().to_str().unwrap(),
            "--os",
            "linux",
            "--json",
            "clear-cookies",
            "--browser",
            "chrome",
        ],
        own.path(),
    );
    let doc = run.json();
    let users = doc["users"].as_array().unwrap();
    let status = |name: &str| {
        users
            .iter()
            .find(|u| u["name"] == name)
            .map(|u| (u["status"].clone(), u["exit_code"].clone()))
            .unwrap()
    };
    assert_eq!(status("alice"), ("done".into(), 0.into()), "{}", run.stdout);
    // Bob's run went on, and the store he cannot read is an error of his run.
    assert_eq!(status("bob").0, "done", "{}", run.stdout);
    assert_eq!(status("bob").1, 1, "{}", run.stdout);
    assert!(run.stderr.contains("Permission denied"), "{}", run.stderr);
    assert_eq!(target_rows(&chrome_cookies(&alice, "Default")), 0);
    assert_eq!(target_rows(&chrome_cookies(&bob, "Default")), 0);
    for home in [&alice, &bob] {
        let uid = std::fs::metadata(home).unwrap().uid();
        for entry in walkdir::WalkDir::new(home) {
            let entry = entry.unwrap();
            if entry.path() == rooted {
                continue;
            }
            assert_eq!(entry.metadata().unwrap().uid(), uid, "{:?}", entry.path());
        }
    }
}

#[test]
fn a_backup_dir_the_owner_cannot_write_is_refused_and_theirs_is_used() {
    if !as_root() {
        return;
    }
    let (top, home) = alice_home();
    let roots = top.path().join("roots-backups");
    std::fs::create_dir(&roots).unwrap();
    let before = snapshot(&home);
    let run = loginfix(
        &home,
        "linux",
        &["clear-cookies", "--backup-dir", roots.to_str().unwrap()],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "who does not own --backup-dir `{}`",
            roots.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&home), before, "a refused run changed the home");
    assert_eq!(std::fs::read_dir(&roots).unwrap().count(), 0);
    // A directory alice owns, outside her home, takes her sets.
    let hers = top.path().join("alices-backups");
    std::fs::create_dir(&hers).unwrap();
    std::os::unix::fs::lchown(&hers, Some(ALICE), Some(ALICE)).unwrap();
    let run = loginfix(
        &home,
        "linux",
        &["clear-cookies", "--backup-dir", hers.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sets: Vec<_> = std::fs::read_dir(&hers).unwrap().collect();
    assert_eq!(sets.len(), 1);
    for entry in walkdir::WalkDir::new(&hers) {
        assert_eq!(entry.unwrap().metadata().unwrap().uid(), ALICE);
    }
}

#[test]
fn doctor_reads_the_users_settings_as_the_user_and_the_machines_as_root() {
    if !as_root() {
        return;
    }
    let (top, home) = alice_home();
    // Alice's own proxy setting, read as alice.
    let env_d = home.join(".config/environment.d");
    write(
        &env_d.join("proxy.conf"),
        "https_proxy=http://alices-proxy:3128\n",
    );
    std::os::unix::fs::lchown(&env_d, Some(ALICE), Some(ALICE)).unwrap();
    std::os::unix::fs::lchown(env_d.join("proxy.conf"), Some(ALICE), Some(ALICE)).unwrap();
    // Alice's KDE settings lead to a file only root may read: root must not read it.
    let only = top.path().join("rootonly");
    write(
        &only.join("kioslaverc"),
        "[Proxy Settings]\nProxyType=1\nhttpsProxy=http://roots-secret-proxy:1\n",
    );
    std::fs::set_permissions(&only, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink(only.join("kioslaverc"), home.join(".config/kioslaverc")).unwrap();
    std::os::unix::fs::lchown(home.join(".config/kioslaverc"), Some(ALICE), Some(ALICE)).unwrap();
    let run = loginfix(&home, "linux", &["--json", "doctor"]);
    assert!(!run.stdout.contains("roots-secret"), "{}", run.stdout);
    assert!(!run.stderr.contains("roots-secret"), "{}", run.stderr);
    let doc = run.json();
    let proxies: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "proxy_system")
        .collect();
    assert!(
        proxies
            .iter()
            .any(|f| f["scope"] == "user" && f["params"]["server"] == "http://alices-proxy:3128"),
        "{proxies:#?}"
    );
}
