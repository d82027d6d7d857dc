//! Safari settings that break a login (doctor-signals.md §0.3, S3, S5, S12, S13), from
//! its preferences plist. Safari has no per-site cookie or JavaScript setting, so only
//! the global switches are read; the keys come from third-party write-ups, and values
//! whose meaning is not verified are reported as warnings that say so.

use std::path::{Path, PathBuf};

use plist::Value;

use super::{Checked, Context, Evidence, Finding, FindingId, Severity, Unread};
use crate::browser::Profile;
use crate::fsutil;

const PLIST: &str = "Preferences/com.apple.Safari.plist";

/// What the report says when macOS privacy protection (TCC) refuses the read.
pub const TCC_REASON: &str = "not readable (macOS privacy: grant Full Disk Access)";

pub fn check(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    // The settings are the app's, not a profile's: read them once, for the default
    // profile (named profiles share them).
    if profile.dir_name != "Default" {
        return checked;
    }
    let Some(file) = plist_file(ctx, profile) else {
        return checked;
    };
    let bytes = match ctx.fs.read_bounded(&file, fsutil::MAX_CONFIG_BYTES) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            checked
                .unread
                .push(Unread::profile(profile, &file, TCC_REASON));
            return checked;
        }
        Err(e) => {
            checked.unread.push(Unread::profile(
                profile,
                &file,
                format!("could not be read: {e}"),
            ));
            return checked;
        }
    };
    let dict = match Value::from_reader(std::io::Cursor::new(bytes)) {
        Ok(Value::Dictionary(d)) => d,
        Ok(_) => {
            checked.unread.push(Unread::profile(
                profile,
                &file,
                "not a property list dictionary: not read",
            ));
            return checked;
        }
        Err(e) => {
            checked.unread.push(Unread::profile(
                profile,
                &file,
                format!("not a valid property list: {e}"),
            ));
            return checked;
        }
    };
    let get = |key: &str| -> Option<&Value> {
        match key.split_once('.') {
            Some((outer, inner)) => dict.get(outer)?.as_dictionary()?.get(inner),
            None => dict.get(key),
        }
    };
    let as_bool = |v: &Value| match v {
        Value::Boolean(b) => Some(*b),
        Value::Integer(i) => i.as_signed().map(|i| i != 0),
        _ => None,
    };
    let as_int = |v: &Value| match v {
        Value::Integer(i) => i.as_signed(),
        _ => None,
    };
    let browser = profile.browser.product_name();
    let mut found = |id, severity, key: &str, value: String, params: &[(&'static str, &str)]| {
        let mut f = Finding::profile(
            id,
            severity,
            profile,
            Evidence::new(&file, key).value(value),
        )
        .with("browser", browser);
        for (k, v) in params {
            f = f.with(k, *v);
        }
        checked.found(f);
    };

    for key in [
        "WebKitJavaScriptEnabled",
        "WebKitPreferences.javaScriptEnabled",
    ] {
        if get(key).and_then(as_bool) == Some(false) {
            found(
                FindingId::JavascriptBlocked,
                Severity::Error,
                key,
                "false".into(),
                &[("site", "all sites")],
            );
            break;
        }
    }
    // WebKit's StorageBlockingPolicy: allow all / block third-party / block all. That 2
    // is "Block all cookies" is not verified (doc S3 [?]), hence a warning saying so.
    for key in [
        "WebKitPreferences.storageBlockingPolicy",
        "WebKitStorageBlockingPolicy",
    ] {
        if get(key).and_then(as_int) == Some(2) {
            found(
                FindingId::CookiesBlocked,
                Severity::Warning,
                key,
                "2 (\"Block all cookies\"; value meaning unverified)".into(),
                &[("site", "all sites")],
            );
            break;
        }
    }
    if get("EnableEnhancedPrivacyInRegularBrowsing").and_then(as_bool) == Some(true) {
        found(
            FindingId::ResistFingerprinting,
            Severity::Warning,
            "EnableEnhancedPrivacyInRegularBrowsing",
            "true".into(),
            &[],
        );
    }
    if get("OpenPrivateWindowWhenNotRestoringSessionAtLaunch").and_then(as_bool) == Some(true) {
        found(
            FindingId::PrivateOnly,
            Severity::Info,
            "OpenPrivateWindowWhenNotRestoringSessionAtLaunch",
            "true".into(),
            &[],
        );
    }
    checked
}

/// The sandboxed plist (Safari 13+) when present, else the legacy one in `~/Library`.
fn plist_file(ctx: &Context, profile: &Profile) -> Option<PathBuf> {
    let candidates = [
        profile.path.join(PLIST),
        ctx.layout.home.join("Library").join(PLIST),
    ];
    candidates.into_iter().find(|p| exists_or_denied(p))
}

/// Whether `path` is there, counting a file TCC hides behind "permission denied".
fn exists_or_denied(path: &Path) -> bool {
    match path.symlink_metadata() {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::PermissionDenied,
    }
}
