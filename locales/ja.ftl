# loginfix のメッセージ（日本語）。キーは en.ftl と一対一で対応させること（テストで比較）。
# 値は Fluent のパターンで、{ $name } にはコード側で値が入る。

## 検出結果が値を持たないときの既定値

default-browser = ブラウザー
default-site = chatgpt.com
default-host = ログイン用のサーバー
default-host-start = ログイン用のサーバー
default-all-sites = すべてのサイト
your-language = 普段お使いの言語
# 列挙の区切り（ドメイン、ブラウザー、データの種類）。
list-separator = 、
list-two = { $a } と { $b }

## doctor: 検出結果ごとの助言

advice-browser_running = { $browser } が開いています。データを消去する前に、すべてのウィンドウを閉じてください。
advice-browser_restart_pending = { $browser } は更新されましたが、まだ再起動されていません。再起動してください。
advice-browser_outdated = { $browser } { $version } は古いバージョンです。最新版に更新してください（設定 → バージョン情報）。
advice-browser_outdated-age = { $browser } { $version } は古いバージョンです（{ $age }）。最新版に更新してください（設定 → バージョン情報）。
advice-cookies_blocked = { $browser } で { $site } の Cookie がブロックされています。サイトの設定（設定 → プライバシー → Cookie）で許可してください。
advice-cookies_session_only = { $browser } は終了するたびに { $site } の Cookie を消す設定になっているため、毎回ログアウトされます。「終了時に削除」の設定を外してください。
advice-third_party_cookies_blocked = サードパーティ Cookie がブロックされています。確認画面から先に進めない場合は、chatgpt.com に対して許可してください。
advice-javascript_blocked = { $site } で JavaScript がオフになっています。ログインには JavaScript が必要です（サイトの設定 → JavaScript でオンにしてください）。
advice-auto_translate = 自動翻訳がオンになっています。ChatGPT では翻訳をオフにしてください（「このサイトは翻訳しない」）。
advice-auto_translate-rule = { $browser } は「{ $from }」のページを常に「{ $to }」に翻訳する設定になっていて、ChatGPT の画面が正しく動かなくなります。この設定を外すか、chatgpt.com で「このサイトは翻訳しない」を選んでください。
advice-auto_translate-rule-mine = { $browser } は「{ $from }」のページを常に日本語などに自動翻訳する設定になっていて、ChatGPT の画面が正しく動かなくなります。この設定を外すか、chatgpt.com で「このサイトは翻訳しない」を選んでください。
advice-proxy_browser = { $browser } はプロキシ { $server } を経由して通信しています。会社などの指定でなければ、オフにしてください。
advice-proxy_browser-policy = 組織のポリシーにより、{ $browser } はプロキシ { $server } を経由するよう設定されています。ログインできない場合は、社内の IT 担当者に伝えてください。
advice-proxy_browser-unnamed = { $browser } はブラウザーの設定にあるプロキシを経由して通信しています。会社などの指定でなければ、オフにしてください。
advice-proxy_extension = 拡張機能「{ $extension }」が通信をプロキシや VPN に通しています。いったん無効にしてください。
advice-proxy_system = パソコン全体にプロキシ { $server } が設定されています。会社などの指定でなければ、解除してください。
advice-hosts_file_block = hosts ファイルが { $host } を別の宛先に向けています。管理者に、その行を削除してもらってください。
advice-hosts_file_block-pinned = hosts ファイルで { $host } が固定のアドレス { $address } に結び付けられています。OpenAI のアドレスが変わるとつながらなくなるので、管理者にその行を削除してもらってください。
advice-policy_blocks_site = 組織のポリシーにより、{ $browser } で { $site } がブロックされています。社内の IT 担当者に相談してください。
advice-policy_blocks_cookies = 組織のポリシーにより、{ $browser } で { $site } の Cookie がブロックされています。社内の IT 担当者に相談してください。
advice-policy_blocks_javascript = 組織のポリシーにより、{ $browser } で { $site } の JavaScript がブロックされています。社内の IT 担当者に相談してください。
advice-policy_forces_extension = 組織のポリシーで、ログインを妨げることがある拡張機能「{ $extension }」がインストールされています。社内の IT 担当者に相談してください。
advice-resist_fingerprinting = フィンガープリント対策が強く設定されていて、確認画面が繰り返し表示されることがあります。about:config で privacy.resistFingerprinting をオフにするか、ChatGPT 用に別のプロファイルを使ってください。
advice-resist_fingerprinting-safari = 「高度なトラッキングとフィンガープリントの保護」がすべてのブラウズで有効になっていて、確認画面が繰り返し表示されることがあります。「プライベートブラウズのみ」に変更してください（設定 → 詳細）。
advice-shields_strict = { $site } で Brave Shields が「強力」になっています。このサイトでは「標準」にしてください（アドレスバーのライオンのアイコン）。
advice-private_only = { $browser } はプライベートウィンドウしか開かない設定のため、終了するたびに何も残りません。毎回ログインが必要になります。
advice-dns_over_https_custom = 独自のセキュア DNS（{ $server }）が設定されています。ログインのページが開かない場合は、既定の設定に戻してみてください。
advice-interfering_extension = 拡張機能「{ $extension }」はログインを妨げることがあります。いったん無効にしてください。
advice-vpn_system = このパソコンで VPN が接続されています（{ $name }）。OpenAI は多くの VPN の接続元をブロックしたり確認画面を出したりします（「403」「Access denied」）。VPN を切断するか、別の接続先を選んでから、もう一度試してください。
advice-policy_clears_data = 組織のポリシーにより、{ $browser } は終了するたびに Cookie を削除するため、毎回ログアウトされます。起動するたびにログインし直すか、IT 担当者に相談してください。
advice-policy_clears_data-timer = 組織のポリシーにより、{ $browser } は { $hours } 時間ごとに Cookie を削除するため、ログアウトされます。頻度が高すぎる場合は IT 担当者に相談してください。
advice-sign_in_restricted = 組織のポリシーにより、{ $browser } で Google にログインできるのは { $domains } のアカウントだけです。ほかのアカウントでの「Google で続ける」は拒否されます。
advice-storage_disabled = { $browser } のウェブストレージがオフになっています（dom.storage.enabled = false）。ChatGPT はこれがないと動きません。about:config で true に戻すか、変更できない場合は IT 担当者に相談してください。
advice-clock_skew = パソコンの時計が { $seconds } 秒ずれています。時刻を自動で合わせる設定にしてください（2 段階認証のコードは時刻をもとに作られます）。
advice-host_unreachable = このパソコンから { $host } に接続できません。ネットワーク、プロキシ、ファイアウォールの設定を確認してください。
advice-openai_outage = OpenAI の障害情報のページに、いま問題が出ています（{ $description }）。直るまでは、だれもログインできないことがあります。このパソコンの設定を変える前に、しばらく待って https://status.openai.com を確認してください。

## doctor: テキストの報告

doctor-this-machine = このパソコン
doctor-nothing-found = 問題は見つかりませんでした
doctor-not-found = { $browser }：見つかりません
doctor-not-checked = 未確認：{ $ids }（{ $reason }）
doctor-summary = エラー { $errors } 件、警告 { $warnings } 件、情報 { $info } 件、読み取れなかった項目 { $unread } 件（{ $profiles } つのプロフィールを確認しました）
doctor-nothing-else = ほかには何も見つかりませんでした。
severity-error = エラー
severity-warning = 警告
severity-info = 情報

## fix とガイドモード

