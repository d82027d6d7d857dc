#!/usr/bin/env bash
# Regenerate the sample browser homes under profiles/ with REAL browsers.
#
#   bash profiles/regenerate.sh          (from the repository root, as root)
#
# Needs: chromium firefox-esr libnss3-tools openssl python3 (Debian:
#   apt-get install -y chromium firefox-esr libnss3-tools openssl) and the PyPI package
#   binarycookies (python3 -m pip install binarycookies==2.5.1) for Safari's cookie file.
# and port 443 on 127.0.0.1 free (Firefox is pointed at the local server with
# network.dns.forceResolve, which keeps the port, so the server must listen on
# 443; running as root is the simple way).
#
# What it does, all inside a fresh temp dir:
#   1. makes a throwaway CA and a leaf certificate for every sample host;
#   2. starts profiles/regen/server.py (HTTPS, stdlib only) on 127.0.0.1:443;
#      it sets the lfxsecret_* cookies and logs Host/path/Cookie per request;
#   3. runs Debian chromium with HOME=<tmp home> and
#      --user-data-dir=<home>/.config/google-chrome, once for profile Default
#      (all sample sites) and once with --profile-directory="Profile 1"
#      (chatgpt.com and example.org only), driving it over
#      --remote-debugging-pipe and closing it with Browser.close;
#   4. runs firefox-esr --headless with HOME=<tmp home> on the profile listed in
#      <home>/.mozilla/firefox/profiles.ini, drives it over Marionette, waits
#      until sessionstore-backups/recovery.jsonlz4 holds the session cookies
#      and quits it cleanly (Marionette:Quit);
#      (both browsers also visit server.py's /storage pages, which write
#      localStorage, sessionStorage, IndexedDB, Cache Storage and a service
#      worker, first-party and partitioned; Firefox gets a second tab);
#   5. copies only the files listed in profiles/README.md into a Linux home,
#      checks every cookie store against the expected rows and the site data
#      against the expected origins
#      (regen/inspect_home.py --check), places the same files at the macOS and
#      Windows paths (on Windows, Chromium's Default profile also at Edge's place), and
#      replaces profiles/linux, profiles/macos and profiles/windows.
# Certificates, NSS databases (.pki, cert9.db, key4.db), user.js and the
# server log stay in the temp dir and are deleted at the end
# (set LFX_KEEP_WORK=1 to keep it for debugging).
set -euo pipefail

PROFILES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REGEN="$PROFILES/regen"
PORT=443
FF_PROFILE=abcd1234.default-release
# CityHash of Debian's install dir /usr/lib/firefox-esr, as firefox-esr 153
# writes it into profiles.ini/installs.ini ([Install<hash>]).
FF_INSTALL_HASH=3B6073811A6ABF12

for cmd in chromium firefox-esr certutil openssl python3; do
  command -v "$cmd" >/dev/null || { echo "regenerate.sh: missing $cmd" >&2; exit 1; }
done
python3 -c "import binarycookies" 2>/dev/null || {
  echo "regenerate.sh: missing the PyPI package binarycookies (python3 -m pip install binarycookies==2.5.1)" >&2; exit 1; }

# The real-browser tests (tests/real_browsers/harness.rs, suite_lock) serve on the same
# port: take their lock, so a regeneration waits for a running suite instead of failing.
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/loginfix-real-browsers.lock"
  flock 9
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/loginfix-regen.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ "${LFX_KEEP_WORK:-0}" == 1 ]]; then
    echo "work dir kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
