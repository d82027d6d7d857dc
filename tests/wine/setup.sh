#!/usr/bin/env bash
# Makes a throwaway Wine prefix in which the cross-built loginfix.exe and test binaries
# run: creates the prefix (wineboot), builds the ProcessPrng shim (bcryptprimitives.c)
# with mingw and copies it into the prefix's system32 (Wine 8 lacks that DLL, see the C
# file). Needs Debian's wine64 and gcc-mingw-w64-x86-64.
#
#   tests/wine/setup.sh [PREFIX]     # default: $LOGINFIX_WINEPREFIX or /tmp/loginfix-wine
#
# Then run Windows programs with tests/wine/wine (it uses the same prefix). Re-running
# refreshes the shim; `rm -rf PREFIX` throws the prefix away.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${1:-${LOGINFIX_WINEPREFIX:-/tmp/loginfix-wine}}"
wine="${LOGINFIX_WINE64:-/usr/lib/wine/wine64}"
cc="${LOGINFIX_MINGW_CC:-x86_64-w64-mingw32-gcc}"

command -v "$wine" >/dev/null || { echo "setup.sh: $wine not found (apt-get install wine64)" >&2; exit 1; }
command -v "$cc" >/dev/null || { echo "setup.sh: $cc not found (apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }

mkdir -p "$prefix"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# A program left running in the prefix (a test killed half-way) keeps its wineserver,
# and the wait below, alive for ever: end whatever runs there first.
"$(dirname "$wine")/wineserver" -k 2>/dev/null || true
# The first start creates the prefix (a few seconds); wait until wineserver is done.
"$wine" wineboot --init >/dev/null 2>&1
"$(dirname "$wine")/wineserver" -w

system32="$prefix/drive_c/windows/system32"
[ -d "$system32" ] || { echo "setup.sh: $system32 missing after wineboot" >&2; exit 1; }
"$cc" -O2 -shared -Wall -Wextra -o "$system32/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32
echo "$prefix"