fix-title = loginfix：ブラウザーに残った ChatGPT のログイン情報を消して、もう一度ログインできるようにします。
fix-found = 見つかったブラウザー：{ $list }
fix-no-profile = このパソコンにはブラウザーのプロフィールが見つかりませんでした。
fix-browser-open = { $browser } が起動しています。ChatGPT のログイン情報を消去するため、{ $browser } のウィンドウをすべて閉じて終了してください（タスクバーや画面上部に { $browser } のアイコンが残っている場合は、それも終了してください）。
fix-waiting = { $browser } が終了するのを待っています…（中止するには Ctrl キーを押しながら C キーを押してください）
fix-closed = { $browser } が終了しました。
fix-interrupted = 中止しました。何も変更していません。
fix-press-enter = Enter キーを押すとこのウィンドウを閉じます。
fix-plan-heading = { $domains } の次のデータを削除します：
fix-done-heading = { $domains } の次のデータを削除しました：
fix-dry-heading = { $domains } の次のデータが削除の対象です（確認のみ）：
fix-profile-label = { $browser }（プロフィール「{ $name }」）
fix-profile-line = { $profile }：{ $what }
fix-what-cookies = Cookie { $count } 件
fix-what-cache = キャッシュ { $count } 件（{ $size }）
fix-what-site-data = サイトの保存データ { $count } 件
fix-nothing = { $domains } のデータは見つかりませんでした。
fix-keep = ほかのサイトのログイン状態はそのまま残ります。削除するのは { $domains } のデータだけです。
fix-backup-note = 削除の前にバックアップを取るので、元に戻すこともできます。
fix-left-out-heading = 次のものは変更しません：
fix-left-out-store = { $profile }：{ $file } を読み取れませんでした。理由と対処方法は、実行後に表示します。
fix-left-out-running = { $profile }：ブラウザーが使用中（このコンピューターまたは別のコンピューター）のため、削除しません。
fix-left-out-profile = { $profile }：読み取れなかったため、削除しません。理由は実行後に表示します。
fix-question = 削除してよろしいですか？ [Y/n]（Enter＝はい）
fix-question-no-backup = バックアップは作りません。削除してよろしいですか？ [y/N]（Enter＝いいえ）
fix-declined = 何も変更しませんでした。
fix-dry-run = 確認のみのため、何も変更していません。
fix-skipped-running = { $browser } が開いたままだったため、そのデータは削除していません。{ $browser } を終了してから、もう一度 loginfix を実行してください。
fix-skipped-elsewhere = { $browser } は別のパソコンで使用中のようなので、そのデータは削除していません。ほかのパソコンで使っていない場合は、--ignore-foreign-locks を付けてもう一度実行してください。
fix-failed-profile = { $profile }：一部のデータを削除できませんでした。ブラウザーを一度起動して終了してから、もう一度 loginfix を実行してください。
fix-undo = 元に戻したいときは、次のように入力してください：`{ $command }`
fix-findings-heading = ほかにも、次の点がログインを妨げているかもしれません（可能性の高い順）：
fix-no-findings = ほかにログインを妨げる設定は見つかりませんでした。
fix-more-findings = …ほかに { $count } 件あります。すべて見るには `loginfix doctor` を実行してください。
fix-next-heading = このあとの手順：

## fix: 次の手順（id ごと）

next-run_the_clean = まだ何も削除していません（試行のみ）。--dry-run を付けずに `loginfix fix` を実行して削除してから、もう一度ログインしてください。
next-find_the_browser = ブラウザーのプロフィールが見つからなかったため、何も削除していません。ブラウザーを使っているアカウントで実行しているか（または --home の指定）を確かめてから、もう一度 loginfix を実行してください。
next-sign_in = https://chatgpt.com を開き、前回と同じ方法（Google・Microsoft・Apple、またはメールアドレスとパスワード）でログインしてください。
next-act_on_findings = それでもログインできない場合は、上に挙げた点を、上から順に確認してください。
next-check_status = OpenAI の稼働状況ページ（https://status.openai.com）を確認してください。OpenAI 側で障害が起きていることもあります。
next-wait_after_failures = 何度もログインに失敗したあとは、しばらく時間をおいてから試してください。続けて試すと、一時的にブロックされることがあります。
next-try_private_window = シークレットウィンドウ（プライベートウィンドウ）で試してください。
next-try_another_browser_or_network = 別のブラウザー、または別のネットワーク（会社の Wi-Fi ではなくスマートフォンのテザリングなど）で試してください。
next-check_phone_clock = スマートフォンの認証アプリのコードでログインする場合は、スマートフォンの時刻を自動で合わせる設定になっているか確認してください。

## clear-cookies、clear-cache、clear-site-data の表示

clean-looked-in = 探した場所：{ $path }
clean-verb-would-remove = 削除予定
clean-verb-removed = 削除済み
clean-verb-skipped = スキップ
clean-verb-failed = 失敗
clean-verb-unreadable = 読み取り不可
clean-would-remove = 削除予定 { $count } 件
clean-removed = 削除 { $count } 件
clean-skipped = スキップ { $count } 件
clean-failed = 失敗 { $count } 件
clean-failed-because = 失敗 { $count } 件（{ $reason }）
clean-items = 項目 { $count } 件
clean-stores-unread = 読み取れなかったデータファイル { $count } 件
clean-semicolon = { $a }、{ $b }
clean-with-size = { $what }（{ $size }）
clean-and = { $a }、{ $b }
clean-unreadable-left = 読み取れずに残したもの { $count } 件
clean-not-reached = 未処理 { $count } 件
clean-summary = 合計：{ $list }（{ $count } つのプロフィール）。
clean-interrupted-dry = 中断しました。表示していないプロフィールは読み取っていません。
clean-interrupted-reading = データの読み取り中に中断しました。何も変更していません。
clean-interrupted = 中断しました。データファイルはどれも壊れていません。「削除済み」と表示していないものは、そのまま残っています。
clean-no-profile = 選んだブラウザーのプロフィールは見つかりませんでした。
clean-backup-undo = バックアップ：{ $dir }（元に戻すには `{ $command }`）
clean-backup-cache = バックアップ：{ $dir }（削除したキャッシュの記録です。キャッシュはブラウザーがまた取得するので、元に戻すものはありません）
clean-backup = バックアップ：{ $dir }
clean-store-note = 補足：{ $file }：{ $reason }
clean-lock = ロック：{ $detail }
time-store = かかった時間：{ $file }：{ $list }
time-pruning = かかった時間：古いバックアップの削除 { $value }
time-backup = バックアップ { $value }
time-edit = 変更 { $value }
time-check = 整合性チェック { $value }
clean-note = 補足：{ $reason }
clean-unreadable-line = { $file }：{ $reason }（そのまま残しました）
clean-nothing-to-remove = 削除するものはありません
clean-timed-out = 未着手（--timeout の時間に達しました）
clean-skipped-because = スキップ：{ $reason }
clean-browser-running = ブラウザーが起動しています
clean-profile-failed = 失敗

## 項目の行に出す、データの種類

store-cookies = Cookie
store-cache = キャッシュ
store-session_restore = セッションの復元
store-indexed_db = IndexedDB
store-cache_storage = キャッシュ ストレージ
store-local_storage = ローカル ストレージ
store-session_storage = セッション ストレージ
store-service_worker = Service Worker
store-bucket = ストレージ バケット
store-file_system = ファイル システム
store-quota_cache = ストレージ使用量の記録
store-site_storage = サイトの保存データ
store-website_data = ウェブサイトのデータ

## どの表示でも：プロフィールの 1 行目

profile-header = { $product }（{ $dir }）
profile-header-named = { $product }（プロフィール「{ $name }」）

## backups と restore

backups-none = { $dir } にバックアップはありません
backups-stores = データファイル { $count } 件
backups-cache = 削除したキャッシュ { $count } 件
restore-set = バックアップ { $id }
restore-verb-would = 復元予定
restore-verb-restored = 復元済み
restore-files = ファイル { $count } 件
restore-line = { $whose }：{ $files }{ $changed }
restore-changed-would = （うち { $count } 件はバックアップと違うため、置き換える予定）
restore-changed = （うち { $count } 件はバックアップと違っていたため置き換え、取り消し用のバックアップに残しました）
restore-cookies = Cookie { $count } 件
restore-sites = { $count } サイト分の
restore-lose-cookies-would = バックアップのあとに保存された { $sites }{ $cookies } を削除する予定です
restore-lose-cookies = バックアップのあとに保存された { $sites }{ $cookies } を削除しました（取り消し用のバックアップに残しています）
restore-differs-would = 今のファイルはバックアップと違うため、置き換える予定です
restore-differs = 今のファイルはバックアップと違っていたため置き換えました（取り消し用のバックアップに残しています）
restore-summary-dry = 合計：復元予定 { $count } 件、スキップ { $skipped } 件（ブラウザーが起動中）、失敗 { $failed } 件。
restore-summary = 合計：復元 { $count } 件、スキップ { $skipped } 件（ブラウザーが起動中）、失敗 { $failed } 件。
restore-undo = この復元を取り消すには：`{ $command }`

