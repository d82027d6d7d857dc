//! Chromium's names for an origin's storage: the `StorageKey` serialization
//! (`https://chatgpt.com/`, `https://other.test/^0https://chatgpt.com`) and the origin
//! identifier of file names (`https_chatgpt.com_0`). Both are parsed into the origin and
//! the top-level site the targets matcher is handed; neither is matched here.

/// An origin's storage as Chromium names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageKey {
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// The top-level site of a partitioned key (`^0`, or the precursor `^6` of an opaque
    /// top-level site), no trailing slash.
    pub top_site: Option<String>,
}

/// Parses `StorageKey::Serialize()`: the origin (with or without its trailing slash),
/// then `^<digit><value>` attributes: `^0` top-level site, `^1`/`^2` nonce, `^3`
/// ancestor-chain bit, `^4`/`^5` opaque top-level nonce, `^6` its precursor site.
pub fn parse_storage_key(key: &str) -> Option<StorageKey> {
    let mut parts = split_attributes(key);
    let origin = parts.next()?.1;
    if !origin.contains("://") {
        return None;
    }
    let mut top_site = None;
    for (tag, value) in parts {
        match tag {
            Some('0') | Some('6') if !value.is_empty() => {
                top_site = Some(value.trim_end_matches('/').to_string());
            }
            _ => {}
        }
    }
    Some(StorageKey {
        origin: origin.trim_end_matches('/').to_string(),
        top_site,
    })
}

/// The origin, then each `^<digit>` attribute as (digit, value).
fn split_attributes(key: &str) -> impl Iterator<Item = (Option<char>, &str)> {
    let mut rest = Some(key);
    let mut tag = None;
    std::iter::from_fn(move || {
        let s = rest?;
        let at = s
            .char_indices()
            .find(|&(i, c)| c == '^' && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
            .map(|(i, _)| i);
        let this_tag = tag;
        match at {
            Some(i) => {
                tag = s[i + 1..].chars().next();
                rest = Some(&s[i + 2..]);
                Some((this_tag, &s[..i]))
            }
            None => {
                rest = None;
                Some((this_tag, s))
            }
        }
    })
}

/// Parses an origin identifier, `<scheme>_<host>_<port>` (`https_chatgpt.com_0`, port 0
/// meaning the scheme's default), into `scheme://host[:port]`.
pub fn origin_of_identifier(id: &str) -> Option<String> {
    let (scheme, rest) = id.split_once('_')?;
    let (host, port) = rest.rsplit_once('_')?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        || host.is_empty()
        || port.is_empty()
        || !port.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let port: u32 = port.parse().ok()?;
    Some(match port {
        0 => format!("{scheme}://{host}"),
        p => format!("{scheme}://{host}:{p}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(origin: &str, top: Option<&str>) -> Option<StorageKey> {
        Some(StorageKey {
            origin: origin.to_string(),
            top_site: top.map(str::to_string),
        })
    }

    #[test]
    fn storage_keys() {
        assert_eq!(
            parse_storage_key("https://chatgpt.com/"),
            key("https://chatgpt.com", None)
        );
        assert_eq!(
            parse_storage_key("https://other.test/^0https://chatgpt.com"),
            key("https://other.test", Some("https://chatgpt.com"))
        );
        assert_eq!(
            parse_storage_key("https://chatgpt.com/^0https://other.test^31"),
            key("https://chatgpt.com", Some("https://other.test"))
        );
        assert_eq!(
            parse_storage_key("https://a.test/^112345^267890"),
            key("https://a.test", None)
        );
        assert_eq!(
            parse_storage_key("https://a.test/^41^52^6https://chatgpt.com"),
            key("https://a.test", Some("https://chatgpt.com"))
        );
        assert_eq!(
            parse_storage_key("https://x.test/?a^b"),
            key("https://x.test/?a^b", None)
        );
        assert_eq!(parse_storage_key(""), None);
        assert_eq!(parse_storage_key("^0https://chatgpt.com"), None);
    }

    #[test]
    fn origin_identifiers() {
        assert_eq!(
            origin_of_identifier("https_chatgpt.com_0").as_deref(),
            Some("https://chatgpt.com")
        );
        assert_eq!(
            origin_of_identifier("http_localhost_8080").as_deref(),
            Some("http://localhost:8080")
        );
        assert_eq!(
            origin_of_identifier("https_my_host.test_443").as_deref(),
            Some("https://my_host.test:443")
        );
        for bad in [
            "",
            "https",
            "https_chatgpt.com",
            "https__0",
            "_chatgpt.com_0",
            "https_x_y",
        ] {
            assert_eq!(origin_of_identifier(bad), None, "{bad}");
        }
    }
}
