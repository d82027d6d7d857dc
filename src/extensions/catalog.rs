//! The catalog of extensions known or likely to break logging in to ChatGPT: data in
//! `catalog.json` (built from ../shared/reference/extension-catalog.md, each entry with
//! its source), compiled into the binary and looked up by store and id.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The store an extension id belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// Chrome Web Store (also installable in Edge, Brave, Opera, Vivaldi, Chromium).
    Chrome,
    /// Microsoft Edge Add-ons.
    Edge,
    Firefox,
    /// A Safari extension's bundle id.
    Safari,
}

#[derive(Debug, Deserialize)]
struct File {
    schema: u32,
    categories: Vec<Category>,
    extensions: Vec<RawEntry>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Category {
    pub id: String,
    pub label: String,
    /// The label and advice in Japanese: the catalog holds both languages a person reads
    /// it in (`why` and `source` are for maintainers).
    pub label_ja: String,
    pub why: String,
    pub advice: String,
    pub advice_ja: String,
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    name: String,
    category: String,
    ids: Ids,
    confidence: Confidence,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    advice: Option<String>,
    #[serde(default)]
    advice_ja: Option<String>,
    source: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct Ids {
    #[serde(default)]
    pub chrome: Vec<String>,
    #[serde(default)]
    pub edge: Vec<String>,
    #[serde(default)]
    pub firefox: Vec<String>,
    #[serde(default)]
    pub safari: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The id was seen next to the extension's name in a cited source.
    Confirmed,
    /// The id is unconfirmed; the category is known to interfere.
    Likely,
}

/// A catalog entry with its category's explanation and advice filled in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub category: String,
    pub category_label: String,
    pub confidence: Confidence,
    pub why: String,
    pub advice: String,
    pub source: String,
}

pub struct Catalog {
    pub entries: Vec<Entry>,
    index: HashMap<(IdKind, String), usize>,
    /// Japanese: each category's label and advice, by id; an entry's own advice, by name.
    categories_ja: HashMap<String, (String, String)>,
    advice_ja: HashMap<String, String>,
}

const DATA: &str = include_str!("catalog.json");

impl Catalog {
    /// The compiled-in catalog. Its integrity is checked by the tests, so a broken
    /// file cannot ship; parsing it here cannot fail at run time.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::parse(DATA).unwrap_or_else(|_| Catalog::empty()))
    }

    fn empty() -> Catalog {
        Catalog {
            entries: Vec::new(),
            index: HashMap::new(),
            categories_ja: HashMap::new(),
            advice_ja: HashMap::new(),
        }
    }

