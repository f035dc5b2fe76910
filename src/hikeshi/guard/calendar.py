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
    r"楽しい|たのしい|笑|w{2,}|草|!{2,}|♪|🎉|😆|😂|爆|イェーイ|ヤッホー|限定|新発売|プレゼント|ポイント)",
    re.IGNORECASE,
)
_MOURNING = re.compile(
    r"(お見舞い|ご冥福|哀悼|黙祷|追悼|祈り|犠牲|被災|復興|忘れない|慰霊|平和|防災|備え|避難)"
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


def light_tone_spans(text: str) -> list[tuple[int, int]]:
    """Spans of promotional or jokey wording, unless the text is itself a message of mourning."""
    if _MOURNING.search(text):
        return []
    return [match.span() for match in _LIGHT_TONE.finditer(text)]
