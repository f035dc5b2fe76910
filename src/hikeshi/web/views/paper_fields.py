"""The fields of the position paper form, grouped as a crisis team fills them in (the paper's own order).

Each field names its path in `PositionPaper` (``company.name``; in a list, relative to a row: ``at``), its Japanese
label, the kind of input, and a hint where people get it wrong (a number, not 数名; a role, not a name).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    """One input: `name` is its path in the paper (in a row, relative to the row).

    `kind`: text, textarea, lines, list, date, datetime, when, number, url, email, select or checkbox.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()
    default: str = ""


@dataclass(frozen=True)
class FieldGroup:
    """A fieldset: single fields (`rows` False) or a list of rows of the same fields (`rows` True, `key` the list)."""

    key: str
    title: str
    fields: tuple[FormField, ...]
    hint: str = ""
    rows: bool = False


def _contact(prefix: str) -> tuple[FormField, ...]:
    return (
        FormField(f"{prefix}.name", "窓口の名前", required=True, hint="例: お客様相談室（本件専用窓口）"),
        FormField(f"{prefix}.phone", "電話", required=True),
        FormField(f"{prefix}.email", "メール", "email", required=True),
        FormField(f"{prefix}.hours", "受付時間", required=True, hint="例: 平日 9:00〜18:00"),
        FormField(f"{prefix}.url", "URL", "url"),
    )


CAUSE_STATUS = (("investigating", "調査中"), ("known", "判明している"))
ACCOUNTABILITY_STATUS = (("decided", "決定"), ("under_review", "検討中"))
QA_BUCKETS = (
    ("asked", "聞かれたら言う"),
    ("proactive", "聞かれなくても言う"),
    ("cannot", "聞かれても言えない"),
)
QA_TOPICS = (
    ("facts", "事実"),
    ("risk", "危険性・継続性"),
    ("cause", "原因"),
    ("responsibility", "責任"),
    ("prevention", "再発防止"),
    ("contact", "問い合わせ"),
)

GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup(
        "basics",
        "基本",
        (
            FormField("incident_title", "件名", required=True, hint="公表文の題名になります"),
            FormField("as_of", "事実を確認した日時", "datetime", required=True),
            FormField("summary", "概要（1 文、会社を主語に）", "textarea", required=True),
            FormField("apology_to", "お詫びする相手", "lines", required=True, hint="1 行に 1 つ"),
            FormField("release_date", "公表日", "date", hint="空なら確認日時の日付"),
            FormField("next_update", "次回のお知らせ", "datetime"),
            FormField("statement_url", "声明を載せる URL", "url"),
        ),
    ),
    FieldGroup(
        "company",
        "会社",
        (
            FormField("company.name", "社名", required=True),
            FormField("company.representative", "代表者", hint="例: 代表取締役社長 港 一郎"),
            FormField("company.address", "所在地"),
            FormField("company.established", "設立"),
            FormField("company.business", "事業内容"),
            FormField("company.url", "ウェブサイト", "url"),
        ),
    ),
    FieldGroup(
        "facts",
        "5W1H（確認できた事実）",
        (
            FormField("facts.when", "いつ", required=True),
            FormField("facts.where", "どこで", required=True),
            FormField("facts.who", "誰が", required=True, hint="役職や立場で（従業員の氏名は書かない）"),
            FormField("facts.what", "何を", "textarea", required=True),
            FormField("facts.why", "なぜ", "textarea", required=True, hint="分からなければ「調査中です」"),
            FormField("facts.how", "どのように", "textarea", required=True),
        ),
    ),
    FieldGroup(
        "timeline",
        "経緯",
        (
            FormField("at", "日時", "datetime", required=True),
            FormField("what", "出来事", required=True),
            FormField("public", "公表する", "checkbox", default="on"),
        ),
        hint="1 件以上。「公表する」を外した行は社内向けで、公表文には載りません。",
        rows=True,
    ),
    FieldGroup(
        "cause",
        "原因",
        (
            FormField("cause.status", "状態", "select", required=True, options=CAUSE_STATUS),
            FormField("cause.text", "原因（判明している場合）", "textarea"),
            FormField("cause.method", "調べ方（調査中の場合）", "textarea"),
            FormField("cause.owner", "調査の担当（調査中の場合）"),
            FormField("cause.due", "報告の期日（調査中の場合）", "date"),
        ),
        hint="調査中なら、調べ方・担当・報告の期日をすべて書きます。",
    ),
    FieldGroup(
        "impact",
        "影響",
        (
            FormField("impact.who", "影響を受けた方", required=True),
            FormField("impact.count", "人数・件数", "number", required=True, hint="数で（「数名」ではなく）"),
            FormField("impact.unit", "単位", default="名"),
            FormField("impact.confirmed", "この数で確定", "checkbox", default="on"),
            FormField("impact.description", "どのような影響か", "textarea", required=True),
        ),
    ),
    FieldGroup(
        "impact.figures",
        "影響の数字",
        (
            FormField("label", "項目", required=True, hint="例: 投稿の閲覧数"),
            FormField("value", "数", "number", required=True),
            FormField("unit", "単位", required=True),
            FormField("as_of", "時点", "datetime"),
        ),
        rows=True,
    ),
    FieldGroup(
        "actions",
        "これまでの対応",
        (FormField("at", "日時", "datetime"), FormField("what", "対応", required=True)),
        rows=True,
    ),
    FieldGroup(
        "measures",
        "再発防止策",
        (
            FormField("what", "何を", required=True),
            FormField("owner", "担当", required=True),
            FormField("due", "期日", "date", required=True),
        ),
        hint="担当と期日のない約束は再発防止策になりません。",
        rows=True,
    ),
    FieldGroup(
        "accountability",
        "処分・責任",
        (
            FormField("subject", "対象", required=True, hint="例: 代表取締役社長および営業本部長"),
            FormField("measure", "内容", required=True),
            FormField("status", "状態", "select", options=ACCOUNTABILITY_STATUS),
            FormField("due", "決定の期日（検討中の場合）", "date"),
        ),
        rows=True,
    ),
    FieldGroup("contacts.public", "お客様の問い合わせ先", _contact("contacts.public")),
    FieldGroup("contacts.press", "報道関係者の問い合わせ先", _contact("contacts.press")),
    FieldGroup(
        "unknowns",
        "まだ分かっていないこと",
        (
            FormField("what", "何が", required=True),
            FormField(
                "when", "いつ分かるか", "when", required=True, hint="2026-03-31 または 2026-03-31 17:00"
            ),
            FormField("how", "どう確かめるか"),
        ),
        rows=True,
    ),
    FieldGroup(
        "negative",
        "ネガティブリスト（聞かれても言えない）",
        (
            FormField("item", "語", required=True, hint="公表文に決して出さない語（お客様の氏名など）"),
            FormField("variants", "別の書き方", "list", hint="「、」で区切る"),
            FormField("topic", "何の情報か", required=True, hint="例: お客様のお名前"),
            FormField("reason", "言えない理由", required=True, hint="例: お客様の個人情報のため"),
        ),
        hint="ここに書いた語は、どの公表文にも載りません。想定問答では「聞かれても言えない」に入ります。",
        rows=True,
    ),
    FieldGroup(
        "key_messages",
        "キーメッセージ",
        (FormField("key_messages", "キーメッセージ", "lines", hint="1 行に 1 つ。空なら自動で作ります"),),
    ),
    FieldGroup(
        "speakers",
        "会見の登壇者",
        (
            FormField("name", "氏名", required=True),
            FormField("title", "役職", required=True),
            FormField("role", "役割", required=True, hint="例: 登壇（冒頭のお詫びと説明）"),
        ),
        rows=True,
    ),
    FieldGroup(
        "extra_qa",
        "想定問答に加える問答",
        (
            FormField("question", "質問", required=True),
            FormField("answer", "回答", "textarea", required=True),
            FormField("bucket", "区分", "select", options=QA_BUCKETS),
            FormField("topic", "話題", "select", options=QA_TOPICS),
        ),
        rows=True,
    ),
)
ROW_GROUPS = {group.key: group for group in GROUPS if group.rows}
