//! Backups and restore: every changed store is copied first (private files, a manifest
//! with SHA-256), `restore` puts them back byte for byte, refuses while the browser runs,
//! and old sets are pruned.

use std::path::{Path, PathBuf};

use crate::util::*;

fn backup_root(home: &Path) -> PathBuf {
    home.join(".local/share/loginfix/backups")
}

/// A set's manifest, in whichever format it is stored, as JSON.
fn manifest_of(set: &Path) -> serde_json::Value {
    serde_json::to_value(
        loginfix::execute::backup::read_manifest(&loginfix::confine::Confined::default(), set)
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn a_clean_backs_up_what_it_changes_and_restore_puts_it_back() {
    let home = sample_home("linux");
    let h = home.path();
    let chrome_db = h.join(".config/google-chrome/Default/Cookies");
    let ff = h.join(".mozilla/firefox/abcd1234.default-release");
    let originals = snapshot(h);
    let chrome_rows = rows(&chrome_db);
    let ff_rows = rows(&ff.join("cookies.sqlite"));
    let session = std::fs::read(ff.join("sessionstore.jsonlz4")).unwrap();

    let run = loginfix(h, "linux", &["clear-cookies", "--json"]);
    run.assert_code(0);
    let json = run.json();
    let id = json["backup"]["id"].as_str().unwrap().to_string();
    let set = backup_root(h).join(&id);
    assert_eq!(json["backup"]["dir"], set.display().to_string());
    assert!(run.stdout.contains("\"backup\""));

    let manifest = manifest_of(&set);
    let originals_listed: Vec<String> = manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["original"].as_str().unwrap().to_string())
        .collect();
    // Two Chrome databases, Firefox's database and its three session files.
    assert_eq!(originals_listed.len(), 6, "{originals_listed:#?}");
    assert!(originals_listed.contains(&chrome_db.display().to_string()));
    for e in manifest["entries"].as_array().unwrap() {
        let copy = set.join(e["file"].as_str().unwrap());
        assert_eq!(
            e["size"].as_u64().unwrap(),
            std::fs::metadata(&copy).unwrap().len()
        );
        assert_eq!(
            e["sha256"].as_str().unwrap(),
            loginfix::execute::backup::sha256_file(&copy).unwrap()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&set).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
    // The SQLite copy is a consistent database with every original row.
    let chrome_copy = set.join(manifest["entries"][0]["file"].as_str().unwrap());
    assert_eq!(rows(&chrome_copy), chrome_rows);

    let listed = loginfix(h, "linux", &["backups", "--json"]);
    listed.assert_code(0);
    let sets = listed.json()["sets"].clone();
    assert_eq!(sets.as_array().unwrap().len(), 1);
    assert_eq!(sets[0]["id"], id.as_str());
    assert_eq!(sets[0]["for_command"], "clear-cookies");
    assert_eq!(sets[0]["stores"], 6);
    assert_eq!(
        sets[0]["profiles"],
        serde_json::json!([
            "chrome Default",
            "chrome Profile 1",
            "firefox abcd1234.default-release"
        ])
    );

    // A dry run of the restore changes nothing.
    let cleaned = snapshot(h);
    let dry = loginfix(h, "linux", &["restore", "--dry-run", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&cleaned, h);
    assert!(dry.json()["stores"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["action"] == "would_restore"));
    // `-q`: no line per store, only the set, the summary and what a dry run says.
    let stores = dry.json()["stores"].as_array().unwrap().len();
    let quiet = loginfix(h, "linux", &["restore", "--dry-run", "-q"]);
    quiet.assert_code(0);
    assert_eq!(
        quiet.stdout,
        format!(
            "Backup set {id}\nSummary: {stores} would be restored, 0 skipped (browser running), 0 failed.\nDry run: nothing was changed.\n"
        )
    );

    // A few lines: one per profile, with how many files; each file under `-v`.
    let verbose = loginfix(h, "linux", &["-v", "restore", "--dry-run"]);
    assert_eq!(
        verbose.stdout.matches("  Would restore  ").count(),
        stores,
        "{}",
        verbose.stdout
    );
    let restore = loginfix(h, "linux", &["restore", &id]);
    restore.assert_code(0);
    let lines: Vec<&str> = restore.stdout.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  Restored  chrome Default: 1 file")),
        "{}",
        restore.stdout
    );
    // The set line, a line per profile restored, the summary and the undo line.
    let profiles = lines
        .iter()
        .filter(|l| l.starts_with("  Restored  "))
        .count();
    assert!(profiles < stores, "{}", restore.stdout);
    assert_eq!(lines.len(), profiles + 3, "{}", restore.stdout);
    assert_eq!(rows(&chrome_db), chrome_rows);
    assert_eq!(rows(&ff.join("cookies.sqlite")), ff_rows);
    assert_eq!(
        std::fs::read(ff.join("sessionstore.jsonlz4")).unwrap(),
        session
    );
    // The session files come back byte for byte; the databases as consistent copies.
    let after = snapshot(h);
    for (path, bytes) in &originals {
        if path.to_string_lossy().contains("sessionstore") {
            assert_eq!(after.get(path), Some(bytes), "{}", path.display());
        }
    }
}

#[cfg(unix)]
#[test]
fn restore_refuses_while_the_browser_runs() {
    let home = synthetic_linux_home();
    let h = home.path();
    loginfix(h, "linux", &["clear-cookies", "--browser", "chrome"]).assert_code(0);
    let udd = h.join(".config/google-chrome");
    let host = hostname();
    let mut sleeper = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    std::os::unix::fs::symlink(
        format!("{}-{}", host, sleeper.id()),
        udd.join("SingletonLock"),
    )
    .unwrap();
    let before = snapshot(&udd);
    let run = loginfix(h, "linux", &["restore", "--json"]);
    let text = loginfix(h, "linux", &["restore"]);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    run.assert_code(3);
    assert_unchanged(&before, &udd);
    assert!(run.json()["stores"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["action"] == "skipped_running"));
    let stores = run.json()["stores"].as_array().unwrap().len();
    assert!(
        text.stdout.contains(&format!(
            "Summary: 0 restored, {stores} skipped (browser running), 0 failed.\n"
        )),
        "{}",
        text.stdout
    );
}

#[test]
fn no_backup_keeps_none_and_old_sets_are_pruned() {
    let home = synthetic_linux_home();
    let h = home.path();
    let run = loginfix(
        h,
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--no-backup",
            "--json",
        ],
    );
    run.assert_code(0);
    assert_eq!(run.json()["backup"], serde_json::Value::Null);
    assert!(!backup_root(h).exists());

    // Each run that changes something makes a set; --keep 2 keeps the newest two.
    let custom = tempfile::tempdir().unwrap();
    let dir = custom.path().display().to_string();
    let mut ids = Vec::new();
    for n in 0..3 {
        let name = ["one", "two", "three"][n];
        chromium_cookies(
            &h.join(format!(".config/google-chrome/Profile {}/Cookies", n + 3)),
            &[cookie("chatgpt.com", name, "")],
        );
        write(
            &h.join(".config/google-chrome/Local State"),
            format!(
                r#"{{"profile":{{"info_cache":{{"Profile {}":{{"name":"p"}}}}}}}}"#,
                n + 3
            ),
        );
        let run = loginfix(
            h,
            "linux",
            &[
                "clear-cookies",
                "--browser",
                "chrome",
                "--backup-dir",
                &dir,
                "--keep",
                "2",
                "--json",
            ],
        );
        run.assert_code(0);
        ids.push(run.json()["backup"]["id"].as_str().unwrap().to_string());
    }
    let listed = loginfix(h, "linux", &["backups", "--backup-dir", &dir, "--json"]).json();
    let left: Vec<String> = listed["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        left,
        [ids[2].clone(), ids[1].clone()],
        "newest first, the oldest pruned"
    );

    let missing = loginfix(h, "linux", &["restore", "nope", "--backup-dir", &dir]);
    missing.assert_code(1);
    assert!(
        missing.stderr.contains("error: no backup set `nope`"),
        "{}",
        missing.stderr
    );
    assert!(missing
        .stderr
        .contains("hint: `loginfix backups` lists the sets"));
}

#[test]
fn removed_cache_entries_are_listed_not_kept() {
    let home = sample_home("linux");
    let h = home.path();
    let run = loginfix(
        h,
        "linux",
        &["clear-cache", "--browser", "firefox", "--json"],
    );
    run.assert_code(0);
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    let manifest = manifest_of(&backup_root(h).join(&id));
    assert_eq!(manifest["entries"], serde_json::json!([]));
    let removed = manifest["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 7);
    assert!(removed
        .iter()
        .all(|r| r["size"].as_u64().unwrap() > 0 && r["files"].as_array().unwrap().len() == 1));
    assert!(removed
        .iter()
        .any(|r| r["url"] == "https://cdn.oaistatic.com/logo.png"));
}

/// Runs `loginfix ARGS` in `cwd` and decodes its JSON.
fn json_at(args: &[&str], home: &Path, cwd: &Path) -> serde_json::Value {
    let run = raw_at(args, home, cwd);
    assert!(run.code == 0, "{args:?}: {}\n{}", run.stdout, run.stderr);
    run.json()
}

#[test]
fn a_relative_home_is_recorded_absolute_and_restores_from_anywhere() {
    let parent = tempfile::tempdir().unwrap();
    let home = parent.path().join("linux");
    std::fs::create_dir(&home).unwrap();
    copy_tree(&repo().join("profiles/linux"), &home);
    let chrome_db = home.join(".config/google-chrome/Default/Cookies");
    let before = rows(&chrome_db);

    let clean = json_at(
        &[
            "--home",
            "linux",
            "--os",
            "linux",
            "clear-cookies",
            "--json",
        ],
        &home,
        parent.path(),
    );
    let abs = home.display().to_string();
    assert_eq!(clean["home"], abs);
    let dir = clean["backup"]["dir"].as_str().unwrap();
    assert!(Path::new(dir).is_absolute(), "{dir}");
    assert!(clean["profiles"][0]["path"]
        .as_str()
        .unwrap()
        .starts_with(&abs));
    let id = clean["backup"]["id"].as_str().unwrap().to_string();
    let manifest = manifest_of(&backup_root(&home).join(&id));
    assert_eq!(manifest["home"], abs);
    for e in manifest["entries"].as_array().unwrap() {
        assert!(e["original"].as_str().unwrap().starts_with(&abs), "{e}");
    }
    assert_ne!(rows(&chrome_db), before);

    // From another directory, as a pasted undo command runs.
    let elsewhere = tempfile::tempdir().unwrap();
    let args = |dry: bool| {
        let mut a = vec!["--home", abs.as_str(), "--os", "linux", "restore", "--json"];
        if dry {
            a.push("--dry-run");
        }
        a.push(id.as_str());
        a
    };
    let by_action = |doc: &serde_json::Value, action: &str| -> Vec<String> {
        doc["stores"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["action"] == action)
            .map(|s| s["original"].as_str().unwrap().to_string())
            .collect()
    };
    let dry = json_at(&args(true), &home, elsewhere.path());
    let predicted = by_action(&dry, "would_restore");
    assert_eq!(predicted.len(), 6, "{dry:#}");
    let real = json_at(&args(false), &home, elsewhere.path());
    assert_eq!(by_action(&real, "restored"), predicted, "{real:#}");
    assert_eq!(rows(&chrome_db), before);
}

#[test]
fn a_relative_backup_dir_is_recorded_absolute() {
    let home = sample_home("linux");
    let cwd = tempfile::tempdir().unwrap();
    let h = home.path().display().to_string();
    let clean = json_at(
        &[
            "--home",
            &h,
            "--os",
            "linux",
            "clear-cookies",
            "--json",
            "--backup-dir",
            "bk",
        ],
        home.path(),
        cwd.path(),
    );
    let id = clean["backup"]["id"].as_str().unwrap();
    let set = cwd.path().join("bk").join(id);
    assert_eq!(clean["backup"]["dir"], set.display().to_string());
    let list = json_at(
        &[
            "--home",
            &h,
            "--os",
            "linux",
            "backups",
            "--json",
            "--backup-dir",
            "bk",
        ],
        home.path(),
        cwd.path(),
    );
    assert_eq!(
        list["backup_dir"],
        cwd.path().join("bk").display().to_string()
    );
    assert_eq!(list["sets"][0]["dir"], set.display().to_string());
}

/// The command inside `` `...` `` after `marker` in `text`.
#[cfg(unix)]
fn quoted_after<'a>(text: &'a str, marker: &str) -> &'a str {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker:?} in:\n{text}"));
    let rest = &text[start + marker.len()..];
    &rest[..rest.find('`').unwrap()]
}

