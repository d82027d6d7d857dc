// Mozilla User Preferences
user_pref("dom.storage.enabled", false);
