//! The advice sentence of each finding id, with its `params` filled in. One place for
//! the wording so the message catalog (English, Japanese) can take it over whole.

use super::{Finding, FindingId};

/// The advice for `finding`, in English.
pub fn text(finding: &Finding) -> String {
    let p = |name: &str, default: &str| {
        finding
            .params
            .get(name)
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let browser = p("browser", "the browser");
    let site = p("site", "chatgpt.com");
    match finding.id {
        FindingId::BrowserRunning => {
            format!("{browser} is open: close all its windows before clearing its data.")
        }
        FindingId::BrowserRestartPending => {
            format!("{browser} was updated but not restarted: restart it.")
        }
        FindingId::BrowserOutdated => format!(
            "{browser} {} is out of date{}: update it (Settings → About).",
            p("version", ""),
            finding
                .params
                .get("age")
                .map_or_else(String::new, |a| format!(" ({a})"))
        ),
        FindingId::CookiesBlocked => format!(
            "{browser} blocks cookies for {site}: allow them in its site settings (Settings → Privacy → Cookies)."
        ),
        FindingId::CookiesSessionOnly => format!(
            "{browser} deletes {site}'s cookies when it closes, so you are logged out every time: remove the \"clear on exit\" rule."
        ),
        FindingId::ThirdPartyCookiesBlocked => "Third-party cookies are blocked; if the security check fails, allow them for chatgpt.com.".to_string(),
        FindingId::JavascriptBlocked => format!(
            "JavaScript is off for {site}: the login needs it on (site settings → JavaScript)."
        ),
        FindingId::AutoTranslate => match (finding.params.get("from"), finding.params.get("to")) {
            (Some(from), to) => format!(
                "{browser} always translates pages in \"{from}\" to {}, which breaks ChatGPT's page: remove that rule or choose \"Never translate this site\" on chatgpt.com.",
                to.map_or_else(|| "your language".to_string(), |t| format!("\"{t}\""))
            ),
            _ => "Automatic translation is on: turn it off for ChatGPT (\"Never translate this site\").".to_string(),
        },
        FindingId::ProxyBrowser if finding.params.get("source").is_some_and(|s| s == "policy") => format!(
            "Your organisation's policy makes {browser} use the proxy {}: if the login fails, tell your IT team.",
            p("server", "?")
        ),
        FindingId::ProxyBrowser => format!(
            "{browser} sends its traffic through the proxy {}: turn it off unless your organisation requires it.",
            p("server", "set in its settings")
        ),
        FindingId::ProxyExtension => format!(
            "The extension \"{}\" routes traffic through a proxy or VPN: disable it for now.",
            p("extension", "?")
        ),
        FindingId::ProxySystem => format!(
            "A system-wide proxy {} is set: remove it unless your organisation requires it.",
            p("server", "")
        ),
        FindingId::HostsFileBlock
            if finding.params.get("kind").is_some_and(|k| k == "pinned address") =>
        {
            format!(
                "The hosts file pins {} to the fixed address {}, which breaks when OpenAI's addresses change: ask an administrator to remove that line.",
                p("host", "a login host"),
                p("address", "?")
            )
        }
        FindingId::HostsFileBlock => format!(
            "The hosts file sends {} elsewhere: ask an administrator to remove that line.",
            p("host", "a login host")
        ),
        FindingId::PolicyBlocksSite => format!(
            "Your organisation's policy for {browser} blocks {site}: contact your IT team."
        ),
        FindingId::PolicyBlocksCookies => format!(
            "Your organisation's policy for {browser} blocks {} for {site}: contact your IT team.",
            p("what", "cookies or JavaScript")
        ),
        FindingId::PolicyForcesExtension => format!(
            "Your organisation's policy installs the extension \"{}\", known to interfere: contact your IT team.",
            p("extension", "?")
        ),
        FindingId::ResistFingerprinting if browser == "Safari" => "Advanced Tracking and Fingerprinting Protection is on for all browsing; the security check may loop: set it to private browsing only (Settings → Advanced).".to_string(),
        FindingId::ResistFingerprinting => "Fingerprinting resistance is on; the security check may loop: turn it off (about:config privacy.resistFingerprinting) or use another profile for ChatGPT.".to_string(),
        FindingId::ShieldsStrict => format!(
            "Brave Shields are strict for {site}: set them to standard for the site (the lion icon)."
        ),
        FindingId::PrivateOnly => format!(
            "{browser} opens only private windows, so nothing is kept between sessions: you will have to log in every time."
        ),
        FindingId::DnsOverHttpsCustom => format!(
            "A custom secure-DNS resolver {} is set; if the login hosts do not load, try the default.",
            p("server", "")
        ),
        FindingId::InterferingExtension => format!(
            "The extension \"{}\" is known to interfere with the login: disable it for now.",
            p("extension", "?")
        ),
        FindingId::ClockSkew => format!(
            "Your clock is off by {} s: turn on automatic time (two-factor codes depend on it).",
            p("seconds", "?")
        ),
        FindingId::HostUnreachable => format!(
            "{} does not answer from this machine: check the network, proxy or firewall.",
            p("host", "A login host")
        ),
    }
}
