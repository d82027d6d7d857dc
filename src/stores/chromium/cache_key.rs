//! The grammar of Chromium's HTTP-cache and code-cache keys (read from simple-cache and
//! blockfile entries): the URL and the sites the entry was stored under.

use crate::targets::CacheKey;

/// Parses a Chromium HTTP-cache key: `1/0/_dk_<top-site> <frame-site> <url>` and its
/// variants (`_dk_s_`, `_dk_cn_`, experiment prefixes such as `mfni_<site> `, numeric
/// prefixes, pre-2021 keys without `_dk_`), or a code-cache key
/// `_key<url> \n<origin lock>[ \n<top-site> <frame-site>]`. The URL is always the last
/// space-separated field of an HTTP-cache key.
pub fn parse(key: &str) -> Option<CacheKey> {
    if let Some(rest) = key.strip_prefix("_key") {
        let mut parts = rest.split(" \n");
        let url = parts.next()?.to_string();
        let mut other_sites = Vec::new();
        for part in parts {
            other_sites.extend(
                part.split(' ')
                    .filter(|t| t.contains("://"))
                    .map(str::to_string),
            );
        }
        return (!url.is_empty()).then_some(CacheKey {
            url,
            top_site: None,
            other_sites,
        });
    }
    let url = key.rsplit(' ').next()?;
    if !url.contains("://") {
        return None;
    }
    let head = &key[..key.len() - url.len()];
    let mut top_site = None;
    let mut other_sites = Vec::new();
    if let Some(i) = head.find("_dk_") {
        for token in head[i + 4..].split(' ').filter(|t| !t.is_empty()) {
            let Some(scheme_at) = token.find("://") else {
                continue;
            };
            // A prefix glued to the site (`s_https://…`, `cn_https://…`) ends at the last
            // `_` before the scheme; schemes never contain `_`.
            let start = token[..scheme_at].rfind('_').map_or(0, |u| u + 1);
            let site = token[start..].to_string();
            let experiment = token.starts_with("mfni_") || token.starts_with("ni_");
            if top_site.is_none() && !experiment {
                top_site = Some(site);
            } else {
                other_sites.push(site);
            }
        }
    }
    let url = match url.find("://") {
        // Pre-2021 keys are `<upload id>/<url>` with no space before the URL.
        Some(_) if !head.contains(' ') && url.contains('/') => {
            let scheme_at = url.find("://")?;
            let start = url[..scheme_at].rfind('/').map_or(0, |s| s + 1);
            url[start..].to_string()
        }
        _ => url.to_string(),
    };
    Some(CacheKey {
        url,
        top_site,
        other_sites,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::Targets;

    #[test]
    fn chromium_cache_keys() {
        let k =
            parse("1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/x.js")
                .unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/x.js");
        assert_eq!(k.top_site.as_deref(), Some("https://chatgpt.com"));
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        let k = parse("1/0/_dk_s_https://example.org https://chatgpt.com https://chatgpt.com/f")
            .unwrap();
        assert_eq!(k.top_site.as_deref(), Some("https://example.org"));
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        let k = parse("1/0/_dk_mfni_https://openai.com https://example.org https://example.org https://example.org/a").unwrap();
        assert_eq!(k.top_site.as_deref(), Some("https://example.org"));
        assert_eq!(k.other_sites, ["https://openai.com", "https://example.org"]);
        let k = parse("0/https://chatgpt.com/old").unwrap();
        assert_eq!(k.url, "https://chatgpt.com/old");
        assert_eq!(k.top_site, None);
        let k = parse("https://chatgpt.com/bare").unwrap();
        assert_eq!(k.url, "https://chatgpt.com/bare");
        let k = parse("_keyhttps://cdn.oaistatic.com/app.js \nhttps://chatgpt.com").unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/app.js");
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        assert_eq!(
            parse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            None
        );

        let t = Targets::default();
        let m = |key: &str| t.matches_cache_key(&parse(key).unwrap());
        assert!(m(
            "1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/x.js"
        ));
        assert!(m(
            "1/0/_dk_https://example.org https://example.org https://auth.openai.com/x"
        ));
        assert!(!m(
            "1/0/_dk_https://example.org https://example.org https://cdn.oaistatic.com/x.js"
        ));
        assert!(!m("1/0/_dk_https://notchatgpt.com https://notchatgpt.com https://chatgpt.com.evil.org/a?u=https://chatgpt.com/"));
        assert!(m("_keyhttps://cdn.example/app.js \nhttps://chatgpt.com"));
    }
}