## extensions

ext-col-name = 名前
ext-col-id = ID
ext-col-version = バージョン
ext-col-state = 状態
ext-col-category = 種類
ext-enabled = 有効
ext-disabled = 無効
ext-builtin = 組み込み
ext-may-interfere = 妨げの可能性
ext-may-interfere-advice = { $reason }。ログインできない場合は、いったん無効にして試してください。
ext-unread = 拡張機能の一覧を読み取れませんでした：{ $reason }
ext-unread-hint = ブラウザーの画面で拡張機能を確認してください（chrome://extensions、edge://extensions、about:addons、Safari の設定 → 拡張機能）
ext-none = 拡張機能は入っていません
ext-no-troublemakers = ログインを妨げることで知られる拡張機能は入っていません
ext-why-script = 対象のサイトでスクリプトを動かします（{ $pattern }）
ext-why-network = 対象のサイトへの通信を書き換えられます（サイトへのアクセス `{ $host }`、権限 `{ $permissions }`）

## browsers

browsers-version = バージョン { $version }
browsers-running = （起動中）
browsers-stale = （古いロックが残っています）
browsers-unchecked = （起動しているかは未確認）

## doctor: 確認できなかった理由

not-checked-offline = ネットワークが必要です。--online を付けて実行してください
not-checked-server-time = サーバーの時刻を読み取れませんでした：{ $reason }
not-checked-no-answer = 時間内に応答がありませんでした
not-checked-firefox-wal = `{ $file }` に、Firefox が permissions.sqlite にまだ書き込んでいない変更があります（Firefox が起動していませんか？）。Firefox を終了してから、もう一度実行してください
not-checked-policy-registry = Windows のレジストリーのポリシー（HKLM\SOFTWARE\Policies）は読み取っていません。ルートの下にレジストリーのファイル（Windows\System32\config\SOFTWARE）がありません。読み取るには、--root にマウントした Windows のディスクを指定してください。policies.json は読み取りました
not-checked-gnome = GNOME のユーザー設定（{ $file }、バイナリー形式）は読み取っていません。そのユーザーで `gsettings get org.gnome.system.proxy mode` を実行して確認してください
not-checked-internet-settings = パソコン全体の Windows インターネット設定（レジストリー）は読み取っていません。ルートの下にレジストリーのファイル（Windows\System32\config\SOFTWARE）がありません
not-checked-other-users-internet-settings = このユーザーの Windows インターネット設定（HKCU）は読み取っていません。レジストリーが読み込まれておらず、ホームに NTUSER.DAT もありません
not-checked-hive-unfinished = { $file } には、まだ書き込まれていない変更があります（.LOG1/.LOG2 ファイルにあり、読み取っていません）。直前に設定されたポリシーが抜けているかもしれません。ユーザーがサインアウトして Windows が保存したあとで、もう一度 doctor を実行してください

## doctor: それぞれの確認の内容（「未確認」の行に出します）

check-browser_running = ブラウザーの起動状態
check-browser_restart_pending = ブラウザーの再起動待ち
check-browser_outdated = ブラウザーのバージョン
check-cookies_blocked = Cookie のブロック
check-cookies_session_only = 終了時の Cookie 削除
check-third_party_cookies_blocked = サードパーティ Cookie のブロック
check-javascript_blocked = JavaScript のブロック
check-auto_translate = 自動翻訳
check-proxy_browser = ブラウザーのプロキシ設定
check-proxy_extension = プロキシ・VPN の拡張機能
check-proxy_system = パソコン全体のプロキシ設定
check-hosts_file_block = hosts ファイル
check-policy_blocks_site = 組織のポリシーによるサイトのブロック
check-policy_blocks_cookies = 組織のポリシーによる Cookie のブロック
check-policy_blocks_javascript = 組織のポリシーによる JavaScript のブロック
check-policy_forces_extension = 組織のポリシーで入る拡張機能
check-resist_fingerprinting = フィンガープリント対策
check-shields_strict = Brave Shields
check-private_only = プライベートウィンドウのみの設定
check-dns_over_https_custom = セキュア DNS の設定
check-interfering_extension = ログインを妨げる拡張機能
check-vpn_system = パソコンの VPN 接続
check-policy_clears_data = 組織のポリシーによるデータの自動削除
check-sign_in_restricted = 組織のポリシーによるログインの制限
check-storage_disabled = ウェブストレージの無効化
check-clock_skew = パソコンの時計のずれ
check-host_unreachable = ログイン用サーバーへの接続
check-openai_outage = OpenAI の障害情報
doctor-finding = { $severity } { $advice }
doctor-unread = `{ $file }` を読み取れませんでした：{ $reason }

## 診断：データファイルについてできること

hint-store-full-disk-access = ターミナルのアプリに「フルディスクアクセス」を許可してから（システム設定 → プライバシーとセキュリティ → フルディスクアクセス）、もう一度 loginfix を実行してください
hint-store-locked = このファイルを開いているプログラム（ブラウザー、同期やバックアップのツール、データベースの閲覧ツールなど）を終了してから、もう一度 loginfix を実行してください
hint-store-permission-child = このファイルかそのフォルダーが、ホームの持ち主（loginfix はこのホームではその人として動きます）に使えない設定になっています。持ち主に戻すか（chown）、別の場所に移してください
hint-store-permission = このファイルかそのフォルダーは、ほかのユーザーのものか、アクセスが禁止されています。このホームの持ち主として実行するか、sudo を付けて実行してください
hint-store-readonly = このファイルかそのフォルダーは読み取り専用です。書き込めるようにしてから（ディスクなら読み書きできるようにマウントしてから）、もう一度 loginfix を実行してください
hint-store-symlink = loginfix はリンクをたどりません。リンクの場所にデータを戻すか、リンクを削除してから、もう一度 loginfix を実行してください
hint-store-hard-links = ファイルを単独の名前にしてから（コピーを作り、元のファイルを削除し、コピーを元の名前に変えてから）、もう一度 loginfix を実行してください
hint-store-not-a-browser-file = このファイルはブラウザーが書いたものではありません。別の場所に移すと（それがバックアップになります）、次にブラウザーを起動したときに新しく作られます
hint-store-unknown-schema = このファイルの形式は loginfix が知らないものです（新しいブラウザーかもしれません）。loginfix を更新してください。ファイルはそのまま残しています
hint-store-damaged = このファイルは壊れています。別の場所に移すと（それがバックアップになります）、次にブラウザーを起動したときに作り直されます（このファイルにあったログイン状態は消えます）
hint-store-disk-full = ディスクがいっぱいです。空きを作ってから、もう一度 loginfix を実行してください

## 診断：見出しと、最初の確認

diag-error = エラー:
diag-warning = 警告:
diag-hint = ヒント:
diag-note = 補足:
error-home-missing = ホームフォルダー `{ $dir }` がないか、フォルダーではありません
hint-home-missing = AppData、Library、.config のどれかが入っている、そのユーザーのホームフォルダーを指定してください
error-no-home = 今のユーザーのホームフォルダーが見つかりませんでした
hint-no-home = --home でホームフォルダーを指定してください
error-root-missing = ルートフォルダー `{ $dir }` がないか、フォルダーではありません
hint-root-missing = パソコンのディスクをマウントしたフォルダーを指定するか、--root を外してください
error-root-home-empty = root として実行していますが、root のホーム `{ $dir }` にはブラウザーのプロフィールがありません。おそらく意図したアカウントではありません
hint-root-home-empty = このパソコンの全ユーザーを対象にするには --all-users を、一人だけなら --home でそのホームを指定してください
error-no-such-profile = `{ $name }` という名前のプロフィールは見つかりませんでした
hint-no-profile-at-all = プロフィールが一つも見つかりません。--home と --os を確かめるか、`loginfix browsers -v` を実行してください
hint-profiles-found = 見つかったプロフィール：{ $list }
hint-run-lock = 同じホームで二つの実行が同時に動くと、データやバックアップを取り合ってしまいます
hint-give-back-folder = フォルダーをホームの持ち主に戻すか（chown）、別の場所に移してから、もう一度実行してください

