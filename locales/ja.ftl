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
advice-browser_outdated-age = { $browser } { $version } は古いバージョンです。最新版に更新してください（設定 → バージョン情報）。
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
advice-policy_blocks_cookies-javascript = 組織のポリシーにより、{ $browser } で { $site } の JavaScript がブロックされています。社内の IT 担当者に相談してください。
advice-policy_forces_extension = 組織のポリシーで、ログインを妨げることがある拡張機能「{ $extension }」がインストールされています。社内の IT 担当者に相談してください。
advice-resist_fingerprinting = フィンガープリント対策が強く設定されていて、確認画面が繰り返し表示されることがあります。about:config で privacy.resistFingerprinting をオフにするか、ChatGPT 用に別のプロファイルを使ってください。
advice-resist_fingerprinting-safari = 「高度なトラッキングとフィンガープリントの保護」がすべてのブラウズで有効になっていて、確認画面が繰り返し表示されることがあります。「プライベートブラウズのみ」に変更してください（設定 → 詳細）。
advice-shields_strict = { $site } で Brave Shields が「強力」になっています。このサイトでは「標準」にしてください（アドレスバーのライオンのアイコン）。
advice-private_only = { $browser } はプライベートウィンドウしか開かない設定のため、終了するたびに何も残りません。毎回ログインが必要になります。
advice-dns_over_https_custom = 独自のセキュア DNS（{ $server }）が設定されています。ログインのページが開かない場合は、既定の設定に戻してみてください。
advice-interfering_extension = 拡張機能「{ $extension }」はログインを妨げることがあります。いったん無効にしてください。
advice-clock_skew = パソコンの時計が { $seconds } 秒ずれています。時刻を自動で合わせる設定にしてください（2 段階認証のコードは時刻をもとに作られます）。
advice-host_unreachable = このパソコンから { $host } に接続できません。ネットワーク、プロキシ、ファイアウォールの設定を確認してください。

## doctor: テキストの報告

doctor-this-machine = このパソコン
doctor-nothing-found = 問題は見つかりませんでした
doctor-not-found = { $browser }：見つかりません
doctor-not-checked = 未確認：{ $ids }（{ $reason }）
doctor-summary = エラー { $errors } 件、警告 { $warnings } 件、情報 { $info } 件、読み取れなかった項目 { $unread } 件（{ $profiles } つのプロファイルを確認しました）
doctor-nothing-else = ほかには何も見つかりませんでした。
severity-error = エラー
severity-warning = 警告
severity-info = 情報

## fix とガイドモード

fix-title = loginfix：ブラウザーに残った ChatGPT のログイン情報を消して、もう一度ログインできるようにします。
fix-found = 見つかったブラウザー：{ $list }
fix-no-profile = このパソコンにはブラウザーのプロファイルが見つかりませんでした。
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
fix-undo = 元に戻したいときは、次のように入力してください：{ $command }
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
