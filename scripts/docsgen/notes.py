"""Japanese prose the code does not carry: one explanation per setting, CLI environment variable and YAML key.

`tests/docs/test_reference.py` fails when a setting or a playbook/policy key has no entry here, so a new one
cannot go undocumented.
"""

from __future__ import annotations

SETTING_NOTES: dict[str, str] = {
    "database_url": "保存先のデータベース（SQLAlchemy の URL）。既定はカレントディレクトリの SQLite ファイル。"
    "PostgreSQL は `postgresql+psycopg://ユーザー@ホスト/データベース`。",
    "allow_private_urls": "取得先（RSS・ニュース・X・サジェスト・Webhook）に社内・ループバックのアドレスを許すか。"
    "既定は拒否（SSRF 対策）。社内サーバーから取得するときやテストでだけ有効にします。",
    "x_bearer_token": "X API v2 の Bearer トークン（`--kind x` のソースが使います）。",
    "http_timeout_seconds": "取得（RSS・ニュース・X・サジェスト）1 回あたりの待ち時間の上限（秒）。",
    "user_agent": "取得のときに名乗る User-Agent。",
    "session_hours": "Web 画面のログインが続く時間。過ぎると再ログインが必要です。",
    "cookie_secure": "Cookie に Secure を付けるか。HTTPS（リバースプロキシの後ろ）で公開するときは必ず有効にします。",
    "max_body_bytes": "受け付けるリクエスト本文の最大バイト数。超えると解析せずに 413 を返します。",
    "max_check_batch": "`POST /api/check/batch` 1 回で送れる下書きの最大件数。",
    "playbook": "会社独自のプレイブック YAML のパス。未設定なら同梱の標準プレイブック。",
    "config_dir": "古い版が通知先の設定（alerts.yaml・alert_state.json）を置いていたフォルダー。中身は最初に"
    "データベースへ取り込まれます。未設定なら SQLite ファイルの隣の `<名前>.d/`（既定 `hikeshi.d/`）。",
    "public_url": "利用者が開く Web 画面のアドレス（例 `https://hikeshi.example.jp`）。通知にインシデントへの"
    "リンクを付けるのに使います。",
    "evidence_max_bytes": "`hikeshi evidence capture --url` で保存するページの最大バイト数。超えるページは"
    "途中で切らず、保存しません。",
    "evidence_chromium_path": "証拠のスクリーンショットを撮る Chromium の場所（Debian のパッケージ）。",
    "statement_templates_dir": "会社独自の声明文テンプレートのフォルダー。同じ名前のファイルが同梱のものに"
    "代わります。",
    "statement_llm_url": "下書きの文章を整える言語モデルの API（OpenAI 互換、例 `http://127.0.0.1:8080/v1`）。"
    "未設定なら使いません。",
    "statement_llm_model": "その API に送るモデル名。",
    "statement_llm_api_key": "その API の鍵。",
    "statement_llm_timeout_seconds": "文章を整えるのを待つ上限（秒）。過ぎたらテンプレートの文のまま"
    "（警告付き）にします。",
    "statement_chromium_path": "声明文の PDF を作る Chromium の場所（Debian のパッケージ）。",
}
"""One Japanese sentence or two per setting; every field of every `Settings` class must have one."""

ENV_OPTION_NOTES: dict[str, str] = {
    "HIKESHI_SMTP_PASSWORD": "`hikeshi alert add --kind email` の SMTP パスワード（コマンドラインに残さないために）。",
}
"""Environment variables that a CLI option reads (`envvar=`), which are not fields of `Settings`."""