## コマンドライン：短い使い方、各コマンドの説明と例

usage-about = ChatGPT / OpenAI の Cookie・キャッシュ・サイトの保存データだけを、すべてのブラウザーのプロフィールから消します
usage-commands = コマンド:
usage-try-first = まず試すには: loginfix fix --dry-run   （削除の対象とほかの原因を表示します。何も変更しません）
    ターミナルで使う方は: loginfix だけで案内に沿って進められます（削除の前に一度だけ確認します）。
    詳しくは: loginfix --help、loginfix <COMMAND> --help
usage-examples = 例:
usage-global-options = 共通のオプション（--home、--os、--lang、--json、-q、-v など）：`loginfix --help`
about-fix = Cookie・キャッシュ・サイトの保存データを一度に消し、ほかの原因も調べます
about-browsers = 見つかったブラウザーとプロフィール、そのデータと起動状態を一覧にします
about-clear-cookies = 対象のドメインの Cookie（と Firefox のセッション復元のコピー）を削除します
about-clear-cache = 対象のドメインの HTTP キャッシュとコードキャッシュを削除します
about-clear-site-data = 対象のドメインのサイトの保存データ（ストレージ、IndexedDB、Service Worker など）を削除します
about-extensions = ログインを妨げることがある拡張機能を一覧にします
about-doctor = ログインできないほかの原因（プロキシ、ポリシーなど）を調べます。何も変更しません
about-backups = これまでの実行で取ったバックアップを一覧にします
about-restore = バックアップからデータを元に戻します（指定しなければ最新のもの）
about-request = このパソコンで削除を依頼します（次の `fix --if-requested` 用、管理者のみ）
about-completions = SHELL 用の補完スクリプトを出力します（置き場所は README を参照）
about-man = man ページ（roff）を出力します：loginfix(1) または loginfix-COMMAND(1)
about-help = このメッセージか、指定したコマンドのヘルプを表示します
examples-fix =
      loginfix fix --dry-run
        削除の対象とほかの原因を表示します（何も変更しません）
      loginfix fix --yes
        確認せずに削除します（スクリプト用）
      loginfix fix --if-requested --summary
        管理ツール用：サポートが依頼したときに一度だけ削除します
examples-clear-cookies =
      loginfix clear-cookies --dry-run
        すべてのブラウザーで、削除の対象を表示します
      loginfix clear-cookies --browser chrome
        Chrome のすべてのプロフィールから削除します
      loginfix clear-cookies --dry-run --json | jq '.summary'
        同じことをスクリプト向けに
examples-clear-cache =
      loginfix clear-cache --dry-run
        対象のドメインのキャッシュを表示します
      loginfix clear-cache --browser edge
        Edge のすべてのプロフィールから削除します
examples-clear-site-data =
      loginfix clear-site-data --dry-run
        対象のドメインのストレージ、IndexedDB、Service Worker を表示します
      loginfix clear-site-data --browser firefox
        Firefox のすべてのプロフィールから削除します
examples-doctor =
      loginfix doctor
        このパソコンで見つかるほかの原因を表示します
      loginfix doctor --online
        時計のずれとログイン用サーバーへの接続も調べます（ネットワークを使います）
examples-restore =
      loginfix restore --dry-run
        最新のバックアップで元に戻るものを表示します
      loginfix restore
        最新のバックアップから元に戻します
examples-backups =
      loginfix backups
        バックアップを新しい順に表示します
examples-browsers =
      loginfix browsers -v
        見つかったブラウザーと、探した場所を表示します
examples-extensions =
      loginfix extensions --all
        ログインを妨げるものに限らず、すべての拡張機能を表示します

## `--help` の各オプションの説明。`arg-<オプション>`、そのコマンドで意味が違うものは
## `arg-<コマンド>-<オプション>`、値ごとの説明は `value-<オプション>-<値>`、
## clap が説明のあとに付けるものは `help-*`

help-usage = 使い方:
help-commands = コマンド
help-arguments = 引数
help-options = オプション
help-global-options = 共通のオプション
help-default = ［既定：{ $value }］
help-values = ［指定できる値：{ $list }］
help-value = { $value }（{ $description }）
arg-help = ヘルプを表示します
arg-version = バージョンを表示します（--version はコミットとターゲットも）
arg-home = DIR をホームフォルダーとするユーザーを対象にします（別のアカウントや、接続したディスクのとき）
arg-root = パソコン全体の設定ファイル（hosts ファイル、ポリシー、システムのプロキシ）を、DIR の下から読み取ります（接続したディスクのときなど）［既定：/、Windows ではシステムドライブ］
arg-os = ホームフォルダーがどの OS の形式か［既定：このパソコンの OS］
arg-json = テキストの代わりに、JSON を 1 つ標準出力に出力します
arg-quiet = まとめとエラーだけを表示します
arg-verbose = 調べたもの（フォルダー、ロック、データファイル）も表示します
arg-ignore-foreign-locks = 別のパソコンが持っているブラウザーのロック（ネットワーク上のホームフォルダーのとき）を、起動中のブラウザーではなく、残っているだけの古いロックとして扱います
arg-color = テキストの出力に色を付けるかどうか
arg-lang = 表示の言語［既定：LC_ALL、LC_MESSAGES、LANG の順に見て決め、どれもなければシステムの設定］
arg-all-users = このパソコン（または --root のディスク）のすべてのユーザーアカウントを、1 つずつ順に対象にします（それぞれに --home を指定したのと同じ）。browsers、clear-*、extensions、doctor、backups で使えます
arg-summary = 標準出力には、まとめの 1 行（件数と、最初に見つかった問題）だけを出力します（Intune、Jamf 用）。`jamf` では <result>…</result> で囲みます
value-summary-plain = そのままの 1 行。Intune は標準出力の最後の行を表示します
value-summary-jamf = `<result>…</result>` で囲んだ 1 行。Jamf の拡張属性に保存する形です
arg-json-out = JSON を FILE にも書き出します（権限は 0600、途中まで書いたファイルは残しません）。標準出力はテキストやまとめの 1 行のままです
arg-redact = すべての出力で、ユーザー名とホームフォルダーのパスを、いつも同じになるハッシュ（SHA-256 の先頭 12 桁の 16 進数）に置き換えます。パソコンの外に出す報告のためのものです
arg-timeout = ユーザー 1 人あたりの制限時間（秒）。時間内に終わらなかったユーザーは時間切れ（`timed_out`）と報告します（削除はプロフィールの合間で止め、データファイルの途中では止めません）
arg-browser = 対象にするブラウザー（複数指定できます）［既定：すべて］
arg-profile = プロフィールのフォルダー名（`Default`、`Profile 2`、`abcd.default-release`）または表示名（複数指定できます）［既定：すべてのプロフィール］
arg-domain = 対象にするドメイン。そのサブドメインも含みます（複数指定できます）［既定：openai.com と chatgpt.com］
arg-dry-run = 削除の対象を表示します。データファイルはすべて読み取り専用で開き、何も変更しません
arg-fix-dry-run = 削除の対象とほかの原因を表示します。何も変更せず、確認もしません
arg-restore-dry-run = 元に戻る対象を表示します。何も変更しません
arg-yes = 確認せず、起動中のブラウザーの終了も待ちません。起動中のブラウザーのプロフィールはスキップします（終了コード 3）
arg-backup-dir = バックアップを DIR に保存します［既定：ホームフォルダーのアプリのデータ用フォルダーにある loginfix/backups］
arg-backups-backup-dir = バックアップのあるフォルダー［既定：clear-cookies と同じ］
arg-restore-backup-dir = バックアップのあるフォルダー［既定：clear-cookies と同じ］
arg-no-backup = バックアップを取らずにデータファイルを変更します（自前でバックアップを取るスクリプト用）
arg-keep = 残しておくバックアップの数。実行がうまくいったあと、それより古いものを削除します
arg-move-damaged = 壊れた Cookie のファイル（SQLite で読み取れないもの）もバックアップに移し、ブラウザーに新しい空のファイルを作らせます。そのプロフィールでは、すべてのサイトからログアウトします（`restore` で元に戻せます）。指定しないときは、ターミナルで実行した `fix` がそのつど確認します
arg-if-requested = このパソコンで `loginfix request` による依頼があるときだけ削除し、依頼を取り消します。依頼がなければ何も変更しません（定期実行での対処用。--yes も指定したことになります）
arg-no-whole-cache = 丸ごとでしか消せないキャッシュ（Windows の Chrome と Edge）は、対象のデータがあっても消さずにスキップします
arg-all = インストールされているすべての拡張機能（組み込みのものも）を一覧にし、ログインを妨げることがわかっているものに印を付けます
arg-online = ネットワークを使う確認も行います（HTTPS の `Date` ヘッダーと比べた時計のずれ、ログイン用サーバーが応答するか）。どれも短い時間で打ち切ります
arg-id = バックアップの ID（`loginfix backups` で表示されます）［既定：最新のもの］
arg-status = 削除の依頼があるかどうかを表示します（依頼があるあいだは終了コード 1。検出スクリプト用）
arg-clear = 削除せずに依頼を取り消します
arg-shell = 補完するシェル
arg-command = man ページを出力するコマンド［既定：コマンドの一覧を載せた loginfix(1)］
examples-loginfix =
      loginfix clear-cookies --dry-run
        すべてのブラウザーで、削除の対象を表示します
      loginfix clear-cookies --browser chrome
        Chrome のすべてのプロフィールから削除します
      loginfix clear-cookies --dry-run --json | jq '.summary'
        同じことをスクリプト向けに
      loginfix restore
        最新のバックアップから元に戻します
      loginfix --home /mnt/disk/Users/ana clear-cookies --dry-run
        別のアカウントやディスクのユーザーを対象にします

