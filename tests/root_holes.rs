//! Root over homes whose owners are hostile, as fleet tools run loginfix: the home is the
//! only root (a symlinked `.config` or `AppData` reaches nothing of another user), every
//! directory loginfix makes in a home is made and written through handles (a watcher
//! running as the home's owner that swaps a new backup set, undo set, backups directory
//! or LevelDB rebuild directory for a symlink makes root write nothing outside), and
//! hard links, sparse files, a full disk, umask 000 and a FIFO store are handled. Each
//! runs only as root (CI is root), over homes owned by unprivileged uids.

#![cfg(target_os = "linux")]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::util::*;

const ZOE: u32 = 4101;
const MALLORY: u32 = 4102;

fn chown_tree(dir: &Path, uid: u32) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(uid), Some(uid)).unwrap();
    }
}

/// A machine root holding `home/zoe` and `home/mallory` (each a copy of the sample home
/// of `os`, owned by its user), a passwd file naming both, and a root-only directory.
struct Machine {
    top: tempfile::TempDir,
    /// `home` on Linux, `Users` on Windows.
    homes: &'static str,
}

impl Machine {
    fn new(os: &str) -> Machine {
        let top = tempfile::tempdir().unwrap();
        std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let homes = if os == "windows" { "Users" } else { "home" };
        let m = Machine { top, homes };
        let sample = repo().join("profiles").join(os);
        for (name, uid) in [("zoe", ZOE), ("mallory", MALLORY)] {
            let home = m.home(name);
            std::fs::create_dir_all(&home).unwrap();
            copy_tree(&sample, &home);
            chown_tree(&home, uid);
        }
        std::fs::set_permissions(
            m.top.path().join(homes),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        write(
            &m.top.path().join("etc/passwd"),
            format!(
                "root:x:0:0:root:/root:/bin/bash\n\
                 zoe:x:{ZOE}:{ZOE}:zoe:/home/zoe:/bin/bash\n\
                 mallory:x:{MALLORY}:{MALLORY}:mallory:/home/mallory:/bin/bash\n"
            ),
        );
        let only = m.root_only();
        std::fs::create_dir_all(&only).unwrap();
        write(&only.join("keep"), "root's");
        std::fs::set_permissions(only.join("keep"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        std::fs::set_permissions(&only, std::fs::Permissions::from_mode(0o700)).unwrap();
        m
    }

    fn root(&self) -> &Path {
        self.top.path()
    }

    fn home(&self, name: &str) -> PathBuf {
        self.top.path().join(self.homes).join(name)
    }

    fn root_only(&self) -> PathBuf {
        self.top.path().join("rootonly")
    }

    /// The root-only directory holds exactly what it was given, with its modes.
    fn assert_root_only_untouched(&self) {
        let only = self.root_only();
        let names: Vec<_> = std::fs::read_dir(&only)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("keep")],
            "root wrote into it"
        );
        let keep = std::fs::metadata(only.join("keep")).unwrap();
        assert_eq!(keep.mode() & 0o7777, 0o644);
        assert_eq!(std::fs::read(only.join("keep")).unwrap(), b"root's");
        let meta = std::fs::metadata(&only).unwrap();
        assert_eq!((meta.uid(), meta.mode() & 0o7777), (0, 0o700));
    }
}

/// Copies of stores in every backup set under `home` (the manifests aside).
fn copies_in(home: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(home)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.components().any(|c| c.as_os_str() == "backups"))
        .filter(|p| p.file_name().is_some_and(|n| n != "manifest.jsonl"))
        .collect()
}

