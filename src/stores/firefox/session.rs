//! Firefox's session-restore files (`sessionstore.jsonlz4`, `sessionstore-backups/*`):
//! mozLz4-compressed JSON whose `cookies` arrays (top level, and per window in older
//! versions) hold the session cookies Firefox puts back on restart. Removing a cookie
//! cuts its element out of the JSON text, so every other byte stays as Firefox wrote it.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::mozlz4;
use super::origin_attributes::partition_key_site;
use crate::fsutil;
use crate::stores::{
    fingerprint, Category, Found, Item, ItemKey, Removal, RewriteFormat, ScanOptions, Shape,
    StoreKind,
};
use crate::targets::Targets;

/// A session-restore file: it brings the session cookies back when Firefox restarts.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_session",
    label: "session_restore",
    category: Category::Cookies,
    shape: Shape::File,
    read: scan,
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

pub fn scan(file: &Path, targets: &Targets, _: &ScanOptions) -> anyhow::Result<Found> {
    let bytes = fsutil::read_bounded(file, MAX_FILE)
        .with_context(|| format!("could not read `{}`", file.display()))?;
    let json = mozlz4::decode(&bytes)
        .with_context(|| format!("`{}` is not a Firefox session file", file.display()))?;
    let items = matching_cookies(&json, targets)
        .with_context(|| format!("`{}` holds JSON that could not be read", file.display()))?;
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
