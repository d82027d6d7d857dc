//! What a `--domain` value may be: normalised (scheme, port, path and dots dropped) and
//! refused when it is too broad (a public suffix), an IP address or not a domain name.

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
    #[error(
        "`{0}` is a single-label name, not a domain; give the site's domain such as `chatgpt.com`"
    )]
    SingleLabel(String),
    #[error("`{0}` is not a valid domain name")]
    Invalid(String),
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
    // An internationalised name (`café.com`) is kept in its ASCII form
    // (`xn--caf-dma.com`), the one browsers store hosts in; a given `xn--` label is
    // checked to be valid punycode.
    let ascii;
    if !domain.is_ascii() || domain.split('.').any(|l| l.starts_with("xn--")) {
        ascii = to_ascii(domain).ok_or_else(|| DomainError::Invalid(trimmed.to_string()))?;
        domain = &ascii;
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
    // registrable part. psl treats unknown TLDs as suffixes too: a single label that is
    // not a listed suffix (`localhost`, `intranet`) is refused as what it is.
    if !domain.contains('.') && !psl::suffix(domain.as_bytes()).is_some_and(|s| s.is_known()) {
        return Err(DomainError::SingleLabel(domain.to_string()));
    }
    if psl::domain(domain.as_bytes()).is_none() {
        return Err(DomainError::PublicSuffix(domain.to_string()));
    }
    Ok(domain.to_string())
}

/// The IDNA (UTS #46) ASCII form of a host name, lower case; `None` when it is not a
/// valid internationalised name.
pub fn to_ascii(host: &str) -> Option<String> {
    idna::domain_to_ascii(host).ok().filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("caf\u{e9}.com", "xn--caf-dma.com"),
            ("https://CAF\u{c9}.com/menu", "xn--caf-dma.com"),
            ("xn--caf-dma.com", "xn--caf-dma.com"),
            ("b\u{fc}cher.example.de", "xn--bcher-kva.example.de"),
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
        for suffix in ["com", "co.uk", "github.io", "COM.", "https://co.uk/"] {
            assert!(
                matches!(normalize_domain(suffix), Err(DomainError::PublicSuffix(_))),
                "{suffix}"
            );
        }
        for single in ["localhost", "LOCALHOST.", "http://intranet:8080/", "myhost"] {
            assert!(
                matches!(normalize_domain(single), Err(DomainError::SingleLabel(_))),
                "{single}"
            );
        }
        for bad in [
            "chat gpt.com",
            "exa_mple..com",
            "-bad.com",
            "xn--zz.com",
            "caf\u{e9} .com",
        ] {
            assert!(
                matches!(normalize_domain(bad), Err(DomainError::Invalid(_))),
                "{bad}"
            );
        }
    }
}
