//! The advice sentence of each finding id, with its `params` filled in, from the message
//! catalog (`locales/*.ftl`, keys `advice-<id>`) in the language of the run. Only which
//! variant of a sentence applies is decided here; the wording lives in the catalog.

use super::{Finding, FindingId};
use crate::i18n;

/// What the readers name "every site" in a finding's `site` (a default setting, a rule
/// for `*`): the catalog says it in the run's language.
pub const ALL_SITES: &str = "all sites";

/// The advice for `finding`, in the current language.
pub fn text(finding: &Finding) -> String {
    text_in(finding, i18n::current())
}

/// The advice for `finding`, in `lang`.
pub fn text_in(finding: &Finding, lang: i18n::Lang) -> String {
    let param = |name: &str| finding.params.get(name).cloned();
    let or = |name: &str, default_key: &str| {
        param(name).unwrap_or_else(|| i18n::message_in(lang, default_key, &[]))
    };
    let browser = or("browser", "default-browser");
    // "all sites" is the readers' word for a default setting or a rule for every site.
    let site = match param("site") {
        Some(s) if s == ALL_SITES => i18n::message_in(lang, "default-all-sites", &[]),
        _ => or("site", "default-site"),
    };
    let mut args: Vec<(&str, String)> = vec![("browser", browser.clone()), ("site", site)];
    let mut key = format!("advice-{}", finding.id.as_str());
    match finding.id {
        FindingId::BrowserOutdated => {
            args.push(("version", param("version").unwrap_or_default()));
            if let Some(age) = param("age") {
                args.push(("age", age));
                key.push_str("-age");
            }
        }
        FindingId::AutoTranslate => {
            if let Some(from) = param("from") {
                args.push(("from", from));
                match param("to") {
                    Some(to) => {
                        args.push(("to", to));
                        key.push_str("-rule");
                    }
                    None => key.push_str("-rule-mine"),
                }
            }
        }
        FindingId::ProxyBrowser if param("source").is_some_and(|s| s == "policy") => {
            args.push(("server", param("server").unwrap_or_else(|| "?".into())));
            key.push_str("-policy");
        }
        FindingId::ProxyBrowser => match param("server") {
            Some(server) => args.push(("server", server)),
            None => key.push_str("-unnamed"),
        },
        FindingId::ProxySystem | FindingId::DnsOverHttpsCustom => {
            args.push(("server", param("server").unwrap_or_default()));
        }
        FindingId::ProxyExtension
        | FindingId::PolicyForcesExtension
        | FindingId::InterferingExtension => {
            args.push((
                "extension",
                param("extension").unwrap_or_else(|| "?".into()),
            ));
        }
        FindingId::HostsFileBlock => {
            args.push(("host", or("host", "default-host")));
            if param("kind").is_some_and(|k| k == "pinned address") {
                args.push(("address", param("address").unwrap_or_else(|| "?".into())));
                key.push_str("-pinned");
            }
        }
        FindingId::HostUnreachable => args.push(("host", or("host", "default-host-start"))),
        FindingId::VpnSystem => args.push(("name", param("name").unwrap_or_else(|| "?".into()))),
        FindingId::PolicyClearsData if param("when").is_some_and(|w| w == "timer") => {
            args.push(("hours", param("hours").unwrap_or_else(|| "?".into())));
            key.push_str("-timer");
        }
        FindingId::SignInRestricted => {
            args.push(("domains", param("domains").unwrap_or_else(|| "?".into())));
        }
        FindingId::ClockSkew => {
            args.push(("seconds", param("seconds").unwrap_or_else(|| "?".into())));
        }
        FindingId::ResistFingerprinting if browser == "Safari" => key.push_str("-safari"),
        _ => {}
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::message_in(lang, &key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::{Evidence, Severity};
    use crate::i18n::{message_in, Lang};

    const ALL: [FindingId; 28] = [
        FindingId::BrowserRunning,
        FindingId::BrowserRestartPending,
        FindingId::BrowserOutdated,
        FindingId::CookiesBlocked,
        FindingId::CookiesSessionOnly,
        FindingId::ThirdPartyCookiesBlocked,
        FindingId::JavascriptBlocked,
        FindingId::AutoTranslate,
        FindingId::ProxyBrowser,
        FindingId::ProxyExtension,
        FindingId::ProxySystem,
        FindingId::HostsFileBlock,
        FindingId::PolicyBlocksSite,
        FindingId::PolicyBlocksCookies,
        FindingId::PolicyBlocksJavascript,
        FindingId::PolicyForcesExtension,
        FindingId::PolicyClearsData,
        FindingId::SignInRestricted,
        FindingId::StorageDisabled,
        FindingId::ResistFingerprinting,
        FindingId::ShieldsStrict,
        FindingId::PrivateOnly,
        FindingId::DnsOverHttpsCustom,
        FindingId::InterferingExtension,
        FindingId::VpnSystem,
        FindingId::ClockSkew,
        FindingId::HostUnreachable,
        FindingId::OpenaiOutage,
    ];

    #[test]
    fn every_finding_id_has_its_advice_in_the_catalog() {
        for lang in [Lang::En, Lang::Ja] {
            for id in ALL {
                let key = format!("advice-{}", id.as_str());
                assert_ne!(message_in(lang, &key, &[]), key, "{}", lang.code());
            }
        }
    }

    #[test]
    fn params_fill_the_sentence_and_defaults_stand_in() {
        let f = Finding::machine(
            FindingId::ProxySystem,
            Severity::Warning,
            Evidence::new("/x", "k"),
        )
        .with("server", "10.0.0.1:3128");
        assert_eq!(
            text_in(&f, Lang::En),
            "A system-wide proxy 10.0.0.1:3128 is set: remove it unless your organisation requires it."
        );
        let f = Finding::machine(
            FindingId::CookiesBlocked,
            Severity::Error,
            Evidence::new("/x", "k"),
        );
        assert_eq!(
            text_in(&f, Lang::En),
            "the browser blocks cookies for chatgpt.com: allow them in its site settings (Settings → Privacy → Cookies)."
        );
        assert_eq!(
            text_in(&f, Lang::Ja),
            "ブラウザー で chatgpt.com の Cookie がブロックされています。サイトの設定（設定 → プライバシー → Cookie）で許可してください。"
        );
    }
}
