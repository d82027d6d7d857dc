user_pref("network.cookie.cookieBehavior", 0);