SCHEMA_NOTES: dict[str, str] = {
    # playbook
    "Playbook.name": "プレイブックの名前（インシデントのタイムラインに記録されます）。",
    "Playbook.opening_severity": "この深刻度以上のシグナルでインシデントを自動で開きます。",
    "Playbook.lookback_hours": "開始前この時間内の低い深刻度のシグナルも、新しいインシデントのタイムラインに載せます。",
    "Playbook.calm": "沈静化の判定（下の CalmCriterion）。",
    "Playbook.phases": "フェーズの並び。1 つ以上。",
    "CalmCriterion.hours": "沈静化シグナルの後、この時間静かなら「沈静化」とみなします。",
    "CalmCriterion.rejoin_days": "沈静化後この日数以内の再燃は同じインシデントに加えます。",
    "Phase.id": "フェーズのキー（英小文字・数字・_）。",
    "Phase.title": "画面に出るフェーズ名。",
    "Phase.tasks": "このフェーズのタスク。1 つ以上。",
    "PlaybookTask.id": "タスクのキー（英小文字・数字・_、プレイブック全体で重複不可）。`hikeshi incident done` で使います。",
    "PlaybookTask.title": "画面に出るタスク名。",
    "PlaybookTask.role": "担当する役割。",
    "PlaybookTask.due": "開始からの期限: `90m`・`3h`・`2d`、または `next_business_day`（翌営業日 18:00）。省略で期限なし。",
    "PlaybookTask.description": "何をするかの説明。",
    # policy pack
    "PolicyPack.name": "会社名など、ポリシーパックの名前。",
    "PolicyPack.ng_terms": "使ってはいけない語。文字列か、理由・重大度・言い換えを付けた形。",
    "PolicyPack.confidential_terms": "社外秘の名称（開発コード名・取引先名など）。",
    "PolicyPack.exceptions": "指摘しない言い回し（この語句に重なる指摘は取り消されます）。",
    "PolicyPack.strictness": "チャネルごとの厳しさ。キーは `default` かチャネル名。",
    "PolicyPack.disasters": "最近の災害。期間中は宣伝や冗談めいた投稿を指摘します。",
    "PolicyPack.lexicons": "会社独自の規則（同梱の辞書と同じ形式）。",
    "PolicyTerm.term": "語。",
    "PolicyTerm.reason": "指摘の理由（省略時は既定の文）。",
    "PolicyTerm.severity": "重大度 1（注意）〜 3（危険）。",
    "PolicyTerm.replacement": "言い換え案に使う語。",
    "Disaster.name": "災害の名前。",
    "Disaster.start": "期間の初日（YYYY-MM-DD）。",
    "Disaster.end": "期間の最終日（YYYY-MM-DD）。",
    "Disaster.terms": "この災害を指す語（投稿が触れていると、軽い調子の文面を強く指摘します）。",
    "LexiconFile.category": "分類のキー（英小文字と _）。",
    "LexiconFile.label": "画面に出る分類名。",
    "LexiconFile.rules": "規則の並び。",
    "Rule.id": "規則のキー（分類の中で重複不可）。",
    "Rule.terms": "そのまま探す語（カタカナとひらがなは区別しません）。",
    "Rule.patterns": "正規表現。`terms` か `patterns` のどちらかが必要です。",
    "Rule.near": "同じ文（と前後 `near_window` 文）にこのどれかもあるときだけ指摘します。",
    "Rule.unless": "同じ範囲にこのどれかがあれば指摘しません。",
    "Rule.near_window": "`near`・`unless` を探す前後の文の数（0〜2）。",
    "Rule.escalate_unless_text": "文面全体にこのどれもなければ、重大度を 1 つ上げます。",
    "Rule.severity": "重大度 1（注意）〜 3（危険）。",
    "Rule.scope": "どこで最大の重大度にするか（下の Scope）。",
    "Rule.reason": "指摘の理由（利用者に見せる日本語）。",
    "Rule.suggestion": "どう直すかの助言。",
    "Rule.replacement": "言い換え案でこの箇所を置き換える文字列（空文字で削除）。",
    "Rule.drop_sentence": "言い換え案でこの文ごと削除します。",
    "Rule.fallback": "言い換えで文がすべて消えるときに代わりに示す文面（目的を保った、そのまま送れる文）。",
}
"""Japanese explanation of each YAML key, as `Model.field`; every field of the documented models needs one."""