## 使い方の誤り

usage-error-command = `{ $name }` というコマンドはありません
usage-error-commands = コマンドの一覧は `loginfix --help` で表示できます
usage-error-option = `{ $name }` というオプションはありません
usage-error-more = 使い方は `loginfix --help` で表示できます
usage-error-value = `{ $value }` は `{ $name }` に指定できる値ではありません
usage-error-choices = 指定できる値：{ $list }
usage-error-missing = `{ $name }` には値が必要です
usage-error-conflict = `{ $a }` と `{ $b }` は一緒に使えません
usage-error-did-you-mean = `{ $name }` のことですか？
fix-more-steps = …ほかに { $count } つの手順があります。すべて見るには `loginfix fix --dry-run` を実行してください。

## 警告と補足

hint-lock-elsewhere = ロックには別のパソコンの名前が記録されています。そのパソコンで { $browser } を使っていなければ（ネットワーク上のホームや、別のパソコンのディスクの場合）、--ignore-foreign-locks を付けてもう一度実行してください
hint-lock-running = { $browser } を終了してから（すべてのウィンドウと、バックグラウンドで動いているものも）、もう一度 loginfix を実行してください
warning-skipped-profile = { $product } のプロフィール `{ $profile }` はスキップしました：{ $reason }
note-layout-guessed = `{ $dir }` に { $name } があるので、{ $os } のホームとして読み取ります（別の形式にするには --os を指定してください）
warning-no-layout = `{ $dir }` には、ブラウザーがデータを置く AppData、Library、.config、.mozilla、.cache のどれもありません。ここでは何も見つかりません
hint-no-layout = そのユーザーのホームフォルダーそのものを --home に指定し、形式を --os linux|macos|windows で指定してください

## データファイルのエラー（続く詳細は SQLite や OS のことばです）

