//! A damaged cookie store moved aside: after the guided mode's question, a second one
//! offers to move a cookie database that fails SQLite's checks (with its `-journal`,
//! `-wal` and `-shm`) into the run's backup set, so the browser makes a new one. Yes
//! moves exactly those files, byte for byte, and `restore` puts them back; no, Enter and
//! Ctrl-C leave them; a store that could not be read for another reason (permission
//! denied) is never offered. `fix --move-damaged` does the same for a script.
//! A terminal from `openpty`, and file modes: Unix only.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fix::terminal::Term;
use crate::util::*;

/// What the damaged store and its sidecars hold; none of it is a database.
const DAMAGED: &[(&str, &[u8])] = &[
    ("", b"garbage, not a database"),
    (
        "-journal",
        b"a journal of the damaged file, kept byte for byte",
    ),
    ("-wal", b"a write-ahead log of the damaged file"),
];

/// Where loginfix keeps its backup sets in a Linux home.
const BACKUPS: &str = ".local/share/loginfix";

/// The sample home with Chrome's `Default` cookie store damaged; the store's path.
fn damaged_home() -> (tempfile::TempDir, PathBuf) {
    let home = sample_home("linux");
    let store = home.path().join(".config/google-chrome/Default/Cookies");
    for (suffix, bytes) in DAMAGED {
        write(&sidecar(&store, suffix), bytes);
    }
    (home, store)
}

fn sidecar(store: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", store.display()))
}

/// Every file of the home but loginfix's own (the backup sets and the directories made
/// to hold them).
fn home_files(home: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut snap = snapshot(home);
    let ours = Path::new(BACKUPS);
    snap.retain(|rel, _| {
        !(rel.starts_with(ours) || (ours.starts_with(rel) && !rel.as_os_str().is_empty()))
    });
    snap
}

/// Fails naming the files that differ (not their bytes).
#[track_caller]
fn assert_same_files(got: &BTreeMap<PathBuf, Vec<u8>>, want: &BTreeMap<PathBuf, Vec<u8>>) {
    let differ: Vec<&PathBuf> = got
        .keys()
        .chain(want.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .collect();
    assert!(differ.is_empty(), "files differ: {differ:?}");
}

/// The damaged store's files as they are now (`None` for one that is gone).
fn store_files(store: &Path) -> Vec<Option<Vec<u8>>> {
    DAMAGED
        .iter()
        .map(|(suffix, _)| std::fs::read(sidecar(store, suffix)).ok())
        .collect()
}

fn as_damaged() -> Vec<Option<Vec<u8>>> {
    DAMAGED.iter().map(|(_, b)| Some(b.to_vec())).collect()
}

/// The one backup set of the home: its id and the copies it holds, by original path.
fn backup_set(home: &Path) -> (String, BTreeMap<PathBuf, Vec<u8>>) {
    let sets: Vec<PathBuf> = std::fs::read_dir(home.join(BACKUPS).join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(sets.len(), 1, "{sets:?}");
    let set = &sets[0];
    let journal = std::fs::read_to_string(set.join("manifest.jsonl")).unwrap();
    let mut copies = BTreeMap::new();
    for line in journal.lines().skip(1) {
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        // Files only: a backed-up tree has entries for its directories too.
        let Some(entry) = line.get("entry").filter(|e| e["dir"] != true) else {
            continue;
        };
        let copy = std::fs::read(set.join(entry["file"].as_str().unwrap())).unwrap();
        copies.insert(PathBuf::from(entry["original"].as_str().unwrap()), copy);
    }
    let id = set.file_name().unwrap().to_string_lossy().into_owned();
    (id, copies)
}

/// Answering yes to both questions on a terminal, with nothing else to remove (a domain
/// no browser holds): the damaged store and its sidecars go into the backup set, every
/// other file of the home stays byte for byte, and `restore` puts the store back byte
/// for byte, so the home is again as it was.
#[test]
fn yes_moves_only_the_damaged_store_and_restore_puts_it_back() {
    let (home, store) = damaged_home();
    let h = home.path();
    let before = home_files(h);
    let mut term = Term::run(
        &["fix", "--domain", "nothing-here.example"],
        h,
        &[("LANG", "en_US.UTF-8")],
    );
    term.expect("This cookie file is damaged:");
    term.expect("This signs you out of every site in that profile, not only ChatGPT.");
    term.expect("Move it aside? [y/N] (Enter = no)");
    // Nothing else to remove: the first question is not asked.
    assert!(!term.text().contains("Remove these?"), "{}", term.text());
    term.type_in("y\n");
    let (code, text) = term.finish();
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "Google Chrome (Your Chromium): the damaged {} was moved into the backup set.",
            store.display()
        )),
        "{text}"
    );
    assert!(text.contains("To undo: `loginfix restore "), "{text}");
    assert_eq!(store_files(&store), vec![None, None, None]);
    // The set holds each file as it was, and nothing else.
    let (id, copies) = backup_set(h);
    let want: BTreeMap<PathBuf, Vec<u8>> = DAMAGED
        .iter()
        .map(|(suffix, bytes)| (sidecar(&store, suffix), bytes.to_vec()))
        .collect();
    assert_eq!(copies, want);
    // Every other file of the home is as it was.
    let mut others = before.clone();
    let rel = store.strip_prefix(h).unwrap();
    for (suffix, _) in DAMAGED {
        others.remove(&sidecar(rel, suffix));
    }
    assert_same_files(&home_files(h), &others);

    let run = loginfix(h, "linux", &["restore", &id]);
    run.assert_code(0);
    assert_eq!(store_files(&store), as_damaged());
    assert_same_files(&home_files(h), &before);
}

