//! The one place that decides whether a host, site, partition key or URL belongs to the
//! target domains. Every store asks this module; none parses domains itself.

use std::fmt;
use std::net::IpAddr;

/// Domains cleared when the user gives no `--domain`.
pub const DEFAULT_TARGETS: [&str; 2] = ["openai.com", "chatgpt.com"];

/// Why a `--domain` value was refused. Each message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("an empty domain was given")]
    Empty,
    #[error("`{0}` contains a wildcard; subdomains are included already, give the bare domain (e.g. `openai.com`)")]
    Wildcard(String),
    #[error("`{0}` is an IP address; give a domain name such as `chatgpt.com`")]
    IpLiteral(String),
    #[error("`{0}` is a public suffix; clearing it would delete every site's data under it")]
    PublicSuffix(String),
    #[error("`{0}` is not a valid domain name")]
    Invalid(String),
}

/// The validated, normalised target domains (lower case, no leading or trailing dot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    domains: Vec<String>,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            domains: DEFAULT_TARGETS.iter().map(|d| d.to_string()).collect(),
        }
    }
}

impl fmt::Display for Targets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.domains.join(", "))
    }
}

impl Targets {
    /// Validates user input. An empty list gives the defaults.
    pub fn parse<S: AsRef<str>>(inputs: &[S]) -> Result<Targets, DomainError> {
        if inputs.is_empty() {
            return Ok(Targets::default());
        }
        let mut domains: Vec<String> = Vec::new();
        for input in inputs {
            let domain = normalize_domain(input.as_ref())?;
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        Ok(Targets { domains })
    }

    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    /// True when `host` is a target or a subdomain of one. A cookie's leading dot
    /// (domain cookie) is ignored; matching is on whole labels, so `notchatgpt.com`
    /// and `chatgpt.com.evil.org` never match `chatgpt.com`.
    pub fn matches_host(&self, host: &str) -> bool {
        let host = host.strip_prefix('.').unwrap_or(host);
        let host = host.strip_suffix('.').unwrap_or(host).as_bytes();
        // Compared as bytes: hosts from disk can hold any text, and a target (ASCII) can
        // only match ASCII bytes anyway.
        self.domains.iter().any(|t| {
            let t = t.as_bytes();
            host.len() >= t.len()
                && host[host.len() - t.len()..].eq_ignore_ascii_case(t)
                && (host.len() == t.len() || host[host.len() - t.len() - 1] == b'.')
        })
    }

    /// True for a serialised site or origin (`https://chatgpt.com`, `https://auth.openai.com:8443`)
    /// whose host matches. Anything without `scheme://` is treated as a bare host.
    pub fn matches_site(&self, site: &str) -> bool {
        url_host(site).is_some_and(|h| self.matches_host(h))
    }

    /// True for a URL whose host matches (`https://chatgpt.com/c/1?x#y`).
    pub fn matches_url(&self, url: &str) -> bool {
        self.matches_site(url)
    }

    /// Firefox `originAttributes` suffix (`^userContextId=2&partitionKey=%28https%2Cchatgpt.com%29`):
    /// true when the data was stored under a target as the top-level site, through
    /// `partitionKey` (total cookie protection / CHIPS) or `firstPartyDomain` (first-party
    /// isolation). Other attributes, such as containers, neither add nor prevent a match.
    pub fn matches_origin_attributes(&self, suffix: &str) -> bool {
        top_level_site_of_origin_attributes(suffix).is_some_and(|s| self.matches_site(&s))
    }

    /// A decoded Firefox partition key (`(https,chatgpt.com)`, `(https,chatgpt.com,8443,f)`).
    pub fn matches_partition_key(&self, key: &str) -> bool {
        partition_key_site(key).is_some_and(|s| self.matches_site(&s))
    }
}

/// Normalises one `--domain` value: accepts `https://chatgpt.com/`, `CHATGPT.COM.`,
/// `.chatgpt.com`, `chatgpt.com:443`, and refuses what would be too broad or is not a domain.
pub fn normalize_domain(input: &str) -> Result<String, DomainError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(DomainError::Empty);
    }
    if trimmed.contains('*') {
        return Err(DomainError::Wildcard(trimmed.to_string()));
    }
    // Drop a scheme, user info, path, query and fragment: people paste URLs.
    let mut rest = match trimmed.find("://") {
        Some(i) => &trimmed[i + 3..],
        None => trimmed,
    };
    if let Some(i) = rest.find(['/', '?', '#']) {
        rest = &rest[..i];
    }
    if let Some(i) = rest.rfind('@') {
        rest = &rest[i + 1..];
    }
    // Bracketed IPv6, with or without a port.
    if rest.starts_with('[') {
        return Err(DomainError::IpLiteral(trimmed.to_string()));
    }
    if rest.parse::<IpAddr>().is_ok() {
        return Err(DomainError::IpLiteral(trimmed.to_string()));
    }
    if let Some((host, port)) = rest.rsplit_once(':') {
        if port.is_empty() || port.bytes().all(|b| b.is_ascii_digit()) {
            rest = host;
        }
    }
    let lower = rest.to_ascii_lowercase();
    let mut domain = lower.as_str();
    domain = domain.strip_prefix('.').unwrap_or(domain);
    domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain.is_empty() {
        return Err(DomainError::Empty);
    }
    if domain.parse::<IpAddr>().is_ok() {
        return Err(DomainError::IpLiteral(trimmed.to_string()));
    }
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if !labels_ok || domain.len() > 253 {
        return Err(DomainError::Invalid(trimmed.to_string()));
    }
    // A domain that is itself a public suffix (`com`, `co.uk`, `github.io`) has no
    // registrable part. psl treats unknown TLDs as suffixes too, which also refuses
    // single-label names such as `localhost`.
    if psl::domain(domain.as_bytes()).is_none() {
        return Err(DomainError::PublicSuffix(domain.to_string()));
    }
    Ok(domain.to_string())
}

