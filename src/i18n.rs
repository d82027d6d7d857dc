//! The one message catalog for `fix`, `doctor` and the guided mode, in English and
//! Japanese: Fluent files in `locales/` compiled into the binary, and the choice of
//! language (`--lang`, then `LC_ALL` / `LC_MESSAGES` / `LANG`, then the OS UI language).
//! JSON keys and finding ids never go through here: only prose for people does.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// A language the catalog has.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The catalog's source, as shipped in `locales/`.
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Ja => include_str!("../locales/ja.ftl"),
        }
    }
}

/// The language of a POSIX locale name (`ja_JP.UTF-8`, `C`, `en_US`): Japanese for
/// `ja*`, English for anything else, as English is the fallback for a language we lack.
pub fn from_locale(name: &str) -> Lang {
    let lang = name
        .split(['_', '-', '.', '@'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if lang == "ja" {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// The language to speak: `flag` (`--lang`), else the first of `LC_ALL`, `LC_MESSAGES`,
/// `LANG` that is set and not empty (POSIX precedence), else the OS UI language
/// (Windows and macOS keep it outside the environment), else English.
pub fn detect(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            return from_locale(&v);
        }
    }
    crate::platform::ui_locale().map_or(Lang::En, |l| from_locale(&l))
}

/// 0 = not chosen yet, else `Lang as u8 + 1`. Chosen once per run, by `app::run`.
static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of this process's messages.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8 + 1, Ordering::Relaxed);
}

/// The language chosen by [`set`]; English before that (unit tests, library callers).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        2 => Lang::Ja,
        _ => Lang::En,
    }
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static JA: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Ja => &JA,
    };
    cell.get_or_init(|| {
        // The sources are ours and a unit test parses them: a broken entry is dropped
        // (its key then shows as itself) rather than ending the run.
        let resource =
            FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, _)| r);
        let id = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Fluent wraps each value in Unicode isolation marks for bidirectional text;
        // neither language needs them and they would end up in terminals and logs.
        bundle.set_use_isolating(false);
        let _ = bundle.add_resource(resource);
        bundle
    })
}

/// The message `key` in `lang`, with `args` filled in; the key itself when missing (a
/// unit test proves none is).
pub fn message_in(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, *value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// The message `key` in the current language.
pub fn t(key: &str) -> String {
    message_in(current(), key, &[])
}

/// The message `key` in the current language, with `args` filled in.
pub fn ta(key: &str, args: &[(&str, &str)]) -> String {
    message_in(current(), key, args)
}

/// A count, for messages that choose a plural form (`{ $count -> [one] ... }`).
pub fn tn(key: &str, count: usize, args: &[(&str, &str)]) -> String {
    count_in(current(), key, count, args)
}

/// [`tn`] in `lang`.
pub fn count_in(lang: Lang, key: &str, count: usize, args: &[(&str, &str)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fargs = FluentArgs::new();
    fargs.set("count", count);
    for (name, value) in args {
        fargs.set(*name, *value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// `items` as a list in the current language (`a, b` / `a、b`).
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    items.join(&t("list-separator"))
}

/// Names (the target domains) as a sentence names them: two read "A and B" (「A と B」),
/// more as a list.
pub fn names<S: AsRef<str>>(items: &[S]) -> String {
    if let [a, b] = items {
        return ta("list-two", &[("a", a.as_ref()), ("b", b.as_ref())]);
    }
    list(items)
}

/// Whether the catalog has `key`.
pub fn has(key: &str) -> bool {
    has_in(current(), key)
}

/// Whether the catalog of `lang` has `key`.
pub fn has_in(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// A store's label as a person reads it (`store-<label>` in the catalog; else the label
/// with its underscores as spaces, `local storage`).
pub fn store_label(label: &str) -> String {
    let key = format!("store-{label}");
    if has(&key) {
        t(&key)
    } else {
        label.replace('_', " ")
    }
}

/// The message ids of a catalog source, in order (every entry that is not a comment).
pub fn keys(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_parse_and_have_the_same_keys() {
        for lang in [Lang::En, Lang::Ja] {
            if let Err((_, errors)) = FluentResource::try_new(lang.source().to_string()) {
                panic!("{}: {errors:?}", lang.code());
            }
        }
        assert_eq!(keys(Lang::En.source()), keys(Lang::Ja.source()));
        assert!(keys(Lang::En.source()).len() > 40);
    }

    #[test]
    fn every_message_formats_without_errors() {
        let names = [
            "browser",
            "site",
            "version",
            "age",
            "from",
            "to",
            "server",
            "extension",
            "host",
            "address",
            "seconds",
            "profile",
            "what",
            "command",
            "list",
            "size",
            "domains",
            "ids",
            "reason",
            "errors",
            "warnings",
            "info",
            "unread",
            "profiles",
            "n",
            "file",
            "a",
            "b",
            "name",
            "path",
            "dir",
            "list",
            "items",
            "id",
            "product",
            "whose",
            "files",
            "changed",
            "cookies",
            "sites",
            "skipped",
            "failed",
            "pattern",
            "permissions",
            "severity",
            "advice",
            "value",
            "os",
            "store",
            "done",
            "total",
            "target",
            "pid",
            "detail",
            "hint",
            "want",
            "hours",
            "home",
            "names",
            "description",
            "column",
            "free",
            "got",
            "owner",
            "uid",
            "table",
        ];
        for lang in [Lang::En, Lang::Ja] {
            let bundle = bundle(lang);
            for key in keys(lang.source()) {
                let pattern = bundle.get_message(&key).and_then(|m| m.value()).unwrap();
                let mut args = FluentArgs::new();
                for n in names {
                    args.set(n, "x");
                }
                args.set("count", 2);
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{} {key}: {errors:?}", lang.code());
                assert!(!text.trim().is_empty(), "{} {key}", lang.code());
            }
        }
    }

    #[test]
    fn locale_names_map_to_languages() {
        assert_eq!(from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(from_locale("ja"), Lang::Ja);
        assert_eq!(from_locale("ja-JP"), Lang::Ja);
        assert_eq!(from_locale("C"), Lang::En);
        assert_eq!(from_locale("POSIX"), Lang::En);
        assert_eq!(from_locale("en_GB.UTF-8"), Lang::En);
        assert_eq!(from_locale("fr_FR"), Lang::En);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            detect(Some(Lang::En), env(&[("LANG", "ja_JP.UTF-8")])),
            Lang::En
        );
        assert_eq!(detect(None, env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(
            detect(None, env(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            detect(
                None,
                env(&[("LC_ALL", ""), ("LC_MESSAGES", "ja_JP"), ("LANG", "C")])
            ),
            Lang::Ja
        );
    }

    #[test]
    fn a_missing_key_shows_as_itself() {
        assert_eq!(message_in(Lang::En, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn plurals_follow_the_language() {
        assert_eq!(count_in(Lang::En, "fix-what-cookies", 1, &[]), "1 cookie");
        assert_eq!(count_in(Lang::En, "fix-what-cookies", 3, &[]), "3 cookies");
        assert_eq!(
            count_in(Lang::Ja, "fix-what-cookies", 1, &[]),
            "Cookie 1 件"
        );
    }
}
