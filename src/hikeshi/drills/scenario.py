"""Drill scenarios: a flame written down as data (YAML), validated with the file and line of a bad entry.

A scenario says when the flame starts (`onset`, a time of day in Japan time, because the detectors compare with
the usual level at that hour), how the posts grow (`curve`, posts per hour at offsets from the onset), what
people write and when the talk turns to a new angle (`pools`, each active from a given offset), the posts that
matter by themselves (the original screenshot, an influencer's post), news pickup (`news`), and the injects a
team must answer at set times (電凸 call transcripts, reporter questions, reports from inside the company).

Times are offsets from the onset written like the playbook's due times: ``16m``, ``3h``, ``1d2h30m``. Every
text that is meant to be found by a search must name the company (``{name}`` or one of its terms): a post
that does not would never reach the monitor, and the author would wonder why nothing happens.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.errors import ConfigError, InputError

BUNDLED_DIR = Path(__file__).with_name("data")
NAME_PLACEHOLDER = "{name}"
_OFFSET = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def parse_offset(value: object) -> dt.timedelta:
    """「90m」「3h」「1d2h30m」 → a timedelta (non-negative; 0m is the onset itself)."""
    if isinstance(value, dt.timedelta):
        return value
    text = str(value).strip() if isinstance(value, str | int) else ""
    match = _OFFSET.match(text)
    if not text or match is None or not any(match.groups()):
        raise ValueError(f"時間 {value!r} を読めません。90m・3h・1d2h30m のように書いてください")
    days, hours, minutes = (int(part) if part else 0 for part in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes)


Offset = Annotated[dt.timedelta, BeforeValidator(parse_offset)]


class ScenarioKind(StrEnum):
    """What set the flame off; the debrief and `drill list` name it in Japanese."""

    CUSTOMER_MESSAGE = "customer_message"
    EMPLOYEE_VIDEO = "employee_video"
    OFFICIAL_POST = "official_post"
    EXECUTIVE_REMARK = "executive_remark"
    PRODUCT_INCIDENT = "product_incident"


SCENARIO_KIND_LABELS = {
    ScenarioKind.CUSTOMER_MESSAGE: "顧客へのメッセージの拡散",
    ScenarioKind.EMPLOYEE_VIDEO: "従業員の不適切動画",
    ScenarioKind.OFFICIAL_POST: "公式アカウントの投稿",
    ScenarioKind.EXECUTIVE_REMARK: "経営者の発言",
    ScenarioKind.PRODUCT_INCIDENT: "商品・サービスの事故",
}


class InjectKind(StrEnum):
    CALL = "call"
    REPORTER = "reporter"
    INTERNAL = "internal"
    EMAIL = "email"


INJECT_KIND_LABELS = {
    InjectKind.CALL: "電凸（電話）",
    InjectKind.REPORTER: "記者からの問い合わせ",
    InjectKind.INTERNAL: "社内からの報告",
    InjectKind.EMAIL: "メール・問い合わせフォーム",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Company(_Model):
    name: str = Field(min_length=1, max_length=100)
    terms: list[str] = Field(min_length=1, description="names and aliases a search finds the company by")
    exclude: list[str] = Field(default_factory=list)


class Pool(_Model):
    """Texts people post about one angle of the flame, active from `from` (until `until`) with a weight."""

    texts: list[str] = Field(min_length=1)
    start: Offset = Field(default=dt.timedelta(0), alias="from")
    until: Offset | None = None
    weight: float = Field(default=1.0, gt=0, le=100)

    def active(self, offset: dt.timedelta) -> bool:
        return self.start <= offset and (self.until is None or offset < self.until)


class CurvePoint(_Model):
    """Posts per hour at an offset; the rate between two points is interpolated linearly."""

    at: Offset
    per_hour: float = Field(ge=0, le=2000)


class Baseline(_Model):
    """The everyday talk about the company: days of history before the onset, and it goes on during the flame."""

    days: float = Field(default=3.0, ge=2, le=14, description="the detectors need 36 hours of history")
    per_day: float = Field(default=20.0, gt=0, le=500)
    pool: str


class ScriptedPost(_Model):
    """A post that matters by itself: the original screenshot, an influencer's quote, a reposting account."""

    at: Offset
    author: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_]+$")
    followers: int = Field(default=100, ge=0)
    views: int = Field(default=0, ge=0)
    likes: int = Field(default=0, ge=0)
    reposts: int = Field(default=0, ge=0)
    text: str = Field(min_length=1, max_length=1000)
    role: str | None = Field(default=None, max_length=40, description="元の投稿, インフルエンサー, …")


class NewsItem(_Model):
    at: Offset
    outlet: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=2000)


class Inject(_Model):
    """Something the team must answer at a set time: it lands on the incident's timeline as a note."""

    at: Offset
    kind: InjectKind
    caller: str = Field(min_length=1, max_length=100, description="who calls or writes (no real names)")
    title: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1, max_length=4000, description="the transcript or the question")
    expects: str | None = Field(default=None, max_length=400, description="what a good response does")

    @property
    def kind_label(self) -> str:
        return INJECT_KIND_LABELS[self.kind]


class Targets(_Model):
    """The times the debrief measures against, in minutes from the onset (SCENARIO.md's first evening)."""

    detect_min: float = Field(default=30, gt=0)
    open_min: float = Field(default=120, gt=0)
    statement_min: float = Field(default=300, gt=0)


