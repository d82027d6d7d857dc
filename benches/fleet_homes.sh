#!/bin/sh
# A machine root of N small homes for timing `--all-users` (docs/performance.md, "A process
# per home"): each home holds one Chrome profile (the sample's cookie store and
# preferences) and belongs to a uid of its own, as on a shared machine, so that loginfix
# run as root works in each through a child that has become that user.
#
#   benches/fleet_homes.sh DIR [N]     (as root; N defaults to 1000)
#   loginfix --all-users --root DIR --os linux clear-cookies --dry-run
set -eu
dir=$1
n=${2:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
profile=$here/profiles/linux/.config/google-chrome/Default
rm -rf "$dir"
mkdir -p "$dir/etc" "$dir/home"
echo "root:x:0:0:root:/root:/bin/sh" > "$dir/etc/passwd"
i=0
while [ "$i" -lt "$n" ]; do
    uid=$((20000 + i))
    home=$dir/home/u$i
    mkdir -p "$home/.config/google-chrome/Default"
    cp "$profile/Cookies" "$profile/Preferences" "$home/.config/google-chrome/Default/"
    cp "$here/profiles/linux/.config/google-chrome/Local State" "$home/.config/google-chrome/"
    chown -R "$uid:$uid" "$home"
    echo "u$i:x:$uid:$uid::/home/u$i:/bin/sh" >> "$dir/etc/passwd"
    i=$((i + 1))
done
echo "$n homes under $dir"
