"""YAML loading that validates with pydantic and reports the file and line of the first bad entry."""

from __future__ import annotations

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
