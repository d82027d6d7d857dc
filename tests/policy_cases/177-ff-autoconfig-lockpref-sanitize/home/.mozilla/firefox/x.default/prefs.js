// Mozilla User Preferences
user_pref("privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs3", true);
user_pref("privacy.sanitize.sanitizeOnShutdown", false);
