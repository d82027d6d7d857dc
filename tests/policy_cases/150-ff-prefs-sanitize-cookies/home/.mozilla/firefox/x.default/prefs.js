// Mozilla User Preferences
user_pref("privacy.sanitize.sanitizeOnShutdown", true);
