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
    let hint = if has(&["full disk access"]) {
        "give your terminal app Full Disk Access (System Settings → Privacy & Security → \
         Full Disk Access), then run loginfix again"
    } else if has(&[
        "locked by another program",
        "database is locked",
        "database table is locked",
        "held open",
        "used by another process",
    ]) {
        "close the program that holds the file (the browser, a sync or backup tool, a \
         database viewer), then run loginfix again"
    } else if has(&[
        "permission denied",
        "access is denied",
        "operation not permitted",
    ]) {
        if crate::worker::in_child() {
            "the file or its directory forbids the home's owner, whom loginfix works as \
             in this home: give it back to them (chown), or move it aside"
        } else {
            "the file or its directory belongs to another user or forbids access: run \
             loginfix as the user whose home this is, or with sudo"
        }
    } else if has(&["readonly", "read-only"]) {
        "the file or its directory is read-only: make it writable (or mount the disk \
         read-write), then run loginfix again"
    } else if has(&["is a symlink"]) {
        "loginfix does not follow links: move the data back in place of the link, or \
         remove the link, then run loginfix again"
    } else if has(&["hard links"]) {
        "give the file a name of its own (copy it, remove the original, rename the copy \
         into place), then run loginfix again"
    } else if has(&["no browser writes"]) {
        "the file was not written by a browser: move it aside (that keeps it as a backup) \
         and the browser creates a new one on its next start"
    } else if has(&["unknown schema", "this tool understands", "has no `"]) {
        "the file's layout is not one loginfix knows (a newer browser?): update loginfix; \
         the file was left as it was"
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
    ]) {
        "the file is damaged: move it aside (that keeps it as a backup) and the browser \
         rebuilds it on its next start (the sign-ins it held are lost)"
    } else if has(&["no space left", "disk full", "quota"]) {
        "the disk is full: free some space, then run loginfix again"
    } else {
        return None;
    };
    Some(hint.to_string())
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
}
