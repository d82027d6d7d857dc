//! `loginfix doctor`'s machine-wide checks against fixture roots (`--root`): the hosts
//! file, enterprise policies, the system proxy, on the Linux, macOS and Windows layouts;
//! every seeded cause next to a look-alike that must not be reported; bad input; exit
//! codes; and that doctor writes nothing.

use std::path::Path;

use crate::util::*;

/// `loginfix --home H --os OS --root R --json doctor ARGS`.
fn doctor(home: &Path, root: &Path, os: &str, args: &[&str]) -> Run {
    let root = root.display().to_string();
    let mut all = vec!["--root", root.as_str(), "--json", "doctor"];
    all.extend_from_slice(args);
    loginfix(home, os, &all)
}

/// One line per finding: `id severity scope browser file key=value`, the file relative
/// to the root or the home.
fn rows(json: &serde_json::Value, root: &Path, home: &Path) -> Vec<String> {
    let mut out: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["evidence"]["file"].as_str().unwrap();
            let rel = Path::new(file)
                .strip_prefix(root)
                .map(|p| p.display().to_string())
                .or_else(|_| {
                    Path::new(file)
                        .strip_prefix(home)
                        .map(|p| format!("~/{}", p.display()))
                })
                .unwrap_or_else(|_| file.to_string());
            format!(
                "{} {} {} {} {} {}={}",
                f["id"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["scope"].as_str().unwrap(),
                f["browser"].as_str().unwrap_or("-"),
                rel,
                f["evidence"]["key"].as_str().unwrap_or("-"),
                f["evidence"]["value"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    out.sort();
    out
}

fn param<'a>(json: &'a serde_json::Value, id: &str, key: &str, name: &str) -> Vec<&'a str> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id && f["evidence"]["key"] == key)
        .map(|f| f["params"][name].as_str().unwrap_or("-"))
        .collect()
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn unread_files(json: &serde_json::Value, root: &Path) -> Vec<String> {
    json["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let f = u["file"].as_str().unwrap();
            Path::new(f)
                .strip_prefix(root)
                .map_or(f.to_string(), |p| p.display().to_string())
        })
        .collect()
}

struct Fixture {
    _dir: tempfile::TempDir,
    home: std::path::PathBuf,
    root: std::path::PathBuf,
}

/// An empty home (`<tmp>/Users/ana`, so macOS per-user paths have a user name) and root.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("Users").join("ana");
    let root = dir.path().join("root");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&root).unwrap();
    Fixture {
        _dir: dir,
        home,
        root,
    }
}

const HOSTS: &[u8] = b"# managed by an ad blocker\r\n\
127.0.0.1\tlocalhost\r\n\
0.0.0.0 chatgpt.com   # blocked\r\n\
  0.0.0.0\t\tnotchatgpt.com chatgpt.com.evil.org\r\n\
#0.0.0.0 auth.openai.com\r\n\
# 0.0.0.0 openai.com\n\
::1 AUTH.OpenAI.com.\n\
104.18.33.45 cdn.oaistatic.com persistent.oaistatic.com\n\
0.0.0.0 ab.chatgpt.com\x0b\x0cchallenges.cloudflare.com\n\
127.0.0.1 \xff\xfechatgpt.com x\xffy.openai.com\n\
0.0.0.0 ws.chatgpt.com\n\
not-an-address chatgpt.com\n\
0.0.0.0 www.openai.com.example.org oaistatic.com.evil.org\n";

fn hosts_rows(file: &str) -> Vec<String> {
    let mut v: Vec<String> = [
        "hosts_file_block error machine - FILE line 3=0.0.0.0 chatgpt.com",
        "hosts_file_block error machine - FILE line 7=::1 AUTH.OpenAI.com.",
        "hosts_file_block warning machine - FILE line 8=104.18.33.45 cdn.oaistatic.com persistent.oaistatic.com",
        "hosts_file_block warning machine - FILE line 8=104.18.33.45 cdn.oaistatic.com persistent.oaistatic.com",
        "hosts_file_block error machine - FILE line 9=0.0.0.0 ab.chatgpt.com challenges.cloudflare.com",
        "hosts_file_block error machine - FILE line 9=0.0.0.0 ab.chatgpt.com challenges.cloudflare.com",
        "hosts_file_block info machine - FILE line 11=0.0.0.0 ws.chatgpt.com",
    ]
    .iter()
    .map(|s| s.replace("FILE", file))
    .collect();
    v.sort();
    v
}

#[test]
fn hosts_file_entries_for_login_hosts_on_every_layout() {
    for (os, rel) in [
        ("linux", "etc/hosts"),
        ("macos", "etc/hosts"),
        ("windows", "Windows/System32/drivers/etc/hosts"),
    ] {
        let fx = fixture();
        write(&fx.root.join(rel), HOSTS);
        let run = doctor(&fx.home, &fx.root, os, &[]);
        run.assert_code(1);
        let json = run.json();
        assert_eq!(rows(&json, &fx.root, &fx.home), hosts_rows(rel), "{os}");
        assert_eq!(
            sorted(&param(&json, "hosts_file_block", "line 9", "host")),
            ["ab.chatgpt.com", "challenges.cloudflare.com"]
        );
        assert_eq!(
            param(&json, "hosts_file_block", "line 7", "host"),
            ["auth.openai.com"]
        );
        assert_eq!(
            param(&json, "hosts_file_block", "line 3", "kind"),
            ["block"]
        );
        assert_eq!(
            param(&json, "hosts_file_block", "line 8", "kind"),
            ["pinned address", "pinned address"]
        );
        assert!(json["unread"].as_array().unwrap().is_empty());
    }
}

#[test]
fn macos_hosts_file_may_be_only_under_private_etc() {
    let fx = fixture();
    write(&fx.root.join("private/etc/hosts"), "0.0.0.0 chatgpt.com\n");
    let run = doctor(&fx.home, &fx.root, "macos", &[]);
    run.assert_code(1);
    assert_eq!(
        rows(&run.json(), &fx.root, &fx.home),
        ["hosts_file_block error machine - private/etc/hosts line 1=0.0.0.0 chatgpt.com"]
    );
}

#[test]
fn hosts_file_names_under_domain_targets_count() {
    let fx = fixture();
    write(
        &fx.root.join("etc/hosts"),
        "0.0.0.0 login.example.org example.org.evil.net notexample.org\n0.0.0.0 chatgpt.com\n",
    );
    let run = doctor(&fx.home, &fx.root, "linux", &["--domain", "example.org"]);
    run.assert_code(1);
    let json = run.json();
    let hosts = param(&json, "hosts_file_block", "line 1", "host");
    assert_eq!(hosts, ["login.example.org"]);
    // chatgpt.com is in the login host table whatever the targets.
    assert_eq!(
        param(&json, "hosts_file_block", "line 2", "host"),
        ["chatgpt.com"]
    );
    // Policies judge the same targets.
    write(
        &fx.root.join("etc/opt/chrome/policies/managed/d.json"),
        r#"{"URLBlocklist": ["notexample.org", ".login.example.org"], "CookiesBlockedForUrls": ["[*.]example.org.evil.net", "[*.]example.org"]}"#,
    );
    let run = doctor(
        &fx.home,
        &fx.root,
        "linux",
        &["--domain", "example.org", "--browser", "chrome"],
    );
    let json = run.json();
    assert_eq!(
        param(&json, "policy_blocks_site", "URLBlocklist", "site"),
        ["login.example.org"]
    );
    assert_eq!(
        param(
            &json,
            "policy_blocks_cookies",
            "CookiesBlockedForUrls",
            "site"
        ),
        ["example.org"]
    );
}

