"""The company profile: the facts about one company that its five SNS documents are written from.

A consultancy's Word template leaves blanks (「〇〇株式会社」「第〇条」) that nobody fills consistently; here the
blanks are one YAML file, validated once, so the policy, the terms of use, the employee rules, the guideline
and the crisis manual name the same accounts, contacts, approvers and 就業規則 articles. A bad file is
reported with its file and line, in Japanese (`load_profile`), e.g.
``company_profile.yaml:3: company.name: 必須の項目がありません``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from hikeshi.config.yamlfile import _line_for, _lines_by_path, japanese_problem, load_yaml_model
from hikeshi.errors import ConfigError
from hikeshi.respond.incidents.records import ROLE_LABELS, Role

MAX_PROFILE_BYTES = 1_048_576
_ARTICLE = re.compile(r"^第[0-9０-９]+条(の[0-9０-９]+)?(（[^（）]{1,40}）)?$")


def _not_blank(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("空欄です。内容を書いてください")
    return text


def _article(value: str) -> str:
    """A 就業規則 article reference as HR writes it: 第62条 or 第62条（懲戒の種類）."""
    text = _not_blank(value)
    if "〇" in text:
        raise ValueError(
            f"就業規則の条の番号が {text} のままです。第14条（服務規律） のように数字で書いてください"
        )
    if not _ARTICLE.match(text):
        raise ValueError(
            f"条文番号 {text!r} を読めません。第62条 または 第62条（懲戒の種類） のように書いてください"
        )
    return text


Text = Annotated[str, AfterValidator(_not_blank)]
Article = Annotated[str, AfterValidator(_article)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(_Record):
    name: Text = Field(max_length=100, description="正式な会社名（例: ミナト住建株式会社）")
    industry: Text = Field(max_length=100, description="業種（例: 住宅建築・不動産）")
    business: Text = Field(max_length=300, description="事業の内容")
    address: str = ""
    representative: str = ""
    website: str = ""


class ReplyPolicy(StrEnum):
    NONE = "none"
    SELECTIVE = "selective"
    ALL = "all"


REPLY_POLICY_LABELS = {
    ReplyPolicy.NONE: "原則として行いません",
    ReplyPolicy.SELECTIVE: "必要と判断したものに限り行います",
    ReplyPolicy.ALL: "原則として行います",
}


class FollowPolicy(StrEnum):
    NONE = "none"
    RELATED = "related"


FOLLOW_POLICY_LABELS = {
    FollowPolicy.NONE: "原則として行いません",
    FollowPolicy.RELATED: "関係のある企業・団体・公的機関に限り行います",
}


class OfficialAccount(_Record):
    platform: Text = Field(max_length=50, description="X、Instagram、LINE 公式アカウント、YouTube など")
    handle: Text = Field(max_length=100, description="アカウント名（例: @minato_jyuken）")
    url: str = ""
    operator: Text = Field(max_length=100, description="運用する部署")
    purpose: Text = Field(max_length=300, description="何のためのアカウントか")
    reply_policy: ReplyPolicy = ReplyPolicy.NONE
    direct_messages: bool = Field(default=False, description="ダイレクトメッセージを受け付けるか")
    follow_policy: FollowPolicy = FollowPolicy.NONE
    hours: Text = Field(max_length=100, description="運用時間（例: 平日 9:00〜18:00）")

    @property
    def reply_label(self) -> str:
        return REPLY_POLICY_LABELS[self.reply_policy]

    @property
    def follow_label(self) -> str:
        return FOLLOW_POLICY_LABELS[self.follow_policy]


class ContactPoint(_Record):
    name: Text = Field(max_length=100, description="窓口の名前（例: お客様相談室）")
    phone: str = ""
    email: str = ""
    url: str = ""
    hours: str = ""

    @model_validator(mode="after")
    def _reachable(self) -> ContactPoint:
        if not (self.phone or self.email or self.url):
            raise ValueError("電話・メール・URL のどれか一つは書いてください")
        return self

    @property
    def means(self) -> str:
        """How to reach it, for inside parentheses: 「電話 0120-000-123、メール soudan@…」."""
        parts = []
        if self.phone:
            parts.append(f"電話 {self.phone}")
        if self.email:
            parts.append(f"メール {self.email}")
        if self.url:
            parts.append(f"ウェブサイト {self.url}")
        return "、".join(parts)

    @property
    def reception(self) -> str:
        """The hours as a sentence (「受付時間は、平日 9:00〜18:00です。」), or nothing."""
        return f"受付時間は、{self.hours}です。" if self.hours else ""


class Contacts(_Record):
    public: ContactPoint = Field(description="お客様・一般の方の問い合わせ窓口")
    press: ContactPoint = Field(description="報道機関の窓口")
    internal: ContactPoint = Field(description="従業員が SNS のトラブルを報告・相談する社内窓口")


class WorkRules(_Record):
    """Where the company's 就業規則 already says it: the employee rules cite these articles, never invent them."""

    title: Text = Field(default="就業規則", max_length=50)
    conduct_article: Article = Field(description="服務規律の条（例: 第14条（服務規律））")
    confidentiality_article: Article = Field(description="秘密保持の条")
    discipline_types_article: Article = Field(description="懲戒の種類の条")
    discipline_grounds_article: Article = Field(description="懲戒の事由の条")
    discipline_types: list[Text] = Field(
        default_factory=lambda: ["けん責", "減給", "出勤停止", "降格", "諭旨解雇", "懲戒解雇"], min_length=1
    )
    related_rules: list[Text] = Field(
        default_factory=list, description="個人情報保護規程など、関係する社内規程"
    )