/// `loginfix --all-users --root ROOT --os OS ARGS`.
fn fleet(root: &Path, os: &str, args: &[&str]) -> Run {
    let own = tempfile::tempdir().unwrap();
    let mut all: Vec<String> = ["--all-users", "--root"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    all.push(root.display().to_string());
    all.extend(["--os".to_string(), os.to_string()]);
    all.extend(args.iter().map(|s| s.to_string()));
    raw(&all, own.path())
}

#[test]
fn a_symlinked_base_folder_reaches_nothing_of_another_user() {
    if !as_root() {
        return;
    }
    let cases = [
        ("linux", ".config"),
        ("linux", ".cache"),
        ("windows", "AppData"),
        ("windows", "AppData/Local"),
        ("windows", "AppData/Roaming"),
    ];
    for (os, base) in cases {
        for how in ["home", "home --no-backup", "all-users"] {
            let m = Machine::new(os);
            let mut zoe = m.home("zoe");
            if how == "all-users" {
                // Zoe's own run would clean her data: she is no user of this run, so that
                // all that touches her files is mallory's run.
                let away = m.root().join("zoe-away");
                std::fs::rename(&zoe, &away).unwrap();
                zoe = away;
            }
            let mallory = m.home("mallory");
            let link = mallory.join(base);
            std::fs::remove_dir_all(&link).unwrap();
            std::os::unix::fs::symlink(zoe.join(base), &link).unwrap();
            std::os::unix::fs::lchown(&link, Some(MALLORY), Some(MALLORY)).unwrap();
            let before = snapshot(&zoe);
            let case = format!("{os} {base} {how}");
            match how {
                "all-users" => {
                    let run = fleet(m.root(), os, &["--json", "fix", "--yes"]);
                    let doc = run.json();
                    let users = doc["users"].as_array().unwrap();
                    assert!(
                        users.iter().any(|u| u["name"] == "mallory"),
                        "{case}: {}",
                        run.stdout
                    );
                }
                _ => {
                    let mut args = vec!["fix", "--yes"];
                    if how.ends_with("--no-backup") {
                        args.push("--no-backup");
                    }
                    let run = loginfix(&mallory, os, &args);
                    assert!(
                        run.stderr
                            .contains(&format!("`{}` is a symlink to", link.display())),
                        "{case}: the link is named\n{}",
                        run.stderr
                    );
                    assert_unchanged(&before, &zoe);
                }
            }
            let copies = copies_in(&mallory);
            assert!(
                copies
                    .iter()
                    .all(|c| std::fs::metadata(c).unwrap().uid() == MALLORY),
                "{case}: {copies:?}"
            );
            let zoes: Vec<_> = copies
                .iter()
                .filter(|c| {
                    let journal = c.parent().unwrap().join("manifest.jsonl");
                    std::fs::read_to_string(journal)
                        .is_ok_and(|j| j.contains(base) && j.contains("zoe"))
                })
                .collect();
            assert!(zoes.is_empty(), "{case}: zoe's data copied: {zoes:?}");
        }
    }
}

#[test]
fn a_link_inside_the_home_is_followed_and_the_home_cleaned_as_its_owners() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    std::fs::create_dir_all(h.join("dotfiles")).unwrap();
    std::fs::rename(h.join(".config"), h.join("dotfiles/config")).unwrap();
    std::os::unix::fs::symlink("dotfiles/config", h.join(".config")).unwrap();
    chown_tree(&h, MALLORY);
    let db = h.join("dotfiles/config/google-chrome/Default/Cookies");
    let hosts_before = rows(&db).len();
    let run = loginfix(&h, "linux", &["clear-cookies"]);
    run.assert_code(0);
    let left = rows(&db);
    assert!(left.len() < hosts_before, "the targets went");
    let target = |h: &str| {
        let h = h.trim_start_matches('.');
        ["chatgpt.com", "openai.com"]
            .iter()
            .any(|t| h == *t || h.ends_with(&format!(".{t}")))
    };
    assert!(left.iter().all(|(host, ..)| !target(host)), "{left:?}");
    for entry in walkdir::WalkDir::new(&h) {
        let meta = entry.unwrap().into_path().symlink_metadata().unwrap();
        assert_eq!((meta.uid(), meta.gid()), (MALLORY, MALLORY));
    }
    let backups = h.join(".local/share/loginfix/backups");
    for dir in [h.join(".local"), h.join(".local/share"), backups.clone()] {
        assert_eq!(
            std::fs::metadata(&dir).unwrap().mode() & 0o7777,
            0o700,
            "{dir:?}"
        );
    }
    assert!(!copies_in(&h).is_empty());
}