#[test]
fn hosts_file_bad_input_is_parsed_around() {
    let fx = fixture();
    let mut data = Vec::new();
    data.extend_from_slice(b"\xef\xbb\xbf# BOM and a 1 MB line follow\n");
    data.extend_from_slice(b"0.0.0.0 ");
    data.extend(std::iter::repeat(b'a').take(1024 * 1024));
    data.extend_from_slice(b" chatgpt.com\n");
    data.extend_from_slice(b"\xfe\xff\x00garbage\x00\n");
    data.extend_from_slice(b"\t \t0.0.0.0\t \tauth.openai.com\t \r\r\n");
    data.extend_from_slice(b"0.0.0.0 openai.com"); // no final newline
    write(&fx.root.join("etc/hosts"), &data);
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["evidence"]["key"].as_str().unwrap().to_string(),
                f["params"]["host"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("line 2".to_string(), "chatgpt.com".to_string()),
            ("line 4".to_string(), "auth.openai.com".to_string()),
            ("line 5".to_string(), "openai.com".to_string()),
        ]
    );
    // The evidence quotes the long line cut short, not a megabyte.
    let quoted = json["findings"][0]["evidence"]["value"].as_str().unwrap();
    assert!(quoted.len() < 400, "{}", quoted.len());
    // A hosts file with only look-alikes and comments: nothing, exit 0.
    write(
        &fx.root.join("etc/hosts"),
        "#0.0.0.0 chatgpt.com\n0.0.0.0 notchatgpt.com chatgpt.com.evil.org xopenai.com\n0.0.0.0 ads.example.com # chatgpt.com\n",
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(0);
    assert!(run.json()["findings"].as_array().unwrap().is_empty());
}

const CHROME_MANAGED: &str = r#"{
  "URLBlocklist": ["chatgpt.com", "notchatgpt.com", "chatgpt.com.evil.org", "openai.com/careers", "file://*", ".auth.openai.com", "oaistatic.com"],
  "URLAllowlist": ["cdn.oaistatic.com", "persistent.oaistatic.com"],
  "DefaultCookiesSetting": 4,
  "CookiesBlockedForUrls": ["[*.]notopenai.com", "[*.]openai.com"],
  "CookiesSessionOnlyForUrls": ["chatgpt.com.evil.org"],
  "DefaultJavaScriptSetting": 1,
  "JavaScriptBlockedForUrls": ["https://chatgpt.com:443", "[*.]chatgpt.co"],
  "ExtensionInstallForcelist": ["cjpalhdlnbpafiamejdnhcphjbkeiagm;https://clients2.google.com/service/update2/crx", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
  "ProxyMode": "fixed_servers",
  "ProxyServer": "http://bob:s3cret@proxy.corp:3128",
  "IncognitoModeAvailability": 2,
  "TranslateEnabled": false
}"#;

#[test]
fn chromium_policies_on_linux() {
    let fx = fixture();
    let pol = fx.root.join("etc/opt/chrome/policies");
    write(&pol.join("managed/10-login.json"), CHROME_MANAGED);
    write(
        &pol.join("managed/20-more.json"),
        r#"{"ExtensionSettings": {"*": {"installation_mode": "blocked"}, "aapbdbdomjkkjkaonfhkkikfgjllcleb": {"installation_mode": "force_installed", "update_url": "https://clients2.google.com/service/update2/crx"}, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": {"installation_mode": "force_installed", "update_url": "https://clients2.google.com/service/update2/crx"}}}"#,
    );
    // Recommended: a policy the managed files also set is theirs alone.
    write(
        &pol.join("recommended/r.json"),
        r#"{"URLBlocklist": ["*"], "DefaultJavaScriptSetting": 2, "ForceEphemeralProfiles": true}"#,
    );
    write(
        &fx.root.join("etc/opt/edge/policies/recommended/r.json"),
        r#"{"URLBlocklist": ["*"], "URLAllowlist": ["chatgpt.com", ".openai.com", "chat.openai.com", "auth0.openai.com", "oaistatic.com", "cloudflare.com", "arkoselabs.com", "auth0.com", "google.com", "microsoftonline.com", "live.com", "apple.com", "browser-intake-datadoghq.com", "sentry.io"]}"#,
    );
    // Edge: a site-wide proxy by PAC script; Brave: only look-alikes (a path, plain
    // HTTP, another port).
    write(
        &fx.root.join("etc/opt/edge/policies/managed/p.json"),
        r#"{"ProxySettings": {"ProxyMode": "pac_script", "ProxyPacUrl": "https://u:p@pac.corp/proxy.pac?key=1"}}"#,
    );
    write(
        &fx.root.join("etc/brave/policies/managed/b.json"),
        r#"{"URLBlocklist": ["notchatgpt.com", "chatgpt.com/pricing", "http://*", "chatgpt.com:8080"], "ProxyMode": "direct", "DefaultCookiesSetting": 1, "IncognitoModeAvailability": 1}"#,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    let m = "etc/opt/chrome/policies/managed/10-login.json";
    let mut want = vec![
        format!("policy_blocks_site error machine chrome {m} URLBlocklist=chatgpt.com"),
        format!("policy_blocks_site error machine chrome {m} URLBlocklist=.auth.openai.com"),
        format!("policy_blocks_cookies warning machine chrome {m} DefaultCookiesSetting=4"),
        format!("policy_blocks_cookies error machine chrome {m} CookiesBlockedForUrls=[*.]openai.com"),
        format!("policy_blocks_javascript error machine chrome {m} JavaScriptBlockedForUrls=https://chatgpt.com:443"),
        format!("policy_forces_extension warning machine chrome {m} ExtensionInstallForcelist=cjpalhdlnbpafiamejdnhcphjbkeiagm"),
        format!("proxy_browser warning machine chrome {m} ProxyMode=fixed_servers"),
        format!("private_only info machine chrome {m} IncognitoModeAvailability=2"),
        "policy_forces_extension warning machine chrome etc/opt/chrome/policies/managed/20-more.json ExtensionSettings.aapbdbdomjkkjkaonfhkkikfgjllcleb.installation_mode=force_installed".to_string(),
        // Recommended: one step milder; the allowlist lets every login host through
        // but auth.openai.com (`.openai.com` is openai.com alone).
        "private_only info machine chrome etc/opt/chrome/policies/recommended/r.json ForceEphemeralProfiles=true".to_string(),
        "policy_blocks_site warning machine edge etc/opt/edge/policies/recommended/r.json URLBlocklist=*".to_string(),
        "proxy_browser warning machine edge etc/opt/edge/policies/managed/p.json ProxySettings.ProxyMode=pac_script".to_string(),
    ];
    want.sort();
    assert_eq!(rows(&json, &fx.root, &fx.home), want);
    // `oaistatic.com` is blocked but both its login hosts are allowed.
    assert_eq!(
        param(&json, "policy_blocks_site", "URLBlocklist", "site"),
        ["chatgpt.com", "auth.openai.com", "auth.openai.com"]
    );
    assert_eq!(
        param(&json, "proxy_browser", "ProxyMode", "server"),
        ["http://proxy.corp:3128"]
    );
    assert_eq!(
        param(&json, "proxy_browser", "ProxySettings.ProxyMode", "server"),
        ["https://pac.corp/proxy.pac"]
    );
    assert_eq!(
        param(
            &json,
            "policy_forces_extension",
            "ExtensionInstallForcelist",
            "extension"
        ),
        ["uBlock Origin"]
    );
    assert_eq!(
        param(&json, "private_only", "ForceEphemeralProfiles", "level"),
        ["recommended"]
    );
    assert!(!run.stdout.contains("s3cret") && !run.stdout.contains("key=1"));
    let text = loginfix(
        &fx.home,
        "linux",
        &["--root", fx.root.to_str().unwrap(), "doctor"],
    );
    text.assert_code(1);
    assert!(
        text.stdout
            .contains("Your organisation's policy for Google Chrome blocks chatgpt.com"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("s3cret"));
}

#[test]
fn a_broken_policy_file_is_unread_and_the_rest_is_reported() {
    let fx = fixture();
    write(
        &fx.root.join("etc/chromium/policies/managed/broken.json"),
        "{\"URLBlocklist\": [\"chatgpt.com\"",
    );
    write(
        &fx.root.join("etc/chromium/policies/managed/good.json"),
        r#"{"URLBlocklist": ["openai.com"]}"#,
    );
    write(
        &fx.root.join("etc/firefox/policies/policies.json"),
        "[1, 2]",
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        ["policy_blocks_site error machine chromium etc/chromium/policies/managed/good.json URLBlocklist=openai.com"]
    );
    assert_eq!(
        unread_files(&json, &fx.root),
        [
            "etc/chromium/policies/managed/broken.json",
            "etc/firefox/policies/policies.json"
        ]
    );
    assert!(json["unread"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));
    assert!(run.stderr.contains("broken.json"), "{}", run.stderr);

    // Only unreadable parts: exit 4.
    std::fs::remove_file(fx.root.join("etc/chromium/policies/managed/good.json")).unwrap();
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(4);
    assert_eq!(run.json()["summary"]["unread"], 2);
}

const FIREFOX_POLICIES: &str = r#"{"policies": {
  "WebsiteFilter": {"Block": ["https://cdn.oaistatic.com/*", "*://notchatgpt.com/*", "https://chatgpt.com/pricing", "*://*.openai.com/*"], "Exceptions": ["https://auth.openai.com/*", "https://openai.com/*", "https://auth0.openai.com/*", "https://chat.openai.com/*", "https://tcr9i.chat.openai.com/*"]},
  "Cookies": {"Block": ["https://auth.openai.com", "https://notopenai.com"], "AllowSession": ["https://chatgpt.com"], "Behavior": "reject-foreign"},
  "ExtensionSettings": {"uBlock0@raymondhill.net": {"installation_mode": "force_installed"}, "unknown@example.org": {"installation_mode": "force_installed"}, "CookieAutoDelete@kennydo.com": {"installation_mode": "blocked"}},
  "Proxy": {"Mode": "manual", "HTTPProxy": "alice:pw@proxy.corp:8080", "UseHTTPProxyForAllProtocols": true},
  "PrivateBrowsingModeAvailability": 2,
  "TranslateEnabled": false
}}"#;