/// Runs a pasted command line in `sh`, in `cwd`, with the built binary on PATH.
#[cfg(unix)]
fn paste(command: &str, home: &Path, cwd: &Path) -> Run {
    let bin = Path::new(env!("CARGO_BIN_EXE_loginfix")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(cwd)
        .env_clear()
        .env("HOME", home)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
#[test]
fn the_printed_undo_command_works_when_pasted_elsewhere() {
    let parent = tempfile::tempdir().unwrap();
    let home = parent.path().join("a b's home");
    std::fs::create_dir(&home).unwrap();
    copy_tree(&repo().join("profiles/linux"), &home);
    let chrome_db = home.join(".config/google-chrome/Default/Cookies");
    let before = rows(&chrome_db);
    let run = raw_at(
        &[
            "--home",
            "a b's home",
            "--os",
            "linux",
            "clear-cookies",
            "--backup-dir",
            "my backups",
        ],
        &home,
        parent.path(),
    );
    run.assert_code(0);
    let undo = quoted_after(&run.stdout, "(undo with `").to_string();
    let abs_home = home.display().to_string();
    assert!(undo.starts_with("loginfix --home '"), "{undo}");
    assert!(
        undo.contains(" --os linux restore --backup-dir '"),
        "{undo}"
    );
    assert_ne!(rows(&chrome_db), before);

    let elsewhere = tempfile::tempdir().unwrap();
    let restored = paste(&undo, &home, elsewhere.path());
    restored.assert_code(0);
    assert!(!restored.stdout.contains("Failed"), "{}", restored.stdout);
    assert_eq!(rows(&chrome_db), before);
    assert!(parent.path().join("my backups").is_dir());

    // The restore's own undo line works pasted too, and the JSON carries the same line.
    let again = quoted_after(&restored.stdout, "Undo: `").to_string();
    assert!(
        again.starts_with(&undo[..undo.find(" restore ").unwrap()]),
        "{again}"
    );
    paste(&again, &home, elsewhere.path()).assert_code(0);
    assert_ne!(rows(&chrome_db), before);
    let json = paste(&format!("{undo} --json"), &home, elsewhere.path());
    json.assert_code(0);
    let doc = json.json();
    let undo_again = doc["undo_command"].as_str().unwrap();
    assert!(
        undo_again.contains(&crate::util::sh_quote(&abs_home)),
        "{undo_again}"
    );
    assert_eq!(doc["undo"]["restorable"], true);
    paste(undo_again, &home, elsewhere.path()).assert_code(0);
}

#[test]
fn a_cache_clean_is_not_offered_as_an_undo() {
    let home = sample_home("linux");
    let h = home.path();
    let cookies = loginfix(h, "linux", &["clear-cookies", "--json"]);
    cookies.assert_code(0);
    let cookie_set = cookies.json()["backup"]["id"].as_str().unwrap().to_string();
    assert_eq!(cookies.json()["backup"]["restorable"], true);
    assert!(cookies.json()["undo_command"]
        .as_str()
        .unwrap()
        .ends_with(&format!(" restore {cookie_set}")));

    let text = loginfix(h, "linux", &["clear-cache"]);
    text.assert_code(0);
    assert!(text.stdout.contains("removed ("), "{}", text.stdout);
    assert!(!text.stdout.contains("undo with"), "{}", text.stdout);
    assert!(
        text.stdout.contains("nothing to restore"),
        "{}",
        text.stdout
    );

    // The sets listed say which can be restored; `restore` without an ID skips the
    // cache set and puts back the cookies.
    let list = loginfix(h, "linux", &["backups", "--json"]).json();
    let sets = list["sets"].as_array().unwrap();
    assert_eq!(sets.len(), 2, "{list:#}");
    assert_eq!(sets[0]["restorable"], false);
    assert_eq!(sets[1]["restorable"], true);
    let restore = loginfix(h, "linux", &["restore", "--dry-run", "--json"]);
    restore.assert_code(0);
    assert_eq!(restore.json()["id"], cookie_set.as_str());
}
