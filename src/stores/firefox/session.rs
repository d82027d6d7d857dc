//! Firefox's session-restore files (`sessionstore.jsonlz4`, `sessionstore-backups/*`):
//! mozLz4-compressed JSON whose `cookies` arrays (top level, and per window in older
//! versions) hold the session cookies Firefox puts back on restart. Removing a cookie
//! cuts its element out of the JSON text, so every other byte stays as Firefox wrote it.
//!
//! The same files hold each tab's sessionStorage (`storage`: `{"<origin><suffix>": {…}}`,
//! in `windows[].tabs[]`, `windows[]._closedTabs[].state` and `_closedWindows[]`): a
//! separate store kind ([`STORAGE_KIND`], site data) cuts the targets' origin entries out
//! the same way, so `clear-cookies` never touches sessionStorage and `clear-site-data`
//! never touches cookies.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::mozlz4;
use super::origin_attributes::{partition_key_site, top_level_site_of_origin_attributes};
use crate::stores::{
    fingerprint, Category, Found, Item, ItemKey, Removal, RewriteFormat, ScanOptions, Shape,
    StoreKind,
};
use crate::targets::{url_host, Targets};

/// A session-restore file: it brings the session cookies back when Firefox restarts.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_session",
    label: "session_restore",
    category: Category::Cookies,
    shape: Shape::File,
    read: scan,
};

/// The sessionStorage kept in a session-restore file (the same files as [`KIND`]).
pub static STORAGE_KIND: StoreKind = StoreKind {
    id: "firefox_session_storage",
    label: "session_storage",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan_storage,
};

/// Session files beyond this size are refused rather than read into memory.
const MAX_FILE: u64 = 256 * 1024 * 1024;

#[derive(Deserialize)]
struct SessionCookie {
    host: Option<String>,
    name: Option<String>,
    path: Option<String>,
    #[serde(rename = "originAttributes")]
    origin_attributes: Option<OriginAttributes>,
}

#[derive(Deserialize, Default)]
struct OriginAttributes {
    #[serde(rename = "partitionKey", default)]
    partition_key: Option<String>,
    #[serde(rename = "firstPartyDomain", default)]
    first_party_domain: Option<String>,
}

/// The session file's bytes and its decompressed JSON text.
fn read_session(file: &Path, opts: &ScanOptions) -> anyhow::Result<(Vec<u8>, Vec<u8>)> {
    let bytes = opts.fs.read_bounded(file, MAX_FILE).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &file.display().to_string())],
        )
    })?;
    let json = mozlz4::decode(&bytes).with_context(|| {
        crate::i18n::ta(
            "err-firefox-session-file",
            &[("file", &file.display().to_string())],
        )
    })?;
    Ok((bytes, json))
}

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let (bytes, json) = read_session(file, opts)?;
    let items = matching_cookies(&json, targets).with_context(|| {
        crate::i18n::ta(
            "err-holds-json-that-could-be",
            &[("file", &file.display().to_string())],
        )
    })?;
    let (len, hash) = fingerprint(&bytes);
    Ok(Found::new(
        items,
        Removal::RewriteFile {
            format: RewriteFormat::FirefoxSession,
            len,
            hash,
        },
    ))
}

/// The session file `bytes` without the cookies listed in `remove` (indices in reading
/// order, as `scan` reports them). Errors if the file does not parse.
pub fn rewrite(bytes: &[u8], remove: &[usize]) -> anyhow::Result<Vec<u8>> {
    let json = mozlz4::decode(bytes)?;
    let arrays = cookie_arrays(&json)?;
    let mut out = Vec::with_capacity(json.len());
    let mut copied = 0;
    let mut index = 0;
    for array in arrays {
        let keep: Vec<(usize, usize)> = array
            .elements
            .iter()
            .filter(|_| {
                let removed = remove.contains(&index);
                index += 1;
                !removed
            })
            .copied()
            .collect();
        if keep.len() == array.elements.len() {
            continue;
        }
        out.extend_from_slice(&json[copied..array.open + 1]);
        // Keep the original separator (Firefox writes `,` with no spaces).
        let sep: &[u8] = match array.elements.as_slice() {
            [a, b, ..] => &json[a.1..b.0],
            _ => b",",
        };
        for (i, (s, e)) in keep.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(sep);
            }
            out.extend_from_slice(&json[*s..*e]);
        }
        copied = array.close;
    }
    out.extend_from_slice(&json[copied..]);
    Ok(mozlz4::encode(&out))
}