#[test]
fn firefox_policies_on_linux_system_file_first() {
    let fx = fixture();
    let sys = "etc/firefox/policies/policies.json";
    write(&fx.root.join(sys), FIREFOX_POLICIES);
    // Ignored while the system-wide file exists, as Firefox does.
    write(
        &fx.root.join("usr/lib/firefox/distribution/policies.json"),
        r#"{"policies": {"Cookies": {"Behavior": "reject"}}}"#,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &["--browser", "firefox"]);
    run.assert_code(1);
    let json = run.json();
    // WebsiteFilter: cdn.oaistatic.com/* stops documents and frames, not the scripts the
    // login loads (case 096); the other rules are look-alikes, a path, or excepted.
    let mut want = vec![
        format!("policy_blocks_cookies error machine firefox {sys} Cookies.Block=https://auth.openai.com"),
        format!("policy_blocks_cookies warning machine firefox {sys} Cookies.AllowSession=https://chatgpt.com"),
        format!("policy_forces_extension warning machine firefox {sys} ExtensionSettings.uBlock0@raymondhill.net.installation_mode=force_installed"),
        format!("proxy_browser warning machine firefox {sys} Proxy.Mode=manual"),
        format!("private_only info machine firefox {sys} PrivateBrowsingModeAvailability=2"),
        // Third-party cookies refused: told as Chrome's BlockThirdPartyCookies is.
        format!("third_party_cookies_blocked info machine firefox {sys} Cookies.Behavior=reject-foreign"),
    ];
    want.sort();
    assert_eq!(rows(&json, &fx.root, &fx.home), want);
    assert_eq!(
        param(&json, "proxy_browser", "Proxy.Mode", "server"),
        ["proxy.corp:8080"]
    );
    // The install's file is read when there is no system-wide one.
    std::fs::remove_file(fx.root.join(sys)).unwrap();
    let run = doctor(&fx.home, &fx.root, "linux", &["--browser", "firefox"]);
    run.assert_code(1);
    assert_eq!(
        rows(&run.json(), &fx.root, &fx.home),
        ["policy_blocks_cookies error machine firefox usr/lib/firefox/distribution/policies.json Cookies.Behavior=reject"]
    );
    // Policies of a browser that was not selected are not read.
    let run = doctor(&fx.home, &fx.root, "linux", &["--browser", "chrome"]);
    run.assert_code(0);
}

fn xml_plist(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\"><dict>{body}</dict></plist>\n"
    )
}

