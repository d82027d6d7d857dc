//! Firefox's origin attributes (`^userContextId=2&partitionKey=%28https%2Cchatgpt.com%29`),
//! written after the host of cookies, cache keys and storage directories: which
//! top-level site the data was stored under (partition key or first-party isolation).

use crate::targets::Targets;

/// True when the data was stored under a target as the top-level site, through
/// `partitionKey` (total cookie protection / CHIPS) or `firstPartyDomain` (first-party
/// isolation). Other attributes, such as containers, neither add nor prevent a match.
pub fn stored_under_target(targets: &Targets, suffix: &str) -> bool {
    top_level_site_of_origin_attributes(suffix).is_some_and(|s| targets.matches_site(&s))
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

    #[test]
    fn firefox_origin_attributes() {
        let t = Targets::default();
        assert!(stored_under_target(
            &t,
            "^partitionKey=%28https%2Cchatgpt.com%29"
        ));
        assert!(stored_under_target(
            &t,
            "^userContextId=2&partitionKey=%28https%2Cchatgpt.com%2C8443%2Cf%29"
        ));
        assert!(stored_under_target(&t, "^firstPartyDomain=chatgpt.com"));
        assert!(!stored_under_target(
            &t,
            "^partitionKey=%28https%2Cexample.org%29"
        ));
        assert!(!stored_under_target(
            &t,
            "^partitionKey=%28https%2Cnotchatgpt.com%29"
        ));
        assert!(!stored_under_target(&t, "^userContextId=2"));
        assert!(!stored_under_target(&t, ""));
        assert!(partition_key_site("(https,chatgpt.com)").is_some_and(|s| t.matches_site(&s)));
        assert!(
            !partition_key_site("(https,chatgpt.com.evil.org)").is_some_and(|s| t.matches_site(&s))
        );
        assert_eq!(
            top_level_site_of_origin_attributes("^partitionKey=%28https%2Cchatgpt.com%2C8443%29")
                .as_deref(),
            Some("https://chatgpt.com:8443")
        );
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("%28a%2Cb%29"), "(a,b)");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
