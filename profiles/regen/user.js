// user.js used only while profiles/regenerate.sh drives firefox-esr.
// It is NOT copied into the committed homes (but Firefox copies the user
// prefs it set into prefs.js, which is kept).

// Every host name resolves to the local HTTPS sample server on port 443.
user_pref("network.dns.forceResolve", "127.0.0.1");
user_pref("network.trr.mode", 5);
user_pref("network.proxy.type", 0);
// Write sessionstore-backups/recovery.jsonlz4 every second.
user_pref("browser.sessionstore.interval", 1000);
// "Open previous windows and tabs": keep session cookies in sessionstore.jsonlz4 at shutdown.
user_pref("browser.startup.page", 3);
user_pref("browser.sessionstore.resume_from_crash", true);
// No first-run pages, no background traffic.
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.newtabpage.activity-stream.feeds.system.topstories", false);
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.server", "");
user_pref("app.update.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.normandy.enabled", false);
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.prefetch-next", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("dom.push.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("services.settings.server", "https://127.0.0.1:9/");
user_pref("browser.search.update", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("security.OCSP.enabled", 0);
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("browser.ping-centre.telemetry", false);
user_pref("browser.tabs.warnOnClose", false);
user_pref("browser.warnOnQuit", false);

// Marionette is used only to quit Firefox cleanly; do not let it change prefs.
user_pref("remote.prefs.recommended", false);
// Make the cache2 index file appear within seconds (by default Firefox only
// writes cache2/index after 300 changes or a long interval, so a short run
// leaves entries/ without an index).
user_pref("browser.cache.disk.index.update_start_delay_ms", 0);
user_pref("browser.cache.disk.index.min_unwritten_changes", 1);
user_pref("browser.cache.disk.index.min_dump_interval_ms", 0);