#[test]
fn macos_managed_plists_firefox_app_and_network_proxies() {
    let fx = fixture();
    let mp = "Library/Managed Preferences";
    write(
        &fx.root.join(format!("{mp}/com.google.Chrome.plist")),
        xml_plist("<key>URLBlocklist</key><array><string>chatgpt.com.evil.org</string><string>chatgpt.com</string><string>challenges.cloudflare.com</string></array><key>DefaultJavaScriptSetting</key><integer>2</integer>"),
    );
    // Managed preferences are binary plists as macOS writes them.
    let xml = xml_plist("<key>ForceEphemeralProfiles</key><true/><key>CookiesBlockedForUrls</key><array><string>[*.]notchatgpt.com</string></array>");
    let value = plist::Value::from_reader_xml(xml.as_bytes()).unwrap();
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).unwrap();
    assert!(binary.starts_with(b"bplist00"));
    write(
        &fx.root.join(format!("{mp}/ana/com.microsoft.Edge.plist")),
        &binary,
    );
    // Another user's managed file is not this home's.
    write(
        &fx.root.join(format!("{mp}/bob/com.brave.Browser.plist")),
        xml_plist("<key>URLBlocklist</key><array><string>chatgpt.com</string></array>"),
    );
    write(
        &fx.root.join(format!("{mp}/org.chromium.Chromium.plist")),
        "not a plist",
    );
    write(
        &fx.root
            .join("Applications/Firefox.app/Contents/Resources/distribution/policies.json"),
        r#"{"policies": {"Cookies": {"Default": false}}}"#,
    );
    // The managed Firefox domain counts only with EnterprisePoliciesEnabled.
    write(
        &fx.root.join(format!("{mp}/org.mozilla.firefox.plist")),
        xml_plist("<key>EnterprisePoliciesEnabled</key><false/><key>Cookies</key><dict><key>Behavior</key><string>reject</string></dict>"),
    );
    write(
        &fx.root.join("Library/Preferences/SystemConfiguration/preferences.plist"),
        xml_plist(
            "<key>CurrentSet</key><string>/Sets/SET1</string>\
             <key>Sets</key><dict><key>SET1</key><dict><key>Network</key><dict><key>Service</key><dict><key>SVC1</key><dict/></dict></dict></dict></dict>\
             <key>NetworkServices</key><dict>\
               <key>SVC1</key><dict><key>UserDefinedName</key><string>Wi-Fi</string><key>Proxies</key><dict>\
                 <key>HTTPSEnable</key><integer>1</integer><key>HTTPSProxy</key><string>proxy.corp</string><key>HTTPSPort</key><integer>8443</integer>\
                 <key>HTTPEnable</key><integer>0</integer><key>HTTPProxy</key><string>off.corp</string>\
               </dict></dict>\
               <key>SVC2</key><dict><key>Proxies</key><dict><key>SOCKSEnable</key><integer>1</integer><key>SOCKSProxy</key><string>other-set.corp</string></dict></dict>\
             </dict>",
        ),
    );
    let run = doctor(&fx.home, &fx.root, "macos", &[]);
    run.assert_code(1);
    let json = run.json();
    let mut want = vec![
        format!("policy_blocks_site error machine chrome {mp}/com.google.Chrome.plist URLBlocklist=chatgpt.com"),
        format!("policy_blocks_site error machine chrome {mp}/com.google.Chrome.plist URLBlocklist=challenges.cloudflare.com"),
        format!("policy_blocks_javascript error machine chrome {mp}/com.google.Chrome.plist DefaultJavaScriptSetting=2"),
        format!("private_only info machine edge {mp}/ana/com.microsoft.Edge.plist ForceEphemeralProfiles=true"),
        "policy_blocks_cookies error machine firefox Applications/Firefox.app/Contents/Resources/distribution/policies.json Cookies.Default=false".to_string(),
        "proxy_system warning machine - Library/Preferences/SystemConfiguration/preferences.plist NetworkServices.SVC1.Proxies.HTTPSEnable=proxy.corp:8443".to_string(),
    ];
    want.sort();
    assert_eq!(rows(&json, &fx.root, &fx.home), want);
    assert_eq!(
        unread_files(&json, &fx.root),
        [format!("{mp}/org.chromium.Chromium.plist")]
    );
    assert_eq!(
        param(
            &json,
            "proxy_system",
            "NetworkServices.SVC1.Proxies.HTTPSEnable",
            "service"
        ),
        ["Wi-Fi"]
    );
}

#[test]
fn windows_layout_on_linux_reads_files_and_says_the_registry_was_not_read() {
    let fx = fixture();
    write(
        &fx.root.join("Windows/System32/drivers/etc/hosts"),
        "# Copyright (c) 1993-2009 Microsoft Corp.\r\n0.0.0.0 auth.openai.com\r\n",
    );
    write(
        &fx.root
            .join("Program Files/Mozilla Firefox/distribution/policies.json"),
        r#"{"policies": {"WebsiteFilter": {"Block": ["<all_urls>"]}}}"#,
    );
    let run = doctor(&fx.home, &fx.root, "windows", &[]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        [
            "hosts_file_block error machine - Windows/System32/drivers/etc/hosts line 2=0.0.0.0 auth.openai.com",
            "policy_blocks_site error machine firefox Program Files/Mozilla Firefox/distribution/policies.json WebsiteFilter.Block=<all_urls>",
        ]
    );
    let not_checked = json["not_checked"].as_array().unwrap();
    let registry: Vec<&serde_json::Value> = not_checked
        .iter()
        .filter(|n| n["reason"].as_str().unwrap().contains("registry"))
        .collect();
    // HKLM's policies and Internet settings (no SOFTWARE hive under the root), the user's
    // (no NTUSER.DAT in the home).
    assert_eq!(registry.len(), 4, "{not_checked:?}");
    let ids: Vec<&str> = registry
        .iter()
        .flat_map(|n| n["ids"].as_array().unwrap())
        .map(|i| i.as_str().unwrap())
        .collect();
    for id in [
        "policy_blocks_site",
        "policy_blocks_cookies",
        "policy_forces_extension",
        "proxy_browser",
        "proxy_system",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let text = loginfix(
        &fx.home,
        "windows",
        &["--root", fx.root.to_str().unwrap(), "doctor"],
    );
    assert!(
        text.stdout.contains("not checked: policy_blocks_site"),
        "{}",
        text.stdout
    );
}

/// A hive file at `path`.
fn hive(path: &Path, root: &loginfix::testing::regf::Key) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, loginfix::testing::regf::write(root)).unwrap();
}

#[test]
fn windows_hive_files_of_a_mounted_disk_and_a_home_are_read() {
    use loginfix::testing::regf::{Data, Key};
    let fx = fixture();
    // HKLM\SOFTWARE: a block of the login host, and cookies allowed for all sites.
    hive(
        &fx.root.join("Windows/System32/config/SOFTWARE"),
        &Key::new("ROOT").at("Policies\\Google\\Chrome", |k| {
            k.value("DefaultCookiesSetting", Data::Dword(1)).subkey(
                Key::new("URLBlocklist")
                    .value("1", Data::Sz("example.org".into()))
                    .value("2", Data::Sz("chatgpt.com".into())),
            )
        }),
    );
    // The user's: cookies blocked (the machine's setting wins), JavaScript blocked on
    // openai.com (theirs alone), a proxy in their Internet settings.
    let user = Key::new("ROOT")
        .at("Software\\Policies\\Google\\Chrome", |k| {
            k.value("DefaultCookiesSetting", Data::Dword(2)).subkey(
                Key::new("JavaScriptBlockedForUrls").value("1", Data::Sz("[*.]openai.com".into())),
            )
        })
        .at(
            "Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings",
            |k| {
                k.value("ProxyEnable", Data::Dword(1)).value(
                    "ProxyServer",
                    Data::Sz("http://bob:pw@proxy.corp:8080".into()),
                )
            },
        );
    hive(&fx.home.join("NTUSER.DAT"), &user);
    let run = doctor(&fx.home, &fx.root, "windows", &[]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        [
            "policy_blocks_javascript error user chrome ~/NTUSER.DAT\\SOFTWARE\\Policies\\Google\\Chrome JavaScriptBlockedForUrls=[*.]openai.com",
            "policy_blocks_site error machine chrome Windows/System32/config/SOFTWARE\\Policies\\Google\\Chrome URLBlocklist=chatgpt.com",
            "proxy_system warning user - ~/NTUSER.DAT\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings ProxyServer=http://proxy.corp:8080",
        ]
    );
    let not_checked = json["not_checked"].to_string();
    assert!(!not_checked.contains("registry"), "{not_checked}");
    assert!(!not_checked.contains("NTUSER"), "{not_checked}");

    // A damaged user hive is named as unread; the machine's is still judged.
    std::fs::write(fx.home.join("NTUSER.DAT"), b"regf but cut").unwrap();
    let json = doctor(&fx.home, &fx.root, "windows", &[]).json();
    assert_eq!(
        unread_files(&json, &fx.root),
        [fx.home.join("NTUSER.DAT").display().to_string()]
    );
    assert!(rows(&json, &fx.root, &fx.home)
        .iter()
        .any(|r| r.starts_with("policy_blocks_site error machine chrome")));

    // A hive whose last write did not finish is read, and said to be possibly stale.
    let mut bytes = loginfix::testing::regf::write(&user);
    bytes[4] = 2;
    std::fs::write(fx.home.join("NTUSER.DAT"), bytes).unwrap();
    let json = doctor(&fx.home, &fx.root, "windows", &[]).json();
    assert!(rows(&json, &fx.root, &fx.home)
        .iter()
        .any(|r| r.starts_with("policy_blocks_javascript error user chrome")));
    let not_checked = json["not_checked"].to_string();
    assert!(
        not_checked.contains("NTUSER.DAT has changes not yet written"),
        "{not_checked}"
    );
}

