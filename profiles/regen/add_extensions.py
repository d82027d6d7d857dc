#!/usr/bin/env python3
"""Install sample extensions into the sample homes, in the layouts the browsers use.

    python3 profiles/regen/add_extensions.py profiles/linux linux
    python3 profiles/regen/add_extensions.py profiles/macos macos
    python3 profiles/regen/add_extensions.py profiles/windows windows

Real browsers cannot install store extensions offline, so the entries are written here
the way Chromium 156 and Firefox ESR 153 record them (fields and value types copied from
the component extension Chromium wrote into Preferences, and from Firefox's
extensions.json), and Safari's Extensions.plist as binary plists. regenerate.sh runs this
after the browsers have written the homes. Idempotent.
"""
import json
import os
import plistlib
import sys

CHROME_DIRS = {
    "linux": ".config/google-chrome",
    "macos": "Library/Application Support/Google/Chrome",
    "windows": "AppData/Local/Google/Chrome/User Data",
}
EDGE_DIRS = {
    "linux": ".config/microsoft-edge",
    "macos": "Library/Application Support/Microsoft Edge",
    "windows": "AppData/Local/Microsoft/Edge/User Data",
}
FIREFOX_PROFILES = {
    "linux": ".mozilla/firefox/abcd1234.default-release",
    "macos": "Library/Application Support/Firefox/Profiles/abcd1234.default-release",
    "windows": "AppData/Roaming/Mozilla/Firefox/Profiles/abcd1234.default-release",
}
SAFARI = "Library/Containers/com.apple.Safari/Data/Library/Safari"

# 2026-11-01T12:00:00Z in Chromium time (microseconds since 1601-01-01).
CHROME_TIME = str((1793534400 + 11644473600) * 1000000)