class Polling(_Model):
    sns_minutes: int = Field(default=10, ge=1, le=120)
    news_minutes: int = Field(default=30, ge=1, le=240)


class Scenario(_Model):
    name: str = Field(pattern=r"^[a-z0-9_]{1,60}$", description="what `drill run NAME` takes")
    title: str = Field(min_length=1, max_length=200)
    kind: ScenarioKind
    summary: str = Field(min_length=1, max_length=2000)
    company: Company
    watch: str | None = Field(default=None, max_length=200, description="default 「訓練: <company>」")
    seed: int = 1
    onset: str = Field(description="HH:MM, Japan time")
    start: Offset = Field(default=dt.timedelta(hours=2), description="monitoring starts this long before")
    end: Offset = Field(description="the replay stops this long after the onset")
    poll: Polling = Polling()
    targets: Targets = Targets()
    baseline: Baseline
    curve: list[CurvePoint] = Field(min_length=1)
    pools: dict[str, Pool] = Field(min_length=1)
    posts: list[ScriptedPost] = Field(default_factory=list)
    news: list[NewsItem] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)

    @field_validator("onset")
    @classmethod
    def _check_onset(cls, value: str) -> str:
        if _CLOCK.match(value) is None:
            raise ValueError(f"onset {value!r} は 21:10 のように 24 時間制の時刻で書いてください")
        return value

    @property
    def watch_name(self) -> str:
        return self.watch or f"訓練: {self.company.name}"

    @property
    def kind_label(self) -> str:
        return SCENARIO_KIND_LABELS[self.kind]

    @property
    def onset_clock(self) -> dt.time:
        hours, minutes = self.onset.split(":")
        return dt.time(int(hours), int(minutes))


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file; every problem is a ConfigError naming the file and line."""
    scenario = load_yaml_model(path, Scenario)
    problem = _first_problem(scenario)
    if problem is not None:
        location, message = problem
        raise ConfigError(str(path), _line_of(path, location), message)
    return scenario


def bundled_scenarios() -> list[Path]:
    return sorted(BUNDLED_DIR.glob("*.yaml"))


def find_scenario(name_or_path: str) -> Scenario:
    """A bundled scenario by name (`minato_line`), or a scenario file by its path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        return load_scenario(candidate)
    for path in bundled_scenarios():
        if path.stem == name_or_path:
            return load_scenario(path)
    names = "、".join(path.stem for path in bundled_scenarios())
    raise InputError(
        f"訓練シナリオ「{name_or_path}」はありません。`hikeshi drill list` で確認してください（同梱: {names}）。"
    )


def _names_company(text: str, company: Company) -> bool:
    return NAME_PLACEHOLDER in text or any(term in text for term in company.terms)


def _first_problem(scenario: Scenario) -> tuple[tuple[Any, ...], str] | None:
    """Checks across fields (a pool that does not exist, a post after the end), with where they are."""
    end = scenario.end
    if end <= dt.timedelta(0):
        return ("end",), "end は発生より後（例: 12h）にしてください。"
    if scenario.baseline.pool not in scenario.pools:
        return ("baseline", "pool"), f"プール「{scenario.baseline.pool}」が pools にありません。"
    previous = dt.timedelta(-1)
    for index, point in enumerate(scenario.curve):
        if point.at <= previous:
            return ("curve", index, "at"), "curve の at は小さい順に並べてください。"
        if point.at > end:
            return ("curve", index, "at"), "curve の at が end より後です。"
        previous = point.at
    flame_pools = [name for name in scenario.pools if name != scenario.baseline.pool]
    if not flame_pools:
        return ("pools",), "平常時のほかに、炎上中の投稿のプールが 1 つ以上必要です。"
    for name, pool in scenario.pools.items():
        if pool.until is not None and pool.until <= pool.start:
            return ("pools", name, "until"), f"プール「{name}」の until が from 以前です。"
        for index, text in enumerate(pool.texts):
            if not _names_company(text, scenario.company):
                return ("pools", name, "texts", index), _unnamed(text)
    if not any(scenario.pools[name].start <= scenario.curve[0].at for name in flame_pools):
        return ("pools",), "curve の最初の時点で使えるプールがありません（from を確かめてください）。"
    items: list[tuple[str, list[Any]]] = [
        ("posts", list(scenario.posts)),
        ("news", list(scenario.news)),
        ("injects", list(scenario.injects)),
    ]
    for field, entries in items:
        for index, entry in enumerate(entries):
            if entry.at > end:
                return (field, index, "at"), f"{field} の at（{entry.at}）が end（{end}）より後です。"
            if field != "injects" and not _names_company(entry.text, scenario.company):
                return (field, index, "text"), _unnamed(entry.text)
    return None


def _unnamed(text: str) -> str:
    return (
        f"「{text[:30]}」に会社名（{NAME_PLACEHOLDER} または company.terms）がありません。"
        "検索で見つからない投稿は監視に届きません。"
    )


def _line_of(path: Path, location: tuple[Any, ...]) -> int | None:
    """The line of `location` (a key path) in the YAML file, or of its nearest enclosing entry."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    line: int | None = None
    for part in location:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == part), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
