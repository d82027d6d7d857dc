// Mozilla User Preferences
user_pref("network.proxy.type", 1);
user_pref("network.proxy.ssl", "proxy.corp.example");
user_pref("network.proxy.ssl_port", 3128);
