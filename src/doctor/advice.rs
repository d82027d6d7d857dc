//! The advice sentence of each finding id, with its `params` filled in, from the message
//! catalog (`locales/*.ftl`, keys `advice-<id>`) in the language of the run. Only which
//! variant of a sentence applies is decided here; the wording lives in the catalog.

use super::{Finding, FindingId};
use crate::i18n;

/// The advice for `finding`, in the current language.
pub fn text(finding: &Finding) -> String {
    let param = |name: &str| finding.params.get(name).cloned();
    let or = |name: &str, default_key: &str| param(name).unwrap_or_else(|| i18n::t(default_key));
    let browser = or("browser", "default-browser");
    let site = or("site", "default-site");
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
        FindingId::ProxyBrowser => {
            args.push(("server", or("server", "default-proxy-set")));
        }
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
        FindingId::HostsFileBlock => args.push(("host", or("host", "default-host"))),
        FindingId::HostUnreachable => args.push(("host", or("host", "default-host-start"))),
        FindingId::ClockSkew => {
            args.push(("seconds", param("seconds").unwrap_or_else(|| "?".into())));
        }
        FindingId::ResistFingerprinting if browser == "Safari" => key.push_str("-safari"),
        _ => {}
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    i18n::ta(&key, &args)
}
