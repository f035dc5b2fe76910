"""Named lists of regular expressions (data/cues.yaml, data/sections.yaml), compiled for kana-folded text."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel, field_validator

from hikeshi.config.yamlfile import load_yaml_model
from hikeshi.respond.statements.lint.rules import DATA_DIR, any_of


class CueFile(RootModel[dict[str, list[str]]]):
    """name → regular expressions; every expression is validated when the file is read."""

    @field_validator("root")
    @classmethod
    def _valid(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, patterns in value.items():
            if not patterns:
                raise ValueError(f"{name}: 空のリストです")
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ValueError(f"{name}: 正規表現 {pattern!r} が不正です: {error}") from None
        return value


class Cues:
    def __init__(self, path: Path) -> None:
        self._compiled: dict[str, re.Pattern[str]] = {}
        for name, patterns in load_yaml_model(path, CueFile).root.items():
            compiled = any_of(patterns)
            if compiled is not None:  # always: the validator refuses empty lists
                self._compiled[name] = compiled

    def __getitem__(self, name: str) -> re.Pattern[str]:
        return self._compiled[name]

    def names(self) -> list[str]:
        return list(self._compiled)


@lru_cache(maxsize=4)
def cues(name: str) -> Cues:
    """The cue file `data/<name>.yaml`, read once per process."""
    return Cues(DATA_DIR / f"{name}.yaml")
