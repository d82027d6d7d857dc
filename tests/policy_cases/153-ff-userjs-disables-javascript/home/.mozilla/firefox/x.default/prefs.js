// Mozilla User Preferences
user_pref("javascript.enabled", true);