#[test]
fn system_proxy_on_linux() {
    let fx = fixture();
    write(
        &fx.root.join("etc/environment"),
        "PATH=\"/usr/bin\"\nno_proxy=localhost,.corp\n# http_proxy=http://commented:1\nHTTPS_PROXY=\"http://bob:s3cret@proxy.corp:3128\"\n",
    );
    write(
        &fx.home.join(".config/environment.d/10-proxy.conf"),
        "all_proxy=socks5://sock.corp:1080\nNO_PROXY=*\nhttp_proxy=\n",
    );
    write(
        &fx.root.join("etc/profile.d/proxy.sh"),
        "# set by IT\nif true; then\n  export SOCKS_SERVER=socks5://sx.corp:1080\nfi\nexport NO_PROXY=x\n",
    );
    write(
        &fx.home.join(".config/environment.d/20-noproxy.conf"),
        "no_proxy=chatgpt.com\n",
    );
    write(
        &fx.home.join(".config/kioslaverc"),
        "[Other]\nProxyType=1\n[Proxy Settings]\nProxyType=1\nhttpProxy=http://kde.corp 8080\nhttpsProxy=\n",
    );
    write(
        &fx.root.join("etc/dconf/db/local.d/00-proxy"),
        "[system/proxy]\nmode='manual'\n\n[system/proxy/http]\nhost='gnome.corp'\nport=3128\n",
    );
    write(
        &fx.root.join("etc/dconf/db/local.d/01-none"),
        "[system/proxy]\nmode='none'\n",
    );
    write(
        &fx.home.join(".config/dconf/user"),
        b"GVariant\x00\x00binary",
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    let mut want = vec![
        "proxy_system warning machine - etc/environment HTTPS_PROXY=http://proxy.corp:3128",
        "proxy_system warning machine - etc/profile.d/proxy.sh SOCKS_SERVER=socks5://sx.corp:1080",
        "proxy_system warning user - ~/.config/environment.d/10-proxy.conf all_proxy=socks5://sock.corp:1080",
        "proxy_system warning user - ~/.config/kioslaverc [Proxy Settings] ProxyType=1=http://kde.corp:8080",
        "proxy_system warning machine - etc/dconf/db/local.d/00-proxy [system/proxy] mode=manual=gnome.corp:3128",
    ];
    want.sort();
    assert_eq!(rows(&json, &fx.root, &fx.home), want);
    assert!(!run.stdout.contains("s3cret") && !run.stdout.contains("bob"));
    // The home's settings show in the text too.
    let text = loginfix(
        &fx.home,
        "linux",
        &["--root", fx.root.to_str().unwrap(), "doctor"],
    );
    text.assert_code(1);
    assert!(text.stdout.contains("kioslaverc"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("A system-wide proxy socks5://sock.corp:1080 is set"),
        "{}",
        text.stdout
    );
    let gnome = json["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["reason"].as_str().unwrap().contains("GNOME"))
        .expect("GNOME user db not checked");
    assert_eq!(gnome["ids"][0], "proxy_system");

    // Look-alikes only: no proxy.
    write(
        &fx.root.join("etc/environment"),
        "no_proxy=*\nHTTP_PROXY_HELPER=x\n",
    );
    std::fs::remove_file(fx.home.join(".config/environment.d/10-proxy.conf")).unwrap();
    write(
        &fx.home.join(".config/kioslaverc"),
        "[Proxy Settings]\nProxyType=0\nhttpProxy=http://kde.corp 8080\n",
    );
    std::fs::remove_file(fx.root.join("etc/dconf/db/local.d/00-proxy")).unwrap();
    std::fs::remove_file(fx.root.join("etc/profile.d/proxy.sh")).unwrap();
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(0);
    assert!(run.json()["findings"].as_array().unwrap().is_empty());
}

#[test]
fn nothing_found_exits_zero_and_offline_checks_are_named() {
    let fx = fixture();
    write(
        &fx.root.join("etc/hosts"),
        "127.0.0.1 localhost\n::1 localhost ip6-localhost\n",
    );
    write(
        &fx.root.join("etc/opt/chrome/policies/managed/ok.json"),
        r#"{"TranslateEnabled": false, "URLBlocklist": ["example.org"], "DefaultCookiesSetting": 1}"#,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(0);
    let json = run.json();
    assert!(json["findings"].as_array().unwrap().is_empty());
    assert_eq!(json["online"], false);
    let ids: Vec<&serde_json::Value> = json["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| &n["ids"])
        .collect();
    // Offline; and a root without /sys/class/net (a fixture, a mounted disk) has no
    // interfaces to tell a VPN by.
    assert_eq!(
        ids,
        [
            &serde_json::json!(["vpn_system"]),
            &serde_json::json!(["clock_skew", "host_unreachable", "openai_outage"])
        ]
    );
    let text = loginfix(
        &fx.home,
        "linux",
        &["--root", fx.root.to_str().unwrap(), "doctor"],
    );
    text.assert_code(0);
    assert!(text
        .stdout
        .contains("not checked: clock_skew, host_unreachable"));
    assert!(text.stdout.contains("Nothing else found."));
}

#[test]
fn doctor_changes_no_byte_under_the_root_or_the_home() {
    let fx = fixture();
    write(&fx.root.join("etc/hosts"), HOSTS);
    write(
        &fx.root
            .join("etc/opt/chrome/policies/managed/10-login.json"),
        CHROME_MANAGED,
    );
    write(
        &fx.root.join("etc/chromium/policies/managed/broken.json"),
        "{",
    );
    write(
        &fx.root.join("etc/firefox/policies/policies.json"),
        FIREFOX_POLICIES,
    );
    write(&fx.root.join("etc/environment"), "https_proxy=http://p:1\n");
    write(
        &fx.home.join(".config/kioslaverc"),
        "[Proxy Settings]\nProxyType=2\n",
    );
    let (root_before, home_before) = (snapshot(&fx.root), snapshot(&fx.home));
    for os in ["linux", "macos", "windows"] {
        let run = doctor(&fx.home, &fx.root, os, &[]);
        assert!(matches!(run.code, 0 | 1 | 4), "{os}: {}", run.stderr);
    }
    assert_unchanged(&root_before, &fx.root);
    assert_unchanged(&home_before, &fx.home);
}

/// A mounted macOS disk's `/etc/hosts` may be a link to the absolute
/// `/private/etc/hosts`: it is followed under the root, never to the running machine's.
#[cfg(unix)]
#[test]
fn an_absolute_hosts_symlink_is_followed_under_the_root() {
    let fx = fixture();
    write(
        &fx.root.join("private/etc/hosts"),
        "0.0.0.0 auth.openai.com\n",
    );
    std::fs::create_dir_all(fx.root.join("etc")).unwrap();
    std::os::unix::fs::symlink("/private/etc/hosts", fx.root.join("etc/hosts")).unwrap();
    let run = doctor(&fx.home, &fx.root, "macos", &[]);
    run.assert_code(1);
    assert_eq!(
        rows(&run.json(), &fx.root, &fx.home),
        ["hosts_file_block error machine - etc/hosts line 1=0.0.0.0 auth.openai.com"]
    );
    // A link loop is unreadable, not a hang or a crash.
    std::fs::remove_file(fx.root.join("etc/hosts")).unwrap();
    std::os::unix::fs::symlink("/etc/hosts", fx.root.join("etc/hosts")).unwrap();
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(4);
    assert_eq!(unread_files(&run.json(), &fx.root), ["etc/hosts"]);
}

#[test]
fn an_oversized_policy_file_is_refused_by_name() {
    let fx = fixture();
    let mut big = String::from("{\"URLBlocklist\": [");
    while big.len() < 9 * 1024 * 1024 {
        big.push_str("\"example.org\",");
    }
    big.push_str("\"chatgpt.com\"]}");
    write(
        &fx.root.join("etc/opt/chrome/policies/managed/big.json"),
        &big,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &["--browser", "chrome"]);
    run.assert_code(4);
    let json = run.json();
    assert_eq!(
        unread_files(&json, &fx.root),
        ["etc/opt/chrome/policies/managed/big.json"]
    );
    assert!(json["unread"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("larger than"));
}

/// The registry under Wine: `loginfix.exe` (cross-built, see tests/windows.rs) in a
/// throwaway prefix of its own, so the keys written here reach no other test. Skipped,
/// with the reason, when Wine, mingw or a fresh exe is missing (a failure in CI).
#[cfg(target_os = "linux")]
mod wine_registry {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn skip(why: &str) {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("doctor_machine::wine_registry: cannot run in CI: {why}");
        }
        eprintln!("doctor_machine::wine_registry: skipped: {why}");
    }

    /// `<target>/x86_64-pc-windows-gnu/<profile>/loginfix.exe`, if built after the sources.
    fn exe() -> Result<PathBuf, String> {
        let exe = match std::env::var_os("LOGINFIX_WINDOWS_EXE") {
            Some(p) => PathBuf::from(p),
            None => {
                let me = std::env::current_exe().map_err(|e| e.to_string())?;
                let profile = me.parent().and_then(Path::parent).ok_or("no target dir")?;
                let target = profile.parent().ok_or("no target dir")?;
                target
                    .join("x86_64-pc-windows-gnu")
                    .join(profile.file_name().ok_or("no profile")?)
                    .join("loginfix.exe")
            }
        };
        let built = exe
            .metadata()
            .and_then(|m| m.modified())
            .map_err(|_| format!("{} not built", exe.display()))?;
        let newest = walkdir::WalkDir::new(crate::util::repo().join("src"))
            .into_iter()
            .flatten()
            .filter_map(|e| e.metadata().ok()?.modified().ok())
            .max();
        if newest.is_some_and(|n| n > built) {
            return Err(format!("{} is older than the sources", exe.display()));
        }
        Ok(exe)
    }

    struct Prefix {
        dir: tempfile::TempDir,
        wine64: PathBuf,
    }

    impl Prefix {
        fn cmd(&self, program: &Path) -> Command {
            let mut c = Command::new(program);
            c.env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("WINEPREFIX", self.dir.path())
                .env("LOGINFIX_WINEPREFIX", self.dir.path())
                .env("LOGINFIX_WINE64", &self.wine64)
                .env("WINEDEBUG", "-all")
                .env("NO_COLOR", "1");
            c
        }

        fn reg_add(&self, key: &str, name: &str, kind: &str, data: &str) {
            let out = self
                .cmd(&self.wine64)
                .args(["reg", "add", key, "/v", name, "/t", kind, "/d", data, "/f"])
                .output()
                .unwrap();
            assert!(out.status.success(), "reg add {key} {name}: {out:?}");
        }
    }

    impl Drop for Prefix {
        fn drop(&mut self) {
            let server = self.wine64.with_file_name("wineserver");
            let _ = self.cmd(&server).arg("-k").status();
        }
    }

    #[test]
    fn windows_registry_policies_and_proxies() {
        let wine64 = std::env::var_os("LOGINFIX_WINE64")
            .map_or_else(|| PathBuf::from("/usr/lib/wine/wine64"), PathBuf::from);
        if !wine64.is_file() {
            return skip(&format!("{} not found", wine64.display()));
        }
        let exe = match exe() {
            Ok(e) => e,
            Err(why) => {
                return skip(&format!(
                    "{why} (cargo build --target x86_64-pc-windows-gnu)"
                ))
            }
        };
        let prefix = Prefix {
            dir: tempfile::tempdir().unwrap(),
            wine64,
        };
        let setup = prefix
            .cmd(&crate::util::repo().join("tests/wine/setup.sh"))
            .arg(prefix.dir.path())
            .output()
            .unwrap();
        if !setup.status.success() {
            return skip(&format!(
                "tests/wine/setup.sh failed: {}",
                String::from_utf8_lossy(&setup.stderr)
            ));
        }
        let chrome = r"HKLM\SOFTWARE\Policies\Google\Chrome";
        prefix.reg_add(
            &format!(r"{chrome}\URLBlocklist"),
            "1",
            "REG_SZ",
            "notchatgpt.com",
        );
        prefix.reg_add(
            &format!(r"{chrome}\URLBlocklist"),
            "2",
            "REG_SZ",
            "chatgpt.com",
        );
        prefix.reg_add(chrome, "DefaultCookiesSetting", "REG_DWORD", "2");
        prefix.reg_add(chrome, "DefaultJavaScriptSetting", "REG_DWORD", "1");
        prefix.reg_add(
            chrome,
            "ExtensionSettings",
            "REG_SZ",
            r#"{"cjpalhdlnbpafiamejdnhcphjbkeiagm": {"installation_mode": "force_installed", "update_url": "https://clients2.google.com/service/update2/crx"}}"#,
        );
        prefix.reg_add(
            &format!(r"{chrome}\Recommended"),
            "IncognitoModeAvailability",
            "REG_DWORD",
            "2",
        );
        prefix.reg_add(
            r"HKCU\SOFTWARE\Policies\Mozilla\Firefox\WebsiteFilter\Block",
            "1",
            "REG_SZ",
            "https://auth.openai.com/*",
        );
        let inet = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings";
        prefix.reg_add(&format!(r"HKCU\{inet}"), "ProxyEnable", "REG_DWORD", "1");
        prefix.reg_add(
            &format!(r"HKCU\{inet}"),
            "ProxyServer",
            "REG_SZ",
            "http=bob:s3cret@p.corp:80;https=p.corp:443",
        );

        let out = prefix
            .cmd(&crate::util::repo().join("tests/wine/wine"))
            .arg(&exe)
            .args([
                "--os",
                "windows",
                "--json",
                "doctor",
                "--browser",
                "chrome",
                "--browser",
                "firefox",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!stdout.contains("s3cret"));
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let mut rows: Vec<String> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {} {} {} {} {}={}",
                    f["id"].as_str().unwrap(),
                    f["severity"].as_str().unwrap(),
                    f["scope"].as_str().unwrap(),
                    f["browser"].as_str().unwrap_or("-"),
                    f["evidence"]["file"].as_str().unwrap(),
                    f["evidence"]["key"].as_str().unwrap(),
                    f["evidence"]["value"].as_str().unwrap(),
                )
            })
            .collect();
        rows.sort();
        let mut want = vec![
            format!("policy_blocks_site error machine chrome {chrome} URLBlocklist=chatgpt.com"),
            format!("policy_blocks_cookies error machine chrome {chrome} DefaultCookiesSetting=2"),
            format!("policy_forces_extension warning machine chrome {chrome} ExtensionSettings.cjpalhdlnbpafiamejdnhcphjbkeiagm.installation_mode=force_installed"),
            format!(r"private_only info machine chrome {chrome}\Recommended IncognitoModeAvailability=2"),
            r"policy_blocks_site error user firefox HKCU\SOFTWARE\Policies\Mozilla\Firefox WebsiteFilter.Block=https://auth.openai.com/*".to_string(),
            format!(r"proxy_system warning user - HKCU\{inet} ProxyServer=http=p.corp:80;https=p.corp:443"),
        ];
        want.sort();
        assert_eq!(rows, want);
        assert!(json["not_checked"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| !n["reason"].as_str().unwrap().contains("registry")));
        // The running system's network adapters were listed (Wine's: none is a VPN).
        assert!(
            json["not_checked"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n["ids"] != serde_json::json!(["vpn_system"])),
            "{json:#}"
        );

        // The same home named with --home (as SYSTEM or an administrator names a user's
        // home): their loaded hive, HKEY_USERS\<SID>, gives their part.
        let users = prefix.dir.path().join("drive_c/users");
        let user = std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n != "Public")
            .expect("a Wine user");
        let out = prefix
            .cmd(&crate::util::repo().join("tests/wine/wine"))
            .arg(&exe)
            .args(["--home", &format!(r"C:\users\{user}"), "--os", "windows"])
            .args(["--json", "doctor", "--browser", "firefox"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let json: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
        let mut user_rows: Vec<String> = crate::util::finding_keys(&json, "scope");
        user_rows.sort();
        assert_eq!(
            user_rows,
            ["policy_blocks_site user", "proxy_system user"],
            "{json:#}"
        );
        let files: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["evidence"]["file"].as_str().unwrap())
            .collect();
        assert!(
            files.iter().all(|f| f.starts_with(r"HKU\S-1-5-21-")),
            "{files:?}"
        );
    }
}

/// Chromium's policy directories as Chromium reads them
/// (components/policy/core/common/config_dir_policy_loader.cc): every file whatever its
/// name, in name order, the last file setting a policy winning; comments and trailing
/// commas allowed; a value of the wrong type for its schema ignored.
#[test]
fn chromium_policy_files_are_read_as_chromium_reads_them() {
    let fx = fixture();
    let managed = fx.root.join("etc/opt/chrome/policies/managed");
    // Comments and a trailing comma: Chromium applies the file.
    write(
        &managed.join("10-commented.json"),
        "// set by IT\n{\n  /* the login */ \"URLBlocklist\": [\"chatgpt.com\",],\n}\n",
    );
    // No .json suffix: Chromium reads every file of the directory.
    write(
        &managed.join("policy"),
        r#"{"IncognitoModeAvailability": 2}"#,
    );
    // a.json blocks cookies, z.json allows them: the later file wins.
    write(&managed.join("a.json"), r#"{"DefaultCookiesSetting": 2}"#);
    write(&managed.join("z.json"), r#"{"DefaultCookiesSetting": 1}"#);
    // Edge: a string where the schema wants a list is rejected by the browser.
    write(
        &fx.root.join("etc/opt/edge/policies/managed/bad.json"),
        r#"{"URLBlocklist": "chatgpt.com"}"#,
    );
    // Ubuntu's Chromium reads /etc/chromium-browser/policies.
    write(
        &fx.root
            .join("etc/chromium-browser/policies/managed/ubuntu.json"),
        r#"{"CookiesBlockedForUrls": ["[*.]chatgpt.com"]}"#,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    let json = run.json();
    let want = sorted(&[
        "policy_blocks_site error machine chrome etc/opt/chrome/policies/managed/10-commented.json URLBlocklist=chatgpt.com",
        "private_only info machine chrome etc/opt/chrome/policies/managed/policy IncognitoModeAvailability=2",
        "policy_blocks_cookies error machine chromium etc/chromium-browser/policies/managed/ubuntu.json CookiesBlockedForUrls=[*.]chatgpt.com",
    ]);
    assert_eq!(rows(&json, &fx.root, &fx.home), want, "{json:#}");
    let ignored: Vec<&str> = json["unread"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["reason"].as_str())
        .collect();
    assert_eq!(
        ignored,
        ["`URLBlocklist` is a string where its schema wants a list of strings: the browser ignores it"],
        "{json:#}"
    );
}

/// A hosts line in a form glibc's `inet_aton` reads (`0` is 0.0.0.0), and a proxy set
/// from another variable of the same script: each told as the system reads it.
#[test]
fn hosts_forms_and_proxy_variables_are_read_as_the_system_reads_them() {
    let fx = fixture();
    write(
        &fx.root.join("etc/hosts"),
        "127.0.0.1 localhost\n0 chatgpt.com\n0177.0.0.1 auth.openai.com\n",
    );
    write(
        &fx.root.join("etc/profile.d/proxy.sh"),
        "export http_proxy=http://proxy.corp:3128\nexport https_proxy=$http_proxy\nexport all_proxy=$SOCKS_HOST\n",
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    let json = run.json();
    let rows = rows(&json, &fx.root, &fx.home);
    for want in [
        // The evidence gives the address as read, and the line to find it on.
        "hosts_file_block error machine - etc/hosts line 2=0.0.0.0 chatgpt.com",
        "hosts_file_block error machine - etc/hosts line 3=127.0.0.1 auth.openai.com",
    ] {
        assert!(rows.iter().any(|r| r == want), "{want}:\n{rows:#?}");
    }
    let mut servers = param(&json, "proxy_system", "https_proxy", "server");
    servers.extend(param(&json, "proxy_system", "all_proxy", "server"));
    assert_eq!(
        servers,
        [
            "http://proxy.corp:3128",
            "set from $SOCKS_HOST, which is not set where it is used"
        ],
        "{json:#}"
    );
}

/// A VPN of the system: a tunnel or PPP interface that is up (WireGuard told by its
/// uevent); an Ethernet interface, a tunnel that is down and loopback are not.
#[test]
fn a_vpn_interface_that_is_up_is_found() {
    let fx = fixture();
    let net = fx.root.join("sys/class/net");
    for (name, kind, flags, uevent) in [
        ("lo", "772", "0x9", ""),
        ("eth0", "1", "0x1003", "INTERFACE=eth0\n"),
        ("wg0", "65534", "0x91", "DEVTYPE=wireguard\nINTERFACE=wg0\n"),
        ("tun1", "65534", "0x1090", "INTERFACE=tun1\n"),
        ("ppp0", "512", "0x10d1", "INTERFACE=ppp0\n"),
    ] {
        write(&net.join(name).join("type"), format!("{kind}\n"));
        write(&net.join(name).join("flags"), format!("{flags}\n"));
        write(&net.join(name).join("uevent"), uevent);
    }
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        sorted(&[
            "vpn_system warning machine - sys/class/net/ppp0/type ppp0=512 (PPP)",
            "vpn_system warning machine - sys/class/net/wg0/type wg0=65534 (WireGuard)",
        ])
    );
    let text = loginfix(
        &fx.home,
        "linux",
        &[
            "--root",
            fx.root.to_str().unwrap(),
            "--lang",
            "ja",
            "doctor",
        ],
    );
    assert!(
        text.stdout
            .contains("このパソコンで VPN が接続されています（wg0）"),
        "{}",
        text.stdout
    );
}

/// Data deleted on exit or on a timer, and Google sign-in limited to some domains, by
/// policy: each told, with the data types and look-alikes that are not.
#[test]
fn policies_that_clear_data_or_restrict_sign_in_are_found() {
    let fx = fixture();
    let managed = fx.root.join("etc/opt/chrome/policies/managed");
    write(
        &managed.join("clear.json"),
        r#"{"ClearBrowsingDataOnExitList": ["browsing_history", "cookies_and_other_site_data"],
            "BrowsingDataLifetime": [
                {"time_to_live_in_hours": 1, "data_types": ["cookies_and_other_site_data"]},
                {"time_to_live_in_hours": 24, "data_types": ["browsing_history"]}],
            "AllowedDomainsForApps": "corp.example"}"#,
    );
    // Look-alikes: history only on exit.
    write(
        &fx.root.join("etc/opt/edge/policies/managed/history.json"),
        r#"{"ClearBrowsingDataOnExitList": ["browsing_history", "download_history"]}"#,
    );
    write(
        &fx.root.join("etc/firefox/policies/policies.json"),
        r#"{"policies": {"SanitizeOnShutdown": {"Cookies": true, "History": false}}}"#,
    );
    let run = doctor(&fx.home, &fx.root, "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    let c = "etc/opt/chrome/policies/managed/clear.json";
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        sorted(&[
            &format!("policy_clears_data warning machine chrome {c} ClearBrowsingDataOnExitList=cookies_and_other_site_data"),
            &format!("policy_clears_data warning machine chrome {c} BrowsingDataLifetime=cookies_and_other_site_data 1 h"),
            &format!("sign_in_restricted info machine chrome {c} AllowedDomainsForApps=corp.example"),
            r#"policy_clears_data warning machine firefox etc/firefox/policies/policies.json SanitizeOnShutdown={"Cookies":true,"History":false}"#,
        ])
    );
    let advice: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["advice"].as_str())
        .collect();
    assert!(
        advice.iter().any(|a| a.contains("(every 1 h)")),
        "{advice:#?}"
    );
}

/// Firefox's `Cookies.Behavior` refusing third-party cookies is told as Chrome's
/// `BlockThirdPartyCookies` is (info); refusing all cookies is an error; accepting is
/// nothing.
#[test]
fn firefox_third_party_cookie_behavior_is_told_as_chrome_s() {
    for (behavior, want) in [
        ("reject-foreign", Some("third_party_cookies_blocked info")),
        ("limit-foreign", Some("third_party_cookies_blocked info")),
        ("reject", Some("policy_blocks_cookies error")),
        ("accept", None),
        ("reject-tracker-and-partition-foreign", None),
    ] {
        let fx = fixture();
        write(
            &fx.root.join("etc/firefox/policies/policies.json"),
            format!(r#"{{"policies": {{"Cookies": {{"Behavior": "{behavior}"}}}}}}"#),
        );
        let json = doctor(&fx.home, &fx.root, "linux", &[]).json();
        let got: Vec<String> = rows(&json, &fx.root, &fx.home)
            .iter()
            .map(|r| r.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            got,
            want.into_iter().map(String::from).collect::<Vec<_>>(),
            "{behavior}"
        );
    }
}

/// A blocker Firefox may not disable (`Extensions.Locked`) is one the policy forces on.
#[test]
fn a_locked_firefox_blocker_is_forced_by_policy() {
    let fx = fixture();
    write(
        &fx.root.join("etc/firefox/policies/policies.json"),
        r#"{"policies": {"Extensions": {
            "Install": ["https://addons.mozilla.org/firefox/downloads/latest/ublock-origin/latest.xpi"],
            "Locked": ["uBlock0@raymondhill.net", "not-in-the-catalog@example.org"]}}}"#,
    );
    let json = doctor(&fx.home, &fx.root, "linux", &[]).json();
    assert_eq!(
        rows(&json, &fx.root, &fx.home),
        ["policy_forces_extension warning machine firefox etc/firefox/policies/policies.json Extensions.Locked=uBlock0@raymondhill.net"]
    );
}

/// Serves `body` as JSON once, on a loopback port; returns the URL.
fn serve_once(body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/api/v2/status.json",
        listener.local_addr().unwrap()
    );
    std::thread::spawn(move || {
        if let Ok((mut conn, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// `--online` reads OpenAI's status page (a loopback server stands in for it): an
/// incident is a finding as severe as the page says; all clear is none; a page that is
/// not the status JSON is said not to be checked.
#[test]
fn an_incident_on_openai_s_status_page_is_reported_with_online() {
    let fx = fixture();
    let run = |body: &'static str| {
        let url = serve_once(body);
        loginfix_env(
            &fx.home,
            "linux",
            &[
                "--root",
                fx.root.to_str().unwrap(),
                "--json",
                "doctor",
                "--online",
            ],
            &[("LOGINFIX_TEST_STATUS_URL", Path::new(&url))],
        )
        .json()
    };
    let outage = |json: &serde_json::Value| -> Vec<String> {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["id"] == "openai_outage")
            .map(|f| {
                format!(
                    "{} {}={} ({})",
                    f["severity"].as_str().unwrap(),
                    f["evidence"]["key"].as_str().unwrap(),
                    f["evidence"]["value"].as_str().unwrap(),
                    f["params"]["description"].as_str().unwrap()
                )
            })
            .collect()
    };
    let json = run(
        r#"{"page":{"id":"x"},"status":{"indicator":"major","description":"Partial System Outage"}}"#,
    );
    assert_eq!(
        outage(&json),
        ["warning status.indicator=major (Partial System Outage)"]
    );
    let json = run(r#"{"status":{"indicator":"critical","description":"Major System Outage"}}"#);
    assert_eq!(
        outage(&json),
        ["error status.indicator=critical (Major System Outage)"]
    );
    let json = run(r#"{"status":{"indicator":"none","description":"All Systems Operational"}}"#);
    assert!(outage(&json).is_empty());
    assert!(!json["not_checked"].to_string().contains("openai_outage"));
    let json = run("<html>maintenance</html>");
    assert!(outage(&json).is_empty());
    assert!(
        json["not_checked"]
            .to_string()
            .contains("OpenAI's status page could not be read (not the status page's JSON)"),
        "{}",
        json["not_checked"]
    );
}
