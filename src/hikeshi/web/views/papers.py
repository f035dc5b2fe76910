"""The position paper as an HTML form: which fields it has, how a form is read into a paper and a paper into a form.

The paper's own model (`hikeshi.respond.statements.papers.PositionPaper`) validates; this module only moves values
between the form's flat names (``company.name``, ``timeline.2.at``) and the paper's nested shape, and puts each
validation error beside the field it is about, in Japanese. Rows of a list that are left blank are dropped, so
the form can offer empty rows to fill; an error's row number is mapped back to the row the person typed in.

A refused form is shown again with everything typed in it (nothing is lost); only a valid paper is saved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.timezones import JST
from hikeshi.web.schemas import validation_error_body
from hikeshi.web.views.paper_fields import GROUPS, ROW_GROUPS, FieldGroup, FormField

BLANK_ROWS = 2
MORE_ROWS = 3
MAX_ROWS = 60
VARIANT_SEPARATOR = re.compile(r"[,、，\n]")


@dataclass
class PaperForm:
    """What the form shows: its values by input name, the number of rows of each list, and errors by name."""

    values: dict[str, str]
    rows: dict[str, int]
    sent: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def row_value(self, key: str, index: int, form_field: FormField) -> str:
        """A row's value; rows the form or the paper did not have start with the field's default."""
        if index < self.sent.get(key, 0):
            return self.values.get(f"{key}.{index}.{form_field.name}", "")
        return form_field.default


def _set(target: dict[str, Any], path: str, value: Any) -> None:
    """Set a nested value; None only makes the parents, so an empty section's errors name its fields."""
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    if value is not None:
        target[parts[-1]] = value


def _input(value: str, form_field: FormField) -> Any:
    """One input's value as the paper wants it; None leaves the key out (so a default or "required" applies)."""
    text = value.strip()
    if form_field.kind == "checkbox":
        return bool(text)
    if form_field.kind == "lines":
        return [line.strip() for line in value.splitlines() if line.strip()]
    if form_field.kind == "list":
        return [part.strip() for part in VARIANT_SEPARATOR.split(value) if part.strip()]
    return text or None


def _blank_row(values: Mapping[str, str], prefix: str, group: FieldGroup) -> bool:
    return all(
        not values.get(f"{prefix}{form_field.name}", "").strip()
        for form_field in group.fields
        if form_field.kind not in ("checkbox", "select")
    )


def count_rows(values: Mapping[str, str], key: str) -> int:
    """How many rows of list `key` the form sent (the highest index plus one)."""
    pattern = re.compile(rf"^{re.escape(key)}\.(\d+)\.")
    indexes = [int(found.group(1)) for name in values if (found := pattern.match(name))]
    return min(max(indexes, default=-1) + 1, MAX_ROWS)


def read_form(values: Mapping[str, str], incident_id: int) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The paper's data from a form, and for each list the form row of each kept (non-blank) row."""
    data: dict[str, Any] = {"incident_id": incident_id}
    kept_rows: dict[str, list[int]] = {}
    for group in GROUPS:
        if not group.rows:
            for form_field in group.fields:
                _set(data, form_field.name, _input(values.get(form_field.name, ""), form_field))
            continue
        items: list[dict[str, Any]] = []
        kept_rows[group.key] = []
        for index in range(count_rows(values, group.key)):
            prefix = f"{group.key}.{index}."
            if _blank_row(values, prefix, group):
                continue
            item: dict[str, Any] = {}
            for form_field in group.fields:
                converted = _input(values.get(prefix + form_field.name, ""), form_field)
                if converted is not None:
                    item[form_field.name] = converted
            items.append(item)
            kept_rows[group.key].append(index)
        _set(data, group.key, items)
    return data, kept_rows


def _form_name(loc: list[str | int], kept_rows: dict[str, list[int]]) -> str:
    """The input (or fieldset) an error's location points at: ('timeline', 0, 'at') → 'timeline.3.at'."""
    parts = [str(part) for part in loc]
    for key, rows in kept_rows.items():
        depth = key.count(".") + 1
        if parts[:depth] == key.split(".") and len(parts) > depth and parts[depth].isdigit():
            index = int(parts[depth])
            row = rows[index] if index < len(rows) else index
            return ".".join([key, str(row), *parts[depth + 1 :]])
    return ".".join(parts)


