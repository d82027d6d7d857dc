// Mozilla User Preferences
user_pref("privacy.clearOnShutdown_v2.cookiesAndStorage", false);
user_pref("privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs3", true);