log() { printf '[regenerate %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Keep the browsers' idea of $HOME-relative dirs predictable.
unset XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_STATE_HOME \
      CHROME_USER_DATA_DIR MOZ_HEADLESS 2>/dev/null || true
export TZ=UTC LANG=C.UTF-8

# ---------------------------------------------------------------- 1. certs
log "making throwaway CA and leaf certificate"
C="$WORK/certs"
mkdir -p "$C"
SAN="DNS:chatgpt.com,DNS:*.chatgpt.com,DNS:openai.com,DNS:*.openai.com"
SAN="$SAN,DNS:example.org,DNS:*.example.org,DNS:notchatgpt.com"
SAN="$SAN,DNS:chatgpt.com.evil.org,DNS:openai.com.example.org"
SAN="$SAN,DNS:cdn.oaistatic.com,DNS:*.oaistatic.com"
openssl req -x509 -newkey rsa:2048 -nodes -days 7 \
  -subj "/CN=loginfix throwaway regeneration CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$C/ca.key" -out "$C/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=chatgpt.com" \
  -keyout "$C/leaf.key" -out "$C/leaf.csr" 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" \
  "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" "subjectAltName=$SAN" > "$C/leaf.ext"
openssl x509 -req -in "$C/leaf.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" \
  -CAcreateserial -days 7 -extfile "$C/leaf.ext" -out "$C/leaf.pem" 2>/dev/null

nssdb_with_ca() {  # $1 = NSS db dir
  mkdir -p "$1"
  certutil -d "sql:$1" -N --empty-password
  certutil -d "sql:$1" -A -t "C,," -n loginfix-regen-ca -i "$C/ca.pem"
}

# --------------------------------------------------------------- 2. server
log "starting HTTPS server on 127.0.0.1:$PORT (log: \$WORK/server.log)"
python3 "$REGEN/server.py" --port "$PORT" --cert "$C/leaf.pem" --key "$C/leaf.key" \
  --log "$WORK/server.log" --ready "$WORK/server.ready" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 50); do [[ -e "$WORK/server.ready" ]] && break; sleep 0.1; done
if [[ ! -e "$WORK/server.ready" ]]; then
  cat "$WORK/server.err" >&2
  echo "regenerate.sh: server did not start (is port $PORT free? root?)" >&2
  exit 1
fi

ALL_URLS=(https://chatgpt.com/ https://auth.openai.com/ https://openai.com/
          https://example.org/ https://notchatgpt.com/
          https://chatgpt.com.evil.org/ https://openai.com.example.org/)
# Site data (regen/server.py `/storage`): each page writes localStorage,
# sessionStorage, an IndexedDB record, a Cache Storage entry and registers a
# service worker, and holds its load event until it reported (so the browser
# moves on only once the asynchronous writes are done). chatgpt.com embeds
# example.org's page and example.org embeds chatgpt.com's, so each also writes
# in the other's partition. Visited after the cookie pages, by profile Default
# and by Firefox only. Firefox keeps the sessionStorage of each tab's current
# page only: its tab ends on chatgpt.com's page (the list's last), and a second
# tab is opened on example.org's page.
STORAGE_URLS=()
for h in notchatgpt.com auth.openai.com example.org chatgpt.com; do
  STORAGE_URLS+=("https://$h/storage?mode=write&run=sample")
done

# ------------------------------------------------------------- 3. chromium
H="$WORK/home"          # the browsers' $HOME
mkdir -p "$H"
nssdb_with_ca "$H/.pki/nssdb"
UDD="$H/.config/google-chrome"
# Profile Default uses "Continue where you left off" (session.restore_on_startup
# = 1), so Chromium keeps SESSION cookies in its Cookies database
# (is_persistent = 0). Profile 1 keeps Chromium's default (new tab page), so
# its session cookies are not written to disk.
mkdir -p "$UDD/Default"
echo '{"session":{"restore_on_startup":1}}' > "$UDD/Default/Preferences"

CHROMIUM_FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --password-store=basic "--host-resolver-rules=MAP * 127.0.0.1:$PORT"
  "--user-data-dir=$UDD")
run_chromium() {  # $1 = profile directory, rest = URLs
  local prof="$1"; shift
  log "chromium, profile '$prof': $*"
  HOME="$H" python3 "$REGEN/chromium_drive.py" --wait 0.5 -- "$@" -- \
    chromium "${CHROMIUM_FLAGS[@]}" "--profile-directory=$prof" \
    2> >(grep -v -e ':ERROR:' -e ':WARNING:' -e 'unexpected operator' >&2)
}
run_chromium Default "${ALL_URLS[@]}" "${STORAGE_URLS[@]}"
run_chromium "Profile 1" https://chatgpt.com/ https://example.org/