/// The host of `scheme://host[:port][/...]` (`https://auth.openai.com:8443/x` →
/// `auth.openai.com`), or the input itself when it has no scheme.
pub fn url_host(site: &str) -> Option<&str> {
    let rest = match site.find("://") {
        Some(i) => &site[i + 3..],
        None => site,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = match authority.rfind('@') {
        Some(i) => &authority[i + 1..],
        None => authority,
    };
    let host = if authority.starts_with('[') {
        // IPv6 literal: never a target, but return it whole so callers see no match.
        &authority[..authority.find(']').map_or(authority.len(), |i| i + 1)]
    } else {
        match authority.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => authority,
        }
    };
    (!host.is_empty()).then_some(host)
}

/// The top-level site a Firefox `originAttributes` suffix stores data under, as
/// `scheme://host[:port]` for a partition key or a bare host for `firstPartyDomain`.
pub fn top_level_site_of_origin_attributes(suffix: &str) -> Option<String> {
    let body = suffix.strip_prefix('^').unwrap_or(suffix);
    let mut found = None;
    for pair in body.split('&') {
        let Some((key, value)) = pair.split_once('=') else {
            continue;
        };
        let value = percent_decode(value);
        match key {
            "partitionKey" => {
                if let Some(site) = partition_key_site(&value) {
                    return Some(site);
                }
            }
            "firstPartyDomain" if !value.is_empty() => {
                found = Some(partition_key_site(&value).unwrap_or(value));
            }
            _ => {}
        }
    }
    found
}

/// `(https,chatgpt.com)` / `(https,chatgpt.com,8443)` / `(https,chatgpt.com,8443,f)` →
/// `https://chatgpt.com[:8443]`. A bare `chatgpt.com` (old keys) is returned as it is.
pub fn partition_key_site(key: &str) -> Option<String> {
    let key = key.trim();
    if key.is_empty() {
        return None;
    }
    let Some(inner) = key.strip_prefix('(').and_then(|k| k.strip_suffix(')')) else {
        return Some(key.to_string());
    };
    let mut parts = inner.split(',');
    let scheme = parts.next()?.trim();
    let host = parts.next()?.trim();
    if host.is_empty() {
        return None;
    }
    let port = parts
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    Some(match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    })
}

impl Targets {
    /// Whether an extension match pattern (`<all_urls>`, `*://*/*`, `https://*.openai.com/*`,
    /// `*://chatgpt.com/*`) grants access to a target's pages.
    pub fn pattern_reaches(&self, pattern: &str) -> bool {
        let pattern = pattern.trim();
        if pattern == "<all_urls>" {
            return true;
        }
        let Some((scheme, rest)) = pattern.split_once("://") else {
            return false;
        };
        if !matches!(scheme, "*" | "http" | "https" | "ws" | "wss") {
            return false;
        }
        let host = rest.split('/').next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if host == "*" {
            return true;
        }
        match host.strip_prefix("*.") {
            // `*.X` reaches every target that is X or under it, and the part of a target
            // that lies under X.
            Some(base) => {
                self.matches_host(base)
                    || self.domains.iter().any(|t| {
                        let (t, base) = (t.as_bytes(), base.as_bytes());
                        t.len() > base.len()
                            && t.ends_with(base)
                            && t[t.len() - base.len() - 1] == b'.'
                    })
            }
            None => self.matches_host(host),
        }
    }
}

