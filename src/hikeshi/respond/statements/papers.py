"""The position paper (ポジションペーパー): the confirmed facts every statement, Q&A and script is drafted from.

One paper per incident version holds what the company may say and what it may not: 5W1H, the timeline, the
cause (or 調査中 with how and by when), the impact with its numbers as numbers, actions taken, prevention
measures each with an owner and a date, accountability (処分), contacts for the public and for the press,
what is not known yet, and the negative list (聞かれても言えない). Drafts read only this record, so a count
written once here is the same count in the release, the Q&A, the script and the SNS posts.

Times written without a zone in YAML (``2026-03-12 21:10``) are Japan time. A bad file is reported with its
file and line (`load_position_paper`), in Japanese.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from hikeshi.config.yamlfile import japanese_problem, load_yaml_model
from hikeshi.errors import ConfigError
from hikeshi.timezones import JST

MAX_PAPER_BYTES = 1_048_576


def _japan_time(value: dt.datetime) -> dt.datetime:
    """A time written without a zone is Japan time (the people who write papers are in Japan)."""
    return value.replace(tzinfo=JST) if value.tzinfo is None else value


def _not_blank(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("空欄です。内容を書いてください")
    return text


Moment = Annotated[dt.datetime, AfterValidator(_japan_time)]
Text = Annotated[str, AfterValidator(_not_blank)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FiveW1H(_Record):
    """いつ・どこで・誰が・何を・なぜ・どのように, as confirmed (a field may say 確認中)."""

    when: Text = Field(description="いつ")
    where: Text = Field(description="どこで")
    who: Text = Field(description="誰が (a role, never the employee's name)")
    what: Text = Field(description="何を")
    why: Text = Field(description="なぜ (confirmed reason, or 調査中)")
    how: Text = Field(description="どのように")


class TimelineEntry(_Record):
    at: Moment
    what: Text
    public: bool = Field(default=True, description="false: internal only, left out of public drafts")


class CauseStatus(StrEnum):
    KNOWN = "known"
    INVESTIGATING = "investigating"


class Cause(_Record):
    """The cause, or 調査中 with the method, the owner and the date by which it will be reported."""

    status: CauseStatus
    text: str | None = Field(default=None, description="the cause, when known")
    method: str | None = Field(default=None, description="how it is being investigated")
    owner: str | None = Field(default=None, description="who investigates (a department or role)")
    due: dt.date | None = Field(default=None, description="when the result will be reported")

    @model_validator(mode="after")
    def _complete(self) -> Cause:
        if self.status == CauseStatus.KNOWN and not (self.text and self.text.strip()):
            raise ValueError("原因が判明している（known）なら text に原因を書いてください")
        if self.status == CauseStatus.INVESTIGATING:
            missing = [name for name in ("method", "owner", "due") if not getattr(self, name)]
            if missing:
                raise ValueError(
                    f"調査中（investigating）なら {', '.join(missing)} を書いてください"
                    "（調べ方・担当・報告の期日）"
                )
        return self

    @property
    def investigating(self) -> bool:
        return self.status == CauseStatus.INVESTIGATING


class Figure(_Record):
    """A number the public will quote: numbers as numbers, so every draft writes the same one."""

    label: Text = Field(description="e.g. 投稿の閲覧数")
    value: int = Field(ge=0)
    unit: Text = Field(description="e.g. 回, 名, 件")
    as_of: Moment | None = None


class Impact(_Record):
    who: Text = Field(description="who was affected, e.g. 不適切なメッセージを受け取られたお客様")
    count: int = Field(ge=0, description="how many (a number, never 数名)")
    unit: Text = "名"
    confirmed: bool = Field(default=True, description="false while the count may still grow")
    description: Text = Field(description="how they were affected")
    figures: list[Figure] = Field(default_factory=list)


class Action(_Record):
    at: Moment | None = None
    what: Text


class Measure(_Record):
    """A prevention measure: a promise without an owner and a date is not a measure."""

    what: Text
    owner: Text = Field(description="the department or role responsible")
    due: dt.date


class AccountabilityStatus(StrEnum):
    DECIDED = "decided"
    UNDER_REVIEW = "under_review"


class Accountability(_Record):
    """処分 or 責任の取り方: who, what; a decision still under review says by when."""

    subject: Text = Field(description="e.g. 当該営業担当者, 営業本部長, 代表取締役社長")
    measure: Text = Field(description="e.g. 社内規程に基づき厳正に対処, 月額報酬の 30% を 3 か月返上")
    status: AccountabilityStatus = AccountabilityStatus.DECIDED
    due: dt.date | None = None

    @model_validator(mode="after")
    def _due_when_pending(self) -> Accountability:
        if self.status == AccountabilityStatus.UNDER_REVIEW and self.due is None:
            raise ValueError("検討中（under_review）の処分には決定の期日（due）を書いてください")
        return self


class Contact(_Record):
    name: Text = Field(description="the desk, e.g. お客様相談室")
    phone: Text
    email: Text
    hours: Text = Field(description="e.g. 平日 9:00〜18:00")
    url: str | None = None


class Contacts(_Record):
    public: Contact
    press: Contact


class Unknown(_Record):
    what: Text = Field(description="what is not known yet")
    when: dt.date | Moment = Field(description="when it will be known or reported")
    how: str | None = None


class NegativeItem(_Record):
    """Something that must never appear in a public text, whoever asks (聞かれても言えない)."""

    item: Text = Field(description="the exact words that must not appear, e.g. the customer's name")
    variants: list[Text] = Field(default_factory=list, description="other spellings of the same item")
    topic: Text = Field(description="what it is, shown instead of it: e.g. お客様のお名前")
    reason: Text = Field(description="why it cannot be said, e.g. 個人情報のため")

    @property
    def words(self) -> list[str]:
        return [self.item, *self.variants]


class Speaker(_Record):
    name: Text
    title: Text = Field(description="e.g. 代表取締役社長")
    role: Text = Field(description="at a press conference: 登壇（謝罪・説明）, 司会, 回答補足 …")


class Company(_Record):
    name: Text
    representative: str | None = Field(default=None, description="e.g. 代表取締役社長 港 一郎")
    address: str | None = None
    established: str | None = None
    business: str | None = None
    url: str | None = None


class Answer(_Record):
    """An extra Q&A entry written by hand; drafts add it to the bucket it names."""

    question: Text
    answer: Text
    bucket: str = Field(default="asked", pattern=r"^(proactive|asked|cannot)$")
    topic: str = "facts"


class PositionPaper(_Record):
    """The incident's facts, as confirmed at `as_of`; the single source every draft is written from."""

    company: Company
    incident_title: Text
    incident_id: int | None = None
    as_of: Moment = Field(description="when these facts were confirmed")
    release_date: dt.date | None = Field(default=None, description="the date printed on releases")
    statement_url: str | None = Field(default=None, description="where the full statement is published")
    next_update: Moment | None = Field(default=None, description="when the next report will be published")
    apology_to: list[Text] = Field(
        min_length=1, description="whom the company apologises to, by name of group"
    )
    summary: Text = Field(description="one sentence: what happened, with the company as the subject")
    facts: FiveW1H
    timeline: list[TimelineEntry] = Field(min_length=1)
    cause: Cause
    impact: Impact
    actions: list[Action] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    accountability: list[Accountability] = Field(default_factory=list)
    contacts: Contacts
    unknowns: list[Unknown] = Field(default_factory=list)
    negative: list[NegativeItem] = Field(default_factory=list)
    key_messages: list[Text] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    extra_qa: list[Answer] = Field(default_factory=list)

    @property
    def negative_words(self) -> list[str]:
        return [word for item in self.negative for word in item.words]

    @property
    def publish_date(self) -> dt.date:
        return self.release_date or self.as_of.astimezone(JST).date()

    def public_timeline(self) -> list[TimelineEntry]:
        return sorted((entry for entry in self.timeline if entry.public), key=lambda entry: entry.at)


