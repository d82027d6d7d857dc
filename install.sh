#!/bin/sh
# loginfix installer for Linux and macOS:
#
#   curl -LsSf https://github.com/OWNER/loginfix/releases/latest/download/install.sh | sh
#
# Downloads the release archive for this machine and SHA256SUMS, refuses the archive
# unless its SHA-256 is the one SHA256SUMS lists, and installs the `loginfix` binary
# (mode 755) into ~/.local/bin. Nothing is installed when any step fails. Run with
# `sh -s -- --help` (or `sh install.sh --help`) for the settings. POSIX sh (dash, bash,
# busybox ash, macOS sh); tests/install.rs runs it against a loopback server.

set -eu

# The GitHub account that publishes the releases: the one place it is named.
OWNER=OWNER
DEFAULT_BASE_URL="https://github.com/$OWNER/loginfix/releases/latest/download"

# Messages: Japanese when the locale that names the language of messages (the first of
# LC_ALL, LC_MESSAGES, LANG that is set, as loginfix itself reads them) starts with ja.
locale=${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}
case $locale in
ja*) JA=1 ;;
*) JA=0 ;;
esac

# msg ENGLISH JAPANESE: the text in the user's language.
msg() {
  if [ "$JA" = 1 ]; then
    printf '%s\n' "$2"
  else
    printf '%s\n' "$1"
  fi
}

# die ENGLISH JAPANESE: the error on stderr, then exit 1.
die() {
  if [ "$JA" = 1 ]; then
    printf 'loginfix インストーラー：エラー：%s\n' "$2" >&2
  else
    printf 'loginfix installer: error: %s\n' "$1" >&2
  fi
  exit 1
}

usage() {
  msg "Installs loginfix for this user from its GitHub release.

Usage: install.sh [--help]
       curl -LsSf $DEFAULT_BASE_URL/install.sh | sh

Settings (environment variables):
  LOGINFIX_INSTALL_DIR  where to put loginfix (default: \$HOME/.local/bin)
  LOGINFIX_BASE_URL     where to download from (default: $DEFAULT_BASE_URL)

The archive is installed only when its SHA-256 is the one listed in SHA256SUMS." \
    "loginfix を、GitHub のリリースからこのユーザーにインストールします。

使い方：install.sh [--help]
        curl -LsSf $DEFAULT_BASE_URL/install.sh | sh

設定（環境変数）：
  LOGINFIX_INSTALL_DIR  インストール先（既定：\$HOME/.local/bin）
  LOGINFIX_BASE_URL     ダウンロード元（既定：$DEFAULT_BASE_URL）

アーカイブの SHA-256 が SHA256SUMS の値と一致したときだけインストールします。"
}

for arg in "$@"; do
  case $arg in
  -h | --help)
    usage
    exit 0
    ;;
  *)
    die "unknown argument: $arg (see --help)" \
      "不明な引数です：$arg（--help をご覧ください）"
    ;;
  esac
done

# The release target for this machine.
os=$(uname -s)
arch=$(uname -m)
case $os in
Linux)
  case $arch in
  x86_64 | amd64) target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) target=aarch64-unknown-linux-musl ;;
  *)
    die "no loginfix build for Linux on $arch (there are builds for x86_64 and aarch64)" \
      "$arch の Linux 向けの loginfix はありません（x86_64 と aarch64 向けがあります）。"
    ;;
  esac
  ;;
Darwin) target=universal-apple-darwin ;;
*)
  die "no loginfix build for $os ($arch); this installer is for Linux and macOS (on Windows, use install.ps1)" \
    "$os（$arch）向けの loginfix はありません。このインストーラーは Linux と macOS 用です（Windows では install.ps1 をお使いください）。"
  ;;
esac
archive="loginfix-$target.tar.gz"

base_url=${LOGINFIX_BASE_URL:-$DEFAULT_BASE_URL}
base_url=${base_url%/}
install_dir=${LOGINFIX_INSTALL_DIR:-}
if [ -z "$install_dir" ]; then
  [ -n "${HOME:-}" ] || die "HOME is not set; set LOGINFIX_INSTALL_DIR" \
    "HOME が設定されていません。LOGINFIX_INSTALL_DIR を設定してください。"
  install_dir="$HOME/.local/bin"
fi