/// What a cache key says about an entry: its URL and the sites it was stored under
/// (top-level site first), as the browser wrote them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    pub url: String,
    /// The top-level site, when the key is partitioned.
    pub top_site: Option<String>,
    /// Every other site named in the key (frame site, initiator, origin lock).
    pub other_sites: Vec<String>,
}

impl Targets {
    /// A cheap necessary condition for any match: some target domain occurs in `text`
    /// (ASCII case-insensitively). A key whose host or site matches contains the domain
    /// literally (percent-encoding leaves letters, digits, `-` and `.` alone), so keys
    /// failing this test need no parsing.
    pub fn may_name_a_target(&self, text: &[u8]) -> bool {
        self.domains.iter().any(|d| {
            let needle = d.as_bytes();
            // Most positions fail on the first byte, so this costs about one compare per
            // byte of the key and allocates nothing.
            text.len() >= needle.len()
                && text.windows(needle.len()).any(|w| {
                    w[0].to_ascii_lowercase() == needle[0] && w.eq_ignore_ascii_case(needle)
                })
        })
    }

    /// An entry is the targets' when its URL's host matches, or when it was stored under
    /// a target as the top-level site, frame site or any other site its key names.
    pub fn matches_cache_key(&self, key: &CacheKey) -> bool {
        self.matches_url(&key.url)
            || key
                .top_site
                .as_deref()
                .is_some_and(|s| self.matches_site(s))
            || key.other_sites.iter().any(|s| self.matches_site(s))
    }
}