# --- loading ------------------------------------------------------------------------------------------------


def _bad_timestamp_line(source: str) -> tuple[int, str] | None:
    """The line of a date YAML recognises as one but cannot build (``2026-02-30``), which PyYAML raises bare."""
    try:
        root = yaml.compose(source)
    except yaml.YAMLError:
        return None
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


def load_position_paper(path: Path | str) -> PositionPaper:
    """Read and validate a position paper; any problem is a ConfigError naming the file and line, in Japanese."""
    path = Path(path)
    try:
        size = path.stat().st_size
        source = path.read_text(encoding="utf-8") if size <= MAX_PAPER_BYTES else ""
    except FileNotFoundError:
        raise ConfigError(str(path), None, "ファイルが見つかりません。") from None
    except UnicodeDecodeError as error:
        raise ConfigError(str(path), None, f"UTF-8 として読めません ({error.reason})。") from None
    except OSError as error:
        raise ConfigError(str(path), None, f"読み込めません: {error.strerror}") from None
    if size > MAX_PAPER_BYTES:
        raise ConfigError(str(path), None, f"大きすぎます（{size:,} バイト、上限 {MAX_PAPER_BYTES:,}）。")
    if not source.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in source.splitlines()
    ):
        raise ConfigError(
            str(path), 1, "ポジションペーパーが空です。examples/position_paper.yaml を写して書いてください。"
        )
    bad = _bad_timestamp_line(source)
    if bad is not None:
        raise ConfigError(str(path), bad[0], f"日付 {bad[1]!r} はありえない日付です。")
    try:
        return load_yaml_model(path, PositionPaper)
    except ConfigError as error:
        raise ConfigError(
            error.path, error.line if error.line else 1, japanese_problem(error.problem)
        ) from None


def paper_from_yaml_text(source: str, name: str = "<ポジションペーパー>") -> PositionPaper:
    """Validate YAML text (a web form's text area, a stored version) with the same messages as a file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "position_paper.yaml"
        path.write_text(source, encoding="utf-8")
        try:
            return load_position_paper(path)
        except ConfigError as error:
            raise ConfigError(name, error.line, error.problem) from None


def paper_to_yaml(paper: PositionPaper) -> str:
    """The paper as YAML a person can edit again (keys in the model's order, Japanese kept readable)."""
    data = paper.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