error-could-not-open = `{ $file }`: 開けませんでした
error-could-not-read = `{ $file }`: 読み取れませんでした
error-not-sqlite = `{ $file }`: SQLite のデータベースとして読み取れません
# データファイルの読み取りと変更のエラー（続く詳細は OS や SQLite のことばのまま）
err-absolute-plain-path = `{ $file }`: 絶対パスでないか、「..」などを含むパスです
err-inside-home-acted-on-changed = `{ $file }`: 対象のホーム（`{ $home }`）の外にあります。変更していません
err-nested-too-deeply-changed = `{ $file }`: フォルダーの階層が深すぎます。変更していません
err-names-no-file = `{ $file }`: ファイルを指していません
err-larger-than-bytes = { $n } バイトより大きいファイルです
err-no-browser-data-under-read = { $detail }。この下のブラウザーのデータは読み取りも変更もしません
err-belongs-uid-owner-home-uid = `{ $file }`: 持ち主が uid { $owner } で、ホーム `{ $path }` の持ち主（uid { $uid }）と違います。ほかのユーザーのデータがあるかもしれないため、このホームでは何もしません
err-leads-out-through-symlink-followed = `{ $file }`: シンボリックリンクで `{ $path }` の外に出るため、たどりませんでした
err-symlink-followed-run-as-root = `{ $file }`: `{ $path }` へのシンボリックリンクです。たどりませんでした（root でほかの人のホームを扱うときは、リンクがどこを指しているかわからないためです）
err-too-many-symlinks-on-way = `{ $file }`: 途中のシンボリックリンクが多すぎるため、たどりませんでした
err-symlink-outside-home-followed = `{ $file }`: ホーム `{ $dir }` の外（`{ $path }`）へのシンボリックリンクです。たどりませんでした
err-directory = `{ $file }`: フォルダーではありません
err-mount-point-another-file-system = `{ $file }`: マウントポイント（別のファイルシステム）です。変更していません
err-regular-file = 通常のファイルではありません
err-could-create-backup-set = `{ $file }`: バックアップを作れませんでした
err-could-back-up = `{ $file }`: バックアップできませんでした
err-nested-too-deeply-back-up = `{ $file }`: フォルダーの階層が深すぎるため、バックアップできません
err-could-list = `{ $file }`: 中身を一覧にできませんでした
err-regular-file-or-directory-tree = `{ $file }`: 通常のファイルでもフォルダーでもないため、このフォルダーはバックアップしていません
err-could-write = `{ $file }`: 書き込めませんでした
err-could-open-backup-directory = `{ $file }`: バックアップのフォルダーを開けませんでした
err-could-create-backup-directory = `{ $file }`: バックアップのフォルダーを作れませんでした
err-could-open-symlink-or-directory = `{ $file }`: 開けませんでした（シンボリックリンクか、フォルダーではないのかもしれません）
err-regular-file-backed-up = `{ $file }`: 通常のファイルではないため、バックアップしていません
err-has-hard-links-could-be = `{ $file }`: ハードリンクが { $n } 個あります（ほかのユーザーのファイルかもしれません）。バックアップしておらず、このファイルは何も変更していません
err-enough-free-space-for-backup = `{ $file }`: バックアップするための空き容量が足りません（必要 { $size } バイト、`{ $dir }` の空き { $free } バイト）。空きを作るか、--backup-dir で別のディスクを指定してください
err-could-create = `{ $file }`: 作れませんでした
err-could-back-up-into = `{ $file }`: `{ $path }` にバックアップできませんでした
err-could-open-back-up = `{ $file }`: バックアップのために開けませんでした
err-could-read-back-up = `{ $file }`: バックアップのために読み取れませんでした
err-symlink-read-as-backup = `{ $file }`: シンボリックリンクのため、バックアップとして読み取りません
err-backup-manifest = `{ $file }`: バックアップの記録ファイルではありません
err-has-no-valid-header-line = `{ $file }`: 先頭の行が正しくありません
err-line-manifest-entry = `{ $file }`: { $n } 行目が、バックアップの記録として正しくありません
err-could-prune-old-backup = `{ $file }`: 古いバックアップを削除できませんでした
err-could-remove = `{ $file }`: 削除できませんでした: { $detail }
err-regular-file-2 = `{ $file }`: 通常のファイルではありません
err-changed-after-read-run-loginfix = `{ $file }`: 読み取ったあとで変更されました。もう一度 loginfix を実行してください
err-could-rewrite = `{ $file }`: 書き直せませんでした
err-entries-removed-but-index = 項目は削除しましたが、索引は更新できませんでした: { $detail }
err-inside-removed = `{ $file }`: `{ $path }` の中にないため、削除していません
err-directory-below-removed = `{ $file }`: `{ $path }` の下のフォルダーではないため、削除していません
err-symlink-removing-what-points = `{ $file }`: シンボリックリンクのため、リンク先は削除していません
err-directory-removed = `{ $file }`: フォルダーではないため、削除していません
err-could-remove-2 = `{ $file }`: 削除できませんでした
err-nested-too-deeply-removed = `{ $file }`: フォルダーの階層が深すぎるため、削除していません
err-mount-point-nothing-under-removed = `{ $file }`: マウントポイントです。`{ $path }` の下は何も削除していません
err-could-create-temporary-file = `{ $file }`: 一時ファイルを作れませんでした
err-could-write-temporary-file = `{ $file }`: 一時ファイルに書き込めませんでした
err-could-give-owner-back = `{ $file }`: 持ち主を元に戻せませんでした
err-could-replace = `{ $file }`: 置き換えられませんでした
err-exists-directory = `{ $file }`: すでにあり、フォルダーではありません
err-made-by-someone-else-meanwhile = `{ $file }`: その間にほかのだれかが作りました
err-could-open-just-made = `{ $file }`: 作った直後に開けませんでした
err-replaced-while-made-nothing-written = `{ $file }`: 作っている間に置き換えられました。そこには何も書き込みません
err-could-restrict = `{ $file }`: アクセス権を制限できませんでした
err-database-rebuilt-but-this-file = データベースは作り直しましたが、このファイルは削除できませんでした
err-database-rebuilt-but-this-directory = データベースは作り直しましたが、このフォルダーは削除できませんでした
err-no-longer-directory-symlink-nothing = `{ $file }`: フォルダーではなくなりました（シンボリックリンクかもしれません）。何も変更していません
err-nothing-changed = 何も変更していません
err-left-over-from-interrupted-rebuild = `{ $file }`: 中断された作り直しの残りです。ブラウザーを一度起動して（作り直しが終わります）、もう一度実行してください。何も変更していません
err-nothing-changed-use-no-backup = 何も変更していません（バックアップなしで消去するには --no-backup を付けてください）
err-could-build = `{ $file }`: 作れませんでした
err-could-build-2 = `{ $file }`: 作れませんでした: { $detail }
err-appeared-while-being-made-nothing = `{ $file }`: 作っている間に現れました。何も変更していません
err-could-list-what-built-for = `{ $file }`: 作ったものを一覧にできませんでした
err-could-read-what-built-for = `{ $file }`: 作ったものを読み取れませんでした
err-could-give-owner = `{ $file }`: 持ち主を設定できませんでした
err-could-flush = `{ $file }`: ディスクに書き出せませんでした
err-rebuilt-does-read-back-as = `{ $file }`: 作り直したものを読み直すと、書いた内容と一致しません
err-could-move-aside-nothing-changed = `{ $file }`: 別の場所に移せませんでした。何も変更していません
err-could-move-rebuilt-database-into = `{ $file }`: 作り直したデータベースを置けませんでした。元のデータベースは戻しました
err-could-move-rebuilt-database-into-2 = `{ $file }`: 作り直したデータベースを置けず、元のデータベースも `{ $path }` から戻せませんでした（{ $detail }）
err-database-rebuilt-but-old-copy = データベースは作り直しましたが、古いコピー `{ $file }` を削除できませんでした
err-interrupted-items-done-others-left = 中断しました：{ $n } 件のうち { $done } 件を処理し、残りはそのままです
err-interrupted-items-reached-left-as = 中断しました：{ $n } 件は処理しておらず、そのままです
err-items-could-be-removed = { $count } 件のうち { $n } 件を削除できませんでした
err-moved-aside-store-moved-only = `{ $file }`: 移していません。データファイルはバックアップの中にしか移しません
err-moved-aside = `{ $file }`: 移していません
err-regular-file-symlink-nothing-moved = `{ $file }`: 通常のファイルではありません（シンボリックリンクかもしれません）。何も移していません
err-could-read-nothing-moved = `{ $file }`: 読み取れませんでした: { $detail }。何も移していません
err-nothing-moved = 何も移していません
err-could-read-nothing-moved-2 = `{ $file }`: 読み取れませんでした。何も移していません
err-changed-while-being-moved-aside = `{ $file }`: 移している間に変更されました。何も移していません
err-backup-set-holds-every-file = { $detail }。このファイルはすべてバックアップにあり、`restore` で元に戻せます
err-nothing-changed-2 = { $detail }。何も変更していません
err-no-longer-regular-file-symlink = `{ $file }`: 通常のファイルではなくなりました（シンボリックリンクかもしれません）。何も変更していません
err-could-read = `{ $file }`: 読み取れませんでした: { $detail }
err-nothing-changed-use-no-backup-2 = { $detail }。何も変更していません（バックアップなしで消去するには --no-backup を付けてください）
err-removed-but-backup-manifest-could = 削除しましたが、バックアップの記録に書き込めませんでした: { $detail }
err-nothing-removed-use-no-backup = { $detail }。このデータは何も削除していません（バックアップなしで消去するには --no-backup を付けてください）
err-nothing-removed = { $detail }。このデータは何も削除していません
err-no-longer-regular-file-symlink-2 = `{ $file }`: 通常のファイルではなくなりました（シンボリックリンクかもしれません）。このデータは何も削除していません
err-could-read-backup = `{ $file }`: バックアップを読み取れませんでした
err-backup-does-match-manifest-sha = `{ $file }`: バックアップが記録と一致しません（SHA-256 は { $got }、記録では { $want }）。何も変更していません
err-absolute-path = `{ $file }`: 絶対パスではありません
err-has-component = `{ $file }`: 「..」を含んでいます
err-inside-home = `{ $file }`: ホーム `{ $path }` の中にありません
err-home-itself = `{ $file }`: ホームそのものです
err-symlink = `{ $file }`: シンボリックリンクです
err-could-read-2 = `{ $file }`: 読み取れませんでした: { $detail }
err-store-loginfix-changes = `{ $file }`: loginfix が変更するデータファイルではありません
err-backup-file-plain-name-inside = バックアップのファイル `{ $name }` は、バックアップの中の単純な名前ではありません
err-backup-regular-file = `{ $file }`: バックアップが通常のファイルではありません
err-could-read-backup-2 = `{ $file }`: バックアップを読み取れませんでした: { $detail }
err-symlink-replacing = `{ $file }`: シンボリックリンクのため、置き換えません
err-refused-by-check-nothing-changed = `{ $file }`: 確認で問題が見つかりました（{ $reason }）。何も変更していません
err-backup-does-match-manifest-sha-2 = `{ $file }`: バックアップが記録と一致しません（SHA-256 は { $got }、記録では { $want }）。何も変更しません
err-could-back-up-current-store = 今のデータファイルを先にバックアップできませんでした。何も変更していません
err-locked-by-another-program-waited = `{ $file }`: 別のプログラムがロックしています（{ $n } 秒待ちました）。そのプログラムを終了してから、もう一度実行してください
err-could-open-for-writing = `{ $file }`: 書き込み用に開けませんでした
err-locked-by-another-program = `{ $file }`: 別のプログラムがロックしています
err-could-check = `{ $file }`: 確認できませんでした
err-fails-sqlite-integrity-check-edit = `{ $file }`: SQLite の整合性チェックで問題が見つかりました（{ $detail }）。変更は取り消し、データは元のままです
err-could-commit-changes = `{ $file }`: 変更を確定できませんでした
err-could-delete-from = `{ $file }`: 削除できませんでした
err-could-mark-invalid = `{ $file }`: 無効の印を付けられませんでした
err-rows-removed-but = 項目は削除しましたが、{ $detail }
err-could-update = `{ $file }`: 更新できませんでした
err-row-kept = { $detail }。その項目は残しました
err-symlink-followed = シンボリックリンクのため、たどりませんでした
err-file-detail = `{ $file }`: { $detail }
err-blockfile-index = `{ $file }`: キャッシュの索引ファイル（blockfile 形式）ではありません
err-declares-absurd-table-size = `{ $file }`: 表の大きさ（{ $size }）があり得ない値です
err-truncated = `{ $file }`: ファイルが途中で切れています
err-could-read-schema = `{ $file }`: データベースの構造を読み取れませんでした
err-chromium-quotamanager-database-table-buckets = `{ $file }`: Chromium の保存容量の管理用データベースではありません（`buckets` テーブルに `{ $name }` 列がありません）
err-could-read-buckets = `{ $file }`: 保存領域の一覧を読み取れませんでした
err-dom-storage-database-this-tool = `{ $file }`: loginfix が扱える DOM ストレージのデータベースではありません（`{ $table }.{ $column }` がありません）
err-could-read-dom-storage-maps = `{ $file }`: DOM ストレージの内容を読み取れませんでした
err-larger-than-bytes-database-left = `{ $file }`: { $n } バイトより大きいため、データベースには手を加えていません
err-does-name-manifest-leveldb-left = `{ $file }`: MANIFEST を指していません。LevelDB ではないため、そのままにしました
err-damaged-database-left-alone = `{ $file }`: 壊れています（{ $detail }）。データベースには手を加えていません
err-names-comparator-database-left-alone = `{ $file }`: 比較方式が `{ $want }` ではなく `{ $name }` です。データベースには手を加えていません
err-names-table-which-missing-database = `{ $file }`: 記載されたテーブル `{ $name }` がありません。データベースには手を加えていません
err-could-create-private-directory = 作業用の非公開フォルダーを作れませんでした
err-regular-file-database-left-alone = `{ $file }`: 通常のファイルではありません。データベースには手を加えていません
err-leveldb-file-name-database-left = `{ $file }`: LevelDB のファイル名ではありません。データベースには手を加えていません
err-could-copy = `{ $file }`: コピーできませんでした
err-could-read-leveldb = `{ $file }`: LevelDB を読み取れませんでした: { $detail }
err-namespace-entry-holds-no-map = `{ $file }`: 名前空間の項目 `{ $name }` に対応するデータがありません。データベースには手を加えていません
err-map-shared-with-another-site = `{ $file }`: データ { $id } がほかのサイトと共有されています。データベースには手を加えていません
err-has-no-table = `{ $file }`: Cookie のデータベースではありません（`{ $table }` テーブルがありません）
err-has-unknown-schema-table-has = `{ $file }`: 形式が不明です（`{ $table }` テーブルに `{ $name }` 列がありません）
err-could-read-cookies-from = `{ $file }`: Cookie を読み取れませんでした
err-lists-more-entry-names-than = `{ $file }`: 項目の名前が多すぎて扱えません
err-has-unknown-schema-table-has-2 = `{ $file }`: 形式が不明です（`{ $table }` テーブルに `{ $name }` 列がありません）
err-could-read-localstorage-rows-from = `{ $file }`: localStorage の項目を読み取れませんでした
err-quotamanager-cache-this-tool-understands = `{ $file }`: loginfix が扱える保存容量の管理用キャッシュではありません（`{ $table }.{ $column }` がありません）
err-larger-than-bytes-read = `{ $file }`: { $n } バイトより大きいため、読み取っていません
err-firefox-service-worker-registration-file = `{ $file }`: Firefox の Service Worker の登録ファイルではありません。何も変更していません
err-firefox-session-file = `{ $file }`: Firefox のセッションファイルではありません
err-holds-json-that-could-be = `{ $file }`: 中の JSON を読み取れませんでした
err-macos-protects-safari-data-your = macOS が Safari のデータを保護しています（ターミナルのアプリに「フルディスクアクセス」が必要です）
err-left-untouched-binarycookies-file-this = `{ $file }`: loginfix が扱える binarycookies 形式のファイルではないため、そのままにしました
err-safari-cache-database-this-tool = `{ $file }`: loginfix が扱える Safari のキャッシュのデータベースではありません（`cfurl_cache_response.{ $name }` がありません）
err-could-list-2 = 一覧にできませんでした: { $detail }
err-could-create-private-directory-for = コピーを置く非公開フォルダーを作れませんでした
err-could-open-copy = `{ $file }`: コピーを開けませんでした
err-has-trigger-which-no-browser = `{ $file }`: ブラウザーが書かないトリガー（`{ $name }`）があります。読み取りも変更もしません
err-table-which-no-browser-writes = `{ $file }`: `{ $name }` はテーブルではなく { $what } です。ブラウザーが書かないものなので、読み取りも変更もしません

