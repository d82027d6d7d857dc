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
