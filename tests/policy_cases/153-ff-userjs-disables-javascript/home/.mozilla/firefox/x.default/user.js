user_pref("javascript.enabled", false);
