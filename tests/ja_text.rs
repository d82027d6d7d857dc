//! Every command's text in Japanese, on the sample home and on the homes a locked-out
//! person meets (a damaged store, a browser left open, no browser at all) and after a
//! mistyped command: no English sentence may reach the person. A run of three or more
//! English words is a sentence unless it is a path, a command, a domain, an id or data
//! read from the home (a profile's or an extension's name).
//!
//! What stays English by design: the details of an error that come from SQLite or the
//! OS after the file's name.
//! A browser left open is a Unix lock here: Unix only.

#![cfg(unix)]

use std::path::Path;

use crate::util::*;

/// Three or more words of Latin letters in a row, after what is allowed is taken out.
pub(crate) fn english_sentence(line: &str, data: &[String]) -> Option<String> {
    // Commands and names quoted in backquotes.
    let mut l = String::new();
    for (i, part) in line.split('`').enumerate() {
        l.push_str(if i % 2 == 0 { part } else { " " });
    }
    for d in data {
        l = l.replace(d.as_str(), " ");
    }
    // Words run on only across spaces: punctuation ends a run.
    for segment in l.split([
        '（', '）', '「', '」', '、', '。', '：', '(', ')', ',', ';', '|',
    ]) {
        let mut run: Vec<&str> = Vec::new();
        for w in segment.split(' ').chain([""]) {
            let w = w.trim_matches(|c: char| matches!(c, '"' | '\'' | '!' | '?' | ':' | '.'));
            // Paths, domains, URLs, ids, options, numbers and units are not words.
            let word = !w.is_empty()
                && !w.contains(['/', '\\', '.', '=', '@', ':', '_', '<', '>'])
                && !w.starts_with('-')
                && w.chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'');
            if word {
                run.push(w);
            } else {
                if run.len() >= 3 {
                    return Some(run.join(" "));
                }
                run.clear();
            }
        }
    }
    None
}

/// Names read from the home: profiles and extensions, as every listing shows them.
pub(crate) fn data_names(home: &Path) -> Vec<String> {
    let mut names = vec![
        "Google Chrome".to_string(),
        "Microsoft Edge".to_string(),
        "Google Translate".to_string(),
    ];
    for args in [["extensions", "--all"], ["browsers", "-q"]] {
        let run = loginfix(home, "linux", &[args[0], args[1], "--json"]);
        collect_names(&run.json(), &mut names);
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
}

fn collect_names(v: &serde_json::Value, names: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("name", serde_json::Value::String(s)) => names.push(s.clone()),
                    _ => collect_names(v, names),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_names(v, names)),
        _ => {}
    }
}

/// What the OS and SQLite say after loginfix's own words (`: file is not a database`),
/// which stays as they say it.
fn os_detail() -> Vec<String> {
    [
        "file is not a database",
        "Permission denied (os error 13)",
        "Not a directory (os error 20)",
    ]
    .map(String::from)
    .to_vec()
}

/// Runs `loginfix --lang ja ARGS` on `home` and returns the English sentences it said.
fn said_in_english(home: &Path, args: &[&str], data: &[String]) -> Vec<String> {
    let mut all = vec!["--lang", "ja"];
    all.extend_from_slice(args);
    let run = loginfix(home, "linux", &all);
    format!("{}\n{}", run.stdout, run.stderr)
        .lines()
        .filter_map(|l| english_sentence(l, data).map(|s| format!("{args:?}: {s}  <<{l}>>")))
        .collect()
}

#[test]
fn the_detector_finds_a_sentence_and_passes_paths_commands_and_names() {
    let data = vec!["Request Rewriter (sample)".to_string()];
    assert_eq!(
        english_sentence("  = 6 would be removed", &data).as_deref(),
        Some("would be removed")
    );
    assert_eq!(
        english_sentence(
            "エラー: /tmp/a b/Default/Cookies: not a readable SQLite database",
            &data
        )
        .as_deref(),
        Some("not a readable SQLite database")
    );
    for fine in [
        "  削除予定  chatgpt.com  __Secure-next-auth.session-token  path=/  [Cookie]",
        "元に戻したいときは：`loginfix --home /tmp/x restore 20261207T0-1`",
        "  Request Rewriter (sample) mnopabcdefghijklmnop 3.1 有効 妨げの可能性",
        "Google Chrome（プロフィール「Your Chromium」）  /tmp/lh/.config/google-chrome/Default",
    ] {
        assert_eq!(english_sentence(fine, &data), None, "{fine}");
    }
}

