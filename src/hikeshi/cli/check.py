"""`hikeshi check`: one draft (argument or stdin) or a JSON-lines batch (`--jsonl FILE|-`)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from pydantic import ValidationError

from hikeshi.cli.jsonlines import RepeatedIds, open_binary, read_json_lines, record_text, report_bad_line
from hikeshi.cli.render import print_verdict
from hikeshi.errors import HikeshiError, InputError
from hikeshi.guard import CheckContext, Guard, load_policy
from hikeshi.records import Audience, Channel, Verdict
from hikeshi.text.normalize import normalize


def _fail(message: str) -> typer.Exit:
    typer.echo(f"エラー: {message}", err=True)
    return typer.Exit(code=2)


def check(
    text: Annotated[
        str | None, typer.Argument(help="チェックする文面。省略すると標準入力から読みます。")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text（人が読む形）または json。")
    ] = "text",
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="1 行 1 件の JSON ファイル（- で標準入力）をまとめてチェック。"),
    ] = None,
    channel: Annotated[Channel | None, typer.Option(help="送信先のチャネル。")] = None,
    audience: Annotated[Audience | None, typer.Option(help="読み手。")] = None,
    date: Annotated[str | None, typer.Option(help="送信・投稿予定日 (YYYY-MM-DD)。")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="会社のポリシーパック (YAML)。")] = None,
) -> None:
    try:
        guard = Guard(load_policy(policy) if policy else None)
        if jsonl is not None:
            if text is not None:
                raise InputError("TEXT と --jsonl は同時に指定できません。")
            ok = run_jsonl(guard, jsonl, sys.stdout)
            raise typer.Exit(code=0 if ok else 1)
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")
        context = CheckContext(channel=channel, audience=audience, date=_parse_date(date))
        draft = _read_single(text)
        if not normalize(draft).text.strip():  # also blank: zero-width spaces and other invisible characters
            # An empty draft is fine for an editor calling the library per keystroke, but on the command line
            # it is almost always a quoting mistake, and "問題なし" would read as a clean bill.
            raise InputError("チェックする文面が空です。文章を引数か標準入力で渡してください。")
        verdict = guard.check(draft, context)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    if output_format == "json":
        typer.echo(verdict.model_dump_json())
    else:
        print_verdict(draft, verdict)
    raise typer.Exit(code=0)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(f"日付 {value!r} を読めません。YYYY-MM-DD の形で指定してください。") from None


def _read_single(text: str | None) -> str:
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise InputError(
                "チェックする文面を引数か標準入力で渡してください。例: hikeshi check 'ご検討ありがとうございました'"
            )
        return _decode(sys.stdin.buffer.read(), "標準入力")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("文面が UTF-8 として読めません。文字コードを確認してください。") from None
    return text


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{where}が UTF-8 として読めません（{error.start} バイト目）。") from None


def run_jsonl(guard: Guard, source: str, out: TextIO) -> bool:
    """Check each line of a JSON-lines file; bad lines are reported on stderr and answered with an error line.

    One output line per non-blank input line, in input order, so results can be joined back by position or id.
    Returns False when any line failed; a repeated id is only warned about.
    """
    all_ok = True
    repeated = RepeatedIds()
    with open_binary(source) as handle:
        for line in read_json_lines(handle):
            repeated.warn(source, line)
            try:
                if line.record is None:
                    raise InputError(line.error or "読めない行です。")
                verdict = guard.check(record_text(line.record), _record_context(line.record))
                out.write(_verdict_line(line.record_id, verdict))
            except HikeshiError as error:
                all_ok = False
                report_bad_line(out, source, line.number, line.record_id, str(error))
            except Exception as error:  # one bad record must not lose the rest of the batch
                all_ok = False
                message = f"内部エラー ({type(error).__name__}: {error})"
                report_bad_line(out, source, line.number, line.record_id, message)
    out.flush()
    return all_ok


def _record_context(record: dict[str, Any]) -> CheckContext:
    try:
        return CheckContext.model_validate(
            {key: record.get(key) for key in ("channel", "audience", "date") if record.get(key) is not None}
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise InputError(f"{field} の値が正しくありません: {first['msg']}") from None


def _verdict_line(record_id: Any, verdict: Verdict) -> str:
    payload = {"id": record_id, **verdict.model_dump(mode="json")}
    return json.dumps(payload, ensure_ascii=False) + "\n"
