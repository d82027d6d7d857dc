//! Property tests for the parsers that read untrusted files: random and mutated inputs
//! never panic, encoders and readers are inverses, and rewrites keep what they must keep.

use std::path::Path;

use loginfix::browser::firefox::profiles_ini::parse_ini;
use loginfix::stores::chromium::{blockfile, cache_key, simple_cache};
use loginfix::stores::firefox::{cache2, mozlz4, origin_attributes, session as firefox_session};
use loginfix::stores::safari::{binarycookies, webkit_cache};
use loginfix::targets::{normalize_domain, Targets};
use loginfix::testing;
use proptest::prelude::*;

use crate::util::{loginfix, write};

const DOMAINS: [&str; 8] = [
    "chatgpt.com",
    ".chatgpt.com",
    "auth.openai.com",
    ".openai.com",
    "example.org",
    "notchatgpt.com",
    "chatgpt.com.evil.org",
    ".example.com",
];

fn cookie() -> impl Strategy<Value = (usize, String, String, String)> {
    (
        0..DOMAINS.len(),
        "[a-zA-Z0-9_-]{1,12}",
        "/[a-z]{0,6}",
        "[ -~]{0,40}",
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn binarycookies_rewrite_drops_exactly_the_listed_records(
        cookies in prop::collection::vec(cookie(), 0..24),
        remove_mask in prop::collection::vec(any::<bool>(), 24),
    ) {
        let list: Vec<(&str, &str, &str, &str)> = cookies
            .iter()
            .map(|(d, n, p, v)| (DOMAINS[*d], n.as_str(), p.as_str(), v.as_str()))
            .collect();
        let file = testing::binarycookies::encode(&list, b"bplist00-trailer");
        let parsed = binarycookies::parse(&file).unwrap();
        let records: Vec<_> = parsed.records().cloned().collect();
        prop_assert_eq!(records.len(), list.len());
        prop_assert_eq!(binarycookies::rewrite(&file, &[]).unwrap(), file.clone());
        let remove: Vec<usize> = (0..records.len()).filter(|i| remove_mask[*i]).collect();
        let out = binarycookies::rewrite(&file, &remove).unwrap();
        let after = binarycookies::parse(&out).unwrap();
        let kept: Vec<Vec<u8>> = records
            .iter()
            .enumerate()
            .filter(|(i, _)| !remove.contains(i))
            .map(|(_, r)| file[r.start..r.end].to_vec())
            .collect();
        let got: Vec<Vec<u8>> = after.records().map(|r| out[r.start..r.end].to_vec()).collect();
        prop_assert_eq!(got, kept);
        prop_assert!(out.ends_with(b"bplist00-trailer"));
    }

    #[test]
    fn binarycookies_survives_mutations(
        cookies in prop::collection::vec(cookie(), 1..8),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let list: Vec<(&str, &str, &str, &str)> = cookies
            .iter()
            .map(|(d, n, p, v)| (DOMAINS[*d], n.as_str(), p.as_str(), v.as_str()))
            .collect();
        let mut file = testing::binarycookies::encode(&list, b"bplist00");
        for (at, byte) in flips {
            let i = at.index(file.len());
            file[i] = byte;
        }
        let _ = binarycookies::parse(&file);
        let _ = binarycookies::rewrite(&file, &[0]);
        let short = &file[..cut.index(file.len())];
        let _ = binarycookies::parse(short);
    }

    #[test]
    fn binarycookies_survives_garbage(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut with_magic = b"cook".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = binarycookies::parse(&bytes);
        let _ = binarycookies::parse(&with_magic);
    }

    #[test]
    fn mozlz4_survives_garbage(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut with_magic = b"mozLz40\0".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = mozlz4::decode(&bytes);
        let _ = mozlz4::decode(&with_magic);
    }
}

/// Byte edits applied to a valid file: overwrite some bytes, then maybe cut it short.
fn mutations(
) -> impl Strategy<Value = (Vec<(prop::sample::Index, u8)>, Option<prop::sample::Index>)> {
    (
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        prop::option::of(any::<prop::sample::Index>()),
    )
}

fn mutate(
    bytes: &mut Vec<u8>,
    edits: &(Vec<(prop::sample::Index, u8)>, Option<prop::sample::Index>),
) {
    if bytes.is_empty() {
        return;
    }
    for (at, byte) in &edits.0 {
        let i = at.index(bytes.len());
        bytes[i] = *byte;
    }
    if let Some(cut) = &edits.1 {
        bytes.truncate(cut.index(bytes.len() + 1));
    }
}

/// Cache keys: mostly URL-like text around the targets, sometimes anything at all.
fn cache_key_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(1/0/_dk_https://[a-z.]{1,20} https://[a-z.]{1,20} )?https://(chatgpt\\.com|auth\\.openai\\.com|example\\.org)/[ -~]{0,40}",
        "[ -~]{1,60}",
        "\\PC{1,40}",
        "[a-z]{2100,2300}",
    ]
}