# -------------------------------------------------------------- 4. firefox
FFROOT="$H/.mozilla/firefox"
FFP="$FFROOT/$FF_PROFILE"
mkdir -p "$FFP"
cat > "$FFROOT/profiles.ini" <<EOF
[Install$FF_INSTALL_HASH]
Default=$FF_PROFILE
Locked=1

[Profile0]
Name=default-release
IsRelative=1
Path=$FF_PROFILE
Default=1

[General]
StartWithLastProfile=1
Version=2

EOF
printf '[%s]\nDefault=%s\nLocked=1\n\n' "$FF_INSTALL_HASH" "$FF_PROFILE" > "$FFROOT/installs.ini"
nssdb_with_ca "$FFP"
cp "$REGEN/user.js" "$FFP/user.js"
log "firefox-esr, profile $FF_PROFILE: ${ALL_URLS[*]} ${STORAGE_URLS[*]}"
HOME="$H" python3 "$REGEN/firefox_drive.py" --profile-dir "$FFP" --linger 3 \
  --tab "https://example.org/storage?mode=write&run=sample-tab" \
  --session-host chatgpt.com --session-host example.org -- "${ALL_URLS[@]}" "${STORAGE_URLS[@]}" -- \
  firefox-esr --headless

log "server saw $(wc -l < "$WORK/server.log") requests"

# ----------------------------------------------- 5. assemble the sample homes
OUT="$WORK/out"
copy() {  # copy SRC (relative to $H) to DST (relative to $2 home), if it exists
  local src="$H/$1" dst="$2/$3"
  [[ -e "$src" ]] || return 0
  mkdir -p "$(dirname "$dst")"
  cp -a "$src" "$dst"
}
require() { [[ -e "$H/$1" ]] || { echo "regenerate.sh: browser did not write $1" >&2; exit 1; }; }

CH=".config/google-chrome"
for prof in Default "Profile 1"; do
  require "$CH/$prof/Cookies"
  require ".cache/google-chrome/$prof/Cache/Cache_Data/index"
done
require ".cache/mozilla/firefox/$FF_PROFILE/cache2/entries"
require ".mozilla/firefox/$FF_PROFILE/sessionstore.jsonlz4"
for sd in "Local Storage/leveldb" "Session Storage" IndexedDB "Service Worker/Database" \
          "Service Worker/CacheStorage"; do
  require "$CH/Default/$sd"
done
for sd in serviceworker.txt storage.sqlite storage/default; do
  require ".mozilla/firefox/$FF_PROFILE/$sd"
done

