//! Errors as diagnostics for stderr: `error: <file>: <what went wrong>` and a `hint:`
//! saying what to do about it. A report lists its errors in its own fields (and JSON);
//! these are the same errors said to the person at the terminal, `-q` or not.

use std::path::Path;

/// One `error:` line and the `hint:` lines that follow it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub hints: Vec<String>,
}

/// `<file>: <what went wrong>`. An error that starts by naming the file (`` `/p/Cookies`
/// is not a readable SQLite database``) is not made to name it twice.
pub fn store_message(file: &Path, error: &str) -> String {
    let shown = file.display().to_string();
    let what = error
        .strip_prefix(&format!("`{shown}`: "))
        .or_else(|| error.strip_prefix(&format!("`{shown}` ")))
        .unwrap_or(error);
    let what = what.strip_prefix("is ").unwrap_or(what);
    format!("{shown}: {what}")
}

/// What to do about a store that could not be read or changed, judged from its error;
/// `None` when there is nothing better to say than the error.
pub fn store_hint(error: &str) -> Option<String> {
    let e = error.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| e.contains(w));
    let hint = if has(&["full disk access", "フルディスクアクセス"]) {
        "hint-store-full-disk-access"
    } else if has(&[
        "locked by another program",
        "database is locked",
        "database table is locked",
        "held open",
        "used by another process",
        "別のプログラムがロック",
    ]) {
        "hint-store-locked"
    } else if has(&[
        "permission denied",
        "access is denied",
        "operation not permitted",
    ]) {
        if crate::worker::in_child() {
            "hint-store-permission-child"
        } else {
            "hint-store-permission"
        }
    } else if has(&["readonly", "read-only"]) {
        "hint-store-readonly"
    } else if has(&[
        "is a symlink",
        "シンボリックリンクです",
        "シンボリックリンクのため",
    ]) {
        "hint-store-symlink"
    } else if has(&["hard links", "ハードリンク"]) {
        "hint-store-hard-links"
    } else if has(&["no browser writes", "ブラウザーが書かない"]) {
        "hint-store-not-a-browser-file"
    } else if has(&[
        "unknown schema",
        "this tool understands",
        "has no `",
        "形式が不明",
        "loginfix が扱える",
        "列がありません",
        "テーブルがありません",
    ]) {
        "hint-store-unknown-schema"
    } else if has(&[
        "not a readable sqlite database",
        "not a database",
        "malformed",
        "checksum",
        "integrity check",
        "truncated",
        "could not be read",
        "not a firefox session file",
        "no valid header",
        "unexpected end",
        "sqlite のデータベースとして読み取れません",
        "壊れています",
        "整合性チェック",
        "途中で切れています",
        "json を読み取れませんでした",
        "セッションファイルではありません",
        "先頭の行が正しくありません",
    ]) {
        "hint-store-damaged"
    } else if has(&["no space left", "disk full", "quota"]) {
        "hint-store-disk-full"
    } else {
        return None;
    };
    Some(crate::i18n::t(hint))
}

/// The diagnostic of one store error or failed store edit.
pub fn store_error(file: &Path, error: &str) -> Diagnostic {
    Diagnostic {
        message: store_message(file, error),
        hints: store_hint(error).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_once() {
        let file = Path::new("/h/Default/Cookies");
        assert_eq!(
            store_message(
                file,
                "`/h/Default/Cookies` is not a readable SQLite database: file is not a database"
            ),
            "/h/Default/Cookies: not a readable SQLite database: file is not a database"
        );
        assert_eq!(
            store_message(file, "could not open `/h/Default/Cookies`: x"),
            "/h/Default/Cookies: could not open `/h/Default/Cookies`: x"
        );
    }

    #[test]
    fn each_cause_has_its_way_out() {
        for (error, says) in [
            (
                "`C` is not a readable SQLite database: file is not a database",
                "damaged",
            ),
            (
                "`C` is locked by another program (waited 5 s); close it",
                "close the program",
            ),
            (
                "could not read `C`: Permission denied (os error 13)",
                "sudo",
            ),
            (
                "could not delete from `C`: attempt to write a readonly database",
                "read-only",
            ),
            (
                "`C` has a trigger (`t`), which no browser writes; not read",
                "not written by a browser",
            ),
            (
                "`C` is a symlink to `/x`; not followed",
                "does not follow links",
            ),
            (
                "macOS protects Safari's data: give your terminal app Full Disk Access",
                "Full Disk Access",
            ),
            (
                "`C` has 2 hard links; editing it would change the other copies too",
                "name of its own",
            ),
        ] {
            let hint = store_hint(error).unwrap_or_default();
            assert!(hint.contains(says), "{error}: {hint}");
        }
        assert_eq!(store_hint("something else"), None);
    }

    #[test]
    fn japanese_store_errors_have_the_same_way_out() {
        use crate::i18n::{message_in, Lang};
        let args = [("file", "C"), ("path", "/x"), ("dir", "/h"), ("n", "2")];
        let args = &[&args[..], &[("name", "t"), ("table", "t"), ("detail", "d")]].concat();
        for (key, hint) in [
            ("error-not-sqlite", "hint-store-damaged"),
            ("err-symlink-followed-run-as-root", "hint-store-symlink"),
            ("err-symlink-outside-home-followed", "hint-store-symlink"),
            ("err-symlink-read-as-backup", "hint-store-symlink"),
            ("err-locked-by-another-program-waited", "hint-store-locked"),
            ("err-has-hard-links-could-be", "hint-store-hard-links"),
            (
                "err-has-trigger-which-no-browser",
                "hint-store-not-a-browser-file",
            ),
            (
                "err-has-unknown-schema-table-has",
                "hint-store-unknown-schema",
            ),
            (
                "err-safari-cache-database-this-tool",
                "hint-store-unknown-schema",
            ),
            (
                "err-fails-sqlite-integrity-check-edit",
                "hint-store-damaged",
            ),
            ("err-firefox-session-file", "hint-store-damaged"),
            ("err-truncated", "hint-store-damaged"),
            (
                "err-macos-protects-safari-data-your",
                "hint-store-full-disk-access",
            ),
        ] {
            let en = message_in(Lang::En, key, args);
            let ja = message_in(Lang::Ja, key, args);
            assert_eq!(store_hint(&ja), store_hint(&en), "{key}: {ja}");
            assert_eq!(store_hint(&ja), Some(crate::i18n::t(hint)), "{key}: {ja}");
        }
    }
}
