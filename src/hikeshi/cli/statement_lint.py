"""`hikeshi statement lint` and `hikeshi statement consistency`: the statement linter on the command line.

The statement command group registers these two functions (`app.command("lint")(lint)`); they stay in their
own module so the linter's command line can change without touching drafting and approval.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.text import Text

from hikeshi.cli.jsonlines import open_binary, read_json_lines, record_text, report_bad_line
from hikeshi.errors import HikeshiError, InputError
from hikeshi.guard.lexicon import category_labels as guard_labels
from hikeshi.records import Level
from hikeshi.respond.statements.lint import (
    SECTION_LABELS,
    LintFacts,
    StatementLint,
    lint_statement,
    load_lint_facts,
    parse_kind,
)
from hikeshi.respond.statements.lint.consistency import check_consistency
from hikeshi.respond.statements.lint.documents import read_document
from hikeshi.respond.statements.lint.negative_list import CATEGORY as NEGATIVE
from hikeshi.respond.statements.lint.negative_list import LABEL as NEGATIVE_LABEL
from hikeshi.respond.statements.lint.records import KIND_LABELS, StatementKind
from hikeshi.respond.statements.lint.wording import category_labels as wording_labels

LEVEL_LABELS = {
    Level.OK: ("問題なし", "bold green"),
    Level.CAUTION: ("注意", "bold yellow"),
    Level.DANGER: ("危険", "bold red"),
}
SEVERITY_LABELS = {1: "参考", 2: "要注意", 3: "危険"}
KINDS_HELP = "、".join(f"{kind.value}（{label}）" for kind, label in KIND_LABELS.items())


def _fail(message: str) -> typer.Exit:
    typer.echo(f"エラー: {message}", err=True)
    return typer.Exit(code=2)


class FactsCache:
    """Position papers by path, read once per run; a broken one is remembered as its error."""

    def __init__(self) -> None:
        self._loaded: dict[str, LintFacts | HikeshiError] = {}

    def get(self, path: str) -> LintFacts:
        if path not in self._loaded:
            try:
                self._loaded[path] = load_lint_facts(Path(path))
            except HikeshiError as error:
                self._loaded[path] = error
        found = self._loaded[path]
        if isinstance(found, HikeshiError):
            raise found
        return found


def lint(
    text: Annotated[
        str | None, typer.Argument(help="チェックする声明文。省略すると標準入力から読みます。")
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option("--jsonl", help="1 行 1 件の JSON（- で標準入力）: {id, text, kind?, facts?}。"),
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"文書の種類: {KINDS_HELP}。")] = None,
    facts: Annotated[
        Path | None, typer.Option("--facts", help="ポジションペーパー (YAML)。ネガティブリストを照合します。")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="出力形式: text（人が読む形）または json。")
    ] = "text",
) -> None:
    """声明文の言い回し（条件付きの謝罪・責任転嫁・言い訳など）と構成（謝罪・原因・再発防止…）を点検します。"""
    cache = FactsCache()
    try:
        if jsonl is not None:
            if text is not None:
                raise InputError("TEXT と --jsonl は同時に指定できません。")
            ok = run_jsonl(jsonl, sys.stdout, cache, default_kind=kind, default_facts=facts)
            raise typer.Exit(code=0 if ok else 1)
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")
        statement = _read_single(text)
        if not statement.strip():
            raise InputError("チェックする声明文が空です。文章を引数か標準入力で渡してください。")
        paper = cache.get(str(facts)) if facts is not None else None
        result = lint_statement(statement, kind=parse_kind(kind), facts=paper)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    if output_format == "json":
        typer.echo(json.dumps(_payload(None, result, with_id=False), ensure_ascii=False))
    else:
        print_lint(statement, result)
    raise typer.Exit(code=0)


def consistency(
    files: Annotated[list[Path], typer.Argument(help="照合する文書（.md・.txt・.docx）。")],
    facts: Annotated[
        Path | None, typer.Option("--facts", help="基準にするポジションペーパー (YAML)。")
    ] = None,
) -> None:
    """文書どうし（とポジションペーパー）で数・日付・名称・問い合わせ先が食い違う箇所を 1 行 1 件の JSON で示します。"""
    try:
        paper = load_lint_facts(facts) if facts is not None else None
        documents = [read_document(path) for path in files]
        mismatches = check_consistency(documents, paper)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    for mismatch in mismatches:
        typer.echo(mismatch.model_dump_json())
    if mismatches:
        typer.echo(f"食い違いが {len(mismatches)} 件あります（{len(documents)} 文書）。", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"食い違いは見つかりませんでした（{len(documents)} 文書）。", err=True)
    raise typer.Exit(code=0)


def run_jsonl(
    source: str,
    out: TextIO,
    cache: FactsCache,
    *,
    default_kind: str | None = None,
    default_facts: Path | None = None,
) -> bool:
    """Lint each line; a bad line is reported on stderr and answered with {id, line, error}, in input order."""
    all_ok = True
    with open_binary(source) as handle:
        for line in read_json_lines(handle):
            try:
                if line.record is None:
                    raise InputError(line.error or "読めない行です。")
                record = line.record
                statement = record_text(record)
                if not statement.strip():
                    raise InputError('"text" が空です。声明文を入れてください。')
                kind = parse_kind(_optional_string(record, "kind") or default_kind)
                facts_path = _optional_string(record, "facts") or (
                    str(default_facts) if default_facts else None
                )
                paper = cache.get(facts_path) if facts_path else None
                result = lint_statement(statement, kind=kind, facts=paper)
                out.write(json.dumps(_payload(line.record_id, result), ensure_ascii=False) + "\n")
            except HikeshiError as error:
                all_ok = False
                report_bad_line(out, source, line.number, line.record_id, str(error))
            except Exception as error:  # one bad record must not lose the rest of the batch
                all_ok = False
                message = f"内部エラー ({type(error).__name__}: {error})"
                report_bad_line(out, source, line.number, line.record_id, message)
    out.flush()
    return all_ok


def _optional_string(record: dict[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f'"{field}" は文字列にしてください（{type(value).__name__} が渡されました）。')
    return value


def _payload(record_id: Any, result: StatementLint, *, with_id: bool = True) -> dict[str, Any]:
    body = result.model_dump(mode="json", include={"level", "findings", "sections", "missing"})
    return {"id": record_id, **body} if with_id else body


def _read_single(text: str | None) -> str:
    if text is not None and text != "-":
        return text
    if sys.stdin.isatty():
        raise InputError(
            "チェックする声明文を引数か標準入力で渡してください。例: hikeshi statement lint 'このたびは…'"
        )
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"標準入力が UTF-8 として読めません（{error.start} バイト目）。") from None


def _labels() -> dict[str, str]:
    labels = dict(guard_labels())
    labels.update(wording_labels())
    labels[NEGATIVE] = NEGATIVE_LABEL
    return labels


def print_lint(statement: str, result: StatementLint, console: Console | None = None) -> None:
    """The verdict, the text with each finding marked 【】, the reasons, and the sections found or missing."""
    console = console or Console(highlight=False, soft_wrap=True)
    label, style = LEVEL_LABELS[result.level]
    kind = f"  （{KIND_LABELS[StatementKind(result.kind)]}として）" if result.kind else ""
    console.print(Text.assemble(("判定: ", "bold"), (label, style), kind))
    if result.findings:
        console.print()
        console.print(_marked(statement, result))
        console.print()
        labels = _labels()
        for number, finding in enumerate(result.findings, start=1):
            console.print(
                Text.assemble(
                    f"{number}. ",
                    (f"[{SEVERITY_LABELS[finding.severity]}] ", "bold"),
                    (labels.get(finding.category, finding.category), "bold"),
                    f"「{finding.excerpt}」",
                )
            )
            console.print(f"   理由: {finding.reason}", markup=False)
            if finding.suggestion:
                console.print(f"   対策: {finding.suggestion}", markup=False)
    else:
        console.print("気になる言い回しは見つかりませんでした。")
    present = [SECTION_LABELS[s] for s in SECTION_LABELS if result.sections.has(s)]
    console.print()
    console.print(f"含まれている項目: {'・'.join(present) or 'なし'}", markup=False)
    if result.missing:
        missing = "・".join(SECTION_LABELS[s] for s in result.missing)
        console.print(f"足りない項目: {missing}", markup=False)


def _marked(statement: str, result: StatementLint) -> Text:
    text = Text()
    cursor = 0
    for finding in sorted(result.findings, key=lambda f: f.start):
        if finding.start < cursor:
            continue
        text.append(statement[cursor : finding.start])
        style = "bold red" if finding.severity >= 3 else "bold yellow" if finding.severity == 2 else "cyan"
        text.append("【" + statement[finding.start : finding.end] + "】", style=style)
        cursor = finding.end
    text.append(statement[cursor:])
    return text
