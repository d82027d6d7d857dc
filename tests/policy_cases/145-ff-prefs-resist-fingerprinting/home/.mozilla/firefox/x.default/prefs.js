// Mozilla User Preferences
user_pref("privacy.resistFingerprinting", true);
