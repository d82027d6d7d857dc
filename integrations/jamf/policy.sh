#!/bin/sh
# Jamf Pro policy script: runs loginfix for every user of the Mac (Jamf runs policies as
# root, whose own home has no browser) and prints loginfix's one-line summary for the
# policy log. The exit code is loginfix's: 0 done, 1 something failed, 2 usage, 3 a browser
# was running (the user must quit it; the policy shows as failed), 4 partial (a home could
# not be read or --timeout was reached).
#
# Parameters (Jamf passes $1 mount point, $2 computer name, $3 user name):
#   $4  the loginfix command and its options [default: clear-cookies]; e.g. "fix --yes"
#       or "clear-site-data"; "restore" puts back the last --all-users run
#   $5  seconds per user [default: 60]
# Environment (for testing): LOGINFIX the binary, LOGINFIX_OPTS global options put first
# (e.g. "--root /Volumes/Disk --os macos").
# Reading Safari's data needs Full Disk Access for the loginfix binary (a PPPC profile).
# A clean signs the Mac's users out of ChatGPT: offer this policy in Self Service, or run
# it once per computer on the Macs support scopes it to; never on a recurring trigger
# (extension_attribute.sh is the one to schedule: it only reports).

LOGINFIX="${LOGINFIX:-/usr/local/bin/loginfix}"
COMMAND="${4:-clear-cookies}"
TIMEOUT="${5:-60}"

if [ ! -x "$LOGINFIX" ]; then
    echo "loginfix is not installed at $LOGINFIX"
    exit 2
fi

# Word splitting of $LOGINFIX_OPTS and $COMMAND is wanted: they hold several words.
# shellcheck disable=SC2086
"$LOGINFIX" $LOGINFIX_OPTS --all-users --summary --timeout "$TIMEOUT" $COMMAND