/// Reads a session file's tabs' sessionStorage and lists the targets' origin entries.
pub fn scan_storage(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let (bytes, json) = read_session(file, opts)?;
    let items = matching_storage(&json, targets).with_context(|| {
        crate::i18n::ta(
            "err-holds-json-that-could-be",
            &[("file", &file.display().to_string())],
        )
    })?;
    let (len, hash) = fingerprint(&bytes);
    Ok(Found::new(
        items,
        Removal::RewriteFile {
            format: RewriteFormat::FirefoxSessionStorage,
            len,
            hash,
        },
    ))
}

/// The session file `bytes` without the sessionStorage origin entries listed in `remove`
/// (indices in reading order, as [`scan_storage`] reports them); every other byte of the
/// JSON text is kept. Errors if the file does not parse.
pub fn rewrite_storage(bytes: &[u8], remove: &[usize]) -> anyhow::Result<Vec<u8>> {
    let json = mozlz4::decode(bytes)?;
    let objects = storage_objects(&json)?;
    let mut out = Vec::with_capacity(json.len());
    let mut copied = 0;
    let mut index = 0;
    for object in objects {
        let keep: Vec<(usize, usize)> = object
            .members
            .iter()
            .filter(|_| {
                let removed = remove.contains(&index);
                index += 1;
                !removed
            })
            .map(|m| (m.start, m.end))
            .collect();
        if keep.len() == object.members.len() {
            continue;
        }
        out.extend_from_slice(&json[copied..object.open + 1]);
        let sep: &[u8] = match object.members.as_slice() {
            [a, b, ..] => &json[a.end..b.start],
            _ => b",",
        };
        for (i, (s, e)) in keep.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(sep);
            }
            out.extend_from_slice(&json[*s..*e]);
        }
        copied = object.close;
    }
    out.extend_from_slice(&json[copied..]);
    Ok(mozlz4::encode(&out))
}

fn matching_storage(json: &[u8], targets: &Targets) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut index = 0;
    for object in storage_objects(json)? {
        for member in object.members {
            let i = index;
            index += 1;
            let Ok(key) = serde_json::from_slice::<String>(&json[member.key.0..member.key.1])
            else {
                continue;
            };
            let (origin, suffix) = match key.find('^') {
                Some(at) => key.split_at(at),
                None => (key.as_str(), ""),
            };
            let partition = top_level_site_of_origin_attributes(suffix);
            if targets.matches_storage(origin, partition.as_deref()) {
                items.push(Item {
                    host: url_host(origin).unwrap_or_default().to_string(),
                    name: None,
                    path: None,
                    url: Some(origin.to_string()),
                    partition,
                    size: Some((member.end - member.value_start) as u64),
                    key: ItemKey::Element(i),
                });
            }
        }
    }
    Ok(items)
}

/// One member of a `storage` object: from its key's opening quote to its value's end,
/// the key's span (quotes included) and where the value starts.
struct StorageMember {
    start: usize,
    end: usize,
    key: (usize, usize),
    value_start: usize,
}

/// A tab's `storage` object: the offsets of `{` and `}` and its members.
struct StorageObject {
    open: usize,
    close: usize,
    members: Vec<StorageMember>,
}

