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
advice-policy_blocks_cookies-javascript = Your organisation's policy for { $browser } blocks JavaScript for { $site }: contact your IT team.
advice-policy_forces_extension = Your organisation's policy installs the extension "{ $extension }", known to interfere: contact your IT team.
advice-resist_fingerprinting = Fingerprinting resistance is on; the security check may loop: turn it off (about:config privacy.resistFingerprinting) or use another profile for ChatGPT.
advice-resist_fingerprinting-safari = Advanced Tracking and Fingerprinting Protection is on for all browsing; the security check may loop: set it to private browsing only (Settings → Advanced).
advice-shields_strict = Brave Shields are strict for { $site }: set them to standard for the site (the lion icon).
advice-private_only = { $browser } opens only private windows, so nothing is kept between sessions: you will have to log in every time.
advice-dns_over_https_custom = A custom secure-DNS resolver { $server } is set; if the login hosts do not load, try the default.
advice-interfering_extension = The extension "{ $extension }" is known to interfere with the login: disable it for now.
advice-clock_skew = Your clock is off by { $seconds } s: turn on automatic time (two-factor codes depend on it).
advice-host_unreachable = { $host } does not answer from this machine: check the network, proxy or firewall.

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
fix-undo = To undo: { $command }
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
