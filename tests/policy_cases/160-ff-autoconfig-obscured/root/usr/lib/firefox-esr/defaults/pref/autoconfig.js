pref("general.config.filename", "mozilla.cfg");