build_home() {  # $1 = layout, $2 = destination home
  local layout="$1" d="$2" cd cc cache ffroot ffrel ffcache
  case "$layout" in
    linux)   cd="$CH"; cc=""; cache=".cache/google-chrome"
             ffroot=".mozilla/firefox"; ffrel="$FF_PROFILE"
             ffcache=".cache/mozilla/firefox/$FF_PROFILE" ;;
    macos)   cd="Library/Application Support/Google/Chrome"; cc=""
             cache="Library/Caches/Google/Chrome"
             ffroot="Library/Application Support/Firefox"; ffrel="Profiles/$FF_PROFILE"
             ffcache="Library/Caches/Firefox/Profiles/$FF_PROFILE" ;;
    windows) cd="AppData/Local/Google/Chrome/User Data"; cc="Network/"; cache=""
             ffroot="AppData/Roaming/Mozilla/Firefox"; ffrel="Profiles/$FF_PROFILE"
             ffcache="AppData/Local/Mozilla/Firefox/Profiles/$FF_PROFILE" ;;
  esac
  mkdir -p "$d"
  copy "$CH/Local State" "$d" "$cd/Local State"
  copy "$CH/Last Version" "$d" "$cd/Last Version"
  for prof in Default "Profile 1"; do
    copy "$CH/$prof/Preferences" "$d" "$cd/$prof/Preferences"
    copy "$CH/$prof/Cookies" "$d" "$cd/$prof/${cc}Cookies"
    copy "$CH/$prof/Cookies-journal" "$d" "$cd/$prof/${cc}Cookies-journal"
    # Site data: the per-profile dirs, at the same place in every layout.
    for sd in "Local Storage" "Session Storage" IndexedDB "Service Worker" WebStorage \
              "File System"; do
      copy "$CH/$prof/$sd" "$d" "$cd/$prof/$sd"
    done
    if [[ -n "$cache" ]]; then
      copy ".cache/google-chrome/$prof/Cache/Cache_Data" "$d" "$cache/$prof/Cache/Cache_Data"
    fi
  done
  if [[ "$layout" == windows ]]; then
    # Edge, where most Windows users are, keeps Chromium's profile layout: its Default
    # profile gets the cookies and site data Chromium's Default wrote (Edge cannot run
    # here), at Edge's place; add_extensions.py adds its Local State and Preferences.
    local ed="AppData/Local/Microsoft/Edge/User Data/Default"
    copy "$CH/Default/Cookies" "$d" "$ed/Network/Cookies"
    copy "$CH/Default/Cookies-journal" "$d" "$ed/Network/Cookies-journal"
    for sd in "Local Storage" "Session Storage" IndexedDB "Service Worker" WebStorage; do
      copy "$CH/Default/$sd" "$d" "$ed/$sd"
    done
  fi
  # Firefox: profiles.ini / installs.ini in the layout's form.
  mkdir -p "$d/$ffroot"
  sed "s#^Path=.*#Path=$ffrel#" "$H/.mozilla/firefox/profiles.ini" > "$d/$ffroot/profiles.ini"
  sed "s#^Default=.*#Default=$ffrel#" "$H/.mozilla/firefox/installs.ini" > "$d/$ffroot/installs.ini"
  sed -i "s#^Default=$FF_PROFILE\$#Default=$ffrel#" "$d/$ffroot/profiles.ini"
  local p=".mozilla/firefox/$FF_PROFILE"
  for f in cookies.sqlite cookies.sqlite-wal compatibility.ini prefs.js \
           sessionstore.jsonlz4 sessionstore-backups/recovery.jsonlz4 \
           sessionstore-backups/recovery.baklz4 \
           storage.sqlite serviceworker.txt webappsstore.sqlite \
           storage/default storage/ls-archive.sqlite; do
    copy "$p/$f" "$d" "$ffroot/$ffrel/$f"
  done
  local c=".cache/mozilla/firefox/$FF_PROFILE/cache2"
  copy "$c/entries" "$d" "$ffcache/cache2/entries"
  copy "$c/index" "$d" "$ffcache/cache2/index"
  copy "$c/index.log" "$d" "$ffcache/cache2/index.log"
}

for layout in linux macos windows; do
  build_home "$layout" "$OUT/$layout"
  # Extensions and Safari's stores cannot come from the browsers here (no store access,
  # no Safari): written in the browsers' layouts by these scripts (see profiles/README.md).
  python3 "$REGEN/add_extensions.py" "$OUT/$layout" "$layout"
  if [[ "$layout" == macos ]]; then
    python3 "$REGEN/make_safari.py" "$OUT/$layout"
  fi
  log "checking $layout home"
  python3 "$REGEN/inspect_home.py" "$OUT/$layout" "$layout" --check > "$OUT/$layout.txt" || {
    cat "$OUT/$layout.txt" >&2; echo "regenerate.sh: $layout home failed its check" >&2; exit 1; }
done
cp "$OUT/linux.txt" "$WORK/inspect-linux.txt"

# Nothing secret-ish or lock-like may end up in the committed homes.
if find "$OUT" \( -name '.pki' -o -name 'cert9.db' -o -name 'key4.db' -o -name 'user.js' \
     -o -name '*.pem' -o -name 'lock' -o -name '.parentlock' -o -name 'Singleton*' \
     -o -name 'server.log' \) | grep -q .; then
  echo "regenerate.sh: forbidden file in output" >&2; exit 1
fi

for layout in linux macos windows; do
  rm -rf "${PROFILES:?}/$layout"
  cp -a "$OUT/$layout" "$PROFILES/$layout"
done
du -sh "$PROFILES/linux" "$PROFILES/macos" "$PROFILES/windows" >&2
cat "$OUT/linux.txt"
log "done"