#[test]
fn every_command_speaks_japanese_on_the_sample_home() {
    let home = sample_home("linux");
    let h = home.path();
    let data = data_names(h);
    let mut english = Vec::new();
    for args in [
        &["browsers"][..],
        &["browsers", "-v"],
        &["extensions"],
        &["extensions", "--all"],
        &["clear-cookies", "--dry-run"],
        &["clear-cache", "--dry-run"],
        &["clear-site-data", "--dry-run"],
        &["doctor"],
        &["doctor", "-v"],
        &["fix", "--dry-run"],
        &["backups"],
        &["clear-cookies"],
        &["backups"],
        &["restore", "--dry-run"],
        &["restore"],
        &["fix", "--yes"],
        &["clear-cookies", "--profile", "nobody"],
        &["frobnicate"],
        &["clear-cookies", "--browser", "netscape"],
    ] {
        english.extend(said_in_english(h, args, &data));
    }
    // `-v` says how long each change took (and the pruning of older backups).
    let fresh = sample_home("linux");
    let run = loginfix(
        fresh.path(),
        "linux",
        &["--lang", "ja", "clear-site-data", "-v"],
    );
    run.assert_code(0);
    assert!(
        run.stdout.contains("かかった時間：") && run.stdout.contains("古いバックアップの削除"),
        "{}",
        run.stdout
    );
    english.extend(
        run.stdout
            .lines()
            .filter_map(|l| english_sentence(l, &data).map(|s| format!("-v: {s}  <<{l}>>"))),
    );
    assert!(english.is_empty(), "{}", english.join("\n"));
}

#[test]
fn a_damaged_store_an_open_browser_and_no_browser_are_told_in_japanese() {
    let home = sample_home("linux");
    let h = home.path();
    // What SQLite itself says of the damaged file, after loginfix's own words.
    let data = [data_names(h), os_detail()].concat();
    write(
        &h.join(".config/google-chrome/Default/Cookies"),
        "garbage, not a database",
    );
    let mut english = said_in_english(h, &["fix", "--yes"], &data);
    english.extend(said_in_english(h, &["clear-cookies"], &data));
    let mut edge = running_chromium(&h.join(".config/microsoft-edge"));
    english.extend(said_in_english(h, &["fix", "--yes"], &data));
    english.extend(said_in_english(
        h,
        &["clear-cookies", "--browser", "edge"],
        &data,
    ));
    let _ = edge.kill();
    let _ = edge.wait();
    // The damaged store moved aside, and the result saying so.
    english.extend(said_in_english(
        h,
        &["fix", "--yes", "--move-damaged"],
        &data,
    ));
    assert!(!h.join(".config/google-chrome/Default/Cookies").exists());
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(empty.path().join(".config")).unwrap();
    english.extend(said_in_english(empty.path(), &["fix", "--dry-run"], &data));
    english.extend(said_in_english(empty.path(), &["clear-cookies"], &data));
    english.extend(said_in_english(empty.path(), &["doctor"], &data));
    assert!(english.is_empty(), "{}", english.join("\n"));
}

#[test]
fn every_command_s_help_speaks_japanese() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let mut runs: Vec<Vec<&str>> = vec![vec!["help"], vec!["help", "fix"]];
    for command in std::iter::once("").chain(loginfix::cli::MAN_PAGES.iter().copied()) {
        for flag in ["-h", "--help"] {
            runs.push(
                [command, flag]
                    .into_iter()
                    .filter(|a| !a.is_empty())
                    .collect(),
            );
        }
    }
    let mut english = Vec::new();
    for args in &runs {
        let mut all = vec!["--lang", "ja"];
        all.extend_from_slice(args);
        let run = loginfix(h, "linux", &all);
        run.assert_code(0);
        // Each option's own description, not only clap's headings.
        assert!(
            run.stdout.contains("ヘルプを表示します"),
            "{args:?}: {}",
            run.stdout
        );
        english.extend(said_in_english(h, args, &[]));
    }
    assert!(english.is_empty(), "{}", english.join("\n"));
}

