lockPref("privacy.resistFingerprinting", true);