    pub fn parse(text: &str) -> Result<Catalog, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.schema != 1 {
            return Err(format!("unknown catalog schema {}", file.schema));
        }
        let mut catalog = Catalog::empty();
        for c in &file.categories {
            catalog
                .categories_ja
                .insert(c.id.clone(), (c.label_ja.clone(), c.advice_ja.clone()));
        }
        for raw in file.extensions {
            let category = file
                .categories
                .iter()
                .find(|c| c.id == raw.category)
                .ok_or_else(|| {
                    format!("`{}` has an unknown category `{}`", raw.name, raw.category)
                })?;
            let n = catalog.entries.len();
            for (kind, list) in [
                (IdKind::Chrome, &raw.ids.chrome),
                (IdKind::Edge, &raw.ids.edge),
                (IdKind::Firefox, &raw.ids.firefox),
                (IdKind::Safari, &raw.ids.safari),
            ] {
                for id in list {
                    catalog.index.insert((kind, id.to_ascii_lowercase()), n);
                }
            }
            match (&raw.advice, raw.advice_ja) {
                (Some(_), Some(ja)) => {
                    catalog.advice_ja.insert(raw.name.clone(), ja);
                }
                (None, None) => {}
                _ => return Err(format!("`{}` has advice in one language only", raw.name)),
            }
            catalog.entries.push(Entry {
                why: raw.why.unwrap_or_else(|| category.why.clone()),
                advice: raw.advice.unwrap_or_else(|| category.advice.clone()),
                name: raw.name,
                category: raw.category,
                category_label: category.label.clone(),
                confidence: raw.confidence,
                source: raw.source,
            });
        }
        Ok(catalog)
    }

    /// An entry's category label and advice in the language of this run.
    pub fn told(&self, entry: &Entry) -> (String, String) {
        if crate::i18n::current() != crate::i18n::Lang::Ja {
            return (entry.category_label.clone(), entry.advice.clone());
        }
        let (label, advice) = self
            .categories_ja
            .get(&entry.category)
            .cloned()
            .unwrap_or_else(|| (entry.category_label.clone(), entry.advice.clone()));
        let advice = self.advice_ja.get(&entry.name).cloned().unwrap_or(advice);
        (label, advice)
    }

    /// The entry for an installed extension. Chromium-family browsers can install from
    /// the Chrome Web Store as well as their own store, so `Edge` looks in both. A Safari
    /// bundle id matches the catalog's bundle id and everything under it.
    pub fn lookup(&self, kind: IdKind, id: &str) -> Option<&Entry> {
        let id = id.to_ascii_lowercase();
        let found = match kind {
            IdKind::Edge => self
                .index
                .get(&(IdKind::Edge, id.clone()))
                .or_else(|| self.index.get(&(IdKind::Chrome, id.clone()))),
            IdKind::Safari => {
                let mut candidate = id.as_str();
                loop {
                    if let Some(n) = self.index.get(&(IdKind::Safari, candidate.to_string())) {
                        break Some(n);
                    }
                    match candidate.rfind('.') {
                        Some(dot) => candidate = &candidate[..dot],
                        None => break None,
                    }
                }
            }
            _ => self.index.get(&(kind, id.clone())),
        };
        found.map(|&n| &self.entries[n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const CATEGORIES: [&str; 9] = [
        "ad_blocker",
        "privacy_blocker",
        "script_blocker",
        "translator",
        "cookie_manager",
        "vpn_proxy",
        "user_agent_switcher",
        "ai_sidebar",
        "page_rewriter",
    ];

    fn is_chrome_id(id: &str) -> bool {
        id.len() == 32 && id.bytes().all(|b| (b'a'..=b'p').contains(&b))
    }

    fn is_firefox_id(id: &str) -> bool {
        let guid = id.len() == 38
            && id.starts_with('{')
            && id.ends_with('}')
            && id[1..37].split('-').map(str::len).eq([8, 4, 4, 4, 12])
            && id[1..37]
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit());
        // Firefox's own rule: `[a-z0-9-._]*@[a-z0-9-._]+` (an empty local part is allowed).
        let allowed = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        };
        let email = id
            .split_once('@')
            .is_some_and(|(a, b)| allowed(a) && !b.is_empty() && allowed(b));
        guid || email
    }

    fn is_bundle_id(id: &str) -> bool {
        let parts: Vec<&str> = id.split('.').collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    }

    #[test]
    fn the_shipped_catalog_is_well_formed() {
        let file: File = serde_json::from_str(DATA).expect("catalog.json parses");
        assert_eq!(file.schema, 1);
        let ids: Vec<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, CATEGORIES);
        for c in &file.categories {
            assert!(
                !c.label.is_empty() && !c.why.is_empty() && !c.advice.is_empty(),
                "{}",
                c.id
            );
        }
        let mut seen: HashSet<(&str, String)> = HashSet::new();
        for e in &file.extensions {
            assert!(!e.name.trim().is_empty());
            assert!(CATEGORIES.contains(&e.category.as_str()), "{}", e.name);
            assert!(!e.source.trim().is_empty(), "{} has no source", e.name);
            for text in [&e.why, &e.advice].into_iter().flatten() {
                assert!(!text.trim().is_empty(), "{}", e.name);
            }
            let all = [
                ("chrome", &e.ids.chrome),
                ("edge", &e.ids.edge),
                ("firefox", &e.ids.firefox),
                ("safari", &e.ids.safari),
            ];
            assert!(
                all.iter().any(|(_, l)| !l.is_empty()),
                "{} has no id",
                e.name
            );
            for (store, list) in all {
                for id in list.iter() {
                    let ok = match store {
                        "chrome" | "edge" => is_chrome_id(id),
                        "firefox" => is_firefox_id(id),
                        _ => is_bundle_id(id),
                    };
                    assert!(ok, "{}: malformed {store} id {id}", e.name);
                    // Chrome-store ids are valid on Edge too, so they share one namespace.
                    let space = if store == "edge" { "chrome" } else { store };
                    assert!(
                        seen.insert((space, id.to_ascii_lowercase())),
                        "duplicate {store} id {id}"
                    );
                }
            }
        }
        let catalog = Catalog::parse(DATA).unwrap();
        assert_eq!(catalog.entries.len(), file.extensions.len());
        assert!(catalog
            .entries
            .iter()
            .all(|e| !e.why.is_empty() && !e.advice.is_empty()));
    }

    #[test]
    fn lookups_per_store() {
        let c = Catalog::get();
        assert_eq!(
            c.lookup(IdKind::Chrome, "cjpalhdlnbpafiamejdnhcphjbkeiagm")
                .unwrap()
                .name,
            "uBlock Origin"
        );
        // Edge finds its own store's ids and the Chrome Web Store's.
        assert!(c
            .lookup(IdKind::Edge, "odfafepnkmbhccpbejgmiehpchacaeak")
            .is_some());
        assert!(c
            .lookup(IdKind::Edge, "cjpalhdlnbpafiamejdnhcphjbkeiagm")
            .is_some());
        assert!(c
            .lookup(IdKind::Chrome, "odfafepnkmbhccpbejgmiehpchacaeak")
            .is_none());
        assert!(c
            .lookup(IdKind::Firefox, "uBlock0@raymondhill.net")
            .is_some());
        assert!(c
            .lookup(IdKind::Safari, "com.adguard.safari.AdGuard.Extension")
            .is_some());
        assert!(c
            .lookup(IdKind::Safari, "com.adguard.safari.AdGuardian")
            .is_none());
        assert!(c
            .lookup(IdKind::Chrome, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            .is_none());
    }

    #[test]
    fn a_broken_catalog_is_refused() {
        assert!(Catalog::parse("{").is_err());
        assert!(Catalog::parse(r#"{"schema":2,"categories":[],"extensions":[]}"#).is_err());
        let bad = r#"{"schema":1,"categories":[],"extensions":[{"name":"x","category":"nope","ids":{},"confidence":"likely","source":"s"}]}"#;
        assert!(Catalog::parse(bad).is_err());
    }
}
