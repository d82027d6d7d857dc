// Mozilla User Preferences