FORM_MESSAGES = {
    "datetime_parsing": "日時として読めません（2026-03-12 21:10 のように）。",
    "datetime_from_date_parsing": "日時として読めません（2026-03-12 21:10 のように）。",
    "date_parsing": "日付として読めません（2026-03-20 のように）。",
    "date_from_datetime_parsing": "日付として読めません（2026-03-20 のように）。",
    "missing": "必須の項目です。",
    "too_short": "1 件以上書いてください。",
}


def validate_form(values: Mapping[str, str], incident_id: int) -> tuple[PositionPaper | None, PaperForm]:
    """The paper when the form is valid, and the form to show again (with errors by input name when not)."""
    data, kept_rows = read_form(values, incident_id)
    form = PaperForm(values=dict(values), rows=form_rows(values), sent=sent_rows(values))
    try:
        return PositionPaper.model_validate(data), form
    except ValidationError as error:
        raw = error.errors()
        body = validation_error_body(raw)
        labels = field_labels()
        for detail, item in zip(raw, body.errors, strict=True):
            name = _form_name(list(item.loc), kept_rows)
            message = FORM_MESSAGES.get(item.type) or item.msg.removeprefix("Value error, ")
            message = message if message.endswith(("。", "）", ")")) else message + "。"
            if "union" in str(detail.get("type", "")) or name in form.errors:
                continue
            form.errors[name] = message
            form.summary.append(f"{labels.get(_label_key(name), name)}: {message}")
        return None, form


def _label_key(name: str) -> str:
    """'timeline.3.at' → 'timeline.at' (the label of a row field); single names stay."""
    return re.sub(r"\.\d+\.", ".", name)


def field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for group in GROUPS:
        labels[group.key] = group.title
        for form_field in group.fields:
            key = f"{group.key}.{form_field.name}" if group.rows else form_field.name
            labels[key] = f"{group.title}・{form_field.label}" if group.rows else form_field.label
    return labels


def sent_rows(values: Mapping[str, str]) -> dict[str, int]:
    return {key: count_rows(values, key) for key in ROW_GROUPS}


def form_rows(values: Mapping[str, str], extra: int = 0) -> dict[str, int]:
    """Rows to show for each list: those sent, at least one blank beyond the filled ones, plus `extra`."""
    rows = {}
    for key, group in ROW_GROUPS.items():
        sent = count_rows(values, key)
        filled = [i for i in range(sent) if not _blank_row(values, f"{key}.{i}.", group)]
        needed = (max(filled) + 1 if filled else 0) + BLANK_ROWS
        rows[key] = min(max(sent, needed) + extra, MAX_ROWS)
    return rows


# --- a paper into the form ------------------------------------------------------------------------------------


def _shown(value: Any, form_field: FormField) -> str:
    if value is None:
        return ""
    if form_field.kind == "checkbox":
        return "on" if value else ""
    if form_field.kind in ("lines", "list"):
        return ("\n" if form_field.kind == "lines" else "、").join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        local = value.astimezone(JST)
        return local.strftime("%Y-%m-%dT%H:%M" if form_field.kind == "datetime" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _get(source: Any, path: str) -> Any:
    for part in path.split("."):
        if source is None:
            return None
        source = getattr(source, part, None)
    return source


def paper_form(paper: PositionPaper | None, *, title: str = "", now: dt.datetime | None = None) -> PaperForm:
    """The form filled from `paper`; with none, a new form with the incident's title and the time now."""
    values: dict[str, str] = {}
    if paper is None:
        values["incident_title"] = title
        if now is not None:
            values["as_of"] = now.astimezone(JST).strftime("%Y-%m-%dT%H:%M")
        for group in GROUPS:
            for form_field in group.fields:
                if form_field.default and not group.rows:
                    values[form_field.name] = form_field.default
        return PaperForm(values=values, rows=form_rows(values), sent={})
    for group in GROUPS:
        if not group.rows:
            for form_field in group.fields:
                values[form_field.name] = _shown(_get(paper, form_field.name), form_field)
            continue
        for index, item in enumerate(_get(paper, group.key) or []):
            for form_field in group.fields:
                values[f"{group.key}.{index}.{form_field.name}"] = _shown(
                    getattr(item, form_field.name, None), form_field
                )
    return PaperForm(values=values, rows=form_rows(values), sent=sent_rows(values))
