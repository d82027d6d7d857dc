# loginfix's messages in English. Keys must match ja.ftl one for one (a test compares
# them). Values are Fluent patterns: { $name } is filled in by the code.

## Defaults for values a finding does not name

default-browser = the browser
default-site = chatgpt.com
default-host = a login host
default-host-start = A login host
default-all-sites = all sites
your-language = your language
# Between the items of a list (domains, browsers, kinds of data).
list-separator = {", "}
list-two = { $a } and { $b }

## doctor: one sentence of advice per finding id

advice-browser_running = { $browser } is open: close all its windows before clearing its data.
advice-browser_restart_pending = { $browser } was updated but not restarted: restart it.
advice-browser_outdated = { $browser } { $version } is out of date: update it (Settings → About).
advice-browser_outdated-age = { $browser } { $version } is out of date ({ $age }): update it (Settings → About).
advice-cookies_blocked = { $browser } blocks cookies for { $site }: allow them in its site settings (Settings → Privacy → Cookies).
advice-cookies_session_only = { $browser } deletes { $site }'s cookies when it closes, so you are logged out every time: remove the "clear on exit" rule.
advice-third_party_cookies_blocked = Third-party cookies are blocked; if the security check fails, allow them for chatgpt.com.
advice-javascript_blocked = JavaScript is off for { $site }: the login needs it on (site settings → JavaScript).
advice-auto_translate = Automatic translation is on: turn it off for ChatGPT ("Never translate this site").
advice-auto_translate-rule = { $browser } always translates pages in "{ $from }" to "{ $to }", which breaks ChatGPT's page: remove that rule or choose "Never translate this site" on chatgpt.com.
advice-auto_translate-rule-mine = { $browser } always translates pages in "{ $from }" to your language, which breaks ChatGPT's page: remove that rule or choose "Never translate this site" on chatgpt.com.
advice-proxy_browser = { $browser } sends its traffic through the proxy { $server }: turn it off unless your organisation requires it.
advice-proxy_browser-policy = Your organisation's policy makes { $browser } use the proxy { $server }: if the login fails, tell your IT team.
advice-proxy_browser-unnamed = { $browser } sends its traffic through the proxy set in its settings: turn it off unless your organisation requires it.
advice-proxy_extension = The extension "{ $extension }" routes traffic through a proxy or VPN: disable it for now.
advice-proxy_system = A system-wide proxy { $server } is set: remove it unless your organisation requires it.
advice-hosts_file_block = The hosts file sends { $host } elsewhere: ask an administrator to remove that line.
advice-hosts_file_block-pinned = The hosts file pins { $host } to the fixed address { $address }, which breaks when OpenAI's addresses change: ask an administrator to remove that line.
advice-policy_blocks_site = Your organisation's policy for { $browser } blocks { $site }: contact your IT team.
advice-policy_blocks_cookies = Your organisation's policy for { $browser } blocks cookies for { $site }: contact your IT team.
advice-policy_blocks_javascript = Your organisation's policy for { $browser } blocks JavaScript for { $site }: contact your IT team.
advice-policy_forces_extension = Your organisation's policy installs the extension "{ $extension }", known to interfere: contact your IT team.
advice-resist_fingerprinting = Fingerprinting resistance is on; the security check may loop: turn it off (about:config privacy.resistFingerprinting) or use another profile for ChatGPT.
advice-resist_fingerprinting-safari = Advanced Tracking and Fingerprinting Protection is on for all browsing; the security check may loop: set it to private browsing only (Settings → Advanced).
advice-shields_strict = Brave Shields are strict for { $site }: set them to standard for the site (the lion icon).
advice-private_only = { $browser } opens only private windows, so nothing is kept between sessions: you will have to log in every time.
advice-dns_over_https_custom = A custom secure-DNS resolver { $server } is set; if the login hosts do not load, try the default.
advice-interfering_extension = The extension "{ $extension }" is known to interfere with the login: disable it for now.
advice-vpn_system = A VPN is connected on this computer ({ $name }): OpenAI blocks or challenges many VPN exits ("403", "Access denied"). Disconnect it, or choose another location, and try again.
advice-policy_clears_data = Your organisation's policy makes { $browser } delete cookies when it closes, so you are signed out each time: sign in again after each start, or ask your IT team.
advice-policy_clears_data-timer = Your organisation's policy makes { $browser } delete cookies on a timer (every { $hours } h), so you are signed out: ask your IT team if this is too often.
advice-sign_in_restricted = Your organisation's policy lets { $browser } sign in to Google only with accounts of { $domains }: "Continue with Google" with another account is refused.
advice-storage_disabled = { $browser } has web storage turned off (dom.storage.enabled = false): ChatGPT cannot run without it. Set it back to true in about:config, or ask your IT team if it is locked.
advice-clock_skew = Your clock is off by { $seconds } s: turn on automatic time (two-factor codes depend on it).
advice-host_unreachable = { $host } does not answer from this machine: check the network, proxy or firewall.
advice-openai_outage = OpenAI's status page reports a problem now ({ $description }): the login may fail for everyone until it is fixed. Wait, and check https://status.openai.com before changing anything on this computer.

## doctor: the text report

doctor-this-machine = This machine
doctor-nothing-found = nothing found
doctor-not-found = { $browser }: not found
doctor-not-checked = not checked: { $ids } ({ $reason })
doctor-summary = { $errors } error(s), { $warnings } warning(s), { $info } info, { $unread } unreadable; { $profiles } profile(s) checked
doctor-nothing-else = Nothing else found.
severity-error = error
severity-warning = warning
severity-info = info

## fix and the guided mode

