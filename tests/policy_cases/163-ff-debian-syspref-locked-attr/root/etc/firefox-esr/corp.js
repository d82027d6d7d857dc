// corporate lockdown
pref("javascript.enabled", false, locked);
