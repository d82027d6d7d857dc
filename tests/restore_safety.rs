//! `restore` treats a manifest as untrusted data from the user's home, is itself undoable
//! and says what it would lose, keeps to the sets of the home acted on, and backups are
//! never made through a symlink; manifests are journals appended entry by entry.

use std::path::{Path, PathBuf};

use crate::util::*;

/// A set's manifest as JSON, read from either format by hand (the journal: a header
/// line, then `{"entry": ...}` / `{"removed": [...]}` lines).
fn manifest_of(set: &Path) -> serde_json::Value {
    if let Ok(text) = std::fs::read_to_string(set.join("manifest.jsonl")) {
        let mut lines = text.lines();
        let mut m: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        let mut entries = Vec::new();
        let mut removed = Vec::new();
        for line in lines {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if let Some(e) = v.get("entry") {
                entries.push(e.clone());
            } else if let Some(r) = v.get("removed") {
                removed.extend(r.as_array().unwrap().iter().cloned());
            }
        }
        m["entries"] = entries.into();
        m["removed"] = removed.into();
        return m;
    }
    serde_json::from_slice(&std::fs::read(set.join("manifest.json")).unwrap()).unwrap()
}

/// Rewrites a set's manifest in the old one-document format (as a tampering user, or an
/// older loginfix, would leave it).
fn rewrite_manifest(set: &Path, manifest: &serde_json::Value) {
    let _ = std::fs::remove_file(set.join("manifest.jsonl"));
    write(
        &set.join("manifest.json"),
        serde_json::to_vec_pretty(manifest).unwrap(),
    );
}

/// Cleans Chrome's cookies in a synthetic home; returns the set's id and directory.
fn clean_chrome(h: &Path, extra: &[&str]) -> (String, PathBuf) {
    let mut args = vec!["clear-cookies", "--browser", "chrome", "--json"];
    args.extend_from_slice(extra);
    let run = loginfix(h, "linux", &args);
    run.assert_code(0);
    let json = run.json();
    let id = json["backup"]["id"].as_str().unwrap().to_string();
    let dir = PathBuf::from(json["backup"]["dir"].as_str().unwrap());
    (id, dir)
}

fn add_chromium_cookie(path: &Path, host: &str, name: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(
        "INSERT INTO cookies VALUES (13500000000000000, ?1, '', ?2, '', x'00', '/', 0, 1, 1, 0, 1, 1, 1, 0, 2, 443, 0, 1, 0)",
        rusqlite::params![host, name],
    )
    .unwrap();
}

fn store<'a>(json: &'a serde_json::Value, original: &Path) -> &'a serde_json::Value {
    json["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["original"] == original.display().to_string())
        .unwrap_or_else(|| panic!("no store {} in {json:#}", original.display()))
}