/// Starts the watcher as mallory on `watch`, swapping new entries (named with
/// `prefix`) for a symlink to the root-only directory.
fn watcher(m: &Machine, watch: &Path, prefix: &str) -> Child {
    let script = repo().join("tests/hostile/swap_on_create.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(MALLORY.to_string())
        .arg(MALLORY.to_string())
        .arg(watch)
        .arg(m.root_only())
        .arg(prefix)
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the watcher");
    use std::io::BufRead;
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "ready", "the watcher started");
    child
}

fn stop(mut child: Child) -> String {
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Makes `dir` and its parents below `home` as mallory's own.
fn make_owned(home: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    chown_tree(home, MALLORY);
}

#[test]
fn a_swapped_backup_set_or_backups_directory_makes_root_write_nothing_outside() {
    if !as_root() {
        return;
    }
    for (watched, prefix) in [
        (".local/share/loginfix/backups", ""),
        (".local/share/loginfix", "backups"),
    ] {
        let m = Machine::new("linux");
        let h = m.home("mallory");
        let watch = h.join(watched);
        make_owned(&h, &watch);
        let said = against_watcher(&m, &watch, prefix, &["clear-site-data"]);
        assert!(
            said.contains("swapped"),
            "{watched}: the watcher swapped: {said}"
        );
    }
}

#[test]
fn a_swapped_undo_set_makes_root_write_nothing_outside() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    loginfix(&h, "linux", &["clear-cookies"]).assert_code(0);
    let backups = h.join(".local/share/loginfix/backups");
    let said = against_watcher(&m, &backups, "", &["restore"]);
    assert!(
        said.contains("swapped"),
        "the watcher saw the undo set: {said}"
    );
}

#[test]
fn a_swapped_leveldb_rebuild_directory_makes_root_write_nothing_outside() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let ls = h.join(".config/google-chrome/Default/Local Storage");
    let args = ["clear-site-data", "--no-backup"];
    let said = against_watcher(&m, &ls, "leveldb__tmp_for_rebuild", &args);
    assert!(
        said.contains("leveldb__tmp_for_rebuild"),
        "the watcher saw it: {said}"
    );
}

/// Runs `loginfix ARGS` on mallory's home while the watcher swaps what appears in
/// `watch`; checks that root wrote nothing outside and that the run ended as a run
/// does (done, or failed on what was swapped). Returns what the watcher said.
fn against_watcher(m: &Machine, watch: &Path, prefix: &str, args: &[&str]) -> String {
    let w = watcher(m, watch, prefix);
    let run = loginfix(&m.home("mallory"), "linux", args);
    let said = stop(w);
    m.assert_root_only_untouched();
    assert!(
        run.code == 0 || run.code == 1,
        "{args:?}: {}\n{}",
        run.stdout,
        run.stderr
    );
    said
}

#[test]
fn a_hard_linked_file_in_a_tree_is_neither_copied_nor_removed() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let secret = m.root_only().join("keep");
    let tree =
        h.join(".config/google-chrome/Default/IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
    assert!(tree.is_dir(), "the sample home has chatgpt.com's IndexedDB");
    std::fs::hard_link(&secret, tree.join("000009.ldb")).unwrap();
    let run = loginfix(&h, "linux", &["clear-site-data"]);
    run.assert_code(1);
    assert!(run.stdout.contains("hard links"), "{}", run.stdout);
    assert!(
        tree.join("000009.ldb").is_file(),
        "the tree was left as it was"
    );
    for copy in copies_in(&h) {
        assert_ne!(std::fs::read(&copy).unwrap(), b"root's", "{copy:?}");
    }
}

#[test]
fn a_sparse_file_is_backed_up_with_its_holes() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let tree =
        h.join(".config/google-chrome/Default/IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
    let sparse = tree.join("000010.ldb");
    let f = std::fs::File::create(&sparse).unwrap();
    f.set_len(256 << 20).unwrap();
    drop(f);
    chown_tree(&h, MALLORY);
    let run = loginfix(&h, "linux", &["clear-site-data"]);
    run.assert_code(0);
    assert!(!tree.exists());
    let copy = copies_in(&h)
        .into_iter()
        .find(|c| c.to_string_lossy().ends_with("000010.ldb"))
        .expect("the sparse file was backed up");
    let meta = std::fs::metadata(&copy).unwrap();
    assert_eq!(meta.len(), 256 << 20);
    assert!(
        meta.blocks() * 512 < 1 << 20,
        "holes kept: {} blocks",
        meta.blocks()
    );
    assert_eq!((meta.uid(), meta.mode() & 0o7777), (MALLORY, 0o600));
}