def write_json(path, value, compact=False):
    """Chromium and Firefox write their own JSON files compactly; extension files are
    written by people, indented."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        if compact:
            json.dump(value, f, separators=(",", ":"), ensure_ascii=False)
        else:
            json.dump(value, f, indent=2)
            f.write("\n")


def chrome_extension(profile, ext_id, version, manifest, messages=None, disabled=False,
                     location=1, prefs="Preferences"):
    """A store extension: settings in (Secure) Preferences, files in Extensions/<id>/<version>_0."""
    rel = f"{ext_id}/{version}_0"
    root = os.path.join(profile, "Extensions", ext_id, f"{version}_0")
    write_json(os.path.join(root, "manifest.json"), manifest)
    for locale, table in (messages or {}).items():
        write_json(os.path.join(root, "_locales", locale, "messages.json"), table)
    path = os.path.join(profile, prefs)
    data = json.load(open(path)) if os.path.exists(path) else {}
    settings = data.setdefault("extensions", {}).setdefault("settings", {})
    settings[ext_id] = {
        "account_extension_type": 0,
        "active_permissions": {"api": manifest.get("permissions", []), "explicit_host": manifest.get("host_permissions", []), "manifest_permissions": [], "scriptable_host": []},
        "creation_flags": 9,
        "disable_reasons": [1] if disabled else [],
        "first_install_time": CHROME_TIME,
        "from_webstore": location == 1,
        "last_update_time": CHROME_TIME,
        "location": location,
        "path": rel,
        "was_installed_by_default": False,
        "was_installed_by_oem": False,
    }
    write_json(path, data, compact=True)


def chromium_profile_extensions(profile, edge):
    # uBlock Origin from the store of the browser, with a localized name whose message
    # key differs in case from the manifest's reference (Chrome matches case-insensitively).
    chrome_extension(
        profile,
        "odfafepnkmbhccpbejgmiehpchacaeak" if edge else "cjpalhdlnbpafiamejdnhcphjbkeiagm",
        "1.60.0",
        {"manifest_version": 3, "name": "__MSG_extName__", "default_locale": "en", "version": "1.60.0",
         "permissions": ["declarativeNetRequest", "storage"], "host_permissions": ["<all_urls>"]},
        {"en": {"ExtName": {"message": "uBlock Origin", "description": "extension name"}},
         "fr": {"extName": {"message": "uBlock Origin (fr)"}}},
    )
    if edge:
        # Edge installs from the Chrome Web Store too: a Chrome-store id on Edge.
        chrome_extension(profile, "cfhdojbkjhnklbpkdaibdccddilifddb", "4.9.0",
                         {"manifest_version": 3, "name": "Adblock Plus - free ad blocker", "version": "4.9.0"})
        return
    # Google Translate, disabled, recorded in Secure Preferences.
    chrome_extension(profile, "aapbdbdomjkkjkaonfhkkikfgjllcleb", "2.0.16",
                     {"manifest_version": 3, "name": "Google Translate", "version": "2.0.16"},
                     disabled=True, prefs="Secure Preferences")
    # Unknown, but rewrites requests everywhere: "may interfere".
    chrome_extension(profile, "mnopabcdefghijklmnopabcdefghijkl", "3.1",
                     {"manifest_version": 2, "name": "Request Rewriter (sample)", "version": "3.1",
                      "permissions": ["webRequest", "webRequestBlocking", "<all_urls>"]})
    # Unknown and harmless: listed only with --all.
    chrome_extension(profile, "ponmlkjihgfedcbaponmlkjihgfedcba", "1.0",
                     {"manifest_version": 3, "name": "Tab Counter (sample)", "version": "1.0", "permissions": ["tabs"]})
    # A theme: built in as far as the listing goes.
    chrome_extension(profile, "abcdefghijklmnopabcdefghijklmnop", "2.0",
                     {"manifest_version": 3, "name": "Dark Theme (sample)", "version": "2.0", "theme": {"colors": {"frame": [0, 0, 0]}}})


def main():
    home, os_name = sys.argv[1], sys.argv[2]
    chrome = os.path.join(home, CHROME_DIRS[os_name])
    chromium_profile_extensions(os.path.join(chrome, "Default"), edge=False)

    # An Edge user-data dir: Local State and one profile whose Preferences start from
    # the ones Chromium wrote (they carry its component extension).
    edge = os.path.join(home, EDGE_DIRS[os_name])
    write_json(os.path.join(edge, "Local State"), {"profile": {"info_cache": {"Default": {"name": "Profile 1"}}}}, compact=True)
    with open(os.path.join(chrome, "Default", "Preferences")) as f:
        prefs = json.load(f)
    settings = prefs.get("extensions", {}).get("settings", {})
    prefs["extensions"]["settings"] = {k: v for k, v in settings.items() if v.get("location") == 5}
    write_json(os.path.join(edge, "Default", "Preferences"), prefs, compact=True)
    chromium_profile_extensions(os.path.join(edge, "Default"), edge=True)

    ff = os.path.join(home, FIREFOX_PROFILES[os_name])
    addon = lambda **kw: {"syncGUID": "{00000000-0000-4000-8000-000000000000}", "visible": True,
                          "installDate": 1793534400000, "updateDate": 1793534400000,
                          "softDisabled": False, "foreignInstall": False, "signedState": 2, **kw}
    write_json(os.path.join(ff, "extensions.json"), compact=True, value={"schemaVersion": 36, "addons": [
        addon(id="uBlock0@raymondhill.net", type="extension", version="1.60.0", active=True,
              userDisabled=False, appDisabled=False, location="app-profile",
              defaultLocale={"name": "uBlock Origin", "creator": "Raymond Hill"},
              userPermissions={"permissions": ["dns", "storage", "webRequest", "webRequestBlocking"], "origins": ["<all_urls>"]}),
        addon(id="CookieAutoDelete@kennydo.com", type="extension", version="3.8.2", active=False,
              userDisabled=True, appDisabled=False, location="app-profile",
              defaultLocale={"name": "Cookie AutoDelete"},
              userPermissions={"permissions": ["cookies", "storage"], "origins": ["<all_urls>"]}),
        addon(id="proxy-sample@example.org", type="extension", version="0.9", active=True,
              userDisabled=False, appDisabled=False, location="app-profile",
              defaultLocale={"name": "Proxy Switcher (sample)"},
              userPermissions={"permissions": ["proxy"], "origins": ["*://*.openai.com/*"]}),
        addon(id="formautofill@mozilla.org", type="extension", version="1.0.1", active=True,
              userDisabled=False, appDisabled=False, location="app-system-defaults",
              defaultLocale={"name": "Form Autofill"},
              userPermissions={"permissions": ["webRequest"], "origins": ["<all_urls>"]}),
        addon(id="default-theme@mozilla.org", type="theme", version="1.4", active=True,
              userDisabled=False, appDisabled=False, location="app-builtin",
              defaultLocale={"name": "System theme — auto"}),
    ]})

    if os_name == "macos":
        web = {"com.adguard.safari.AdGuard.Extension (TC3Q7MAJXF)": {"Enabled": True, "WebsiteAccess": {}},
               "com.example.Notes.Extension (ABCDE12345)": {"Enabled": False}}
        app = {"com.adguard.safari.AdGuard.BlockerExtension (TC3Q7MAJXF)": {}}
        for sub, table in (("WebExtensions", web), ("AppExtensions", app)):
            path = os.path.join(home, SAFARI, sub, "Extensions.plist")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                plistlib.dump(table, f, fmt=plistlib.FMT_BINARY)


if __name__ == "__main__":
    main()