/// The guided mode (a plain `loginfix`): yes at both questions cleans and moves the
/// store aside in one backup set, whose `restore` brings the store back byte for byte.
#[test]
fn guided_yes_moves_it_into_the_runs_backup_set() {
    let (home, store) = damaged_home();
    let h = home.path();
    let mut term = Term::plain(h, &[("LANG", "en_US.UTF-8")]);
    term.expect("Remove these? [Y/n] (Enter = yes)");
    // The second question comes only after the first is answered.
    assert!(!term.text().contains("Move it aside?"), "{}", term.text());
    term.type_in("y\n");
    term.expect("Move it aside? [y/N] (Enter = no)");
    term.type_in("y\n");
    let (code, text) = term.finish();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("Removed this data of"), "{text}");
    assert!(text.contains("was moved into the backup set"), "{text}");
    assert_eq!(store_files(&store), vec![None, None, None]);
    // One run, one set: the clean's backups and the moved store together.
    let (id, copies) = backup_set(h);
    assert!(copies.len() > DAMAGED.len(), "{copies:?}");
    for (suffix, bytes) in DAMAGED {
        assert_eq!(copies[&sidecar(&store, suffix)], bytes.to_vec());
    }
    assert!(
        text.contains(&format!("To undo: `loginfix restore {id}`")),
        "{text}"
    );
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    assert_eq!(store_files(&store), as_damaged());
}

/// Enter and "n" at the second question leave the store as it is (the clean itself
/// runs: it was answered yes); the question and the result are all Japanese.
#[test]
fn enter_or_no_at_the_second_question_leaves_the_store() {
    for answer in ["\n", "n\n"] {
        let (home, store) = damaged_home();
        let h = home.path();
        let data = crate::ja_text::data_names(h);
        let mut term = Term::plain(h, &[("LANG", "ja_JP.UTF-8")]);
        term.expect("削除してよろしいですか？ [Y/n]（Enter＝はい）");
        term.type_in("y\n");
        term.expect("次の Cookie ファイルが壊れています：");
        term.expect("すべてのサイトからログアウトした状態になります");
        term.expect("ファイルをバックアップに移しますか？ [y/N]（Enter＝いいえ）");
        term.type_in(answer);
        let (code, text) = term.finish();
        // The damaged store is still an error of the run.
        assert_eq!(code, 1, "{text}");
        assert!(text.contains("次のデータを削除しました"), "{text}");
        assert!(!text.contains("バックアップに移しました"), "{text}");
        assert_eq!(store_files(&store), as_damaged(), "{answer:?}");
        let (_, copies) = backup_set(h);
        assert!(!copies.contains_key(&store), "{copies:?}");
        // Every line the person read is Japanese, but for SQLite's own words after
        // loginfix's on the error line (stderr shares the terminal).
        let english: Vec<String> = text
            .lines()
            .filter(|l| !l.contains("file is not a database"))
            .filter_map(|l| crate::ja_text::english_sentence(l, &data))
            .collect();
        assert!(english.is_empty(), "{english:?}\n{text}");
    }
}