#[cfg(unix)]
#[test]
fn restore_refuses_manifest_entries_it_would_not_write_and_restores_the_rest() {
    let home = synthetic_linux_home();
    let h = home.path();
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    write(&o.join("Cookies"), "outside data");
    write(&h.join(".bashrc"), "alias ls=ls");
    std::os::unix::fs::symlink(o, h.join("link")).unwrap();
    let default = h.join(".config/google-chrome/Default/Cookies");
    let work = h.join(".config/google-chrome/Profile 2/Cookies");
    let work_before = rows(&work);

    let (id, set) = clean_chrome(h, &[]);
    let work_cleaned = std::fs::read(&work).unwrap();
    let default_before_restore = std::fs::read(&default).unwrap();
    let mut manifest = manifest_of(&set);
    let entries = manifest["entries"].as_array().unwrap().clone();
    let good = entries
        .iter()
        .find(|e| e["original"] == work.display().to_string())
        .unwrap()
        .clone();
    let mut tampered = vec![good.clone()];
    let mut with = |original: &str, file: Option<&str>| {
        let mut e = good.clone();
        e["original"] = original.into();
        if let Some(file) = file {
            e["file"] = file.into();
        }
        tampered.push(e);
    };
    with(&o.join("Cookies").display().to_string(), None);
    with(
        &format!("{}/.config/../../{}/Cookies", h.display(), o.display()),
        None,
    );
    with(&h.join(".bashrc").display().to_string(), None);
    with(&h.join("link/Cookies").display().to_string(), None);
    with(
        &h.join(".config/google-chrome/Default/Cookies")
            .display()
            .to_string(),
        Some("../../../etc/passwd"),
    );
    std::os::unix::fs::symlink(set.join(good["file"].as_str().unwrap()), set.join("evil")).unwrap();
    with(
        &h.join(".config/google-chrome/Default/Cookies")
            .display()
            .to_string(),
        Some("evil"),
    );
    // A copy whose SHA-256 does not match: checked before anything is written.
    let mut bad_hash = entries
        .iter()
        .find(|e| e["original"] == default.display().to_string())
        .unwrap()
        .clone();
    bad_hash["sha256"] = "00".repeat(32).into();
    tampered.push(bad_hash);
    manifest["entries"] = tampered.into();
    rewrite_manifest(&set, &manifest);

    // The dry run predicts each store's outcome, the hash check included.
    let dry = loginfix(h, "linux", &["restore", &id, "--json", "--dry-run"]);
    dry.assert_code(1);
    let predicted: Vec<String> = dry.json()["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            s["action"]
                .as_str()
                .unwrap()
                .replace("would_restore", "restored")
        })
        .collect();

    let run = loginfix(h, "linux", &["restore", &id, "--json"]);
    run.assert_code(1);
    let json = run.json();
    let stores = json["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 8, "{json:#}");
    let actions: Vec<&str> = stores
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(predicted, actions, "the dry run predicted another outcome");
    assert_eq!(stores[0]["action"], "restored", "{json:#}");
    let expected = [
        "is not inside the home",
        "has a `..` component",
        "is not a store loginfix changes",
        "is a symlink",
        "is not a plain name inside the set",
        "is not a regular file",
        "does not match its manifest",
    ];
    for (s, why) in stores[1..].iter().zip(expected) {
        assert_eq!(s["action"], "failed", "{s:#}");
        let error = s["error"].as_str().unwrap();
        assert!(error.contains(why), "{why}: {error}");
        assert!(error.contains("nothing was changed"), "{error}");
    }
    assert!(stores[1]["error"]
        .as_str()
        .unwrap()
        .contains(&set.join("manifest.json").display().to_string()));
    assert_eq!(rows(&work), work_before);
    assert_ne!(std::fs::read(&work).unwrap(), work_cleaned);
    assert_eq!(std::fs::read(o.join("Cookies")).unwrap(), b"outside data");
    assert_eq!(std::fs::read(h.join(".bashrc")).unwrap(), b"alias ls=ls");
    assert_eq!(std::fs::read(&default).unwrap(), default_before_restore);
}

#[cfg(unix)]
#[test]
fn a_restored_store_is_owned_by_the_homes_owner_not_by_the_file_it_replaces() {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root");
        return;
    }
    let home = synthetic_linux_home();
    let h = home.path();
    for entry in walkdir::WalkDir::new(h) {
        std::os::unix::fs::lchown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
    }
    let (id, _) = clean_chrome(h, &[]);
    // The user hands the store to another account (here root) before root restores.
    let work = h.join(".config/google-chrome/Profile 2/Cookies");
    std::os::unix::fs::lchown(&work, Some(0), Some(0)).unwrap();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    let meta = std::fs::metadata(&work).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
}

