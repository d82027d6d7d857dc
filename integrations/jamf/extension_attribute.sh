#!/bin/sh
# Jamf Pro extension attribute (data type: String): the one-line result of
# `loginfix doctor` for every user of the Mac, e.g.
#   <result>loginfix doctor: 1 error(s), 0 warning(s), ... : ana:chrome/Default:cookies_blocked chatgpt.com</result>
# Extension attributes run as root at every inventory update, so the time per user is
# short (--timeout). An EA must always print a <result>, whatever loginfix exits with.
# Environment (for testing): LOGINFIX the binary, LOGINFIX_OPTS global options put first.

LOGINFIX="${LOGINFIX:-/usr/local/bin/loginfix}"

if [ ! -x "$LOGINFIX" ]; then
    echo "<result>loginfix not installed</result>"
    exit 0
fi

# shellcheck disable=SC2086
line=$("$LOGINFIX" $LOGINFIX_OPTS --all-users --summary=jamf --timeout 5 doctor 2>/dev/null | tail -n 1)
case "$line" in
    "<result>"*) echo "$line" ;;
    *) echo "<result>loginfix could not run</result>" ;;
esac
exit 0
