"""`hikeshi docs init|build|check|clauses`: the five basic SNS documents from a company profile, and a gap check.

`build` writes ``sns_policy``, ``terms_of_use``, ``employee_rules``, ``sns_guideline`` and ``crisis_manual``
in each requested format (md, docx, pdf, html) into one folder. PDF is printed here, in the command layer,
with the reports' WeasyPrint printer (`hikeshi.reports.pdf`), because `respond` sits below `reports`. Each file
is written next to its destination and renamed into place; a failed PDF keeps the files already written.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from hikeshi.errors import HikeshiError, InputError
from hikeshi.respond.documents import (
    BuiltDocument,
    DocumentKind,
    build_documents,
    check_document,
    load_catalogue,
    load_profile,
    to_docx,
    to_html,
    write_profile_template,
)
from hikeshi.respond.documents.checker import CheckReport
from hikeshi.respond.documents.profile import CompanyProfile
from hikeshi.respond.playbooks import load_playbook
from hikeshi.settings import load_settings

app = typer.Typer(
    no_args_is_help=True,
    help="SNS の基本 5 文書（ポリシー・利用規約・従業員規程・ガイドライン・炎上対応マニュアル）を作り、点検します。",
)

FORMATS = ("md", "docx", "pdf", "html")
DEFAULT_FORMATS = "md,docx,pdf"
KINDS_HELP = "、".join(f"{kind.value}（{load_catalogue(kind).short_title}）" for kind in DocumentKind)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"エラー: {message}", err=True)
    return typer.Exit(code=2)


def parse_formats(value: str) -> list[str]:
    chosen = [part.strip().lower().lstrip(".") for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise InputError(
            f"--format には {','.join(FORMATS)} をカンマ区切りで指定してください（{value!r} が指定されました）。"
        )
    return list(dict.fromkeys(chosen))


def parse_kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value.strip())
    except ValueError:
        raise InputError(f"--kind は次のどれかです: {KINDS_HELP}（{value!r} が指定されました）。") from None


def _write(target: Path, data: bytes) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"{target} に書き出せませんでした（{error.strerror or error}）。") from None


def _content(document: BuiltDocument, fmt: str) -> bytes:
    if fmt == "md":
        return document.markdown.encode("utf-8")
    if fmt == "docx":
        return to_docx(document)
    html = to_html(document)
    if fmt == "html":
        return html.encode("utf-8")
    from hikeshi.reports.pdf import html_to_pdf  # the printer lives in the reports layer, above respond

    return html_to_pdf(html)


@app.command("init", help="会社プロフィールの雛形（説明つき YAML）を書き出します。")
def init(
    profile: Annotated[Path, typer.Argument(help="書き出すファイル（例: company_profile.yaml）。")],
    force: Annotated[bool, typer.Option("--force", help="既にあるファイルを上書きします。")] = False,
) -> None:
    try:
        write_profile_template(profile, force=force)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    typer.echo(f"会社プロフィールの雛形を {profile} に書き出しました。")
    typer.echo(f"〇〇 の部分を書き換えてから: hikeshi docs build {profile} --out 出力フォルダー")


@app.command("build", help="会社プロフィールから 5 文書を書き出します（md・docx・pdf・html）。")
def build(
    profile: Annotated[Path, typer.Argument(help="会社プロフィール（YAML）。")],
    out: Annotated[Path, typer.Option("--out", "-o", help="書き出すフォルダー（なければ作ります）。")],
    formats: Annotated[
        str, typer.Option("--format", "-f", help="形式をカンマ区切りで: md,docx,pdf,html。")
    ] = DEFAULT_FORMATS,
    playbook: Annotated[
        Path | None,
        typer.Option(
            "--playbook", help="炎上対応マニュアルに使うプレイブック（既定: HIKESHI_PLAYBOOK か同梱のもの）。"
        ),
    ] = None,
    kinds: Annotated[
        list[str] | None, typer.Option("--kind", help=f"この文書だけ作ります（繰り返し可）: {KINDS_HELP}。")
    ] = None,
    guard: Annotated[
        bool,
        typer.Option("--guard", help="できた文書の各段落を送信前チェックにかけ、注意・危険を表示します。"),
    ] = False,
) -> None:
    try:
        chosen = parse_formats(formats)
        wanted = [parse_kind(kind) for kind in kinds] if kinds else None
        company = load_profile(profile)
        source = playbook if playbook is not None else load_settings().playbook
        documents = build_documents(company, load_playbook(source), wanted)
        if out.exists() and not out.is_dir():
            raise InputError(f"--out {out} はファイルです。書き出すフォルダーを指定してください。")
        out.mkdir(parents=True, exist_ok=True)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    except OSError as error:
        raise _fail(f"{out} を作れません（{error.strerror or error}）。") from None
    if "pdf" in chosen:
        typer.echo("PDF を作成しています（1 文書あたり数秒かかります）…", err=True)
    written: list[Path] = []
    pdf_problem: str | None = None
    for document in documents:
        for fmt in chosen:
            if fmt == "pdf" and pdf_problem is not None:
                continue
            target = out / f"{document.kind.value}.{fmt}"
            try:
                _write(target, _content(document, fmt))
            except HikeshiError as error:
                if fmt != "pdf":
                    raise _fail(str(error)) from None
                pdf_problem = str(error)
                continue
            written.append(target)
    for document in documents:
        files = "、".join(path.name for path in written if path.stem == document.kind.value)
        typer.echo(f"  {document.meta.title}: {files}")
    typer.echo(
        f"{company.company.name}の {len(documents)} 文書を {out}/ に書き出しました"
        f"（{len(written)} ファイル、次回見直し予定日 {company.documents.next_review.isoformat()}）。"
    )
    left = company.placeholders()
    if left:
        typer.echo(f"注意: プロフィールに 〇〇 のままの項目があります: {', '.join(left)}", err=True)
    if guard:
        _report_wording(documents, company)
    if pdf_problem is not None:
        if formats == DEFAULT_FORMATS:  # PDF was not asked for by name: the other formats are the result
            typer.echo(f"注意: PDF は作りませんでした。{pdf_problem}", err=True)
            return
        raise _fail(f"PDF は書き出せませんでした（ほかの形式は書き出し済みです）。{pdf_problem}")


def _report_wording(documents: list[BuiltDocument], company: CompanyProfile) -> None:
    # imported here: it loads the guard's model, which only --guard needs
    from hikeshi.respond.documents.wording import flagged_paragraphs

    flagged = flagged_paragraphs(documents, company)
    if not flagged:
        typer.echo("送信前チェック: すべての段落が「問題なし」でした。")
        return
    typer.echo(f"送信前チェック: {len(flagged)} 段落に注意・危険があります。", err=True)
    for item in flagged:
        typer.echo(f"  [{item.kind.value}] {item.text[:60]}", err=True)
        for reason in item.reasons:
            typer.echo(f"      {reason}", err=True)


@app.command("check", help="会社の既存の文書（.md・.txt・.docx）に、必要な条項がそろっているかを点検します。")
def check(
    file: Annotated[Path, typer.Argument(help="点検する文書。")],
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help=f"文書の種類（省略すると内容から推定）: {KINDS_HELP}。")
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
    strict: Annotated[
        bool, typer.Option("--strict", help="足りない条項があれば終了コード 1 にします。")
    ] = False,
) -> None:
    try:
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")
        report = check_document(file, parse_kind(kind) if kind is not None else None)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    if output_format == "json":
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    else:
        _print_report(report)
    raise typer.Exit(code=1 if strict and report.missing else 0)


def _print_report(report: CheckReport) -> None:
    total = len(report.covered) + len(report.missing)
    guessed = (
        "（種類は内容から推定しました。違うときは --kind で指定してください）" if report.kind_guessed else ""
    )
    typer.echo(f"{report.file} を「{report.title}」として点検しました{guessed}。")
    typer.echo(f"必要な {total} 条項のうち {len(report.covered)} 条項がそろっています。")
    if report.missing:
        typer.echo("")
        typer.echo(f"足りない条項（{len(report.missing)}）:")
        for missing in report.missing:
            typer.echo(f"  ✗ {missing.title}［{missing.id}］")
            typer.echo(f"      {missing.reason}")
    typer.echo("")
    typer.echo(f"そろっている条項（{len(report.covered)}）:")
    for covered in report.covered:
        typer.echo(f"  ✓ {covered.title}［{covered.id}］ {covered.where}")


@app.command("clauses", help="文書の種類ごとに、点検する条項（id・見出し・必要な理由）を表示します。")
def clauses(
    kind: Annotated[str | None, typer.Option("--kind", "-k", help=f"文書の種類: {KINDS_HELP}。")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="text または json。")] = "text",
) -> None:
    try:
        if output_format not in ("text", "json"):
            raise InputError(f"--format は text か json です（{output_format!r} が指定されました）。")
        kinds = [parse_kind(kind)] if kind is not None else list(DocumentKind)
    except HikeshiError as error:
        raise _fail(str(error)) from None
    for chosen in kinds:
        catalogue = load_catalogue(chosen)
        if output_format == "json":
            rows = [{"id": c.id, "title": c.title, "reason": c.reason} for c in catalogue.clauses]
            typer.echo(
                json.dumps(
                    {"kind": chosen.value, "title": catalogue.title, "clauses": rows}, ensure_ascii=False
                )
            )
            continue
        typer.echo(f"{chosen.value}: {catalogue.title}（{len(catalogue.clauses)} 条項）")
        for clause in catalogue.clauses:
            typer.echo(f"  {clause.id:<28} {clause.title}")