/// Ctrl-C at the second question: nothing was changed yet, nothing is.
#[test]
fn ctrl_c_at_the_second_question_changes_nothing() {
    let (home, _) = damaged_home();
    let h = home.path();
    let before = snapshot(h);
    let mut term = Term::plain(h, &[("LANG", "en_US.UTF-8")]);
    term.expect("Remove these? [Y/n] (Enter = yes)");
    term.type_in("y\n");
    term.expect("Move it aside? [y/N] (Enter = no)");
    term.type_in("\u{3}");
    let (code, text) = term.finish();
    assert_eq!(code, 130, "{text}");
    assert!(text.contains("Stopped. Nothing was changed."), "{text}");
    assert_unchanged(&before, h);
}

/// The user `nobody`, for a run where file modes must bind (as root they do not).
const NOBODY: u32 = 65534;

/// A store that cannot be read because of its permissions is told in the plan, and the
/// second question is never asked for it: moving it would throw away a good store.
#[test]
fn a_store_denied_by_its_permissions_is_never_offered() {
    use std::os::unix::fs::PermissionsExt;
    let home = sample_home("linux");
    let h = home.path();
    let store = h.join(".config/google-chrome/Default/Cookies");
    let before = std::fs::read(&store).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loginfix"));
    // Root reads any file: the run is made as `nobody`, on a home handed to `nobody`,
    // with a copy of the binary `nobody` can reach.
    let bin_dir = tempfile::tempdir().unwrap();
    if as_root() {
        use std::os::unix::process::CommandExt;
        let bin = bin_dir.path().join("loginfix");
        std::fs::copy(env!("CARGO_BIN_EXE_loginfix"), &bin).unwrap();
        for path in [bin_dir.path(), bin.as_path()] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for entry in walkdir::WalkDir::new(h) {
            let entry = entry.unwrap();
            std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
        cmd = std::process::Command::new(bin);
        cmd.uid(NOBODY).gid(NOBODY);
    }
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o000)).unwrap();
    cmd.env_clear()
        .env("HOME", h)
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .env("LANG", "en_US.UTF-8");
    let mut term = Term::spawn(cmd);
    term.expect("Remove these? [Y/n] (Enter = yes)");
    assert!(
        term.text()
            .contains(&format!("{} could not be read", store.display())),
        "{}",
        term.text()
    );
    term.type_in("y\n");
    let (code, text) = term.finish();
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("Permission denied"), "{text}");
    assert!(!text.contains("Move it aside?"), "{text}");
    assert!(!text.contains("moved into the backup set"), "{text}");
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(std::fs::read(&store).unwrap(), before);
}

