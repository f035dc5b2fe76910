"""Calendar-sensitive checks: a sale or a joke posted on 3/11 or 8/6 is read against the tragedy of that day.

Only applies when the draft's `date` is known; the wording-level checks (「地震なう」) live in the lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.config.yamlfile import load_yaml_model

CALENDAR_FILE = Path(__file__).parent / "data" / "calendar.yaml"

# Light-hearted or promotional wording that clashes with a day of mourning.
_LIGHT_TONE = re.compile(
    r"(セール|sale|キャンペーン|割引|%off|半額|お得|記念日|祭り|まつり|パーティ|ハッピー|happy|おめでとう|最高|"
    r"楽しい|たのしい|笑|w{2,}|草|!|♪|🎉|😆|😂|🤣|爆|イェーイ|ヤッホー|限定|新発売|プレゼント|ポイント|営業中|元気に|"
    r"ノリノリ|テンション|ウキウキ|わくわく|ワクワク|盛り上が|はしゃ|ピカッ|ドカン|揺れ(る|た)?(ほど|くらい)?(うまい|美味しい|おいしい|安い))",
    re.IGNORECASE,
)
# A tragedy named in the draft itself: on any day, joking or selling next to it reads as insensitive.
_TRAGEDY = re.compile(
    r"(大?震災|大地震|地震|津波|原爆|被爆|原発事故|終戦の日|敗戦|空襲|特攻|テロ|豪雨災害|水害|土砂災害|噴火|墜落|脱線事故|"
    r"3\.11|3月11日|1\.17|1月17日|8月6日|8月9日|8月15日|9\.11|命日|慰霊|犠牲者|被災地)"
)
# Mourning, and restraint (holding back a campaign out of respect) is the opposite of light tone too.
_MOURNING = re.compile(
    r"(お見舞い|ご冥福|哀悼|黙祷|追悼|祈り|犠牲|被災|復興|忘れない|慰霊|平和|防災|備え|避難|"
    r"控えさせ|控えます|取りやめ|取り止め|見合わせ|自粛)"
)


class Anniversary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    name: str


class Disaster(BaseModel):
    """A recent disaster: during [start, end] promotional or jokey posts are risky."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    start: dt.date
    end: dt.date
    terms: list[str] = []


class CalendarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    anniversaries: list[Anniversary] = []
    recent_disasters: list[Disaster] = []


@lru_cache(maxsize=1)
def builtin_calendar() -> CalendarFile:
    return load_yaml_model(CALENDAR_FILE, CalendarFile)


def sensitive_events(day: dt.date, extra_disasters: tuple[Disaster, ...] = ()) -> list[str]:
    """Names of the tragedies that make `day` a day for restraint."""
    calendar = builtin_calendar()
    names = [a.name for a in calendar.anniversaries if (a.month, a.day) == (day.month, day.day)]
    for disaster in (*calendar.recent_disasters, *extra_disasters):
        if disaster.start <= day <= disaster.end:
            names.append(f"{disaster.name}（{disaster.start:%Y年%-m月%-d日}〜）")
    return names


def tragedy_with_light_tone(text: str) -> tuple[int, int] | None:
    """Span of a tragedy named in a jokey or promotional draft (「原爆の日だけど元気に営業中！」), if any."""
    mention = _TRAGEDY.search(text)
    if mention is None or _MOURNING.search(text) or not _LIGHT_TONE.search(text):
        return None
    return mention.span()


def light_tone_spans(text: str) -> list[tuple[int, int]]:
    """Spans of promotional or jokey wording, unless the text is itself a message of mourning."""
    if _MOURNING.search(text):
        return []
    return [match.span() for match in _LIGHT_TONE.finditer(text)]