/// Parses a Chromium HTTP-cache key: `1/0/_dk_<top-site> <frame-site> <url>` and its
/// variants (`_dk_s_`, `_dk_cn_`, experiment prefixes such as `mfni_<site> `, numeric
/// prefixes, pre-2021 keys without `_dk_`), or a code-cache key
/// `_key<url> \n<origin lock>[ \n<top-site> <frame-site>]`. The URL is always the last
/// space-separated field of an HTTP-cache key.
pub fn chromium_cache_key(key: &str) -> Option<CacheKey> {
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

/// Parses a Firefox cache2 key: comma-terminated tags (`O<origin attributes>,`, `a,`,
/// `p,`, `~<id>,`; a comma inside a value is doubled) then `:` and the URL.
pub fn firefox_cache_key(key: &str) -> Option<CacheKey> {
    let b = key.as_bytes();
    let mut i = 0;
    let mut top_site = None;
    while i < b.len() {
        if b[i] == b':' {
            let url = &key[i + 1..];
            return (!url.is_empty()).then(|| CacheKey {
                url: url.to_string(),
                top_site,
                other_sites: Vec::new(),
            });
        }
        let tag = b[i];
        let mut j = i + 1;
        let mut value = Vec::new();
        loop {
            match b.get(j) {
                None => return None,
                Some(b',') if b.get(j + 1) == Some(&b',') => {
                    value.push(b',');
                    j += 2;
                }
                Some(b',') => break,
                Some(&c) => {
                    value.push(c);
                    j += 1;
                }
            }
        }
        if tag == b'O' {
            top_site = top_level_site_of_origin_attributes(&String::from_utf8_lossy(&value));
        }
        i = j + 1;
    }
    None
}

/// Decodes `%XX` escapes; invalid escapes are kept literally.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Targets {
        Targets::default()
    }

    #[test]
    fn host_matching_is_a_suffix_match_on_labels() {
        let t = t();
        for host in [
            "chatgpt.com",
            ".chatgpt.com",
            "auth.chatgpt.com",
            ".auth.openai.com",
            "openai.com",
            "CHATGPT.COM",
            "a.b.c.openai.com",
            "chatgpt.com.",
        ] {
            assert!(t.matches_host(host), "{host} should match");
        }
        for host in [
            "notchatgpt.com",
            "chatgpt.com.evil.org",
            "openai.com.example.org",
            "xopenai.com",
            ".notopenai.com",
            "example.org",
            "com",
            "",
            ".",
            "chatgpt.co",
            "\u{e9}aaaaaaaaa",
            "\u{e9}chatgpt.com",
            "x.\u{e9}.com",
        ] {
            assert!(!t.matches_host(host), "{host} must not match");
        }
        assert!(t.matches_host("\u{e9}.chatgpt.com"));
    }

    #[test]
    fn sites_and_urls() {
        let t = t();
        assert!(t.matches_site("https://chatgpt.com"));
        assert!(t.matches_site("https://auth.openai.com:8443"));
        assert!(t.matches_url("https://chatgpt.com/c/1?x=https://example.org#y"));
        assert!(!t.matches_url("https://example.org/?next=https://chatgpt.com/"));
        assert!(!t.matches_site("https://chatgpt.com.evil.org"));
        assert!(!t.matches_site("https://user@notchatgpt.com"));
        assert!(!t.matches_site(""));
        assert!(!t.matches_site("https://[::1]:443"));
    }

    #[test]
    fn firefox_origin_attributes() {
        let t = t();
        assert!(t.matches_origin_attributes("^partitionKey=%28https%2Cchatgpt.com%29"));
        assert!(t.matches_origin_attributes(
            "^userContextId=2&partitionKey=%28https%2Cchatgpt.com%2C8443%2Cf%29"
        ));
        assert!(t.matches_origin_attributes("^firstPartyDomain=chatgpt.com"));
        assert!(!t.matches_origin_attributes("^partitionKey=%28https%2Cexample.org%29"));
        assert!(!t.matches_origin_attributes("^partitionKey=%28https%2Cnotchatgpt.com%29"));
        assert!(!t.matches_origin_attributes("^userContextId=2"));
        assert!(!t.matches_origin_attributes(""));
        assert!(t.matches_partition_key("(https,chatgpt.com)"));
        assert!(!t.matches_partition_key("(https,chatgpt.com.evil.org)"));
        assert_eq!(
            top_level_site_of_origin_attributes("^partitionKey=%28https%2Cchatgpt.com%2C8443%29")
                .as_deref(),
            Some("https://chatgpt.com:8443")
        );
    }

    #[test]
    fn domain_normalisation() {
        for (input, want) in [
            ("https://chatgpt.com/", "chatgpt.com"),
            ("CHATGPT.COM.", "chatgpt.com"),
            (".openai.com", "openai.com"),
            ("chatgpt.com:443", "chatgpt.com"),
            ("http://user@auth.openai.com:8443/x?y#z", "auth.openai.com"),
            ("  chatgpt.com ", "chatgpt.com"),
            ("foo.github.io", "foo.github.io"),
        ] {
            assert_eq!(normalize_domain(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn domain_refusals() {
        assert_eq!(normalize_domain(""), Err(DomainError::Empty));
        assert_eq!(normalize_domain("  "), Err(DomainError::Empty));
        assert_eq!(normalize_domain("."), Err(DomainError::Empty));
        assert!(matches!(
            normalize_domain("*.openai.com"),
            Err(DomainError::Wildcard(_))
        ));
        for ip in [
            "127.0.0.1",
            "::1",
            "[::1]",
            "https://[2001:db8::1]:443/",
            "10.0.0.1:80",
        ] {
            assert!(
                matches!(normalize_domain(ip), Err(DomainError::IpLiteral(_))),
                "{ip}"
            );
        }
        for suffix in [
            "com",
            "co.uk",
            "github.io",
            "COM.",
            "https://co.uk/",
            "localhost",
        ] {
            assert!(
                matches!(normalize_domain(suffix), Err(DomainError::PublicSuffix(_))),
                "{suffix}"
            );
        }
        for bad in ["chat gpt.com", "exa_mple..com", "-bad.com", "caf\u{e9}.com"] {
            assert!(
                matches!(normalize_domain(bad), Err(DomainError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn targets_dedupe_and_default() {
        assert_eq!(Targets::parse::<&str>(&[]).unwrap(), Targets::default());
        let t = Targets::parse(&["chatgpt.com", "CHATGPT.com."]).unwrap();
        assert_eq!(t.domains(), ["chatgpt.com"]);
        assert!(!t.matches_host("openai.com"));
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("%28a%2Cb%29"), "(a,b)");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn chromium_cache_keys() {
        let k = chromium_cache_key(
            "1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/x.js",
        )
        .unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/x.js");
        assert_eq!(k.top_site.as_deref(), Some("https://chatgpt.com"));
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        let k = chromium_cache_key(
            "1/0/_dk_s_https://example.org https://chatgpt.com https://chatgpt.com/f",
        )
        .unwrap();
        assert_eq!(k.top_site.as_deref(), Some("https://example.org"));
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        let k = chromium_cache_key("1/0/_dk_mfni_https://openai.com https://example.org https://example.org https://example.org/a").unwrap();
        assert_eq!(k.top_site.as_deref(), Some("https://example.org"));
        assert_eq!(k.other_sites, ["https://openai.com", "https://example.org"]);
        let k = chromium_cache_key("0/https://chatgpt.com/old").unwrap();
        assert_eq!(k.url, "https://chatgpt.com/old");
        assert_eq!(k.top_site, None);
        let k = chromium_cache_key("https://chatgpt.com/bare").unwrap();
        assert_eq!(k.url, "https://chatgpt.com/bare");
        let k = chromium_cache_key("_keyhttps://cdn.oaistatic.com/app.js \nhttps://chatgpt.com")
            .unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/app.js");
        assert_eq!(k.other_sites, ["https://chatgpt.com"]);
        assert_eq!(
            chromium_cache_key("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            None
        );

        let t = Targets::default();
        let m = |key: &str| t.matches_cache_key(&chromium_cache_key(key).unwrap());
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

    #[test]
    fn extension_match_patterns() {
        let t = Targets::default();
        for p in [
            "<all_urls>",
            "*://*/*",
            "https://*/*",
            "https://*.openai.com/*",
            "*://chatgpt.com/*",
            "https://auth.openai.com:443/x",
            "*://*.com/*",
        ] {
            assert!(t.pattern_reaches(p), "{p}");
        }
        for p in [
            "https://example.org/*",
            "*://notchatgpt.com/*",
            "https://*.chatgpt.com.evil.org/*",
            "file:///*",
            "chrome://*/*",
            "nonsense",
        ] {
            assert!(!t.pattern_reaches(p), "{p}");
        }
    }

    #[test]
    fn prefilter_is_necessary_for_every_match() {
        let t = Targets::default();
        for key in [
            "1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/x.js",
            "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/logo.png",
            ":https://AUTH.OPENAI.COM/",
            "_keyhttps://cdn.example/app.js \nhttps://chatgpt.com",
        ] {
            assert!(t.may_name_a_target(key.as_bytes()), "{key}");
        }
        assert!(!t.may_name_a_target(
            b"1/0/_dk_https://example.org https://example.org https://cdn.oaistatic.com/x.js"
        ));
        assert!(!t.may_name_a_target(b"chatgpt.co"));
        assert!(!t.may_name_a_target(b""));
        // Only a necessary condition: look-alikes pass it and are refused by the parser.
        assert!(t.may_name_a_target(b":https://notchatgpt.com/"));
    }

    #[test]
    fn firefox_cache_keys() {
        let k = firefox_cache_key(
            "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/logo.png",
        )
        .unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/logo.png");
        assert_eq!(k.top_site.as_deref(), Some("https://chatgpt.com"));
        let k = firefox_cache_key("a,~1579012345,:https://chatgpt.com/c/1").unwrap();
        assert_eq!(
            (k.url.as_str(), k.top_site),
            ("https://chatgpt.com/c/1", None)
        );
        let k = firefox_cache_key(":http://example.org/").unwrap();
        assert_eq!(k.url, "http://example.org/");
        let k = firefox_cache_key("O^firstPartyDomain=a,,b,p,:https://x.org/").unwrap();
        assert_eq!(k.top_site.as_deref(), Some("a,b"));
        assert_eq!(firefox_cache_key("a,"), None);
        assert_eq!(firefox_cache_key("Ounterminated"), None);
        let t = Targets::default();
        let m = |key: &str| t.matches_cache_key(&firefox_cache_key(key).unwrap());
        assert!(m(
            "O^partitionKey=%28https%2Cchatgpt.com%29,:https://cdn.oaistatic.com/logo.png"
        ));
        assert!(m(":https://auth.openai.com/"));
        assert!(!m(
            "O^partitionKey=%28https%2Cexample.org%29,:https://cdn.oaistatic.com/logo.png"
        ));
        assert!(!m(":https://notchatgpt.com/?https://chatgpt.com"));
    }
}
