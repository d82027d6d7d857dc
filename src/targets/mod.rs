//! The one place that decides whether a host, site, partition or URL belongs to the
//! target domains. Every store asks this module; none parses domains itself. What a
//! `--domain` may be is [`domain`]; the grammars of the browsers' keys (cache keys,
//! origin attributes) live with their formats under `stores/`, which hand this
//! matcher the sites they name.

mod domain;

pub use domain::{normalize_domain, DomainError, DEFAULT_TARGETS};

use std::fmt;

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
        let host = host.strip_suffix('.').unwrap_or(host);
        // Targets are in ASCII (punycode) form, as browsers store hosts; a host read in
        // Unicode (`www.café.com`) is converted first. ASCII hosts cost nothing extra.
        let converted;
        let host = if host.is_ascii() {
            host.as_bytes()
        } else {
            match domain::to_ascii(host) {
                Some(a) => {
                    converted = a;
                    converted.as_bytes()
                }
                None => host.as_bytes(),
            }
        };
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

    /// Site storage belongs to the targets when its origin's host matches, or when it
    /// was stored under a target as the top-level site (`top_site`: Chromium's `^0` site,
    /// Firefox's `partitionKey`, WebKit's top origin) — a third party's data embedded in
    /// chatgpt.com goes, chatgpt.com's own data embedded elsewhere goes too, and a third
    /// party's data embedded in another site stays.
    pub fn matches_storage(&self, origin: &str, top_site: Option<&str>) -> bool {
        self.matches_site(origin) || top_site.is_some_and(|s| self.matches_site(s))
    }
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

impl Targets {
    /// Whether a Chromium content-settings pattern (`[*.]chatgpt.com`,
    /// `https://auth.openai.com:443`, `chatgpt.com`, `[*.]com`, `*`) applies to some page
    /// of a target: `[*.]X` reaches every target that is X or under it and every target
    /// X lies under (`[*.]com`); a bare host reaches a target or a host under one. Only
    /// the primary pattern goes here; a key's secondary (`*,[*.]x`) is the caller's.
    pub fn content_pattern_reaches(&self, pattern: &str) -> bool {
        HostRule::content_pattern(pattern).is_some_and(|r| self.rule_reaches(&r))
    }

    /// Whether a content-settings pattern covers every page of `host`: what decides
    /// whether a site exception overrides the default setting for a target. An exact
    /// host or origin leaves the other hosts under the target.
    pub fn content_pattern_covers(pattern: &str, host: &str) -> bool {
        match HostRule::content_pattern(pattern) {
            Some(r @ (HostRule::All | HostRule::Subtree(_))) => r.covers(host),
            Some(HostRule::Exact(_)) | None => false,
        }
    }

    /// How specific a content-settings pattern's host is, as Chromium ranks rules that
    /// both match (the more specific one wins): `*` lowest, then `[*.]host` by its
    /// number of labels, an exact host above the wildcard of the same host. `None` for
    /// a pattern that never names a page of the login.
    pub fn content_pattern_specificity(pattern: &str) -> Option<usize> {
        let labels = |h: &str| h.split('.').count();
        Some(match HostRule::content_pattern(pattern)? {
            HostRule::All => 0,
            HostRule::Subtree(h) => 2 * labels(&h) + 1,
            HostRule::Exact(h) => 2 * labels(&h) + 2,
        })
    }
}

/// Whether `host` is `base` or lies under it, on whole labels, ASCII case-insensitively,
/// a trailing dot on either ignored (`auth.openai.com` is within `openai.com`,
/// `notopenai.com` is not). The one label rule for names that are not targets, such as
/// the login's third-party hosts.
pub fn host_within(host: &str, base: &str) -> bool {
    // Byte compares, no allocation: hosts files hold hundreds of thousands of names.
    fn trim(s: &str) -> &[u8] {
        let s = s.strip_suffix('.').unwrap_or(s);
        s.strip_prefix('.').unwrap_or(s).as_bytes()
    }
    let (host, base) = (trim(host), trim(base));
    if host.is_empty() || base.is_empty() || host.len() < base.len() {
        return false;
    }
    let tail = &host[host.len() - base.len()..];
    tail.eq_ignore_ascii_case(base)
        && (host.len() == base.len() || host[host.len() - base.len() - 1] == b'.')
}

/// The hosts a blocking or allowing rule covers: every host (`*`), one host and its
/// subdomains, or exactly one host. Built from an enterprise policy's URL filter, a
/// content-settings pattern or a match pattern; callers then ask which hosts it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostRule {
    All,
    /// The host and every subdomain (lower case, no trailing dot).
    Subtree(String),
    /// Exactly this host.
    Exact(String),
}