# A URL as it may be shown: without a user name or password before the host.
shown_url() {
  case $1 in
  *://*)
    rest=${1#*://}
    case ${rest%%/*} in
    *@*) printf '%s://%s' "${1%%://*}" "${rest#*@}" ;;
    *) printf '%s' "$1" ;;
    esac
    ;;
  *) printf '%s' "$1" ;;
  esac
}

# download URL FILE, with curl or wget. From an https base, curl follows redirects only
# to https.
if command -v curl >/dev/null 2>&1; then
  download() {
    case $base_url in
    https://*) curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -o "$2" "$1" ;;
    *) curl -fsSL --retry 3 -o "$2" "$1" ;;
    esac
  }
elif command -v wget >/dev/null 2>&1; then
  download() { wget -q -O "$2" "$1"; }
else
  die "neither curl nor wget is installed; install one of them and run this again" \
    "curl も wget もインストールされていません。どちらかをインストールしてから、もう一度実行してください。"
fi

# sha256 FILE: its SHA-256 in lowercase hex.
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1"; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1"; }
else
  die "neither sha256sum nor shasum is installed, so the download cannot be checked" \
    "sha256sum も shasum もないため、ダウンロードしたファイルを確認できません。"
fi

# A private working directory, removed on exit, and the staged copy in the install
# directory if a failure leaves one.
tmp=
staged=
cleanup() {
  [ -z "$staged" ] || rm -f "$staged"
  [ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp -d 2>/dev/null || mktemp -d -t loginfix) ||
  die "could not make a temporary directory" "一時ディレクトリを作れませんでした。"

fetch() {
  msg "Downloading $(shown_url "$base_url/$1")" \
    "ダウンロードしています：$(shown_url "$base_url/$1")"
  download "$base_url/$1" "$tmp/$1" ||
    die "could not download $(shown_url "$base_url/$1")" \
      "ダウンロードできませんでした：$(shown_url "$base_url/$1")"
}
fetch SHA256SUMS
fetch "$archive"

# The archive's line in SHA256SUMS: "<64 hex>  <name>" (sha256sum's format; a `*`
# before the name marks binary mode).
expected=
cr=$(printf '\r')
while IFS=' ' read -r sum name || [ -n "$sum" ]; do
  name=${name%"$cr"}
  name=${name#\*}
  if [ "$name" = "$archive" ]; then
    expected=$(printf '%s' "$sum" | tr 'A-F' 'a-f')
    break
  fi
done <"$tmp/SHA256SUMS"
if [ -z "$expected" ]; then
  die "$archive is not listed in SHA256SUMS, so it cannot be checked; nothing was installed" \
    "$archive が SHA256SUMS に載っていないため、確認できません。何もインストールしていません。"
fi
actual=$(sha256 "$tmp/$archive")
actual=${actual%% *}
if [ "$actual" != "$expected" ]; then
  if [ "$JA" = 1 ]; then
    printf '%s\n' "loginfix インストーラー：エラー：$archive の SHA-256 が SHA256SUMS の値と一致しません。" \
      "  SHA256SUMS の値：$expected" \
      "  ダウンロードしたファイルの値：$actual" \
      "ダウンロードが壊れているか、改ざんされています。何もインストールしていません。" >&2
  else
    printf '%s\n' "loginfix installer: error: the SHA-256 of $archive is not the one in SHA256SUMS" \
      "  SHA256SUMS:      $expected" \
      "  downloaded file: $actual" \
      "The download is damaged or was tampered with; nothing was installed." >&2
  fi
  exit 1
fi

# Only the binary is taken out of the archive.
mkdir "$tmp/x"
member="loginfix-$target/loginfix"
if ! tar -xzf "$tmp/$archive" -C "$tmp/x" "$member" 2>/dev/null ||
  [ ! -f "$tmp/x/$member" ] || [ -L "$tmp/x/$member" ]; then
  die "could not take $member out of $archive" "$archive から $member を取り出せませんでした。"
fi

# Install: a copy under a temporary name in the install directory, checked to run, then
# renamed over the old binary in one step (a running loginfix keeps its old file).
mkdir -p "$install_dir" ||
  die "could not create $install_dir" "$install_dir を作れませんでした。"
dest="$install_dir/loginfix"
staged="$install_dir/.loginfix.install.$$"
cp "$tmp/x/$member" "$staged" ||
  die "could not write to $install_dir" "$install_dir に書き込めませんでした。"
chmod 755 "$staged"
if ! version=$("$staged" --version 2>/dev/null); then
  die "the downloaded loginfix does not run here ($os $arch); nothing was installed" \
    "ダウンロードした loginfix はこのマシン（$os $arch）で動きません。何もインストールしていません。"
fi
version=$(printf '%s\n' "$version" | sed -n 1p)
mv -f "$staged" "$dest" ||
  die "could not install $dest" "$dest にインストールできませんでした。"
staged=

msg "Installed $version to $dest" "$version を $dest にインストールしました。"
case ":${PATH:-}:" in
*":$install_dir:"* | *":$install_dir/:"*)
  msg "$install_dir is on your PATH: run \`loginfix\` to start." \
    "$install_dir は PATH に含まれています。\`loginfix\` で起動できます。"
  ;;
*)
  msg "$install_dir is not on your PATH." "$install_dir は PATH に含まれていません。"
  msg "hint: add  export PATH=\"$install_dir:\$PATH\"  to ~/.profile (or your shell's startup file), or run $dest" \
    "ヒント：~/.profile（またはお使いのシェルの設定ファイル）に  export PATH=\"$install_dir:\$PATH\"  を追加するか、$dest で起動してください。"
  ;;
esac
