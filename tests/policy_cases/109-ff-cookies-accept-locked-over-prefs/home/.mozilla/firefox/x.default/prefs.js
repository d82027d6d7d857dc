// Mozilla User Preferences
user_pref("network.cookie.cookieBehavior", 2);