impl HostRule {
    /// Whether the rule covers `host`.
    pub fn covers(&self, host: &str) -> bool {
        match self {
            HostRule::All => true,
            HostRule::Subtree(base) => host_within(host, base),
            HostRule::Exact(h) => host_within(host, h) && host_within(h, host),
        }
    }

    /// How specific the rule is (Chromium lets the more specific filter win): longer
    /// hosts win, an exact host beats a subtree of the same host.
    pub fn specificity(&self) -> (usize, bool) {
        match self {
            HostRule::All => (0, false),
            HostRule::Subtree(h) => (h.len(), false),
            HostRule::Exact(h) => (h.len(), true),
        }
    }

    /// A Chromium `URLBlocklist`/`URLAllowlist` filter (`[scheme://][.]host[:port][/path][?query]`),
    /// read as components/url_matcher/url_util.cc `FilterToComponents` reads it:
    /// `chatgpt.com` is the host and its subdomains, `.chatgpt.com` the host alone, `*`
    /// every host, `https://*` and `https:*` every HTTPS URL; `user:pass@` is ignored.
    /// Only filters that cover a whole host give a rule: one limited to a path (a
    /// literal, case-sensitive prefix: `/*` is not a wildcard) or a query, to a scheme
    /// the login does not use (`file:`, `chrome:`) or to another port gives `None`, as
    /// does anything Chromium rejects (`chatgpt.com:*`: no `*` in ports).
    pub fn url_filter(filter: &str) -> Option<HostRule> {
        let f = filter.trim();
        // The scheme as url_formatter::SegmentURL finds it: the text before the first
        // `:` when it is a scheme name without a dot and no port follows the colon
        // (`chatgpt.com:443`, `localhost:443` have no scheme).
        let (scheme, rest) = match f.split_once(':') {
            Some((s, after)) if scheme_name(s) && !port_follows(after) => (Some(s), after),
            _ => (None, f),
        };
        let rest = match scheme {
            Some(scheme) => {
                // `scheme:*` and `scheme://*`: every URL of the scheme.
                if matches!(rest, "*" | "//*") {
                    return login_scheme(scheme).then_some(HostRule::All);
                }
                if !login_scheme(scheme) {
                    return None;
                }
                // The URL parser skips the slashes after a standard scheme.
                rest.trim_start_matches(['/', '\\'])
            }
            None => rest,
        };
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        let (path, tail) = tail.split_at(path_end);
        let query = tail
            .strip_prefix('?')
            .map_or("", |q| q.split('#').next().unwrap_or(""));
        // The path is a prefix of the URL's path: only `/` (or none) is every page.
        if !matches!(path, "" | "/") || !query.is_empty() {
            return None;
        }
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match authority.rsplit_once(':') {
            // An empty port is no port; `*` is not a number, so the filter is invalid.
            Some((h, "")) => h,
            Some((h, port)) => match port.parse::<u16>() {
                Ok(443) => h,
                _ => return None,
            },
            None => authority,
        };
        if host == "*" {
            return Some(HostRule::All);
        }
        match host.strip_prefix('.') {
            Some(exact) => valid_host(exact).map(HostRule::Exact),
            None => valid_host(host).map(HostRule::Subtree),
        }
    }

    /// A content-settings pattern as policies and `Preferences` write them
    /// (`[*.]chatgpt.com`, `https://auth.openai.com:443`, `chatgpt.com`, `*`): `[*.]`
    /// means the host and its subdomains, a bare host only itself.
    pub fn content_pattern(pattern: &str) -> Option<HostRule> {
        let p = pattern.trim();
        let rest = match p.split_once("://") {
            Some((scheme, rest)) => {
                if !login_scheme(scheme) {
                    return None;
                }
                rest
            }
            None => p,
        };
        let end = rest.find('/').unwrap_or(rest.len());
        let host = strip_port(&rest[..end])?;
        if host == "*" {
            return Some(HostRule::All);
        }
        match host.strip_prefix("[*.]") {
            Some(base) => valid_host(base).map(HostRule::Subtree),
            None => valid_host(host).map(HostRule::Exact),
        }
    }

