from __future__ import annotations

import json
from typing import Any

import pytest

from hikeshi.errors import InputError
from hikeshi.untrusted_json import (
    MAX_DEPTH,
    RejectedValue,
    UnreadableValue,
    loads_array_body,
    loads_untrusted,
    parse_json_line,
    split_json_array,
)

SURROGATE = "UTF-8 で表せない文字（対になっていないサロゲート"
TOO_DEEP = f"JSON の入れ子が深すぎます（{MAX_DEPTH} 段まで）。"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"text": "ナミキ住宅の営業、最悪だった"}', {"text": "ナミキ住宅の営業、最悪だった"}),
        ('{"text": "神対応でした\\ud83d\\ude4f"}', {"text": "神対応でした🙏"}),  # an escaped pair is fine
        ('{"text": "[[[括弧だけ]]]"}', {"text": "[[[括弧だけ]]]"}),  # brackets inside strings do not nest
        ("[" * MAX_DEPTH + "]" * MAX_DEPTH, None),  # exactly the limit
    ],
)
def test_good_lines_are_read_as_json(line: str, expected: Any) -> None:
    assert loads_untrusted(line) == (json.loads(line) if expected is None else expected)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"id": "a1", "text": "ナミキ住宅\\ud800です"}',
            "text に UTF-8 で表せない文字（対になっていないサロゲート U+D800、6 文字目）があります。",
        ),
        (
            '{"author": "\\udfff"}',
            "author に UTF-8 で表せない文字（対になっていないサロゲート U+DFFF、1 文字目）",
        ),
        ('{"meta": {"tags": ["炎上", "\\udc80"]}}', "meta に UTF-8 で表せない文字"),
        ('{"\\ud800": "キーが壊れている"}', "文字列に UTF-8 で表せない文字"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), TOO_DEEP),
        ('{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1), f"a の {TOO_DEEP}"),
        ("[" * 100_000 + "]" * 100_000, TOO_DEEP),  # json.loads itself raises RecursionError here
        ('{"a":' * 100_000 + "1" + "}" * 100_000, TOO_DEEP),
        ('{"text": "途中で切れた', "JSON として読めません"),
    ],
)
def test_bad_lines_are_input_errors(line: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        loads_untrusted(line)
    assert message in str(raised.value)


def test_a_refused_value_keeps_what_was_parsed() -> None:
    with pytest.raises(RejectedValue) as raised:
        parse_json_line(b'{"id": "p-7", "text": "\\ud800"}')
    assert raised.value.value["id"] == "p-7"


def test_bytes_that_are_not_utf8() -> None:
    with pytest.raises(InputError, match="UTF-8 として読めません（10 バイト目）"):
        parse_json_line('{"text": "炎上"}'.encode("cp932"))


def test_split_json_array_keeps_commas_inside_strings_and_nesting() -> None:
    body = r'[{"text": "炎上, です\"]"}, [[1, {"a": [2]}]], "\\", 3 ]'
    assert [piece.decode() for piece in split_json_array(body.encode())] == [
        r'{"text": "炎上, です\"]"}',
        ' [[1, {"a": [2]}]]',
        r' "\\"',
        " 3 ",
    ]
    assert [json.loads(piece) for piece in split_json_array(body.encode())] == json.loads(body)
    assert split_json_array(b" [ ] ") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [(b"[1, 2", "閉じていません"), (b"[1] x", "余分な文字"), (b"[1}", "余分な文字"), (b'{"a": 1}', TOO_DEEP)],
)
def test_split_json_array_rejects_broken_arrays(body: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        split_json_array(body)


def test_one_deep_item_does_not_sink_the_array_body() -> None:
    good = {"text": "ナミキ住宅で建てて良かった", "created_at": "2026-05-03T13:00:00+09:00"}
    deep = "[" * 100_000 + "]" * 100_000
    body = f"[{json.dumps(good, ensure_ascii=False)}, {deep}, 2]".encode()
    assert loads_array_body(body) == [good, UnreadableValue(TOO_DEEP), 2]
    assert loads_array_body(b"[1, [2]]") == [1, [2]]  # the usual path: one json.loads
    with pytest.raises(InputError, match="3 件まで"):
        loads_array_body(f"[1, 2, 3, 4, {deep}]".encode(), max_items=3)
