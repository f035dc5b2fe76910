"""YAML loading that validates with pydantic and reports the file and line of the first bad entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from hikeshi.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)


def _lines_by_path(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _lines_by_path(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines_by_path(item, (*path, index), out)


def _line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def load_yaml_model(path: Path, model: type[ModelT]) -> ModelT:
    """Parse `path` and validate it as `model`; any problem becomes a ConfigError with file and line."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), None, "ファイルが見つかりません。") from None
    except UnicodeDecodeError as error:
        raise ConfigError(str(path), None, f"UTF-8 として読めません ({error.reason})。") from None
    except OSError as error:
        raise ConfigError(str(path), None, f"読み込めません: {error.strerror}") from None
    try:
        node = yaml.compose(source)
        data = yaml.safe_load(source)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ConfigError(str(path), line, f"YAML の書式が正しくありません: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(str(path), None, f"YAML の書式が正しくありません: {error}") from None
    if data is None:
        data = {}
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines_by_path(node, (), lines)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(first["loc"])
        field = ".".join(str(part) for part in loc) or "(全体)"
        raise ConfigError(str(path), _line_for(loc, lines), f"{field}: {first['msg']}") from None


_MESSAGES = (
    (r"Field required", "必須の項目がありません"),
    (r"Extra inputs are not permitted", "知らない項目です（綴りを確かめてください）"),
    (r"Input should be a valid datetime", "日時として読めません（2026-03-12 21:10 のように書いてください）"),
    (r"Input should be a valid date", "日付として読めません（2026-04-01 のように書いてください）"),
    (r"Input should be a valid integer", "数（整数）で書いてください"),
    (r"Input should be a valid boolean", "true か false で書いてください"),
    (r"Input should be a valid string", "文字列で書いてください"),
    (r"Input should be a valid list", "リスト（- で始まる行）で書いてください"),
    (r"Input should be a valid dictionary", "項目名: 値 の形で書いてください"),
    (r"Input should be greater than or equal to (\d+)", "\\1 以上の数で書いてください"),
    (r"Input should be less than or equal to (\d+)", "\\1 以下の数で書いてください"),
    (r"String should have at most (\d+) characters", "\\1 文字以内で書いてください"),
    (r"List should have at least 1 item", "1 件以上書いてください"),
    (r"Input should be '(\w+)' or '(\w+)'", "次のどちらかです: \\1, \\2"),
    (r"Input should be (.*)", "次のどれかで書いてください: \\1"),
    (r"Value error, (.*)", "\\1"),
)
"""Pydantic's English messages as a Japanese reader needs them (the whole message is replaced)."""


def japanese_problem(problem: str) -> str:
    """`field: English message` from `load_yaml_model` → the same field with the message in Japanese."""
    field, _, message = problem.partition(": ")
    for pattern, replacement in _MESSAGES:
        match = re.match(pattern + r"(?:.*)", message, re.DOTALL)
        if match:
            return f"{field}: {match.expand(replacement)}"
    return problem