    /// A WebExtension-style match pattern as Firefox policies write them
    /// (`https://cdn.oaistatic.com/*`, `*://*.openai.com/*`, `<all_urls>`): `*.x` is `x`
    /// and its subdomains. Only patterns whose path covers the whole site (`/*`) give a
    /// rule; `https://chatgpt.com/pricing` gives `None`.
    pub fn match_pattern(pattern: &str) -> Option<HostRule> {
        let p = pattern.trim();
        if p == "<all_urls>" {
            return Some(HostRule::All);
        }
        let (scheme, rest) = p.split_once("://")?;
        if !login_scheme(scheme) {
            return None;
        }
        let end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if !matches!(path, "" | "/*" | "*") {
            return None;
        }
        let host = strip_port(authority)?;
        if host == "*" {
            return Some(HostRule::All);
        }
        match host.strip_prefix("*.") {
            Some(base) => valid_host(base).map(HostRule::Subtree),
            None => valid_host(host).map(HostRule::Exact),
        }
    }
}

impl Targets {
    /// Whether a rule covers some target host: one of the targets or a host under one,
    /// or a parent of a target (`com`, `[*.]openai.com` for the target `auth.openai.com`).
    pub fn rule_reaches(&self, rule: &HostRule) -> bool {
        match rule {
            HostRule::All => true,
            HostRule::Subtree(base) => {
                self.matches_host(base) || self.domains.iter().any(|t| host_within(t, base))
            }
            HostRule::Exact(h) => self.matches_host(h),
        }
    }
}

/// `host[:port]` without the port; `None` for an empty host or a bad port.
/// A rule limited to another port than HTTPS's (`chatgpt.com:8080`) does not touch the
/// login either: `None` then, as for a bad port.
fn strip_port(authority: &str) -> Option<&str> {
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.rsplit_once(':') {
        Some((h, "*" | "443")) => h,
        Some(_) => return None,
        None => authority,
    };
    (!host.is_empty()).then_some(host)
}

/// Whether `s` is a scheme as url_formatter's `GetValidScheme` takes one: a letter, then
/// letters, digits, `+` or `-` (a name with a dot is a host: `chatgpt.com:443`).
fn scheme_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-'))
}