fn read_key(
    path: &Path,
    read: impl Fn(&Path, &mut Vec<u8>) -> Result<(), String>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    read(path, &mut out).map(|()| out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn chromium_simple_cache_entries_read_back_and_survive_damage(
        key in cache_key_text(),
        body in prop::collection::vec(any::<u8>(), 0..64),
        edits in mutations(),
        garbage in prop::collection::vec(any::<u8>(), 0..128),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0000000000000001_0");
        let mut entry = testing::chromium::encode_entry(&key, &body);
        std::fs::write(&path, &entry).unwrap();
        prop_assert_eq!(read_key(&path, simple_cache::read_key_into).map_err(TestCaseError::fail)?, key.as_bytes());
        mutate(&mut entry, &edits);
        std::fs::write(&path, &entry).unwrap();
        if let Ok(got) = read_key(&path, simple_cache::read_key_into) {
            // Whatever is read is the declared length, never more than the file holds.
            prop_assert!(got.len() + 24 <= entry.len());
        }
        std::fs::write(&path, &garbage).unwrap();
        let _ = read_key(&path, simple_cache::read_key_into);
    }

    #[test]
    fn firefox_cache2_entries_read_back_and_survive_damage(
        key in cache_key_text(),
        body_len in prop::sample::select(vec![0usize, 1, 300, 262_143, 262_144, 262_145, 600_000]),
        edits in mutations(),
        garbage in prop::collection::vec(any::<u8>(), 0..128),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{:040X}", 1));
        let mut entry = testing::firefox::encode_entry(&key, &vec![0x5a; body_len]);
        std::fs::write(&path, &entry).unwrap();
        prop_assert_eq!(read_key(&path, cache2::read_key_into).map_err(TestCaseError::fail)?, key.as_bytes());
        mutate(&mut entry, &edits);
        std::fs::write(&path, &entry).unwrap();
        if let Ok(got) = read_key(&path, cache2::read_key_into) {
            prop_assert!(got.len() <= entry.len());
        }
        std::fs::write(&path, &garbage).unwrap();
        let _ = read_key(&path, cache2::read_key_into);
    }

    #[test]
    fn webkit_records_read_back_and_survive_damage(
        partition in prop_oneof!["", "chatgpt\\.com", "[a-z]{1,12}\\.org", "\\PC{0,12}"],
        kind in prop_oneof!["Resource", "SubResources", "\\PC{0,8}"],
        identifier in prop_oneof!["https://[a-z.]{1,20}/[ -~]{0,40}", "\\PC{0,40}"],
        header in prop::collection::vec(any::<u8>(), 0..64),
        body in prop::collection::vec(any::<u8>(), 0..64),
        edits in mutations(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("RECORD");
        let mut record = testing::webkit_cache::encode_record(&partition, &kind, &identifier, &header, &body);
        std::fs::write(&path, &record).unwrap();
        let key = webkit_cache::read_record_key(&path).map_err(TestCaseError::fail)?;
        prop_assert_eq!(
            key,
            webkit_cache::RecordKey { partition, kind, identifier }
        );
        mutate(&mut record, &edits);
        std::fs::write(&path, &record).unwrap();
        let _ = webkit_cache::read_record_key(&path);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn blockfile_caches_read_back_and_survive_damage(
        keys in prop::collection::vec(
            prop_oneof!["[ -~]{1,100}", "[ -~]{900,1100}", "\\PC{1,30}"],
            0..12,
        ),
        index_edits in mutations(),
        data_edits in mutations(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        testing::chromium::write_sample(dir.path(), &refs).unwrap();
        prop_assert!(blockfile::is_blockfile(&Default::default(), dir.path()));
        let mut got = blockfile::read_keys(&Default::default(), dir.path()).map_err(TestCaseError::fail)?;
        got.sort();
        let mut want = keys.clone();
        want.sort();
        prop_assert_eq!(got, want);
        for (file, edits) in [("index", &index_edits), ("data_1", &data_edits)] {
            let path = dir.path().join(file);
            let mut bytes = std::fs::read(&path).unwrap();
            mutate(&mut bytes, edits);
            std::fs::write(&path, &bytes).unwrap();
            let _ = blockfile::is_blockfile(&Default::default(), dir.path());
            let _ = blockfile::read_keys(&Default::default(), dir.path());
        }
    }
}

/// Hosts, sites, attributes and patterns close to what the matchers special-case. ASCII
/// without `%`; text with escapes and non-ASCII is covered by the any-text test below.
fn ascii_matcher_input() -> impl Strategy<Value = String> {
    prop_oneof![
        "[.]?([a-z0-9-]{0,5}\\.){0,3}(chatgpt\\.com|openai\\.com|example\\.org|com)[.]?",
        "(\\*|https?|wss?|ftp)://(\\*|\\*\\.)?[a-z.]{0,20}(:[0-9]{0,5})?/[ -$&-~]{0,10}",
        "\\^?((partitionKey|firstPartyDomain|userContextId)=(%28|%29|%2C|[(),a-z0-9.]){0,30}&?){0,3}",
        "[ -$&-~]{0,40}",
    ]
}

fn check_matchers(input: &str) -> Result<(), TestCaseError> {
    let t = Targets::default();
    let m = t.matches_host(input);
    prop_assert_eq!(m, t.matches_host(&input.to_ascii_uppercase()));
    if m {
        // A subdomain of a match matches; a look-alike glued to it does not.
        let sub = format!("a.{}", input.trim_start_matches('.'));
        prop_assert!(t.matches_host(&sub), "{}", sub);
    }
    let _ = t.matches_site(input);
    let _ = origin_attributes::stored_under_target(&t, input);
    let _ = t.pattern_reaches(input);
    // The prefilter says exactly whether a target domain occurs, in any case.
    let lower = input.to_ascii_lowercase();
    let occurs = t.domains().iter().any(|d| lower.contains(d.as_str()));
    prop_assert_eq!(t.may_name_a_target(input.as_bytes()), occurs);
    prop_assert_eq!(
        t.may_name_a_target(input.to_ascii_uppercase().as_bytes()),
        occurs
    );
    if let Some(k) = cache_key::parse(input) {
        let _ = t.matches_cache_key(&k);
    }
    if let Some(k) = cache2::parse_key(input) {
        let _ = t.matches_cache_key(&k);
    }
    if let Ok(d) = normalize_domain(input) {
        prop_assert_eq!(normalize_domain(&d), Ok(d.clone()));
        let only = Targets::parse(&[d.as_str()]).unwrap();
        prop_assert!(only.matches_host(&d));
        let (sub, glued) = (format!("x.{d}"), format!("x{d}"));
        prop_assert!(only.matches_host(&sub), "{}", sub);
        prop_assert!(!only.matches_host(&glued), "{}", glued);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn target_matchers_never_panic_on_ascii(input in ascii_matcher_input()) {
        check_matchers(&input)?;
    }

    #[test]
    fn firefox_cache_keys_give_back_their_url(
        tags in prop::collection::vec(prop_oneof!["a", "p", "O\\^partitionKey=%28https%2C[a-z.,]{1,15}%29", "~[0-9]{1,4}"], 0..4),
        url in "https?://[a-z.]{1,20}/[ -~]{0,30}",
    ) {
        // A comma inside a tag's value is doubled.
        let head: String = tags.iter().map(|t| format!("{},", t.replace(',', ",,"))).collect();
        let key = cache2::parse_key(&format!("{head}:{url}")).unwrap();
        prop_assert_eq!(key.url, url);
    }

    #[test]
    fn ini_parsing_never_panics_and_reads_back_what_was_written(
        junk in "\\PC{0,200}",
        sections in prop::collection::vec(
            ("[A-Za-z0-9 ]{1,12}", prop::collection::vec(("[A-Za-z0-9]{1,8}", "[ -~&&[^=]]{0,20}"), 0..4)),
            0..4,
        ),
    ) {
        let _ = parse_ini(&junk);
        let mut text = String::from("; written by a test\r\n");
        for (name, pairs) in &sections {
            text.push_str(&format!("[{name}]\r\n"));
            for (k, v) in pairs {
                text.push_str(&format!("{k}={v}\n"));
            }
        }
        let parsed = parse_ini(&text);
        let want: Vec<(String, Vec<(String, String)>)> = sections
            .iter()
            .map(|(n, pairs)| {
                (
                    n.trim().to_string(),
                    pairs.iter().map(|(k, v)| (k.clone(), v.trim().to_string())).collect(),
                )
            })
            .collect();
        prop_assert_eq!(parsed, want);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn target_matchers_never_panic_on_any_text(
        input in prop_oneof!["\\PC{0,40}", "\\^(partitionKey|firstPartyDomain)=(%[0-9A-F]{2}|[a-z.,()]){0,20}"],
    ) {
        check_matchers(&input)?;
    }
}

/// A session-restore document: cookies at the top level and in each window.
fn session_doc() -> impl Strategy<Value = serde_json::Value> {
    let cookie = (
        prop_oneof![
            "chatgpt\\.com",
            "\\.openai\\.com",
            "example\\.org",
            "\\PC{0,10}"
        ],
        "\\PC{0,10}",
        "[ -~]{0,20}",
        prop::option::of("\\(https,[a-z.]{1,12}\\)"),
    )
        .prop_map(|(host, name, value, partition)| {
            let mut c =
                serde_json::json!({"host": host, "name": name, "value": value, "path": "/"});
            if let Some(p) = partition {
                c["originAttributes"] = serde_json::json!({"partitionKey": p, "userContextId": 0});
            }
            c
        });
    let list = prop::collection::vec(cookie, 0..5);
    (list.clone(), prop::collection::vec(list, 0..3)).prop_map(|(top, windows)| {
        serde_json::json!({
            "version": ["sessionrestore", 1],
            "cookies": top,
            "windows": windows.into_iter().map(|c| serde_json::json!({"tabs": [], "cookies": c})).collect::<Vec<_>>(),
            "session": {"lastUpdate": 1.5e12, "note": "\"cookies\":[]"},
        })
    })
}

/// Every cookie of a session document, top level first, then window by window: the
/// order `rewrite` numbers them in (keys are sorted, so `cookies` precedes `windows`).
fn session_cookie_list(doc: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out: Vec<serde_json::Value> = doc["cookies"].as_array().cloned().unwrap_or_default();
    for w in doc["windows"].as_array().into_iter().flatten() {
        out.extend(w["cookies"].as_array().cloned().unwrap_or_default());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn session_rewrite_drops_exactly_the_listed_cookies(
        doc in session_doc(),
        mask in prop::collection::vec(any::<bool>(), 20),
        pretty in any::<bool>(),
    ) {
        let text = if pretty {
            serde_json::to_vec_pretty(&doc).unwrap()
        } else {
            serde_json::to_vec(&doc).unwrap()
        };
        let file = mozlz4::encode(&text);
        let same = firefox_session::rewrite(&file, &[]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(mozlz4::decode(&same).unwrap(), text.clone());
        let all = session_cookie_list(&doc);
        let remove: Vec<usize> = (0..all.len()).filter(|i| mask[*i % mask.len()]).collect();
        let out = firefox_session::rewrite(&file, &remove).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let after: serde_json::Value = serde_json::from_slice(&mozlz4::decode(&out).unwrap())
            .map_err(|e| TestCaseError::fail(format!("not JSON after the rewrite: {e}")))?;
        let kept: Vec<serde_json::Value> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| !remove.contains(i))
            .map(|(_, c)| c.clone())
            .collect();
        prop_assert_eq!(session_cookie_list(&after), kept);
        // Everything but the cookies is as it was.
        let strip = |mut d: serde_json::Value| {
            d["cookies"] = serde_json::Value::Null;
            for w in d["windows"].as_array_mut().into_iter().flatten() {
                w["cookies"] = serde_json::Value::Null;
            }
            d
        };
        prop_assert_eq!(strip(after), strip(doc));
    }

    #[test]
    fn session_rewrite_survives_damaged_json(
        doc in session_doc(),
        edits in mutations(),
        remove in prop::collection::vec(0usize..12, 0..4),
        garbage in "\\PC{0,80}",
    ) {
        let mut text = serde_json::to_vec(&doc).unwrap();
        mutate(&mut text, &edits);
        for input in [text.as_slice(), garbage.as_bytes()] {
            let file = mozlz4::encode(input);
            if let Ok(out) = firefox_session::rewrite(&file, &remove) {
                prop_assert!(mozlz4::decode(&out).is_ok());
            }
        }
        let mut file = mozlz4::encode(&serde_json::to_vec(&doc).unwrap());
        mutate(&mut file, &edits);
        let _ = firefox_session::rewrite(&file, &remove);
    }
}

/// A valid document with some bytes overwritten and maybe cut short, or kept whole.
fn damaged(doc: &str) -> impl Strategy<Value = Vec<u8>> {
    let doc = doc.as_bytes().to_vec();
    (any::<bool>(), mutations()).prop_map(move |(keep, edits)| {
        let mut bytes = doc.clone();
        if !keep {
            mutate(&mut bytes, &edits);
        }
        bytes
    })
}

const LOCAL_STATE: &str = r#"{"profile":{"info_cache":{"Default":{"name":"Me"},"Profile 1":{"name":"Work"},"../x":{"name":"bad"}}}}"#;
const PREFERENCES: &str = r#"{"extensions":{"settings":{"cjpalhdlnbpafiamejdnhcphjbkeiagm":{"state":1,"location":1,"path":"cjpalhdlnbpafiamejdnhcphjbkeiagm/1.0_0","first_install_time":"13400000000000000","manifest":{"name":"__MSG_name__","default_locale":"en","version":"1","permissions":["webRequest","<all_urls>"],"content_scripts":[{"matches":["*://*.chatgpt.com/*"]}]}}}}}"#;
const EXTENSIONS_JSON: &str = r#"{"schemaVersion":36,"addons":[{"id":"x@example.org","type":"extension","version":"1","active":true,"location":"app-profile","installDate":1700000000000,"defaultLocale":{"name":"X"},"userPermissions":{"permissions":["proxy"],"origins":["https://*.openai.com/*"]}}]}"#;
const PROFILES_INI: &str = "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd.default-release\nDefault=1\n\n[Install0]\nDefault=abcd.default-release\n";
const EXTENSIONS_PLIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>com.example.App.Extension (TEAM123456)</key><dict><key>Enabled</key><true/></dict></dict></plist>"#;

proptest! {
    // Each case runs the binary four times: keep this small.
    #![proptest_config(ProptestConfig::with_cases(20))]

    #[test]
    fn the_binary_never_panics_on_damaged_configuration_files(
        local_state in damaged(LOCAL_STATE),
        preferences in damaged(PREFERENCES),
        manifest in damaged(r#"{"name":"__MSG_name__","version":"1","default_locale":"en"}"#),
        messages in damaged(r#"{"name":{"message":"Sample"}}"#),
        profiles_ini in damaged(PROFILES_INI),
        extensions_json in damaged(EXTENSIONS_JSON),
        plist in damaged(EXTENSIONS_PLIST),
    ) {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let udd = h.join(".config/google-chrome");
        write(&udd.join("Local State"), &local_state);
        write(&udd.join("Default/Preferences"), &preferences);
        let ext = udd.join("Default/Extensions/cjpalhdlnbpafiamejdnhcphjbkeiagm/1.0_0");
        write(&ext.join("manifest.json"), &manifest);
        write(&ext.join("_locales/en/messages.json"), &messages);
        std::fs::create_dir_all(udd.join("Profile 1")).unwrap();
        let ff = h.join(".mozilla/firefox");
        write(&ff.join("profiles.ini"), &profiles_ini);
        write(&ff.join("abcd.default-release/extensions.json"), &extensions_json);
        write(&ff.join("abcd.default-release/prefs.js"), "");
        let mac = tempfile::tempdir().unwrap();
        write(
            &mac.path().join("Library/Containers/com.apple.Safari/Data/Library/Safari/WebExtensions/Extensions.plist"),
            &plist,
        );
        for (dir, os, args) in [
            (h, "linux", &["browsers", "--json"][..]),
            (h, "linux", &["extensions", "--all", "--json"][..]),
            (mac.path(), "macos", &["browsers", "--json"][..]),
            (mac.path(), "macos", &["extensions", "--all", "--json"][..]),
        ] {
            let run = loginfix(dir, os, args);
            prop_assert!(
                run.code == 0 || (run.code == 1 && args[0] == "extensions"),
                "{args:?}: exit {}\n{}\n{}", run.code, run.stdout, run.stderr
            );
            prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
            let json = run.json();
            prop_assert_eq!(&json["command"], args[0]);
        }
    }
}