fix-title = loginfix: clears ChatGPT's sign-in data from your browsers, so that you can sign in again.
fix-found = Browsers found: { $list }
fix-no-profile = No browser profile was found on this computer.
fix-browser-open = { $browser } is open. Please quit { $browser } (all its windows) so that its sign-in data can be cleaned.
fix-waiting = Waiting for { $browser } to close… (Ctrl-C to stop)
fix-closed = { $browser } is closed.
fix-interrupted = Stopped. Nothing was changed.
fix-press-enter = Press Enter to close this window.
fix-plan-heading = loginfix will remove this data of { $domains }:
fix-done-heading = Removed this data of { $domains }:
fix-dry-heading = Would remove this data of { $domains } (dry run):
fix-profile-label = { $browser } ({ $name })
fix-profile-line = { $profile }: { $what }
fix-what-cookies = { $count ->
    [one] 1 cookie
   *[other] { $count } cookies
}
fix-what-cache = { $count ->
    [one] 1 cached file ({ $size })
   *[other] { $count } cached files ({ $size })
}
fix-what-site-data = { $count ->
    [one] 1 item of site data
   *[other] { $count } items of site data
}
fix-nothing = Nothing of { $domains } was found to remove: the browsers hold no sign-in data for it.
fix-keep = Your other sites stay signed in: only the data of { $domains } is removed.
fix-backup-note = A backup is kept first, so this can be undone.
fix-left-out-heading = Left as they are (nothing is changed there):
fix-left-out-store = { $profile }: { $file } could not be read. After the run, loginfix says why and what to do.
fix-left-out-running = { $profile }: its browser is in use (on this computer or another one), so it is not cleaned.
fix-left-out-profile = { $profile }: could not be read, so it is not cleaned. After the run, loginfix says why.
fix-question = Remove these? [Y/n] (Enter = yes)
fix-question-no-backup = No backup is kept. Remove these? [y/N] (Enter = no)
fix-declined = Nothing was changed.
fix-dry-run = Dry run: nothing was changed.
fix-skipped-running = { $browser } is still open, so its data was left as it is: quit it and run loginfix again.
fix-skipped-elsewhere = { $browser } seems to be in use on another computer, so its data was left as it is. If it is not, run loginfix again with --ignore-foreign-locks.
fix-failed-profile = { $profile }: some data could not be removed. Start the browser once and quit it, then run loginfix again (the errors above say what failed).
fix-undo = To undo: `{ $command }`
fix-findings-heading = Other things that can stop the sign-in, most likely first:
fix-no-findings = Nothing else that could stop the sign-in was found.
fix-more-findings = …and { $count } more: `loginfix doctor` lists them all.
fix-next-heading = What to do next:

## fix: next steps, one per id

