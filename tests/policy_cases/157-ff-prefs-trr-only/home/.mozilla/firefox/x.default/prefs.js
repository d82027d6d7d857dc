// Mozilla User Preferences
user_pref("network.trr.mode", 3);
user_pref("network.trr.custom_uri", "https://dns.corp.example/dns-query");
user_pref("network.trr.uri", "https://dns.corp.example/dns-query");
