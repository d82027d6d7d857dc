//! JSON for scripts: every document carries the fleet fields and only absolute paths,
//! and a run that fails still prints one document.

use std::path::Path;

use crate::util::*;

/// A copy of the Linux sample home at `<parent>/linux`, for runs with a relative `--home`.
fn home_in_parent() -> (tempfile::TempDir, std::path::PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let home = parent.path().join("linux");
    std::fs::create_dir(&home).unwrap();
    copy_tree(&repo().join("profiles/linux"), &home);
    (parent, home)
}

#[track_caller]
fn assert_fleet_fields(doc: &serde_json::Value, home: &Path) {
    assert_eq!(
        doc["schema_version"],
        loginfix::report::SCHEMA_VERSION,
        "{doc:#}"
    );
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["loginfix_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc["hostname"].as_str(),
        loginfix::platform::hostname().as_deref()
    );
    assert_eq!(
        doc["user"].as_str(),
        loginfix::platform::home_user(home).as_deref()
    );
    assert!(doc["user"].is_string(), "{doc:#}");
    let time = doc["time"].as_str().unwrap();
    assert!(is_rfc3339_utc(time), "{time}");
}

#[test]
fn every_document_carries_the_fleet_fields_and_absolute_paths() {
    let (parent, home) = home_in_parent();
    let commands: [&[&str]; 8] = [
        &["browsers", "-v"],
        &["clear-cookies", "--dry-run"],
        &["clear-cache", "--dry-run"],
        &["extensions", "--all"],
        &["clear-cookies"],
        &["backups"],
        &["restore", "--dry-run"],
        &["restore"],
    ];
    for args in commands {
        let mut all = vec!["--home", "linux", "--os", "linux", "--json"];
        all.extend_from_slice(args);
        let run = raw_at(&all, &home, parent.path());
        let doc = run.json();
        assert_fleet_fields(&doc, &home);
        let relative = relative_paths(&doc);
        assert!(relative.is_empty(), "{args:?}: {relative:?}");
        if let Some(h) = doc.get("home") {
            assert_eq!(h, &serde_json::json!(home.display().to_string()));
        }
    }
}

#[test]
fn a_run_that_fails_prints_one_error_document() {
    let home = sample_home("linux");
    let h = home.path().display().to_string();
    let missing = home.path().join("nowhere").display().to_string();
    // (arguments, exit code, command)
    let cases: [(&[&str], i32, Option<&str>); 6] = [
        (
            &["--home", &h, "--json", "clear-cookies", "--bogus"],
            2,
            Some("clear-cookies"),
        ),
        (&["--json"], 2, None),
        (
            &["--json", "--os", "nonsense", "browsers"],
            2,
            Some("browsers"),
        ),
        (
            &["--home", &h, "clear-cookies", "--domain", "com", "--json"],
            2,
            Some("clear-cookies"),
        ),
        (
            &["--home", &missing, "--json", "browsers"],
            2,
            Some("browsers"),
        ),
        (
            &[
                "--home",
                &h,
                "--os",
                "linux",
                "--json",
                "clear-cookies",
                "--profile",
                "Nope",
            ],
            1,
            Some("clear-cookies"),
        ),
    ];
    for (args, code, command) in cases {
        let run = raw(args, home.path());
        run.assert_code(code);
        // One document, nothing else, on stdout; the person still reads stderr.
        let doc = run.json();
        assert_eq!(doc["command"].as_str(), command, "{args:?}");
        assert_eq!(doc["error"]["exit_code"], code, "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(!message.is_empty());
        assert!(
            !doc["error"]["hints"].as_array().unwrap().is_empty(),
            "{doc:#}"
        );
        assert!(run.stderr.contains("error:"), "{}", run.stderr);
        assert_eq!(doc["schema_version"], 1);
        assert_eq!(doc["loginfix_version"], env!("CARGO_PKG_VERSION"));
        assert!(is_rfc3339_utc(doc["time"].as_str().unwrap()));
        assert!(doc["user"].is_string(), "{doc:#}");
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "command",
                "error",
                "hostname",
                "loginfix_version",
                "schema_version",
                "time",
                "user"
            ]
        );
    }
    // Without --json, nothing on stdout; --help and --version are unchanged.
    let text = raw(&["clear-cookies", "--bogus"], home.path());
    text.assert_code(2);
    assert_eq!(text.stdout, "");
    for flag in ["--help", "--version"] {
        let run = raw(&["--json", flag], home.path());
        run.assert_code(0);
        assert!(serde_json::from_str::<serde_json::Value>(&run.stdout).is_err());
    }
}