/// The errors of the store readers and the executor, in Japanese: a symlinked store, a
/// damaged one, a backup that cannot be made and (as `nobody`, when run as root) a store
/// the user may not read. Only the OS's or SQLite's own detail stays English.
#[test]
fn store_errors_are_told_in_japanese_apart_from_the_os_detail() {
    use std::os::unix::fs::PermissionsExt;
    let home = sample_home("linux");
    let h = home.path();
    let data = [data_names(h), os_detail()].concat();
    // A cache directory that is a symlink to a tree outside the home.
    let outside = tempfile::tempdir().unwrap();
    let cache = h.join(".cache/google-chrome/Default");
    std::fs::rename(&cache, outside.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("elsewhere"), &cache).unwrap();
    let mut english = said_in_english(h, &["clear-cache"], &data);
    english.extend(said_in_english(h, &["fix", "--yes"], &data));
    let run = loginfix(h, "linux", &["--lang", "ja", "clear-cache"]);
    assert!(run.stderr.contains("シンボリックリンク"), "{}", run.stderr);
    // A damaged cookie store.
    let chrome = h.join(".config/google-chrome/Default");
    std::fs::remove_file(chrome.join("Cookies")).unwrap();
    write(&chrome.join("Cookies"), "garbage, not a database");
    english.extend(said_in_english(h, &["clear-cookies"], &data));
    english.extend(said_in_english(h, &["doctor"], &data));

    // A backup that cannot be made: the backup directory given is a file.
    let fresh = sample_home("linux");
    let f = fresh.path();
    let not_dir = f.join("not-a-dir");
    write(&not_dir, "a file");
    let args = [
        "clear-cookies",
        "--backup-dir",
        &not_dir.display().to_string(),
    ]
    .map(String::from);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    english.extend(said_in_english(f, &args, &data));
    let mut all = vec!["--lang", "ja"];
    all.extend_from_slice(&args);
    let run = loginfix(f, "linux", &all);
    assert_ne!(run.code, 0, "{}", run.stderr);

    // A store the user may not read: root reads any file, so the run is made as
    // `nobody`, on a home handed to `nobody`, with a copy of the binary it can reach.
    #[cfg(target_os = "linux")]
    if as_root() {
        use std::os::unix::process::CommandExt;
        const NOBODY: u32 = 65534;
        let denied = sample_home("linux");
        let d = denied.path();
        let bin_dir = tempfile::tempdir().unwrap();
        let bin = bin_dir.path().join("loginfix");
        std::fs::copy(env!("CARGO_BIN_EXE_loginfix"), &bin).unwrap();
        for path in [bin_dir.path(), bin.as_path()] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for entry in walkdir::WalkDir::new(d) {
            let entry = entry.unwrap();
            std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
        let store = d.join(".config/google-chrome/Default/Cookies");
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o000)).unwrap();
        for args in [&["clear-cookies"][..], &["fix", "--yes"], &["doctor"]] {
            let out = std::process::Command::new(&bin)
                .args([
                    "--lang",
                    "ja",
                    "--home",
                    &d.display().to_string(),
                    "--os",
                    "linux",
                ])
                .args(args)
                .env_clear()
                .env("HOME", d)
                .env("PATH", "/usr/bin:/bin")
                .env("NO_COLOR", "1")
                .uid(NOBODY)
                .gid(NOBODY)
                .output()
                .unwrap();
            let text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            if args[0] == "clear-cookies" {
                assert!(text.contains("Permission denied"), "{text}");
            }
            english.extend(text.lines().filter_map(|l| {
                english_sentence(l, &data).map(|s| format!("nobody {args:?}: {s}  <<{l}>>"))
            }));
        }
        std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert!(english.is_empty(), "{}", english.join("\n"));
}