class Confidentiality(_Record):
    confidential_information: list[Text] = Field(min_length=1, description="社外に出せない情報の例")
    customer_data: list[Text] = Field(min_length=1, description="お客様の情報として守るものの例")
    photo_rule: str = Field(default="", description="現場・店舗・お客様宅の写真についての決まり")


class Approvals(_Record):
    official_posts: Text = Field(description="公式アカウントの投稿を承認する人（役職）")
    account_changes: Text = Field(description="公式アカウントの開設・廃止を承認する人")
    statements: Text = Field(description="お詫び・見解など会社としての声明を承認する人")
    documents: Text = Field(description="この文書群の制定・改廃を決める機関・人")


class EscalationContact(_Record):
    role: Role | None = Field(default=None, description="炎上対応での役割（プレイブックの role）")
    title: Text = Field(max_length=100, description="役職・部署（例: 広報部長）")
    phone: Text = Field(max_length=50)
    email: str = ""
    deputy: str = Field(default="", description="不在時の代理")
    when: str = Field(default="", max_length=100, description="役割のない連絡先: どんなときに連絡するか")

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role].split("（")[0] if self.role is not None else "その他"


class DocumentKind(StrEnum):
    SNS_POLICY = "sns_policy"
    TERMS_OF_USE = "terms_of_use"
    EMPLOYEE_RULES = "employee_rules"
    SNS_GUIDELINE = "sns_guideline"
    CRISIS_MANUAL = "crisis_manual"


class DocumentControl(_Record):
    version: Text = Field(default="1.0", max_length=20)
    effective_date: dt.date = Field(description="制定・施行日")
    review_interval_months: int = Field(default=12, ge=1, le=36)
    owner: Text = Field(max_length=100, description="所管部署（文書の責任者）")
    owners: dict[DocumentKind, Text] = Field(default_factory=dict, description="文書ごとの所管（任意）")

    def owner_of(self, kind: DocumentKind) -> str:
        return self.owners.get(kind, self.owner)

    @property
    def next_review(self) -> dt.date:
        """The effective date plus the interval; the 31st becomes the month's last day (2026-01-31 → 2026-02-28)."""
        months = self.effective_date.month - 1 + self.review_interval_months
        year, month = self.effective_date.year + months // 12, months % 12 + 1
        for day in range(self.effective_date.day, 27, -1):
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        return dt.date(year, month, min(self.effective_date.day, 28))