## 進み具合（ターミナルのみ）

progress-who = { $product }（{ $dir }）：{ $store }
progress-reading = 読み取り中：{ $what }（{ $done }/{ $total } ファイル）
progress-entries = { $what }：{ $done }/{ $total } 件
progress-removing = 削除中：{ $what }（{ $done }/{ $total } 件、{ $size } を解放）

## ロック：ブラウザーが起動していることを示すもの

lock-safari-running = このユーザーの Safari が起動しています
lock-held-open = ブラウザーが `{ $file }` を開いています
lock-not-host-pid = `{ $file }` の指す先 `{ $target }` が `host-pid` の形ではありません
lock-not-symlink = `{ $file }` はありますが、シンボリックリンクではありません
lock-socket = `{ $file }` が接続を受け付けています。ブラウザーが起動しています（サンドボックスやコンテナーの中かもしれません）
lock-leveldb = `{ $file }` をプロセス { $pid } がロックしています（ここから見たプロセス番号）。ブラウザーが起動しています（サンドボックスやコンテナーの中かもしれません）
lock-locked-by = `{ $file }` をプロセス { $pid } がロックしています
lock-held-open-firefox = Firefox が `{ $file }` を開いています
lock-not-ip-pid = `{ $file }` の指す先 `{ $target }` が `ip:+pid` の形ではありません
lock-foreign-ignored = `{ $file }` は別のパソコン（`{ $host }`）のプロセス { $pid } が持っています。無視しました（--ignore-foreign-locks）
lock-foreign = `{ $file }` は別のパソコン（`{ $host }`）のプロセス { $pid } が持っています。ここからは確かめられません
lock-stale = `{ $file }` にはプロセス { $pid } が記録されていますが、そのプロセスは動いていません
lock-running = `{ $file }` を動作中のプロセス { $pid } が持っています
lock-unknown = `{ $file }` にはプロセス { $pid } が記録されていますが、動いているか確かめられませんでした
reason-running = { $browser } が起動しています：{ $detail }
reason-timeout = --timeout の時間に達しました
reason-timeout-before = このプロフィールの前に --timeout の時間に達しました。このプロフィールは何も変更していません
reason-sql-cache-whole = loginfix が編集しない種類の SQL 形式のキャッシュ（{ $detail }）に対象の項目があるため、HTTP キャッシュ全体を消します（消えるのはダウンロードし直せるものだけです）
reason-sql-cache-kept = SQL 形式のキャッシュは全体でしか消せませんが、--no-whole-cache が指定されています
reason-cache-layout-unknown = loginfix が知らない形式のキャッシュのファイルがあります（{ $names }）。そのままにしたので、対象の項目が残っているかもしれません。ブラウザーの設定の「閲覧履歴データの削除」で「キャッシュされた画像とファイル」を消してください
reason-interrupted = 未処理：実行が中断されました
reason-stale-lock = 古いロックを無視しました：{ $detail }
reason-unchecked = 起動しているかは確かめていません：{ $detail }
lock-safari-unchecked = Safari が起動しているかは、その Mac の上でしか確かめられません。Safari を終了しておいてください
fix-failed-store = { $profile }：{ $file } のデータを削除できませんでした。{ $hint }。
fix-no-profile-result = ブラウザーのプロフィールが見つからなかったため、何も削除しておらず、ブラウザーの設定も確認していません。
fix-no-findings-machine = このパソコン自体の設定には、ログインを妨げるものは見つかりませんでした。ブラウザーの設定は確認していません（プロフィールがないため）。
fix-left-out-store-hint = { $profile }：{ $file } を読み取れませんでした。{ $hint }。
fix-left-out-elsewhere = { $profile }：ロックによると { $browser } は別のパソコンで使用中のため、削除しません。使っていない場合は（ネットワーク上のホームや、別のパソコンのディスクの場合）、--ignore-foreign-locks を付けてもう一度 loginfix を実行してください。
fix-no-findings-unread = 読み取れた範囲では、ほかに何も見つかりませんでした。ただし { $count } 件は読み取れませんでした（`loginfix doctor` で確認できます）。
fix-move-heading = 次の Cookie ファイルが壊れています：
fix-move-explain = { $count ->
    [1] loginfix がこのファイルをバックアップに移すと、次にブラウザーを起動したときに、新しい空のファイルが作られます。ただし、そのプロフィールでは ChatGPT だけでなく、すべてのサイトからログアウトした状態になります。`loginfix restore` で元に戻せます。
   *[other] loginfix がこれらのファイルをバックアップに移すと、次にブラウザーを起動したときに、新しい空のファイルが作られます。ただし、それらのプロフィールでは ChatGPT だけでなく、すべてのサイトからログアウトした状態になります。`loginfix restore` で元に戻せます。
}
fix-move-question = ファイルをバックアップに移しますか？ [y/N]（Enter＝いいえ）
fix-moved = { $profile }：壊れていた { $file } をバックアップに移しました。次にブラウザーを起動したときに新しいファイルが作られます。このプロフィールで使うサイトには、もう一度ログインしてください。
fix-would-move = { $profile }：壊れている { $file } をバックアップに移します（確認のみのため、まだ移していません）。移すと、次にブラウザーを起動したときに新しいファイルが作られ、このプロフィールで使うサイトには、もう一度ログインが必要になります。
fix-move-failed = { $profile }：{ $file } をバックアップに移せませんでした。ファイルの内容は失われていません（移せた分はバックアップにあります）。
age-days = { $count } 日
age-months = 約 { $count } か月
age-released = { $age }前のリリース