/// Finds every tab's `storage` object: tabs of `windows` and `_closedWindows`, and the
/// `state` of each window's `_closedTabs`.
fn storage_objects(json: &[u8]) -> anyhow::Result<Vec<StorageObject>> {
    let mut p = Parser { b: json, depth: 0 };
    let start = p.ws(0);
    let members = p.object_members(start)?;
    let value_end = p.value_end(start)?;
    anyhow::ensure!(
        p.ws(value_end) == json.len(),
        "trailing data after the JSON document"
    );
    let mut tabs: Vec<usize> = Vec::new();
    for (key, (vs, _)) in &members {
        if !matches!(key.as_slice(), b"windows" | b"_closedWindows") || json[*vs] != b'[' {
            continue;
        }
        for (ws, _) in p.array(*vs)?.elements {
            if json[ws] != b'{' {
                continue;
            }
            for (k, (cs, _)) in p.object_members(ws)? {
                match k.as_slice() {
                    b"tabs" if json[cs] == b'[' => {
                        tabs.extend(p.array(cs)?.elements.iter().map(|e| e.0));
                    }
                    b"_closedTabs" if json[cs] == b'[' => {
                        for (ct, _) in p.array(cs)?.elements {
                            if json[ct] != b'{' {
                                continue;
                            }
                            for (sk, (ss, _)) in p.object_members(ct)? {
                                if sk == b"state" {
                                    tabs.push(ss);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let mut objects = Vec::new();
    for tab in tabs {
        if json[tab] != b'{' {
            continue;
        }
        for (k, (ss, _)) in p.object_members(tab)? {
            if k == b"storage" && json[ss] == b'{' {
                objects.push(p.storage_object(ss)?);
            }
        }
    }
    objects.sort_by_key(|o| o.open);
    Ok(objects)
}

fn matching_cookies(json: &[u8], targets: &Targets) -> anyhow::Result<Vec<Item>> {
    let mut items = Vec::new();
    let mut index = 0;
    for array in cookie_arrays(json)? {
        for (s, e) in array.elements {
            let i = index;
            index += 1;
            let Ok(cookie) = serde_json::from_slice::<SessionCookie>(&json[s..e]) else {
                continue;
            };
            let host = cookie.host.unwrap_or_default();
            let attrs = cookie.origin_attributes.unwrap_or_default();
            let top_site = attrs
                .partition_key
                .as_deref()
                .and_then(partition_key_site)
                .or_else(|| attrs.first_party_domain.filter(|d| !d.is_empty()));
            let belongs = targets.matches_host(&host)
                || top_site.as_deref().is_some_and(|s| targets.matches_site(s));
            if belongs {
                items.push(Item {
                    key: ItemKey::Element(i),
                    name: Some(cookie.name.unwrap_or_default()),
                    path: Some(cookie.path.unwrap_or_default()),
                    host,
                    url: None,
                    partition: top_site,
                    size: None,
                });
            }
        }
    }
    Ok(items)
}

/// A `cookies` array in the JSON text: the offsets of `[` and `]` and of each element.
struct CookieArray {
    open: usize,
    close: usize,
    elements: Vec<(usize, usize)>,
}

/// Finds the `cookies` arrays: top level, and in each of `windows` / `_closedWindows`.
fn cookie_arrays(json: &[u8]) -> anyhow::Result<Vec<CookieArray>> {
    let mut p = Parser { b: json, depth: 0 };
    let start = p.ws(0);
    let members = p.object_members(start)?;
    let value_end = p.value_end(start)?;
    let end = p.ws(value_end);
    anyhow::ensure!(end == json.len(), "trailing data after the JSON document");
    let mut arrays = Vec::new();
    for (key, (vs, _)) in &members {
        match key.as_slice() {
            b"cookies" if json[*vs] == b'[' => arrays.push(p.array(*vs)?),
            b"windows" | b"_closedWindows" if json[*vs] == b'[' => {
                for (ws, _) in p.array(*vs)?.elements {
                    if json[ws] != b'{' {
                        continue;
                    }
                    for (k, (cs, _)) in p.object_members(ws)? {
                        if k == b"cookies" && json[cs] == b'[' {
                            arrays.push(p.array(cs)?);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    arrays.sort_by_key(|a| a.open);
    Ok(arrays)
}

/// A structural JSON scanner that reports byte offsets, so edits can keep every other
/// byte. Values are validated only as far as finding their ends requires.
struct Parser<'a> {
    b: &'a [u8],
    depth: usize,
}

const MAX_DEPTH: usize = 256;

/// An object member: the raw key bytes and the value's byte span.
type Member = (Vec<u8>, (usize, usize));

impl Parser<'_> {
    fn ws(&self, mut i: usize) -> usize {
        while i < self.b.len() && matches!(self.b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    fn byte(&self, i: usize) -> anyhow::Result<u8> {
        self.b
            .get(i)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("unexpected end of JSON"))
    }

    fn string_end(&self, i: usize) -> anyhow::Result<usize> {
        let mut j = i + 1;
        loop {
            match self.byte(j)? {
                b'"' => return Ok(j + 1),
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
    }

    fn value_end(&mut self, i: usize) -> anyhow::Result<usize> {
        match self.byte(i)? {
            b'"' => self.string_end(i),
            b'{' => {
                let close = self.container(i, b'}', true)?;
                Ok(close + 1)
            }
            b'[' => {
                let close = self.container(i, b']', false)?;
                Ok(close + 1)
            }
            _ => {
                let mut j = i;
                while j < self.b.len()
                    && !matches!(self.b[j], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    j += 1;
                }
                anyhow::ensure!(j > i, "unexpected `{}` in JSON", self.b[i] as char);
                Ok(j)
            }
        }
    }

    /// Walks an object or array starting at `i`; returns the offset of its closing byte.
    fn container(&mut self, i: usize, close: u8, object: bool) -> anyhow::Result<usize> {
        self.visit(i, close, object, |_, _, _| {})
    }

    fn visit(
        &mut self,
        i: usize,
        close: u8,
        object: bool,
        mut each: impl FnMut(Option<(usize, usize)>, usize, usize),
    ) -> anyhow::Result<usize> {
        self.depth += 1;
        anyhow::ensure!(self.depth <= MAX_DEPTH, "JSON nested too deeply");
        let mut j = self.ws(i + 1);
        if self.byte(j)? == close {
            self.depth -= 1;
            return Ok(j);
        }
        loop {
            let key = if object {
                anyhow::ensure!(self.byte(j)? == b'"', "expected a key in a JSON object");
                let ke = self.string_end(j)?;
                let colon = self.ws(ke);
                anyhow::ensure!(self.byte(colon)? == b':', "expected `:` in a JSON object");
                let key = (j + 1, ke - 1);
                j = self.ws(colon + 1);
                Some(key)
            } else {
                None
            };
            let end = self.value_end(j)?;
            each(key, j, end);
            let next = self.ws(end);
            match self.byte(next)? {
                b',' => j = self.ws(next + 1),
                c if c == close => {
                    self.depth -= 1;
                    return Ok(next);
                }
                c => anyhow::bail!("unexpected `{}` in JSON", c as char),
            }
        }
    }

    /// The members of the object at `i` as (raw key, value span).
    fn object_members(&mut self, i: usize) -> anyhow::Result<Vec<Member>> {
        anyhow::ensure!(self.byte(i)? == b'{', "expected a JSON object");
        let b = self.b;
        let mut members = Vec::new();
        self.visit(i, b'}', true, |key, s, e| {
            let (ks, ke) = key.unwrap_or((0, 0));
            members.push((b[ks..ke].to_vec(), (s, e)));
        })?;
        Ok(members)
    }

    fn storage_object(&mut self, i: usize) -> anyhow::Result<StorageObject> {
        let mut members = Vec::new();
        let close = self.visit(i, b'}', true, |key, s, e| {
            let (ks, ke) = key.unwrap_or((s, s));
            // `key` is the text between the quotes.
            members.push(StorageMember {
                start: ks - 1,
                end: e,
                key: (ks - 1, ke + 1),
                value_start: s,
            });
        })?;
        Ok(StorageObject {
            open: i,
            close,
            members,
        })
    }

    fn array(&mut self, i: usize) -> anyhow::Result<CookieArray> {
        let mut elements = Vec::new();
        let close = self.visit(i, b']', false, |_, s, e| elements.push((s, e)))?;
        Ok(CookieArray {
            open: i,
            close,
            elements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = concat!(
        r#"{"version":["sessionrestore",1],"windows":[{"tabs":[],"cookies":["#,
        r#"{"host":"old.chatgpt.com","value":"lfxsecret_w","path":"/","name":"w"}]}],"#,
        r#""cookies":[{"host":".chatgpt.com","value":"lfxsecret_a","path":"/","name":"a","originAttributes":{"partitionKey":"","userContextId":0}},"#,
        r#"{"host":"example.org","value":"lfxsecret_b","path":"/","name":"b","originAttributes":{"partitionKey":""}},"#,
        r#"{"host":"cdn.oaistatic.com","value":"lfxsecret_c","path":"/","name":"tp","originAttributes":{"partitionKey":"(https,chatgpt.com)"}},"#,
        r#"{"host":"cdn.oaistatic.com","value":"lfxsecret_d","path":"/","name":"tp","originAttributes":{"partitionKey":"(https,example.org)"}},"#,
        r#"{"host":"notchatgpt.com","value":"lfxsecret_e","path":"/","name":"e"}],"#,
        r#""session":{"lastUpdate":1.5e12,"s":"\"cookies\":[]"}}"#
    );

    #[test]
    fn finds_target_cookies_and_partitioned_ones() {
        let t = Targets::default();
        let items = matching_cookies(SESSION.as_bytes(), &t).unwrap();
        let got: Vec<_> = items
            .iter()
            .map(|i| (i.host.as_str(), i.partition.as_deref(), i.key.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("old.chatgpt.com", None, ItemKey::Element(0)),
                (".chatgpt.com", None, ItemKey::Element(1)),
                (
                    "cdn.oaistatic.com",
                    Some("https://chatgpt.com"),
                    ItemKey::Element(3)
                ),
            ]
        );
    }

    #[test]
    fn rewrite_cuts_only_the_listed_cookies() {
        let file = mozlz4::encode(SESSION.as_bytes());
        let out = rewrite(&file, &[0, 1, 3]).unwrap();
        let text = String::from_utf8(mozlz4::decode(&out).unwrap()).unwrap();
        let want = SESSION
            .replace(r#"{"host":"old.chatgpt.com","value":"lfxsecret_w","path":"/","name":"w"}"#, "")
            .replace(
                r#"{"host":".chatgpt.com","value":"lfxsecret_a","path":"/","name":"a","originAttributes":{"partitionKey":"","userContextId":0}},"#,
                "",
            )
            .replace(
                r#"{"host":"cdn.oaistatic.com","value":"lfxsecret_c","path":"/","name":"tp","originAttributes":{"partitionKey":"(https,chatgpt.com)"}},"#,
                "",
            );
        assert_eq!(text, want);
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
        // Nothing to remove gives back the same JSON text.
        let same = rewrite(&file, &[]).unwrap();
        assert_eq!(mozlz4::decode(&same).unwrap(), SESSION.as_bytes());
    }

    #[test]
    fn removing_every_cookie_leaves_an_empty_array() {
        let json = r#"{"cookies": [ {"host":"chatgpt.com"} , {"host":"openai.com"} ] }"#;
        let out = rewrite(&mozlz4::encode(json.as_bytes()), &[0, 1]).unwrap();
        assert_eq!(mozlz4::decode(&out).unwrap(), br#"{"cookies": [] }"#);
    }

    const STORAGE: &str = concat!(
        r#"{"version":["sessionrestore",1],"windows":[{"tabs":[{"entries":[],"storage":{"#,
        r#""https://chatgpt.com":{"lfx":"lfxsecret_1"},"https://example.org":{"k":"v"},"#,
        r#""https://other.test^partitionKey=%28https%2Cchatgpt.com%29":{"k":"lfxsecret_2"},"#,
        r#""https://cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29":{"k":"v"}}},"#,
        r#"{"storage":{"https://notchatgpt.com":{"k":"v"}, "https://chatgpt.com.evil.org":{"k":"v"}}}],"#,
        r#""_closedTabs":[{"state":{"storage":{"https://auth.openai.com":{"k":"lfxsecret_3"}}}}],"#,
        r#""cookies":[{"host":"chatgpt.com","name":"c"}]}],"#,
        r#""_closedWindows":[{"tabs":[{"storage":{"https://a.test":{},"https://chatgpt.com:8443^userContextId=1":{"k":"lfxsecret_4"}}}]}],"#,
        r#""cookies":[{"host":".chatgpt.com","name":"a"}]}"#
    );

    #[test]
    fn finds_target_session_storage_and_cuts_only_it() {
        let t = Targets::default();
        let items = matching_storage(STORAGE.as_bytes(), &t).unwrap();
        let got: Vec<_> = items
            .iter()
            .map(|i| {
                (
                    i.url.as_deref().unwrap(),
                    i.partition.as_deref(),
                    i.key.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("https://chatgpt.com", None, ItemKey::Element(0)),
                (
                    "https://other.test",
                    Some("https://chatgpt.com"),
                    ItemKey::Element(2)
                ),
                ("https://auth.openai.com", None, ItemKey::Element(6)),
                ("https://chatgpt.com:8443", None, ItemKey::Element(8)),
            ]
        );
        let file = mozlz4::encode(STORAGE.as_bytes());
        let out = rewrite_storage(&file, &[0, 2, 6, 8]).unwrap();
        let text = String::from_utf8(mozlz4::decode(&out).unwrap()).unwrap();
        let want = STORAGE
            .replace(r#""https://chatgpt.com":{"lfx":"lfxsecret_1"},"#, "")
            .replace(
                r#""https://other.test^partitionKey=%28https%2Cchatgpt.com%29":{"k":"lfxsecret_2"},"#,
                "",
            )
            .replace(r#""https://auth.openai.com":{"k":"lfxsecret_3"}"#, "")
            .replace(
                r#","https://chatgpt.com:8443^userContextId=1":{"k":"lfxsecret_4"}"#,
                "",
            );
        assert_eq!(text, want);
        assert!(!text.contains("lfxsecret"));
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
        // The cookies are another kind's: untouched here, and cookie cuts leave storage.
        assert_eq!(matching_cookies(text.as_bytes(), &t).unwrap().len(), 2);
        let cookies_cut = rewrite(&file, &[0, 1]).unwrap();
        assert_eq!(
            matching_storage(&mozlz4::decode(&cookies_cut).unwrap(), &t)
                .unwrap()
                .len(),
            4
        );
        assert_eq!(
            mozlz4::decode(&rewrite_storage(&file, &[]).unwrap()).unwrap(),
            STORAGE.as_bytes()
        );
        for bad in ["{", r#"{"windows":[{"tabs":[{"storage":{"a":}}]}]}"#] {
            assert!(matching_storage(bad.as_bytes(), &t).is_err(), "{bad}");
            assert!(rewrite_storage(&mozlz4::encode(bad.as_bytes()), &[0]).is_err());
        }
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        let t = Targets::default();
        for bad in [
            "",
            "{",
            "[]",
            r#"{"cookies":[{"host":"a"}"#,
            r#"{"cookies":[1,]}"#,
            r#"{"a":1}x"#,
            r#"{"cookies":"#,
            "\"",
            r#"{"cookies":[{"host":"\"}]}"#,
        ] {
            assert!(matching_cookies(bad.as_bytes(), &t).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(matching_cookies(format!(r#"{{"cookies":{deep}"#).as_bytes(), &t).is_err());
    }
}
