"""Markdown helpers shared by the generated pages: escaping, and readable Japanese names of types and defaults."""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

REPOSITORY = Path(__file__).resolve().parents[2]

ENUM_LABELS: dict[str, Mapping[str, str]] = {}
"""Japanese labels of enum values, filled lazily from the code (roles)."""


def escape_html(text: str) -> str:
    """Escape < and > outside `code spans` (inside them Markdown shows the text as written)."""
    pieces = text.split("`")
    return "`".join(
        piece if index % 2 else piece.replace("<", "&lt;").replace(">", "&gt;")
        for index, piece in enumerate(pieces)
    )


def paragraph(text: str) -> str:
    return escape_html("\n".join(line.strip() for line in text.splitlines()))


def inline(text: str) -> str:
    return escape_html(" ".join(text.split()))


def cell(text: str) -> str:
    return escape_html(" ".join(text.split()).replace("|", "\\|"))


def default_text(field: FieldInfo) -> str:
    if field.default is PydanticUndefined:
        return "（必須）"
    if field.default is None:
        return "（なし）"
    value = field.default
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, BaseModel):
        return "（下の既定値）"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str | list | tuple | dict | set | frozenset) and not value:
        return "（空）"
    return f"`{value}`"


_PRIMITIVES: dict[Any, str] = {
    str: "文字列",
    bool: "真偽値",
    int: "整数",
    float: "数値",
    Path: "パス",
    SecretStr: "秘密の文字列",
    dt.date: "日付",
    dt.datetime: "日時",
}


def type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (types.UnionType, typing.Union):
        names = [type_name(argument) for argument in arguments if argument is not type(None)]
        optional = "（省略可）" if type(None) in arguments else ""
        return " または ".join(names) + optional
    if origin in (list, tuple, set, frozenset):
        return f"{type_name(arguments[0])} の並び" if arguments else "並び"
    if origin is dict:
        return f"{type_name(arguments[0])} → {type_name(arguments[1])} の対応"
    if origin is typing.Annotated:
        return type_name(arguments[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        labels = enum_labels(annotation)
        values = " / ".join(
            f"`{member.value}`" + (f"（{labels[member.value]}）" if member.value in labels else "")
            for member in annotation
        )
        return f"次のいずれか: {values}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return _PRIMITIVES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def enum_labels(enum_type: type[enum.Enum]) -> Mapping[str, str]:
    if not ENUM_LABELS:
        from hikeshi.respond.incidents.records import ROLE_LABELS

        ENUM_LABELS["Role"] = {role.value: label for role, label in ROLE_LABELS.items()}
    return ENUM_LABELS.get(enum_type.__name__, {})


def constraints(field: FieldInfo) -> str:
    parts = []
    for item in field.metadata:
        for attribute, label in (
            ("ge", "≥"),
            ("gt", ">"),
            ("le", "≤"),
            ("lt", "<"),
            ("min_length", "最小の長さ"),
            ("max_length", "最大の長さ"),
            ("pattern", "形式"),
        ):
            value = getattr(item, attribute, None)
            if value is not None:
                parts.append(f"{label} `{value}`" if attribute == "pattern" else f"{label} {value}")
    return f"<br>（{'、'.join(parts)}）".replace("<br>（", "<br>（") if parts else ""