/// Whether the text after a colon starts with a port (digits up to 65535, then the end
/// of the authority): `localhost:8080/x` is a host and port, not a scheme
/// (url_fixer.cc `HasPort`).
fn port_follows(after: &str) -> bool {
    let port = &after[..after.find(['/', '\\', '?', '#']).unwrap_or(after.len())];
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

/// Whether a rule with this scheme can touch the login, which is HTTPS (and secure
/// websockets) only: a block of `http://*` is how some companies force HTTPS.
fn login_scheme(scheme: &str) -> bool {
    matches!(scheme.to_ascii_lowercase().as_str(), "*" | "https" | "wss")
}

/// A host name fit to compare (lower case, no trailing dot), or `None` for text that
/// cannot be one (spaces, a wildcard in the middle, an empty label).
fn valid_host(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let ok = !host.is_empty()
        && !host.split('.').any(|l| l.is_empty())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') || b >= 0x80);
    ok.then_some(host)
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
            let (Some(&first), Some(last)) = (needle.first(), text.len().checked_sub(needle.len()))
            else {
                return needle.is_empty();
            };
            // `memchr2` finds the few places the domain's first letter occurs, in either
            // case, many bytes at a time; only those are compared. Allocates nothing.
            let starts = &text[..=last];
            memchr::memchr2_iter(
                first.to_ascii_lowercase(),
                first.to_ascii_uppercase(),
                starts,
            )
            .any(|at| text[at..at + needle.len()].eq_ignore_ascii_case(needle))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Targets {
        Targets::default()
    }

    #[test]
    fn site_storage_matches_by_origin_or_top_level_site() {
        let t = t();
        assert!(t.matches_storage("https://chatgpt.com", None));
        assert!(t.matches_storage("https://auth.openai.com:8443", None));
        assert!(t.matches_storage("https://other.test", Some("https://chatgpt.com")));
        assert!(t.matches_storage("https://chatgpt.com/", Some("https://other.test")));
        assert!(!t.matches_storage("https://cdn.oaistatic.com", Some("https://example.org")));
        assert!(!t.matches_storage("https://notchatgpt.com", None));
        assert!(!t.matches_storage("https://chatgpt.com.evil.org", Some("https://x.org")));
        assert!(!t.matches_storage("https://other.test", Some("https://notchatgpt.com")));
    }

    #[test]
    fn internationalised_targets_match_hosts_in_either_form() {
        for given in ["caf\u{e9}.com", "xn--caf-dma.com", "CAF\u{c9}.COM"] {
            let t = Targets::parse(&[given]).unwrap();
            assert_eq!(t.domains(), ["xn--caf-dma.com"], "{given}");
            for host in [
                "xn--caf-dma.com",
                ".www.xn--caf-dma.com",
                "caf\u{e9}.com",
                ".www.caf\u{e9}.com",
                "WWW.CAF\u{c9}.COM",
            ] {
                assert!(t.matches_host(host), "{given} ~ {host}");
            }
            for host in ["cafe.com", "xn--caf-dma.com.evil.org", "notcaf\u{e9}.com"] {
                assert!(!t.matches_host(host), "{given} !~ {host}");
            }
            assert!(t.matches_url("https://caf\u{e9}.com/menu"));
        }
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
    fn targets_dedupe_and_default() {
        assert_eq!(Targets::parse::<&str>(&[]).unwrap(), Targets::default());
        let t = Targets::parse(&["chatgpt.com", "CHATGPT.com."]).unwrap();
        assert_eq!(t.domains(), ["chatgpt.com"]);
        assert!(!t.matches_host("openai.com"));
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
    fn content_settings_patterns() {
        let t = Targets::default();
        for p in [
            "[*.]chatgpt.com",
            "https://auth.openai.com:443",
            "*",
            "[*.]com",
            "chatgpt.com",
            "[*.]openai.com",
            "[*.]auth.openai.com",
            "https://[*.]chatgpt.com",
            "*://chatgpt.com:*/*",
            "CHATGPT.COM",
        ] {
            assert!(t.content_pattern_reaches(p), "{p}");
        }
        for p in [
            "notchatgpt.com",
            "[*.]notchatgpt.com",
            "chatgpt.com.evil.org",
            "[*.]chatgpt.com.evil.org",
            "[*.]org",
            "com",
            "[*.].com",
            "[*.]",
            "",
            "file:///home/x",
            "chrome-extension://abc",
            "[::1]",
            "https://example.org:443",
            // Plain HTTP (and its port): the login is HTTPS only.
            "http://*:80",
            "http://chatgpt.com",
        ] {
            assert!(!t.content_pattern_reaches(p), "{p}");
        }
        assert!(Targets::content_pattern_covers(
            "[*.]openai.com",
            "auth.openai.com"
        ));
        assert!(Targets::content_pattern_covers("[*.]com", "chatgpt.com"));
        assert!(Targets::content_pattern_covers("*", "openai.com"));
        assert!(!Targets::content_pattern_covers(
            "[*.]auth.openai.com",
            "openai.com"
        ));
        assert!(!Targets::content_pattern_covers(
            "https://chatgpt.com:443",
            "chatgpt.com"
        ));
        assert!(!Targets::content_pattern_covers(
            "[*.]tgpt.com",
            "chatgpt.com"
        ));
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
        // At the very start and end, alone, and in any case.
        for text in ["chatgpt.com", "ChatGPT.COM", "x:OpenAI.Com", "openai.com/x"] {
            assert!(t.may_name_a_target(text.as_bytes()), "{text}");
        }
        assert!(!t.may_name_a_target(b""));
        // Only a necessary condition: look-alikes pass it and are refused by the parser.
        assert!(t.may_name_a_target(b":https://notchatgpt.com/"));
    }

    #[test]
    fn url_filters_cover_hosts_as_chromium_reads_them() {
        let t = Targets::default();
        let rule = |f: &str| HostRule::url_filter(f);
        // `host` = the host and its subdomains; `.host` = that host alone.
        assert_eq!(
            rule("chatgpt.com"),
            Some(HostRule::Subtree("chatgpt.com".into()))
        );
        assert_eq!(
            rule(".chatgpt.com"),
            Some(HostRule::Exact("chatgpt.com".into()))
        );
        assert_eq!(rule("*"), Some(HostRule::All));
        assert_eq!(
            rule("https://auth.openai.com"),
            Some(HostRule::Subtree("auth.openai.com".into()))
        );
        assert_eq!(
            rule("https://Auth.OpenAI.com:443/"),
            Some(HostRule::Subtree("auth.openai.com".into()))
        );
        // `scheme:*` and `scheme://*` (url_util_unittest.cc: `FtP:*` matches ftp).
        for f in ["https:*", "HTTPS:*", "https://*", "wss:*", "https://*/"] {
            assert_eq!(rule(f), Some(HostRule::All), "{f}");
        }
        // `user:pass@` is ignored; an empty port is no port.
        assert_eq!(
            rule("https://admin:secret@chatgpt.com"),
            Some(HostRule::Subtree("chatgpt.com".into()))
        );
        assert_eq!(
            rule("chatgpt.com:"),
            Some(HostRule::Subtree("chatgpt.com".into()))
        );
        assert_eq!(
            rule("https:chatgpt.com"),
            Some(HostRule::Subtree("chatgpt.com".into()))
        );
        for f in [
            "chatgpt.com",
            "openai.com",
            ".auth.openai.com",
            "*",
            "com",
            "https://auth.openai.com",
            "CHATGPT.COM.",
        ] {
            assert!(t.rule_reaches(&rule(f).unwrap()), "{f}");
        }
        for f in [
            "notchatgpt.com",
            "chatgpt.com.evil.org",
            ".notopenai.com",
            "example.org",
            "openai.co",
        ] {
            assert!(!t.rule_reaches(&rule(f).unwrap()), "{f}");
        }
        // Not a whole-host block: a path, a query, another scheme or port, garbage.
        for f in [
            "http://*",
            "http://chatgpt.com",
            "chatgpt.com:8080",
            "https://chatgpt.com:80/",
            "chatgpt.com/pricing",
            "chatgpt.com@x=1",
            "file://*",
            "chrome://settings",
            "javascript://*",
            "",
            "chat gpt.com",
            "a..b",
            "chatgpt.com:abc",
            // No `*` in ports; a path is a literal prefix, so `/*` is not every page;
            // `*` is no scheme (the filter becomes host `*` with path `//chatgpt.com/*`).
            "chatgpt.com:*",
            "chatgpt.com:0",
            "chatgpt.com:65536",
            "chatgpt.com/*",
            "*://chatgpt.com/*",
            "*://chatgpt.com",
            "chatgpt.com/?q=1",
            "http:*",
            "file:*",
            "localhost:*",
            "https://user@",
        ] {
            assert_eq!(rule(f), None, "{f}");
        }
        let exact = rule(".chatgpt.com").unwrap();
        assert!(exact.covers("chatgpt.com") && exact.covers("ChatGPT.com."));
        assert!(!exact.covers("ab.chatgpt.com"));
        let sub = rule("cloudflare.com").unwrap();
        assert!(sub.covers("challenges.cloudflare.com"));
        assert!(!sub.covers("notcloudflare.com"));
        assert!(
            rule(".chatgpt.com").unwrap().specificity()
                > rule("chatgpt.com").unwrap().specificity()
        );
    }

    #[test]
    fn content_patterns_and_match_patterns() {
        let t = Targets::default();
        let cp = |p: &str| HostRule::content_pattern(p);
        assert_eq!(
            cp("[*.]chatgpt.com"),
            Some(HostRule::Subtree("chatgpt.com".into()))
        );
        assert_eq!(
            cp("https://auth.openai.com:443"),
            Some(HostRule::Exact("auth.openai.com".into()))
        );
        assert_eq!(
            cp("chatgpt.com"),
            Some(HostRule::Exact("chatgpt.com".into()))
        );
        assert_eq!(cp("*"), Some(HostRule::All));
        assert!(t.rule_reaches(&cp("[*.]com").unwrap()));
        assert!(!t.rule_reaches(&cp("[*.]notchatgpt.com").unwrap()));
        assert!(!t.rule_reaches(&cp("chatgpt.com.evil.org").unwrap()));
        let mp = |p: &str| HostRule::match_pattern(p);
        assert_eq!(
            mp("https://cdn.oaistatic.com/*"),
            Some(HostRule::Exact("cdn.oaistatic.com".into()))
        );
        assert_eq!(
            mp("*://*.openai.com/*"),
            Some(HostRule::Subtree("openai.com".into()))
        );
        assert_eq!(mp("<all_urls>"), Some(HostRule::All));
        assert_eq!(mp("*://*/*"), Some(HostRule::All));
        assert_eq!(mp("https://chatgpt.com/pricing"), None);
        assert_eq!(mp("http://*/*"), None);
        assert_eq!(cp("http://chatgpt.com"), None);
        assert_eq!(cp("[*.]chatgpt.com:8443"), None);
        assert_eq!(mp("chatgpt.com"), None);
        assert!(!t.rule_reaches(&mp("*://*.chatgpt.com.evil.org/*").unwrap()));
        assert!(!t.rule_reaches(&mp("https://notchatgpt.com/*").unwrap()));
        assert!(host_within("a.B.openai.com.", "openai.com"));
        assert!(!host_within("xopenai.com", "openai.com"));
        assert!(!host_within("", "openai.com"));
    }
}