next-run_the_clean = Nothing was removed yet (dry run): run `loginfix fix` without --dry-run to remove it, then sign in again.
next-find_the_browser = No browser profile was found, so nothing was cleaned: check that this is the account that uses the browser (or give --home), then run loginfix again.
next-sign_in = Open https://chatgpt.com and sign in the same way as before (Google, Microsoft, Apple or e-mail and password).
next-act_on_findings = If it still fails, fix the points listed above first, starting with the first.
next-check_status = Check OpenAI's status page (https://status.openai.com): the problem may be on their side.
next-wait_after_failures = After many failed attempts, wait a while before trying again: repeated attempts can be blocked for a time.
next-try_private_window = Try a private (incognito) window.
next-try_another_browser_or_network = Try another browser, or another network (for example your phone's hotspot instead of the office Wi-Fi).
next-check_phone_clock = If you sign in with codes from an app on your phone, check that the phone sets its clock automatically.

## clear-cookies, clear-cache, clear-site-data: the text report

clean-looked-in = looked in { $path }
clean-verb-would-remove = Would remove
clean-verb-removed = Removed
clean-verb-skipped = Skipped
clean-verb-failed = Failed
clean-verb-unreadable = Unreadable
clean-would-remove = { $count } would be removed
clean-removed = { $count } removed
clean-skipped = { $count } skipped
clean-failed = { $count } failed
clean-failed-because = { $count } failed ({ $reason })
clean-items = { $count ->
    [one] 1 item
   *[other] { $count } items
}
clean-stores-unread = { $count ->
    [one] 1 store could not be read
   *[other] { $count } stores could not be read
}
clean-semicolon = { $a }; { $b }
clean-with-size = { $what } ({ $size })
clean-and = { $a }, { $b }
clean-unreadable-left = { $count } unreadable left alone
clean-not-reached = { $count } not reached
clean-summary = Summary: { $list }, in { $count ->
    [one] 1 profile
   *[other] { $count } profiles
}.
clean-interrupted-dry = Interrupted: the profiles not listed were not read.
clean-interrupted-reading = Interrupted while reading the stores: nothing was changed.
clean-interrupted = Interrupted: every store was left whole; what is not listed as removed was left as it was.
clean-no-profile = No profile of the selected browsers was found.
clean-backup-undo = Backup: { $dir } (undo with `{ $command }`)
clean-backup-cache = Backup: { $dir } (a record of the removed cache entries; browsers download them again, there is nothing to restore)
clean-backup = Backup: { $dir }
clean-store-note = note: { $file }: { $reason }
clean-lock = lock: { $detail }
time-store = time: { $file }: { $list }
time-pruning = time: pruning older backup sets: { $value }
time-backup = backup { $value }
time-edit = edit { $value }
time-check = integrity check { $value }
clean-note = note: { $reason }
clean-unreadable-line = { $file }: { $reason } (left alone)
clean-nothing-to-remove = nothing to remove
clean-timed-out = not begun: --timeout reached
clean-skipped-because = skipped: { $reason }
clean-browser-running = the browser is running
clean-profile-failed = failed

## What each store is, in the item lines

store-cookies = cookies
store-cache = cache
store-session_restore = session restore
store-indexed_db = indexed db
store-cache_storage = cache storage
store-local_storage = local storage
store-session_storage = session storage
store-service_worker = service worker
store-bucket = bucket
store-file_system = file system
store-quota_cache = quota cache
store-site_storage = site storage
store-website_data = website data

## Every report: a profile's first line

profile-header = { $id } { $dir }
profile-header-named = { $id } { $dir } "{ $name }"

## backups and restore

backups-none = No backup sets in { $dir }
backups-stores = { $count ->
    [one] 1 store
   *[other] { $count } stores
}
backups-cache = { $count ->
    [one] 1 cache entry removed
   *[other] { $count } cache entries removed
}
restore-set = Backup set { $id }
restore-verb-would = Would restore
restore-verb-restored = Restored
restore-files = { $count ->
    [one] 1 file
   *[other] { $count } files
}
restore-line = { $whose }: { $files }{ $changed }
restore-changed-would = { " " }({ $count } differed from the backup: would be replaced)
restore-changed = { " " }({ $count } differed from the backup: replaced, kept in the undo set)
restore-cookies = { $count ->
    [one] 1 cookie
   *[other] { $count } cookies
}
restore-sites = { $count ->
    [one] 1 site
   *[other] { $count } sites
}
restore-lose-cookies-would = { $cookies } of { $sites } set since the backup would be removed
restore-lose-cookies = { $cookies } of { $sites } set since the backup were removed (kept in the undo set)
restore-differs-would = the current file differs from the backup and would be replaced
restore-differs = the current file differs from the backup and was replaced (kept in the undo set)
restore-summary-dry = Summary: { $count } would be restored, { $skipped } skipped (browser running), { $failed } failed.
restore-summary = Summary: { $count } restored, { $skipped } skipped (browser running), { $failed } failed.
restore-undo = Undo: `{ $command }` puts back what this restore replaced

## extensions

ext-col-name = NAME
ext-col-id = ID
ext-col-version = VERSION
ext-col-state = STATE
ext-col-category = CATEGORY
ext-enabled = enabled
ext-disabled = disabled
ext-builtin = built-in
ext-may-interfere = may interfere
ext-may-interfere-advice = { $reason }; if login fails, turn it off and try again
ext-unread = the extensions could not be read: { $reason }
ext-unread-hint = check the extensions in the browser itself (chrome://extensions, edge://extensions, about:addons, Safari Settings → Extensions)
ext-none = no extensions installed
ext-no-troublemakers = no known troublemakers installed
ext-why-script = runs a content script on the target sites ({ $pattern })
ext-why-network = can change the target sites' requests: host access `{ $host }` with `{ $permissions }`

## browsers

browsers-version = version { $version }
browsers-running = (running)
browsers-stale = (stale lock)
browsers-unchecked = (running state not checked)

## doctor: why a check was not made

not-checked-offline = needs the network: run with --online
not-checked-server-time = the server time could not be read: { $reason }
not-checked-no-answer = no answer in time
not-checked-firefox-wal = `{ $file }` holds changes Firefox has not written into permissions.sqlite yet (is it running?); doctor reads only the database itself: close Firefox and run it again
not-checked-policy-registry = the Windows registry's policies (HKLM\SOFTWARE\Policies) were not read: there is no registry hive (Windows\System32\config\SOFTWARE) under the root; point --root at a mounted Windows disk to read it. policies.json files were read
not-checked-gnome = the GNOME user setting ({ $file }, a binary database) was not read: run `gsettings get org.gnome.system.proxy mode` as the user
not-checked-internet-settings = the machine's Windows Internet settings (registry) were not read: there is no registry hive (Windows\System32\config\SOFTWARE) under the root
not-checked-other-users-internet-settings = the user's Windows Internet settings (their HKCU) were not read: their registry is not loaded and the home has no NTUSER.DAT
not-checked-hive-unfinished = { $file } has changes not yet written into it (in its .LOG1/.LOG2 files, which are not read): a policy set in the last moments may be missing; run doctor again once Windows has saved it (after the user signs out)

## doctor: what each check looks at (named in the "not checked" line)

check-browser_running = browser_running
check-browser_restart_pending = browser_restart_pending
check-browser_outdated = browser_outdated
check-cookies_blocked = cookies_blocked
check-cookies_session_only = cookies_session_only
check-third_party_cookies_blocked = third_party_cookies_blocked
check-javascript_blocked = javascript_blocked
check-auto_translate = auto_translate
check-proxy_browser = proxy_browser
check-proxy_extension = proxy_extension
check-proxy_system = proxy_system
check-hosts_file_block = hosts_file_block
check-policy_blocks_site = policy_blocks_site
check-policy_blocks_cookies = policy_blocks_cookies
check-policy_blocks_javascript = policy_blocks_javascript
check-policy_forces_extension = policy_forces_extension
check-resist_fingerprinting = resist_fingerprinting
check-shields_strict = shields_strict
check-private_only = private_only
check-dns_over_https_custom = dns_over_https_custom
check-interfering_extension = interfering_extension
check-vpn_system = vpn_system
check-policy_clears_data = policy_clears_data
check-sign_in_restricted = sign_in_restricted
check-storage_disabled = storage_disabled
check-clock_skew = clock_skew
check-host_unreachable = host_unreachable
check-openai_outage = openai_outage
doctor-finding = { $severity } { $id }  { $advice }
doctor-unread = could not read `{ $file }`: { $reason }

## Diagnostics: what to do about a store

hint-store-full-disk-access = give your terminal app Full Disk Access (System Settings → Privacy & Security → Full Disk Access), then run loginfix again
hint-store-locked = close the program that holds the file (the browser, a sync or backup tool, a database viewer), then run loginfix again
hint-store-permission-child = the file or its directory forbids the home's owner, whom loginfix works as in this home: give it back to them (chown), or move it aside
hint-store-permission = the file or its directory belongs to another user or forbids access: run loginfix as the user whose home this is, or with sudo
hint-store-readonly = the file or its directory is read-only: make it writable (or mount the disk read-write), then run loginfix again
hint-store-symlink = loginfix does not follow links: move the data back in place of the link, or remove the link, then run loginfix again
hint-store-hard-links = give the file a name of its own (copy it, remove the original, rename the copy into place), then run loginfix again
hint-store-not-a-browser-file = the file was not written by a browser: move it aside (that keeps it as a backup) and the browser creates a new one on its next start
hint-store-unknown-schema = the file's layout is not one loginfix knows (a newer browser?): update loginfix; the file was left as it was
hint-store-damaged = the file is damaged: move it aside (that keeps it as a backup) and the browser rebuilds it on its next start (the sign-ins it held are lost)
hint-store-disk-full = the disk is full: free some space, then run loginfix again

## Diagnostics: labels and the front door

diag-error = error:
diag-warning = warning:
diag-hint = hint:
diag-note = note:
error-home-missing = the home directory `{ $dir }` does not exist or is not a directory
hint-home-missing = give the directory that holds the user's AppData, Library or .config
error-no-home = could not find the current user's home directory
hint-no-home = give it with --home DIR
error-root-missing = the root directory `{ $dir }` does not exist or is not a directory
hint-root-missing = give the directory a disk of the machine is mounted on, or leave --root out
error-root-home-empty = running as root, and root's home `{ $dir }` has no browser profile: this is probably not the account you meant
hint-root-home-empty = give --all-users to act on every user of this machine, or --home DIR for one
error-no-such-profile = no profile named `{ $name }` was found
hint-no-profile-at-all = no profile was found at all; check --home and --os, or run `loginfix browsers -v`
hint-profiles-found = profiles found: { $list }
hint-run-lock = two runs on one home would race on its stores and backups
hint-give-back-folder = give the folder back to the home's owner (chown), or move it aside, then run again

## The command line: the short usage, each command's description and examples

usage-about = Surgically clear ChatGPT / OpenAI cookies, cache and site data from every browser profile
usage-commands = Commands:
usage-try-first = Try first: loginfix fix --dry-run   (what would be removed, and other causes; changes nothing)
    A person at a terminal: loginfix alone guides you, asking once before removing anything.
    More:      loginfix --help, loginfix <COMMAND> --help
usage-examples = Examples:
usage-global-options = Global options (--home, --os, --lang, --json, -q, -v and more): `loginfix --help`.
about-fix = Clear cookies, cache and site data in one run, then find other causes
about-browsers = List the browsers and profiles found, with their stores and whether they run
about-clear-cookies = Remove the target domains' cookies (and Firefox's session-restore copies)
about-clear-cache = Remove the target domains' HTTP-cache and code-cache entries
about-clear-site-data = Remove the target domains' site data (storage, IndexedDB, service workers, ...)
about-extensions = List installed extensions known or likely to break logging in
about-doctor = Find other causes of a failed login (proxies, policies, ...); changes nothing
about-backups = List the backup sets of earlier runs
about-restore = Put the stores of a backup set back (default: the latest set)
about-request = Ask for a clean on this machine, for the next `fix --if-requested` (admins only)
about-completions = Print the completion script for SHELL on stdout (the README says where it goes)
about-man = Print the man page (roff) on stdout: loginfix(1) or loginfix-COMMAND(1)
about-help = Print this message or the help of the given subcommand(s)
examples-fix =
      loginfix fix --dry-run
        what would be removed, and the other causes; changes nothing
      loginfix fix --yes
        clean without asking (a script)
      loginfix fix --if-requested --summary
        for a fleet tool: clean once when support asked
examples-clear-cookies =
      loginfix clear-cookies --dry-run
        what would be removed, from every browser
      loginfix clear-cookies --browser chrome
        remove them from every Chrome profile
      loginfix clear-cookies --dry-run --json | jq '.summary'
        the same, for a script
examples-clear-cache =
      loginfix clear-cache --dry-run
        the cached files of the target domains
      loginfix clear-cache --browser edge
        remove them from every Edge profile
examples-clear-site-data =
      loginfix clear-site-data --dry-run
        the target domains' storage, IndexedDB and service workers
      loginfix clear-site-data --browser firefox
        remove them from every Firefox profile
examples-doctor =
      loginfix doctor
        the other causes this machine shows
      loginfix doctor --online
        also the clock and the login hosts (uses the network)
examples-restore =
      loginfix restore --dry-run
        what the latest backup set would put back
      loginfix restore
        put the latest backup set back
examples-backups =
      loginfix backups
        the backup sets, newest first
examples-browsers =
      loginfix browsers -v
        the browsers found, and where each was looked for
examples-extensions =
      loginfix extensions --all
        every installed extension, not only the troublemakers

## Each option's description in `--help` (English: the same words as the doc comments of
## src/cli.rs; a unit test compares them). `arg-<option>`, or `arg-<command>-<option>`
## where the option means something else in that command; `value-<option>-<value>` for a
## value's own description; `help-*` for what clap adds after a description.

help-usage = Usage:
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-global-options = Global options
help-default = [default: { $value }]
help-values = [possible values: { $list }]
help-value = { $value } ({ $description })
arg-help = Print help
arg-version = Print version
arg-home = Act on the user whose home directory is DIR (another account, a mounted disk)
arg-root = Read machine-wide files (hosts file, policies, system proxy) under DIR, a mounted disk for example [default: /, the system drive on Windows]
arg-os = How the home is laid out [default: this machine's OS]
arg-json = Print one JSON document on stdout instead of text
arg-quiet = Print only the summary and errors
arg-verbose = Also print what was looked at (directories, locks, store files)
arg-ignore-foreign-locks = Treat a browser lock held by another machine (a home on a network share) as stale instead of as a running browser
arg-color = When to use colour in text output
arg-lang = Language of the text [default: from LC_ALL, LC_MESSAGES, LANG, else the system's]
arg-all-users = Act on every real user account of the machine (or of --root), one after another, as if --home were given for each; for browsers, clear-*, extensions, doctor and backups
arg-summary = Print only one summary line on stdout (counts and the first findings), for Intune and Jamf; `jamf` wraps it in <result>…</result>
value-summary-plain = The line as it is (Intune shows the last line of stdout)
value-summary-jamf = `<result>line</result>`, what a Jamf extension attribute stores
arg-json-out = Also write the JSON document to FILE (mode 0600, replaced atomically); stdout keeps the text or the summary
arg-redact = Replace user names and home paths by stable hashes (the first 12 hex digits of their SHA-256) in all output, for reports that leave the machine
arg-timeout = Time limit per user, in seconds; a user not done by then is reported as `timed_out` (a clean stops between profiles, never within a store)
arg-browser = Browser to act on (repeatable) [default: all]
arg-profile = Profile directory name (`Default`, `Profile 2`, `abcd.default-release`) or display name (repeatable) [default: every profile]
arg-domain = Target domain; its subdomains are included (repeatable) [default: openai.com and chatgpt.com]
arg-dry-run = Show what would be removed; open every store read-only and change nothing
arg-fix-dry-run = Show what would be removed and what else was found; change nothing, ask nothing
arg-restore-dry-run = Show what would be restored; change nothing
arg-yes = Neither ask nor wait for open browsers: their profiles are skipped (exit 3)
arg-backup-dir = Keep backup sets in DIR [default: loginfix/backups in the home's data directory]
arg-backups-backup-dir = The directory holding the backup sets [default: as for clear-cookies]
arg-restore-backup-dir = The directory holding the backup sets [default: as for clear-cookies]
arg-no-backup = Change stores without backing them up first (for scripts that keep their own)
arg-keep = How many backup sets to keep; older ones are pruned after a successful run
arg-move-damaged = Also move each damaged cookie file (one SQLite cannot read) into the backup set, so that its browser makes a new, empty one: this signs you out of every site in that profile; `restore` puts it back. Without it, fix on a terminal asks
arg-if-requested = Clean only when `loginfix request` asked for it on this machine, then clear the request; without one, change nothing (for scheduled remediation; implies --yes)
arg-no-whole-cache = Skip caches that can only be cleared whole (Chrome and Edge on Windows) instead of clearing them when they hold target entries
arg-all = List every installed extension (built-in ones too), marking catalog matches
arg-online = Also run the checks that need the network (the clock against an HTTPS `Date` header, whether the login hosts answer), each with a short timeout
arg-id = The backup set's id (from `loginfix backups`) [default: the latest]
arg-status = Say whether a clean is requested (exit 1 while it is, for a detection script)
arg-clear = Clear the request without cleaning
arg-shell = The shell to complete for
arg-command = The command whose page to print [default: loginfix(1), which lists them]
examples-loginfix =
      loginfix clear-cookies --dry-run
        what would be removed, from every browser
      loginfix clear-cookies --browser chrome
        remove them from every Chrome profile
      loginfix clear-cookies --dry-run --json | jq '.summary'
        the same, for a script
      loginfix restore
        put the latest backup set back
      loginfix --home /mnt/disk/Users/ana clear-cookies --dry-run
        another account or disk

## Usage errors (clap says them in English itself; these are used in the other languages)

usage-error-command = there is no command `{ $name }`
usage-error-commands = `loginfix --help` lists the commands
usage-error-option = unexpected argument `{ $name }`
usage-error-more = `loginfix --help` shows the usage
usage-error-value = `{ $value }` is not a value of `{ $name }`
usage-error-choices = the choices: { $list }
usage-error-missing = `{ $name }` needs a value
usage-error-conflict = `{ $a }` cannot be used with `{ $b }`
usage-error-did-you-mean = did you mean `{ $name }`?
fix-more-steps = { $count ->
    [one] …and 1 more step: `loginfix fix --dry-run` lists every step.
   *[other] …and { $count } more steps: `loginfix fix --dry-run` lists every step.
}

## Warnings and notes

hint-lock-elsewhere = the lock names another machine: if { $browser } is not running there (a home on a network share, a disk from another computer), run again with --ignore-foreign-locks
hint-lock-running = quit { $browser } (all its windows and background processes) and run loginfix again
warning-skipped-profile = skipped { $browser } profile `{ $profile }`: { $reason }
note-layout-guessed = `{ $dir }` has { $name }: reading it as a { $os } home (give --os to choose another layout)
warning-no-layout = `{ $dir }` holds none of AppData, Library, .config, .mozilla or .cache, where browsers keep their data: nothing can be found there
hint-no-layout = give the user's home directory itself as --home, and --os linux|macos|windows to say how it is laid out

## Store errors (the details after them are SQLite's or the OS's own)

error-could-not-open = could not open `{ $file }`
error-could-not-read = could not read `{ $file }`
error-not-sqlite = `{ $file }` is not a readable SQLite database
# Deeper store and executor errors: after the file, what went wrong; the OS's or SQLite's
# own detail follows as it is.
err-absolute-plain-path = `{ $file }` is not an absolute, plain path
err-inside-home-acted-on-changed = `{ $file }` is not inside the home acted on (`{ $home }`); not changed
err-nested-too-deeply-changed = `{ $file }` is nested too deeply; not changed
err-names-no-file = `{ $file }` names no file
err-larger-than-bytes = larger than { $n } bytes
err-no-browser-data-under-read = { $detail }; no browser data under it is read or changed
err-belongs-uid-owner-home-uid = `{ $file }` belongs to uid { $owner }, not to the owner of the home `{ $path }` (uid { $uid }): another user's data may be there, so this home is not acted on
err-leads-out-through-symlink-followed = `{ $file }` leads out of `{ $path }` through a symlink; not followed
err-symlink-followed-run-as-root = `{ $file }` is a symlink to `{ $path }`; not followed (run as root over a home, a link could lead anywhere)
err-too-many-symlinks-on-way = `{ $file }`: too many symlinks on the way; not followed
err-symlink-outside-home-followed = `{ $file }` is a symlink to `{ $path }`, outside the home `{ $dir }`; not followed
err-directory = `{ $file }` is not a directory
err-mount-point-another-file-system = `{ $file }` is a mount point (another file system); not changed
err-regular-file = not a regular file
err-could-create-backup-set = could not create a backup set in `{ $file }`
err-could-back-up = could not back up `{ $file }`
err-nested-too-deeply-back-up = `{ $file }` is nested too deeply to back up
err-could-list = could not list `{ $file }`
err-regular-file-or-directory-tree = `{ $file }` is not a regular file or directory; the tree was not backed up
err-could-write = could not write `{ $file }`
err-could-open-backup-directory = could not open the backup directory `{ $file }`
err-could-create-backup-directory = could not create the backup directory `{ $file }`
err-could-open-symlink-or-directory = could not open `{ $file }` (a symlink or not a directory?)
err-regular-file-backed-up = `{ $file }` is not a regular file; not backed up
err-has-hard-links-could-be = `{ $file }` has { $n } hard links (it could be another user's file); not backed up, and nothing of it was changed
err-enough-free-space-for-backup = not enough free space for the backup of `{ $file }` ({ $size } bytes needed, { $free } free in `{ $dir }`); free some space or give --backup-dir on another disk
err-could-create = could not create `{ $file }`
err-could-back-up-into = could not back up `{ $file }` into `{ $path }`
err-could-open-back-up = could not open `{ $file }` to back it up
err-could-read-back-up = could not read `{ $file }` to back it up
err-symlink-read-as-backup = `{ $file }` is a symlink; not read as a backup
err-backup-manifest = `{ $file }` is not a backup manifest
err-has-no-valid-header-line = `{ $file }` has no valid header line
err-line-manifest-entry = line { $n } of `{ $file }` is not a manifest entry
err-could-prune-old-backup = could not prune the old backup `{ $file }`
err-could-remove = could not remove `{ $file }`: { $detail }
err-regular-file-2 = `{ $file }` is not a regular file
err-changed-after-read-run-loginfix = `{ $file }` changed after it was read; run loginfix again
err-could-rewrite = could not rewrite `{ $file }`
err-entries-removed-but-index = entries removed, but the index was not: { $detail }
err-inside-removed = `{ $file }` is not inside `{ $path }`; not removed
err-directory-below-removed = `{ $file }` is not a directory below `{ $path }`; not removed
err-symlink-removing-what-points = `{ $file }` is a symlink; not removing what it points to
err-directory-removed = `{ $file }` is not a directory; not removed
err-could-remove-2 = could not remove `{ $file }`
err-nested-too-deeply-removed = `{ $file }` is nested too deeply; not removed
err-mount-point-nothing-under-removed = `{ $file }` is a mount point; nothing under `{ $path }` was removed
err-could-create-temporary-file = could not create a temporary file in `{ $file }`
err-could-write-temporary-file = could not write a temporary file in `{ $file }`
err-could-give-owner-back = could not give `{ $file }` its owner back
err-could-replace = could not replace `{ $file }`
err-exists-directory = `{ $file }` exists and is not a directory
err-made-by-someone-else-meanwhile = `{ $file }` was made by someone else meanwhile
err-could-open-just-made = could not open `{ $file }` just made
err-replaced-while-made-nothing-written = `{ $file }` was replaced while it was made; nothing is written there
err-could-restrict = could not restrict `{ $file }`
err-database-rebuilt-but-this-file = the database was rebuilt, but this file was not removed
err-database-rebuilt-but-this-directory = the database was rebuilt, but this directory was not removed
err-no-longer-directory-symlink-nothing = `{ $file }` is no longer a directory (a symlink?); nothing was changed
err-nothing-changed = nothing was changed
err-left-over-from-interrupted-rebuild = `{ $file }` is left over from an interrupted rebuild; start the browser once (it finishes the rebuild) and run again; nothing was changed
err-nothing-changed-use-no-backup = nothing was changed (use --no-backup to clean without a backup)
err-could-build = could not build `{ $file }`
err-could-build-2 = could not build `{ $file }`: { $detail }
err-appeared-while-being-made-nothing = `{ $file }` appeared while it was being made; nothing was changed
err-could-list-what-built-for = could not list what was built for `{ $file }`
err-could-read-what-built-for = could not read what was built for `{ $file }`
err-could-give-owner = could not give `{ $file }` its owner
err-could-flush = could not flush `{ $file }`
err-rebuilt-does-read-back-as = the rebuilt `{ $file }` does not read back as written
err-could-move-aside-nothing-changed = could not move `{ $file }` aside; nothing was changed
err-could-move-rebuilt-database-into = could not move the rebuilt database into `{ $file }`; the old one was put back
err-could-move-rebuilt-database-into-2 = could not move the rebuilt database into `{ $file }`, nor the old one back from `{ $path }` ({ $detail })
err-database-rebuilt-but-old-copy = the database was rebuilt, but the old copy `{ $file }` could not be removed
err-interrupted-items-done-others-left = interrupted: { $done } of { $n } items done, the others left as they were
err-interrupted-items-reached-left-as = interrupted: { $n } items not reached, left as they were
err-items-could-be-removed = { $n } of { $count } items could not be removed
err-moved-aside-store-moved-only = `{ $file }` was not moved aside: a store is moved only into a backup set
err-moved-aside = `{ $file }` was not moved aside
err-regular-file-symlink-nothing-moved = `{ $file }` is not a regular file (a symlink?); nothing was moved
err-could-read-nothing-moved = could not read `{ $file }`: { $detail }; nothing was moved
err-nothing-moved = nothing was moved
err-could-read-nothing-moved-2 = could not read `{ $file }`; nothing was moved
err-changed-while-being-moved-aside = `{ $file }` changed while it was being moved aside; nothing was moved
err-backup-set-holds-every-file = { $detail }; the backup set holds every file of it, and `restore` puts it back
err-nothing-changed-2 = { $detail }; nothing was changed
err-no-longer-regular-file-symlink = `{ $file }` is no longer a regular file (a symlink?); nothing was changed
err-could-read = could not read `{ $file }`: { $detail }
err-nothing-changed-use-no-backup-2 = { $detail }; nothing was changed (use --no-backup to clean without a backup)
err-removed-but-backup-manifest-could = removed, but the backup manifest could not record it: { $detail }
err-nothing-removed-use-no-backup = { $detail }; nothing of it was removed (use --no-backup to clean without a backup)
err-nothing-removed = { $detail }; nothing of it was removed
err-no-longer-regular-file-symlink-2 = `{ $file }` is no longer a regular file (a symlink?); nothing of it was removed
err-could-read-backup = could not read the backup `{ $file }`
err-backup-does-match-manifest-sha = the backup `{ $file }` does not match its manifest (SHA-256 { $got }, expected { $want }); nothing was changed
err-absolute-path = `{ $file }` is not an absolute path
err-has-component = `{ $file }` has a `..` component
err-inside-home = `{ $file }` is not inside the home `{ $path }`
err-home-itself = `{ $file }` is the home itself
err-symlink = `{ $file }` is a symlink
err-could-read-2 = could not read `{ $file }`: { $detail }
err-store-loginfix-changes = `{ $file }` is not a store loginfix changes
err-backup-file-plain-name-inside = the backup file `{ $name }` is not a plain name inside the set
err-backup-regular-file = the backup `{ $file }` is not a regular file
err-could-read-backup-2 = could not read the backup `{ $file }`: { $detail }
err-symlink-replacing = `{ $file }` is a symlink; not replacing it
err-refused-by-check-nothing-changed = refused by the check of `{ $file }`: { $reason }; nothing was changed
err-backup-does-match-manifest-sha-2 = the backup `{ $file }` does not match its manifest (SHA-256 { $got }, expected { $want }); nothing would be changed
err-could-back-up-current-store = could not back up the current store first; nothing was changed
err-locked-by-another-program-waited = `{ $file }` is locked by another program (waited { $n } s); close it and run again
err-could-open-for-writing = could not open `{ $file }` for writing
err-locked-by-another-program = `{ $file }` is locked by another program
err-could-check = could not check `{ $file }`
err-fails-sqlite-integrity-check-edit = `{ $file }` fails SQLite's integrity check ({ $detail }); the edit was rolled back, its rows are as they were
err-could-commit-changes = could not commit the changes to `{ $file }`
err-could-delete-from = could not delete from `{ $file }`
err-could-mark-invalid = could not mark `{ $file }` invalid
err-rows-removed-but = rows removed, but { $detail }
err-could-update = could not update `{ $file }`
err-row-kept = { $detail }; its row was kept
err-symlink-followed = a symlink; not followed
err-file-detail = `{ $file }`: { $detail }
err-blockfile-index = `{ $file }` is not a blockfile index
err-declares-absurd-table-size = `{ $file }` declares an absurd table size { $size }
err-truncated = `{ $file }` is truncated
err-could-read-schema = could not read the schema of `{ $file }`
err-chromium-quotamanager-database-table-buckets = `{ $file }` is not a Chromium QuotaManager database (table `buckets` has no `{ $name }` column)
err-could-read-buckets = could not read the buckets of `{ $file }`
err-dom-storage-database-this-tool = `{ $file }` is not a DOM-storage database this tool understands (no `{ $table }.{ $column }`)
err-could-read-dom-storage-maps = could not read the DOM-storage maps of `{ $file }`
err-larger-than-bytes-database-left = `{ $file }` is larger than { $n } bytes; the database was left alone
err-does-name-manifest-leveldb-left = `{ $file }` does not name a MANIFEST; not a LevelDB, left alone
err-damaged-database-left-alone = `{ $file }` is damaged ({ $detail }); the database was left alone
err-names-comparator-database-left-alone = `{ $file }` names the comparator `{ $name }`, not `{ $want }`; the database was left alone
err-names-table-which-missing-database = `{ $file }` names the table `{ $name }`, which is missing; the database was left alone
err-could-create-private-directory = could not create a private directory
err-regular-file-database-left-alone = `{ $file }` is not a regular file; the database was left alone
err-leveldb-file-name-database-left = `{ $file }` is not a LevelDB file name; the database was left alone
err-could-copy = could not copy `{ $file }`
err-could-read-leveldb = could not read the LevelDB `{ $file }`: { $detail }
err-namespace-entry-holds-no-map = `{ $file }`: the namespace entry `{ $name }` holds no map id; the database was left alone
err-map-shared-with-another-site = `{ $file }`: map { $id } is shared with another site's namespace; the database was left alone
err-has-no-table = `{ $file }` is not { $what } (it has no `{ $table }` table)
err-has-unknown-schema-table-has = `{ $file }` has an unknown schema: table `{ $table }` has no `{ $name }` column
err-could-read-cookies-from = could not read cookies from `{ $file }`
err-lists-more-entry-names-than = `{ $file }` lists more entry names than can be held
err-has-unknown-schema-table-has-2 = `{ $file }` has an unknown schema: table `{ $table }` has no `{ $name }` column
err-could-read-localstorage-rows-from = could not read localStorage rows from `{ $file }`
err-quotamanager-cache-this-tool-understands = `{ $file }` is not a QuotaManager cache this tool understands (no `{ $table }.{ $column }`)
err-larger-than-bytes-read = `{ $file }` is larger than { $n } bytes; not read
err-firefox-service-worker-registration-file = `{ $file }` is not a Firefox service-worker registration file; nothing was changed
err-firefox-session-file = `{ $file }` is not a Firefox session file
err-holds-json-that-could-be = `{ $file }` holds JSON that could not be read
err-macos-protects-safari-data-your = macOS protects Safari's data (your terminal app needs Full Disk Access)
err-left-untouched-binarycookies-file-this = `{ $file }` was left untouched: it is not a binarycookies file this tool understands
err-safari-cache-database-this-tool = `{ $file }` is not a Safari cache database this tool understands (no `cfurl_cache_response.{ $name }`)
err-could-list-2 = could not list: { $detail }
err-could-create-private-directory-for = could not create a private directory for a copy
err-could-open-copy = could not open a copy of `{ $file }`
err-has-trigger-which-no-browser = `{ $file }` has a trigger (`{ $name }`), which no browser writes; not read or changed
err-table-which-no-browser-writes = `{ $file }`: `{ $name }` is a { $what }, not a table, which no browser writes; not read or changed

## Progress, on a terminal

progress-who = { $id } { $dir }: { $store }
progress-reading = Reading { $what } ({ $done } of { $total } stores)
progress-entries = { $what }: { $done } of { $total } entries
progress-removing = Removing { $what } ({ $done } of { $total } items, { $size } freed)

## Locks: what shows a browser runs

lock-safari-running = a Safari process of this user is running
lock-held-open = `{ $file }` is held open by the browser
lock-not-host-pid = `{ $file }` points to `{ $target }`, which is not `host-pid`
lock-not-symlink = `{ $file }` exists but is not a symlink
lock-socket = `{ $file }` accepts connections: the browser runs, perhaps in a sandbox or container
lock-leveldb = `{ $file }` is locked by process { $pid } (as the pid is seen from here): the browser runs, perhaps in a sandbox or container
lock-locked-by = `{ $file }` is locked by process { $pid }
lock-held-open-firefox = `{ $file }` is held open by Firefox
lock-not-ip-pid = `{ $file }` points to `{ $target }`, which is not `ip:+pid`
lock-foreign-ignored = `{ $file }` is held by process { $pid } on another machine (`{ $host }`); ignored (--ignore-foreign-locks)
lock-foreign = `{ $file }` is held by process { $pid } on another machine (`{ $host }`); it cannot be checked from here
lock-stale = `{ $file }` names process { $pid }, which is not running
lock-running = `{ $file }` is held by running process { $pid }
lock-unknown = `{ $file }` names process { $pid }, which could not be checked
reason-running = { $browser } is running: { $detail }
reason-timeout = --timeout reached
reason-timeout-before = the --timeout was reached before this profile; nothing in it changed
reason-sql-cache-whole = a SQL-backend cache of a kind loginfix does not edit ({ $detail }) holds target entries, so the whole HTTP cache is cleared (this costs only re-downloads)
reason-sql-cache-kept = a SQL-backend cache can only be cleared whole, and --no-whole-cache was given
reason-cache-layout-unknown = files of a cache layout loginfix does not know ({ $names }): left alone, so target entries may remain; clear the browser's cache in its own settings (Delete browsing data → Cached images and files)
reason-interrupted = not reached: the run was interrupted
reason-stale-lock = stale lock ignored: { $detail }
reason-unchecked = running state not checked: { $detail }
lock-safari-unchecked = Safari's running state can only be checked on the Mac itself; make sure Safari is closed
fix-failed-store = { $profile }: { $file } could not be cleaned: { $hint }.
fix-no-profile-result = Nothing was cleaned and no browser's settings were checked: no browser profile was found.
fix-no-findings-machine = Nothing on this computer's own settings stops the sign-in; the browsers' settings were not checked (no profile).
fix-left-out-store-hint = { $profile }: { $file } could not be read: { $hint }.
fix-left-out-elsewhere = { $profile }: a lock says { $browser } is in use on another computer, so it is not cleaned. If it is not (a home on a network share, a disk from another computer), run loginfix again with --ignore-foreign-locks.
fix-no-findings-unread = { $count ->
    [one] Nothing else was found in what could be read, but 1 thing could not be read: `loginfix doctor` says which.
   *[other] Nothing else was found in what could be read, but { $count } things could not be read: `loginfix doctor` says which.
}
fix-move-heading = { $count ->
    [one] This cookie file is damaged:
   *[other] These cookie files are damaged:
}
fix-move-explain = { $count ->
    [one] loginfix can move it into the backup set; the browser then makes a new, empty one at its next start. This signs you out of every site in that profile, not only ChatGPT. `loginfix restore` puts it back.
   *[other] loginfix can move them into the backup set; each browser then makes a new, empty one at its next start. This signs you out of every site in those profiles, not only ChatGPT. `loginfix restore` puts them back.
}
fix-move-question = { $count ->
    [one] Move it aside? [y/N] (Enter = no)
   *[other] Move them aside? [y/N] (Enter = no)
}
fix-moved = { $profile }: the damaged { $file } was moved into the backup set. The browser makes a new one at its next start: sign in again to each site you use there.
fix-would-move = { $profile }: the damaged { $file } would be moved into the backup set (dry run: nothing was moved). The browser would then make a new one at its next start, and each site used there would need a new sign-in.
fix-move-failed = { $profile }: { $file } could not be moved aside; nothing of it was lost (the backup set keeps what was moved).
age-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
age-months = { $count ->
    [one] about 1 month
   *[other] about { $count } months
}
age-released = released { $age } ago

## doctor: a policy value the browser ignores

unread-prefs-io = could not be read: { $reason }
unread-prefs-utf8 = not valid UTF-8 (Firefox writes prefs in UTF-8): not read
unread-moz-perms = could not read `moz_perms` in `{ $file }`
unread-policy-type = `{ $name }` is { $what } where its schema wants { $want }: the browser ignores it
json-bool = a boolean
json-int = an integer
json-number = a number
json-string = a string
json-list = a list
json-list-of-strings = a list of strings
json-dict = a dictionary
json-null = null
proxy-unresolved = set from { $name }, which is not set where it is used
not-checked-vpn-os = the VPN connections of Windows and macOS are read on the running system only, not from a disk (--root) or another OS's layout (--os)
not-checked-status-page = OpenAI's status page could not be read ({ $reason })
not-checked-status-format = not the status page's JSON
not-checked-vpn-list = the VPN connections could not be listed ({ $file })
not-checked-vpn-interfaces = the network interfaces ({ $file }) could not be listed (a mounted disk has none)
not-checked-other-users-policies = the user's policies (their HKCU\SOFTWARE\Policies) were not read: their registry is not loaded and the home has no NTUSER.DAT

## restore, request, --json-out, the output

error-set-other-home = backup set `{ $id }` was made for the home `{ $home }`, not `{ $dir }`; not restored
hint-set-other-home = --home picks the home a set was made for
error-no-set-of-run = no backup set of the --all-users run `{ $id }` in `{ $dir }`
error-no-set-id = no backup set `{ $id }` in `{ $dir }`
error-no-set = no backup set for `{ $home }` in `{ $dir }`
hint-no-set = `loginfix backups` lists the sets; --backup-dir picks another directory
error-could-not-change = could not change `{ $file }`: { $reason }
hint-request-admin = only an administrator (root, or an elevated prompt on Windows) may request a clean
error-marker-untrusted = the request marker `{ $file }` is not trusted ({ $reason }); not changed
hint-marker-untrusted = remove it (and the directories above it that are not root's), then run again
hint-json-out = give --json-out a file in a directory that exists and can be written
error-json-out-dir = --json-out `{ $file }` is a directory
error-json-out-write = --json-out `{ $file }` cannot be written: { $reason }
error-output = could not write the output: { $reason }

## Root's child working in a home (see `worker`)

worker-backup-dir = as root, loginfix works in `{ $home }` as its owner ({ $name }), who does not own --backup-dir `{ $dir }`
worker-backup-dir-hint = leave --backup-dir out (the sets go in the home), or give a directory { $name } owns
worker-not-started = could not start the process that works in `{ $home }` as its owner: { $what }: { $reason }
worker-killed = the process working in `{ $home }` as its owner { $reason }; it was killed
worker-killed-hint = nothing more was done in this home; run again, and if this repeats, look at the home for files made to stop loginfix
worker-why-not-reading = stopped reading what it is told
worker-why-stopped = was stopped (a signal or a debugger)
worker-why-flooded = wrote more than { $n } MiB to stderr
worker-why-timeout = was not done within --timeout
worker-why-silent = said nothing for { $n } minutes
worker-why-output-open = exited, but its output stayed open
worker-why-not-the-user = did not become { $name } alone (it says { $what })
worker-why-spoke-first = spoke before saying who it is
worker-why-hello-twice = said who it is twice
worker-why-event = told an event its run does not have ({ $name })
worker-why-too-much = sent more than the { $a } MiB a message or the { $b } MiB a run may have
worker-why-invalid = sent a message that is not one: { $reason }
worker-why-no-exit = closed its output but did not exit
worker-ended = the process working in `{ $home }` as its owner stopped before it was done ({ $reason })
worker-it-said = it said: { $what }
worker-home-closed = the home's owner cannot reach `{ $home }`: a directory above it is closed to them, and loginfix works in a home as its owner
worker-home-closed-hint = open the directories above the home to its owner (chmod o+x), or run loginfix as that user
worker-home-moved = `{ $home }` is no longer the directory loginfix opened as this home (it was moved or replaced meanwhile); nothing was done in it
worker-run-again = run again
worker-not-utf8 = the report of `{ $home }` cannot be passed to root: a name in it is not UTF-8 ({ $reason })
worker-not-utf8-hint = run loginfix as the home's owner, without root
worker-stopped-early = the run in the home stopped before it was done
worker-no-exe = could not find loginfix's own program: { $reason }
error-no-accounts-list = could not list the user accounts: { $reason }
hint-no-accounts-list = give --root the directory the machine's disk is mounted on, and --os its OS
error-no-accounts = no user account with a home was found under `{ $dir }`
hint-no-accounts = check --root and --os; give --home DIR to act on one home
error-no-fleet-set = no backup set of an --all-users run was found in any home
hint-no-fleet-set = `loginfix --all-users backups` lists each user's sets; `restore` with --home puts back one user's set