#[test]
fn a_backup_that_does_not_fit_changes_nothing_and_leaves_no_partial_copy() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&h)
        .status()
        .unwrap();
    assert!(mount.success(), "root mounts a small tmpfs");
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(h.clone());
    let tree =
        h.join(".config/google-chrome/Default/IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
    // Incompressible, and more than half the disk: it fits once, not twice.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let data: Vec<u8> = (0..1_300_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect();
    write(&tree.join("000003.log"), &data);
    write(&tree.join("CURRENT"), "MANIFEST-000001\n");
    chown_tree(&h, MALLORY);
    let run = loginfix(&h, "linux", &["clear-site-data", "--browser", "chrome"]);
    run.assert_code(1);
    assert!(run.stdout.contains("free"), "{}", run.stdout);
    assert_eq!(std::fs::read(tree.join("000003.log")).unwrap(), data);
    let copies = copies_in(&h);
    assert!(
        copies
            .iter()
            .all(|c| std::fs::metadata(c).unwrap().len() < 1_000_000),
        "no partial copy left: {copies:?}"
    );
}

#[test]
fn under_umask_000_the_backups_are_private() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 000; exec \"$0\" --home \"$1\" --os linux clear-cookies")
        .arg(env!("CARGO_BIN_EXE_loginfix"))
        .arg(&h)
        .env("HOME", &h)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let backups = h.join(".local/share/loginfix/backups");
    for dir in [
        h.join(".local"),
        h.join(".local/share"),
        h.join(".local/share/loginfix"),
        backups.clone(),
    ] {
        let meta = std::fs::metadata(&dir).unwrap();
        assert_eq!(
            (meta.uid(), meta.mode() & 0o7777),
            (MALLORY, 0o700),
            "{dir:?}"
        );
    }
    for entry in walkdir::WalkDir::new(&backups).min_depth(1) {
        let meta = entry.unwrap().metadata().unwrap();
        let want = if meta.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(meta.mode() & 0o7777, want);
    }
}

#[test]
fn a_fifo_where_a_store_should_be_is_an_error_naming_it() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    let db = h.join(".config/google-chrome/Default/Cookies");
    std::fs::remove_file(&db).unwrap();
    assert!(Command::new("mkfifo").arg(&db).status().unwrap().success());
    let run = loginfix(&h, "linux", &["clear-cookies", "--browser", "chrome"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&db.display().to_string()),
        "{}",
        run.stderr
    );
}

#[test]
fn a_base_folder_another_user_owns_refuses_the_home() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    let h = m.home("mallory");
    std::os::unix::fs::lchown(h.join(".cache"), Some(ZOE), Some(ZOE)).unwrap();
    let before = snapshot(&h);
    let run = loginfix(&h, "linux", &["clear-cache"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!(
            "`{}` belongs to uid {ZOE}",
            h.join(".cache").display()
        )),
        "{}",
        run.stderr
    );
    assert_unchanged(&before, &h);
}

#[test]
fn a_home_owned_by_another_than_its_account_is_not_entered() {
    if !as_root() {
        return;
    }
    let m = Machine::new("linux");
    chown_tree(&m.home("zoe"), MALLORY);
    let before = snapshot(&m.home("zoe"));
    let run = fleet(m.root(), "linux", &["--json", "clear-cookies"]);
    let doc = run.json();
    let zoe = doc["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "zoe")
        .unwrap()
        .clone();
    assert_eq!(zoe["status"], "skipped", "{zoe}");
    assert!(
        zoe["reason"].as_str().unwrap().contains("owned by uid"),
        "{zoe}"
    );
    assert_unchanged(&before, &m.home("zoe"));
}
