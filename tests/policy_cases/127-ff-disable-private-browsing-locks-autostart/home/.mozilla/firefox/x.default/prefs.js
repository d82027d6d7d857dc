// Mozilla User Preferences
user_pref("browser.privatebrowsing.autostart", true);
