// Mozilla User Preferences
user_pref("network.proxy.type", 2);
user_pref("network.proxy.autoconfig_url", "https://pac.corp.example/proxy.pac");
