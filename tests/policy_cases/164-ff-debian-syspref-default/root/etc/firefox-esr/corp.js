pref("network.cookie.cookieBehavior", 2);
