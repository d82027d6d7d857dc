//! A Chromium profile's settings: `Preferences` and `Secure Preferences` (JSON in the
//! profile directory), merged the way the browser sees them. Chromium keeps tracked
//! settings (extensions, the homepage, ...) in `Secure Preferences` on Windows and macOS;
//! where both files hold a value, the secure file's wins.

use std::path::Path;

use anyhow::Context;
use serde_json::{Map, Value};

use crate::fsutil;

/// The two files, in the order they are merged (the later wins).
pub const FILES: [&str; 2] = ["Preferences", "Secure Preferences"];

/// The merged settings of the profile in `dir`; a missing file counts as empty. An
/// unreadable or invalid file is an error naming it.
pub fn read(fs: &crate::confine::Confined, dir: &Path) -> anyhow::Result<Value> {
    let mut merged = Value::Object(Map::new());
    for file in FILES {
        let path = dir.join(file);
        let text = match fsutil::read_text(fs, &path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                return Err(e).with_context(|| format!("could not read `{}`", path.display()))
            }
        };
        let json: Value = serde_json::from_str(&text)
            .with_context(|| format!("`{}` is not valid JSON", path.display()))?;
        merge(&mut merged, json);
    }
    Ok(merged)
}

/// Each of the two files that exists, parsed on its own, in merge order: a caller that
/// must go on without a broken file (doctor) and name the file a value came from uses
/// this and [`merge`]. The error names the file and why.
pub fn read_each(
    fs: &crate::confine::Confined,
    dir: &Path,
) -> Vec<(std::path::PathBuf, Result<Value, String>)> {
    let mut out = Vec::new();
    for file in FILES {
        let path = dir.join(file);
        let parsed = match fs.read_text(&path) {
            Ok(text) => {
                serde_json::from_str::<Value>(&text).map_err(|e| format!("not valid JSON: {e}"))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => Err(format!("could not be read: {e}")),
        };
        out.push((path, parsed));
    }
    out
}

/// Merges `over` into `base`: objects key by key, anything else replaced.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(old) => merge(old, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    #[test]
    fn secure_preferences_win_and_objects_merge() {
        let dir = tempfile::tempdir().unwrap();
        write(
            &dir.path().join("Preferences"),
            r#"{"a": 1, "ext": {"x": {"state": 1, "path": "p"}}, "list": [1]}"#,
        );
        write(
            &dir.path().join("Secure Preferences"),
            r#"{"ext": {"x": {"state": 0}, "y": {"state": 1}}, "list": [2, 3]}"#,
        );
        let v = read(&crate::confine::Confined::default(), dir.path()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "ext": {"x": {"state": 0, "path": "p"}, "y": {"state": 1}}, "list": [2, 3]})
        );
    }

    #[test]
    fn missing_files_are_empty_and_broken_ones_are_named() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read(&crate::confine::Confined::default(), dir.path()).unwrap(),
            serde_json::json!({})
        );
        write(&dir.path().join("Secure Preferences"), "{ broken");
        let err = format!(
            "{:#}",
            read(&crate::confine::Confined::default(), dir.path()).unwrap_err()
        );
        assert!(
            err.contains("Secure Preferences` is not valid JSON"),
            "{err}"
        );
    }
}