class CompanyProfile(_Record):
    company: Company
    official_accounts: list[OfficialAccount] = Field(min_length=1)
    contacts: Contacts
    work_rules: WorkRules
    confidentiality: Confidentiality
    approvals: Approvals
    escalation: list[EscalationContact] = Field(min_length=1)
    documents: DocumentControl
    check_url: str = Field(default="", description="社内の hikeshi 送信前チェック画面の URL（任意）")

    def contacts_for(self, role: Role) -> list[EscalationContact]:
        return [contact for contact in self.escalation if contact.role == role]

    def placeholders(self) -> list[str]:
        """Fields still holding the template's 〇〇 (e.g. ``company.name``): built, but not yet this company's."""
        found: list[str] = []

        def walk(value: object, path: str) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item, f"{path}.{key}" if path else str(key))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, f"{path}[{index}]")
            elif isinstance(value, str) and "〇" in value:
                found.append(path)

        walk(self.model_dump(mode="json"), "")
        return found


# --- loading ------------------------------------------------------------------------------------------------


def load_profile(path: Path | str) -> CompanyProfile:
    """Read and validate a company profile; any problem is a ConfigError naming the file and line, in Japanese."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ConfigError(
            str(path), None, "ファイルが見つかりません。hikeshi docs init で雛形を作れます。"
        ) from None
    except OSError as error:
        raise ConfigError(str(path), None, f"読み込めません: {error.strerror}") from None
    if size > MAX_PROFILE_BYTES:
        raise ConfigError(str(path), None, f"大きすぎます（{size:,} バイト、上限 {MAX_PROFILE_BYTES:,}）。")
    try:
        source = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        source = None  # load_yaml_model reports it in its own words
    if source is not None and not any(
        line.strip() and not line.lstrip().startswith("#") for line in source.splitlines()
    ):
        raise ConfigError(
            str(path), 1, "プロフィールが空です。hikeshi docs init で雛形を作ってから書いてください。"
        )
    if source is not None:
        bad = _impossible_date(source)
        if bad is not None:
            raise ConfigError(str(path), bad[0], f"日付 {bad[1]!r} はありえない日付です。")
    if source is None:
        return load_yaml_model(path, CompanyProfile)  # reports the unreadable file in its own words
    try:
        node = yaml.compose(source)
        data = yaml.safe_load(source)
    except yaml.YAMLError:
        return load_yaml_model(path, CompanyProfile)  # reports the syntax error with its line
    try:
        return CompanyProfile.model_validate(data if data is not None else {})
    except ValidationError as error:
        raise _first_problem(path, node, error) from None


def _first_problem(path: Path, node: yaml.Node | None, error: ValidationError) -> ConfigError:
    """The problem to show first: a misspelt key (its own line) before the required field it was meant to be."""
    problems = sorted(error.errors(), key=lambda problem: problem["type"] != "extra_forbidden")
    first = problems[0]
    loc = tuple(first["loc"])
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines_by_path(node, (), lines)
    field = ".".join(str(part) for part in loc) or "(全体)"
    return ConfigError(str(path), _line_for(loc, lines) or 1, japanese_problem(f"{field}: {first['msg']}"))


def _impossible_date(source: str) -> tuple[int, str] | None:
    """The line of a date YAML reads as one but cannot build (``2026-02-30``), which PyYAML raises bare."""
    try:
        root = yaml.compose(source)
    except yaml.YAMLError:
        return None  # load_yaml_model reports the syntax error with its line
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    yaml.SafeLoader(source).construct_yaml_timestamp(node)
                except ValueError:
                    return node.start_mark.line + 1, node.value
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
    return None


PROFILE_TEMPLATE = Path(__file__).with_name("data") / "profile_template.yaml"


def write_profile_template(path: Path, *, force: bool = False) -> Path:
    """Write the commented profile template to `path`; an existing file is kept unless `force`."""
    if path.is_dir():
        raise ConfigError(str(path), None, "フォルダーです。書き出すファイル名を指定してください。")
    if path.exists() and not force:
        raise ConfigError(
            str(path), None, "すでにファイルがあります。上書きするときは --force を付けてください。"
        )
    try:
        path.write_text(PROFILE_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as error:
        raise ConfigError(str(path), None, f"書き込めません: {error.strerror}") from None
    return path