#[test]
fn restore_says_what_it_would_lose_and_is_undone_by_its_own_set() {
    let home = synthetic_linux_home();
    let h = home.path();
    let default = h.join(".config/google-chrome/Default/Cookies");
    let work = h.join(".config/google-chrome/Profile 2/Cookies");
    let before_clean = rows(&default);
    let (id, _) = clean_chrome(h, &[]);
    add_chromium_cookie(&default, "example.net", "a");
    add_chromium_cookie(&default, ".example.net", "b");
    add_chromium_cookie(&default, "github.com", "c");
    let since = rows(&default);

    let dry = loginfix(h, "linux", &["restore", &id, "--dry-run", "--json"]);
    dry.assert_code(0);
    let json = dry.json();
    let lose = &store(&json, &default)["would_lose"];
    assert_eq!(lose["cookies"], 3, "{json:#}");
    assert_eq!(
        lose["sites"],
        serde_json::json!({"example.net": 2, "github.com": 1})
    );
    assert_eq!(lose["differs"], true);
    assert_eq!(store(&json, &work)["would_lose"]["cookies"], 0, "{json:#}");
    assert_eq!(json["undo"], serde_json::Value::Null);
    let text = loginfix(h, "linux", &["restore", &id, "--dry-run"]);
    assert!(
        text.stdout
            .contains("3 cookies of 2 sites set since the backup would be removed"),
        "{}",
        text.stdout
    );
    assert_eq!(rows(&default), since);

    let run = loginfix(h, "linux", &["restore", &id, "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(store(&json, &default)["would_lose"]["cookies"], 3);
    assert_eq!(rows(&default), before_clean);
    let undo = json["undo"]["id"].as_str().unwrap().to_string();
    assert_ne!(undo, id);

    loginfix(h, "linux", &["restore", &undo]).assert_code(0);
    assert_eq!(rows(&default), since);
}

#[test]
fn sets_of_another_home_are_not_listed_restored_or_pruned() {
    let a = synthetic_linux_home();
    let b = synthetic_linux_home();
    let shared = tempfile::tempdir().unwrap();
    let dir = shared.path().display().to_string();
    let opts = ["--backup-dir", dir.as_str(), "--keep", "1"];
    let (a_id, _) = clean_chrome(a.path(), &opts);
    let (b_id, b_set) = clean_chrome(b.path(), &opts);
    // A's second run (something new to clear) prunes A's older set, not B's.
    add_chromium_cookie(
        &a.path().join(".config/google-chrome/Default/Cookies"),
        "chatgpt.com",
        "again",
    );
    let (a_id2, _) = clean_chrome(a.path(), &opts);
    assert!(b_set.is_dir(), "B's set was pruned by A's run");

    let listed = loginfix(
        a.path(),
        "linux",
        &["backups", "--backup-dir", &dir, "--json"],
    );
    let ids: Vec<String> = listed.json()["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, [a_id2], "A's first set {a_id} pruned, B's not listed");

    let before = snapshot(a.path());
    let refused = loginfix(a.path(), "linux", &["restore", &b_id, "--backup-dir", &dir]);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("was made for the home"),
        "{}",
        refused.stderr
    );
    assert_unchanged(&before, a.path());
}

#[cfg(unix)]
#[test]
fn a_symlinked_backup_root_is_refused_and_nothing_is_changed() {
    let home = synthetic_linux_home();
    let h = home.path();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(h.join(".local/share")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), h.join(".local/share/loginfix")).unwrap();
    let default = h.join(".config/google-chrome/Default/Cookies");
    let before = rows(&default);
    let run = loginfix(
        h,
        "linux",
        &["clear-cookies", "--browser", "chrome", "--json"],
    );
    run.assert_code(1);
    let json = run.json();
    let errors: Vec<String> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .filter_map(|i| i["error"].as_str().map(str::to_string))
        .collect();
    assert!(!errors.is_empty(), "{json:#}");
    for e in &errors {
        assert!(e.contains("is a symlink"), "{e}");
        assert!(e.contains(".local/share/loginfix"), "{e}");
        assert!(e.contains("nothing was changed"), "{e}");
    }
    assert_eq!(rows(&default), before);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn the_manifest_is_a_journal_a_torn_line_is_ignored_and_old_sets_are_read() {
    let home = synthetic_linux_home();
    let h = home.path();
    let (id, set) = clean_chrome(h, &[]);
    assert!(!set.join("manifest.json").exists());
    let text = std::fs::read_to_string(set.join("manifest.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(text.ends_with('\n'));
    let header: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(header["id"], id.as_str());
    assert_eq!(header["home"], h.display().to_string());
    assert_eq!(lines.len(), 3, "a header and two entries:\n{text}");
    assert!(lines[1..].iter().all(|l| l.starts_with("{\"entry\":")));

    // A crash while an entry was appended leaves a torn last line.
    let mut torn = text.clone();
    torn.push_str("{\"entry\":{\"original\":\"/etc/pa");
    write(&set.join("manifest.jsonl"), &torn);
    let listed = loginfix(h, "linux", &["backups", "--json"]).json();
    assert_eq!(listed["sets"][0]["id"], id.as_str());
    assert_eq!(listed["sets"][0]["stores"], 2);
    let default = h.join(".config/google-chrome/Default/Cookies");
    let cleaned = rows(&default);
    let run = loginfix(h, "linux", &["restore", &id, "--json"]);
    run.assert_code(0);
    assert_eq!(run.json()["stores"].as_array().unwrap().len(), 2);
    assert_ne!(rows(&default), cleaned);

    // A set of an older version (one `manifest.json`) is listed and restored.
    let (old_id, old_set) = clean_chrome(h, &[]);
    let manifest = manifest_of(&old_set);
    rewrite_manifest(&old_set, &manifest);
    let listed = loginfix(h, "linux", &["backups", "--json"]).json();
    assert!(listed["sets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == old_id.as_str() && s["stores"] == 2));
    loginfix(h, "linux", &["restore", &old_id]).assert_code(0);
}