/// `fix --move-damaged` for a script: Firefox's damaged cookie database and its WAL and
/// shared memory go into the backup set, told in the JSON; `restore` brings them back.
/// Without a backup set there is nowhere to keep them: a usage error.
#[test]
fn move_damaged_does_it_without_asking() {
    let home = sample_home("linux");
    let h = home.path();
    let store = h.join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    let files = [
        (store.clone(), b"not a database either".to_vec()),
        (sidecar(&store, "-wal"), b"its write-ahead log".to_vec()),
        (sidecar(&store, "-shm"), vec![7u8; 32768]),
    ];
    for (path, bytes) in &files {
        write(path, bytes);
    }
    let run = loginfix(h, "linux", &["fix", "--yes", "--move-damaged", "--json"]);
    run.assert_code(0);
    let json = run.json();
    let firefox = json["clean"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "firefox")
        .unwrap();
    assert_eq!(firefox["status"], "done", "{firefox:#}");
    assert_eq!(firefox["errors"], serde_json::json!([]), "{firefox:#}");
    let moved = &firefox["moved_aside"];
    assert_eq!(moved.as_array().unwrap().len(), 1, "{moved:#}");
    assert_eq!(moved[0]["file"], store.display().to_string());
    let gone: Vec<&str> = moved[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    let want: Vec<String> = ["-wal", "-shm", ""]
        .iter()
        .map(|s| sidecar(&store, s).display().to_string())
        .collect();
    assert_eq!(gone, want, "the store itself goes last");
    for (path, _) in &files {
        assert!(!path.exists(), "{} is still there", path.display());
    }
    let id = json["clean"]["backup"]["id"].as_str().unwrap();
    loginfix(h, "linux", &["restore", id]).assert_code(0);
    for (path, bytes) in &files {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
    }

    let run = loginfix(
        h,
        "linux",
        &["fix", "--yes", "--move-damaged", "--no-backup"],
    );
    run.assert_code(2);
    assert!(run.stderr.contains("--no-backup"), "{}", run.stderr);
}

/// A dry run with `--move-damaged` shows the move the real run makes, the same files in
/// the same order, and moves nothing.
#[test]
fn a_dry_run_shows_the_move_and_moves_nothing() {
    let home = sample_home("linux");
    let h = home.path();
    let store = h.join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    write(&store, b"not a database either");
    write(&sidecar(&store, "-wal"), b"its write-ahead log");
    let before = home_files(h);
    let run = loginfix(
        h,
        "linux",
        &["fix", "--dry-run", "--move-damaged", "--json"],
    );
    let json = run.json();
    assert_eq!(json["clean"]["dry_run"], true);
    let firefox = json["clean"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "firefox")
        .unwrap();
    let moved = &firefox["moved_aside"];
    assert_eq!(moved[0]["file"], store.display().to_string(), "{firefox:#}");
    let files: Vec<String> = ["-wal", ""]
        .iter()
        .map(|s| sidecar(&store, s).display().to_string())
        .collect();
    assert_eq!(moved[0]["files"], serde_json::json!(files));
    assert_same_files(&home_files(h), &before);

    let run = loginfix(h, "linux", &["fix", "--dry-run", "--move-damaged"]);
    assert!(
        run.stdout
            .contains("would be moved into the backup set (dry run: nothing was moved)"),
        "{}",
        run.stdout
    );
    assert_same_files(&home_files(h), &before);
}

/// Root on a user's home: the work runs in a child that is that user (see `worker`),
/// which asks its parent both questions; the store goes into the user's backup set, as
/// the user, and `restore` puts it back.
#[cfg(target_os = "linux")]
#[test]
fn root_on_a_users_home_asks_through_the_child_working_there() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    const ALICE: u32 = 4203;
    if !as_root() {
        return;
    }
    let (top, store) = damaged_home();
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = top.path();
    for entry in walkdir::WalkDir::new(home) {
        std::os::unix::fs::lchown(entry.unwrap().path(), Some(ALICE), Some(ALICE)).unwrap();
    }
    let own = tempfile::tempdir().unwrap();
    let h = home.to_str().unwrap();
    let mut term = Term::run(&["--home", h, "--os", "linux", "fix"], own.path(), &[]);
    term.expect("Remove these? [Y/n] (Enter = yes)");
    term.type_in("y\n");
    term.expect("Move it aside? [y/N] (Enter = no)");
    term.type_in("y\n");
    let (code, text) = term.finish();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("was moved into the backup set"), "{text}");
    assert_eq!(store_files(&store), vec![None, None, None]);
    let (id, copies) = backup_set(home);
    for (suffix, bytes) in DAMAGED {
        assert_eq!(copies[&sidecar(&store, suffix)], bytes.to_vec());
    }
    // Everything the run made in the home is alice's.
    for entry in walkdir::WalkDir::new(home) {
        let entry = entry.unwrap();
        assert_eq!(
            entry.metadata().unwrap().uid(),
            ALICE,
            "{}",
            entry.path().display()
        );
    }
    loginfix(home, "linux", &["restore", &id]).assert_code(0);
    assert_eq!(store_files(&store), as_damaged());
    assert_eq!(std::fs::metadata(&store).unwrap().uid(), ALICE);
}
