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

/// A JSON value that keeps the order of object keys (the README documents the order).
#[derive(Debug)]
enum Ordered {
    Object(Vec<(String, Ordered)>),
    Array(Vec<Ordered>),
    Other,
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Ordered, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Ordered>()? {
                    out.push((k, v));
                }
                Ok(Ordered::Object(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut s: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element()? {
                    out.push(v);
                }
                Ok(Ordered::Array(out))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// Each object's keys, in order, by its place in the document (`.profiles[].items[]`);
/// the first object seen at a place stands for the others.
fn shapes(doc: &Ordered) -> std::collections::BTreeMap<String, Vec<String>> {
    fn walk(v: &Ordered, at: String, out: &mut std::collections::BTreeMap<String, Vec<String>>) {
        match v {
            Ordered::Object(kv) => {
                out.entry(at.clone())
                    .or_insert_with(|| kv.iter().map(|(k, _)| k.clone()).collect());
                for (k, v) in kv {
                    walk(v, format!("{at}.{k}"), out);
                }
            }
            Ordered::Array(items) => items.iter().for_each(|v| walk(v, format!("{at}[]"), out)),
            Ordered::Other => {}
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(doc, String::new(), &mut out);
    out
}

/// `text` without its `//` comments (outside strings), as the README's `jsonc` blocks are.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut end = line.len();
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '/' if !in_string && line[i..].starts_with("//") => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    out
}

/// The README's fenced blocks of the "JSON output" section, in order.
fn readme_json_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = &readme[readme.find("## JSON output").unwrap()..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |n| n + 3)];
    section
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|b| strip_comments(b.split_once('\n').unwrap().1))
        .collect()
}

#[test]
fn the_readme_documents_the_json_a_run_prints() {
    let blocks = readme_json_blocks();
    assert_eq!(blocks.len(), 2, "the error document and the clean document");
    let home = sample_home("linux");
    let h = home.path();

    // The clean document: every object of a run has exactly the README's keys, in order.
    let run = loginfix(h, "linux", &["clear-cookies", "--json"]);
    run.assert_code(0);
    let documented =
        shapes(&serde_json::from_str(&blocks[1]).expect("the README's clean document"));
    let printed = shapes(&serde_json::from_str(&run.stdout).unwrap());
    for (at, keys) in &printed {
        assert_eq!(Some(keys), documented.get(at), "keys of `{at}`");
    }

    // The error document, value for value but for the machine, user and time.
    let run = loginfix(
        h,
        "linux",
        &["--json", "clear-cookies", "--profile", "Nope"],
    );
    run.assert_code(1);
    let documented_text = &blocks[0];
    assert_eq!(
        shapes(&serde_json::from_str(documented_text).unwrap()),
        shapes(&serde_json::from_str(&run.stdout).unwrap())
    );
    let mut documented: serde_json::Value = serde_json::from_str(documented_text).unwrap();
    let mut printed = run.json();
    for doc in [&mut documented, &mut printed] {
        let o = doc.as_object_mut().unwrap();
        for k in ["loginfix_version", "hostname", "user", "time"] {
            o.remove(k);
        }
    }
    assert_eq!(documented, printed);
}

/// The top-level keys of the README's one-line summary `` `cmd`: `{a, b: ..., c}` ``.
fn summary_keys(readme: &str, command: &str) -> Vec<String> {
    let start = readme
        .find(&format!("`{command}`: `{{"))
        .unwrap_or_else(|| panic!("no summary of `{command}`"));
    let text = &readme[start + command.len() + 6..];
    let mut depth = 0;
    let mut top = String::new();
    for c in text.chars() {
        match c {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' if depth == 0 => break,
            '}' | ']' | ')' => depth -= 1,
            _ if depth == 0 => top.push(c),
            _ => {}
        }
    }
    top.split(',')
        .map(|t| {
            let t = t.trim();
            t[..t.find([':', ' ']).unwrap_or(t.len())].to_string()
        })
        .collect()
}

#[test]
fn the_readme_summaries_list_each_documents_keys_in_order() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let home = sample_home("linux");
    let h = home.path();
    loginfix(h, "linux", &["clear-cookies"]).assert_code(0);
    for (command, args) in [
        ("browsers", &["browsers"][..]),
        ("extensions", &["extensions"]),
        ("backups", &["backups"]),
        ("restore", &["restore", "--dry-run"]),
        ("fix", &["fix", "--dry-run"]),
        ("request", &["request", "--status"]),
    ] {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let run = loginfix(h, "linux", &all);
        run.assert_code(0);
        let Ordered::Object(kv) = serde_json::from_str(&run.stdout).unwrap() else {
            panic!("{}", run.stdout)
        };
        let printed: Vec<String> = kv.into_iter().map(|(k, _)| k).collect();
        assert_eq!(summary_keys(&readme, command), printed, "`{command}`");
    }
}