## doctor: ブラウザーが無視するポリシーの値

unread-prefs-io = 読み取れませんでした：{ $reason }
unread-prefs-utf8 = UTF-8 ではないため読み取っていません（Firefox は設定を UTF-8 で書きます）
unread-moz-perms = `{ $file }` の `moz_perms` を読み取れませんでした
unread-policy-type = `{ $name }` の値は{ $what }ですが、定義では{ $want }です。ブラウザーはこの値を無視します
json-bool = 真偽値
json-int = 整数
json-number = 数値
json-string = 文字列
json-list = リスト
json-list-of-strings = 文字列のリスト
json-dict = 辞書
json-null = null
proxy-unresolved = { $name } から設定（{ $name } はその場所では設定されていません）
not-checked-vpn-os = Windows と macOS の VPN の接続は、実行中のパソコンでだけ確認できます（--root で指定したディスクや、--os で指定したほかの OS では確認しません）
not-checked-status-page = OpenAI の障害情報のページを読み取れませんでした（{ $reason }）
not-checked-status-format = 障害情報のページの JSON ではありません
not-checked-vpn-list = VPN の接続を一覧にできませんでした（{ $file }）
not-checked-vpn-interfaces = ネットワークインターフェース（{ $file }）を一覧にできませんでした（マウントしたディスクにはありません）
not-checked-other-users-policies = このユーザーのポリシー（HKCU\SOFTWARE\Policies）は読み取っていません。レジストリーが読み込まれておらず、ホームに NTUSER.DAT もありません

## restore、request、--json-out、出力

error-set-other-home = バックアップ `{ $id }` はホーム `{ $home }` のもので、`{ $dir }` のものではありません。元に戻していません
hint-set-other-home = そのバックアップを作ったホームを --home で指定してください
error-no-set-of-run = `{ $dir }` に --all-users の実行 `{ $id }` のバックアップはありません
error-no-set-id = `{ $dir }` にバックアップ `{ $id }` はありません
error-no-set = `{ $dir }` に `{ $home }` のバックアップはありません
hint-no-set = `loginfix backups` でバックアップの一覧を表示できます。別のフォルダーは --backup-dir で指定できます
error-could-not-change = `{ $file }` を変更できませんでした：{ $reason }
hint-request-admin = 削除の依頼ができるのは管理者だけです（root、または Windows の管理者として開いたプロンプト）
error-marker-untrusted = 依頼の印 `{ $file }` は信頼できないため（{ $reason }）、変更していません
hint-marker-untrusted = それ（と、その上の root のものでないフォルダー）を削除してから、もう一度実行してください
hint-json-out = --json-out には、存在して書き込めるフォルダーの中のファイルを指定してください
error-json-out-dir = --json-out `{ $file }` はフォルダーです
error-json-out-write = --json-out `{ $file }` に書き込めません：{ $reason }
error-output = 出力を書き込めませんでした：{ $reason }

## root がホームの持ち主として動かす子プロセス（worker）

worker-backup-dir = root として実行すると、loginfix は `{ $home }` ではその持ち主（{ $name }）として動きますが、その人は --backup-dir `{ $dir }` の持ち主ではありません
worker-backup-dir-hint = --backup-dir を外すか（バックアップはホームに置かれます）、{ $name } が持ち主のフォルダーを指定してください
worker-not-started = `{ $home }` で持ち主として動くプロセスを起動できませんでした：{ $what }：{ $reason }
worker-killed = `{ $home }` で持ち主として動いていたプロセスが、{ $reason }。そのプロセスを終了させました
worker-killed-hint = このホームではこれ以上何もしていません。もう一度実行し、繰り返すようなら、loginfix を止めるように作られたファイルがないかホームを確認してください
worker-why-not-reading = 指示を読まなくなりました
worker-why-stopped = 停止させられました（シグナルかデバッガー）
worker-why-flooded = 標準エラー出力に { $n } MiB を超えて書きました
worker-why-timeout = --timeout の時間内に終わりませんでした
worker-why-silent = { $n } 分間何も伝えてきませんでした
worker-why-output-open = 終了しましたが、出力が開いたままでした
worker-why-not-the-user = { $name } だけになっていませんでした（本人の申告：{ $what }）
worker-why-spoke-first = 自分が誰かを伝える前に話し始めました
worker-why-hello-twice = 自分が誰かを二度伝えました
worker-why-event = その実行にはないイベントを伝えてきました（{ $name }）
worker-why-too-much = 1 通あたり { $a } MiB、1 回の実行あたり { $b } MiB を超えて送ってきました
worker-why-invalid = 正しくないメッセージを送ってきました：{ $reason }
worker-why-no-exit = 出力を閉じましたが、終了しませんでした
worker-ended = `{ $home }` で持ち主として動いていたプロセスが、終わる前に止まりました（{ $reason }）
worker-it-said = そのプロセスの出力：{ $what }
worker-home-closed = ホームの持ち主は `{ $home }` にたどり着けません。上のフォルダーがその人に閉じられていますが、loginfix はホームの中ではその持ち主として動きます
worker-home-closed-hint = ホームの上のフォルダーを持ち主に開くか（chmod o+x）、そのユーザーとして loginfix を実行してください
worker-home-moved = `{ $home }` は、loginfix がこのホームとして開いたフォルダーではなくなりました（途中で移動か置き換えがありました）。ここでは何もしていません
worker-run-again = もう一度実行してください
worker-not-utf8 = `{ $home }` の結果を root に渡せません。UTF-8 でない名前が含まれています（{ $reason }）
worker-not-utf8-hint = root ではなく、ホームの持ち主として loginfix を実行してください
worker-stopped-early = ホームでの実行が、終わる前に止まりました
worker-no-exe = loginfix 自身のプログラムが見つかりませんでした：{ $reason }
error-no-accounts-list = ユーザーアカウントを一覧にできませんでした：{ $reason }
hint-no-accounts-list = --root にパソコンのディスクをマウントしたフォルダーを、--os にその OS を指定してください
error-no-accounts = `{ $dir }` の下に、ホームのあるユーザーアカウントは見つかりませんでした
hint-no-accounts = --root と --os を確かめてください。一つのホームだけなら --home で指定してください
error-no-fleet-set = どのホームにも --all-users の実行のバックアップはありませんでした
hint-no-fleet-set = `loginfix --all-users backups` で各ユーザーのバックアップを一覧にできます。一人分だけなら --home を付けて `restore` を実行してください
