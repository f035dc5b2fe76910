"""`docs build`: the five documents written from the company profile, the clause catalogue and the playbook.

Each document is Markdown first (what a person reviews and what `docs check` reads back), with a control block
(版数・制定日・所管・承認・次回見直し予定日) that HR and legal expect on every internal rule. HTML and DOCX are
drawn from the same blocks (`render`); PDF is printed from the HTML by the layer above (`hikeshi.reports.pdf`).

Clause bodies are Jinja2 templates in the catalogue YAML, rendered in a sandbox with StrictUndefined: a profile
value a template needs and does not get is an error naming the clause, never an empty blank in a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from hikeshi.errors import ConfigError
from hikeshi.respond.documents.catalogue import Catalogue, Clause, Style, load_catalogue
from hikeshi.respond.documents.markdown import cell
from hikeshi.respond.documents.playbook_view import PlaybookView, view
from hikeshi.respond.documents.profile import CompanyProfile, DocumentKind
from hikeshi.respond.playbooks import Playbook


def date_ja(value: dt.date) -> str:
    """2026-04-01 → 「2026年4月1日」."""
    return f"{value.year}年{value.month}月{value.day}日"


def join_ja(items: Iterable[object], last: str = "") -> str:
    """「A、B、C」, or with `last` 「A、B又はC」 as statutes join the final item."""
    words = [str(item) for item in items]
    if last and len(words) > 1:
        return "、".join(words[:-1]) + last + words[-1]
    return "、".join(words)


def interval_words(months: int) -> str:
    """12 → 「1年」, 6 → 「6か月」, 24 → 「2年」."""
    return f"{months // 12}年" if months % 12 == 0 else f"{months}か月"


@dataclass(frozen=True)
class DocumentMeta:
    """The control block of one document: what an auditor asks first."""

    kind: DocumentKind
    title: str
    short_title: str
    company: str
    version: str
    effective_date: dt.date
    next_review: dt.date
    review_interval: str
    owner: str
    approver: str
    audience: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("文書名", self.title),
            ("版数", f"第{self.version}版"),
            ("制定日", date_ja(self.effective_date)),
            ("所管部署（文書の責任者）", self.owner),
            ("承認", self.approver),
            ("次回見直し予定日", date_ja(self.next_review)),
            ("対象", self.audience),
        ]


@dataclass(frozen=True)
class BuiltDocument:
    meta: DocumentMeta
    body: str  # Markdown of the sections, after the title and the control block

    @property
    def kind(self) -> DocumentKind:
        return self.meta.kind

    @property
    def header(self) -> str:
        rows = "\n".join(f"| {label} | {cell(value)} |" for label, value in self.meta.rows())
        return f"# {self.meta.title}\n\n{self.meta.company}\n\n| 項目 | 内容 |\n| --- | --- |\n{rows}\n"

    @property
    def markdown(self) -> str:
        return f"{self.header}\n{self.body}"


def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        autoescape=False,  # Markdown out; the HTML template escapes every text (render.to_html)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["date_ja"] = date_ja
    environment.filters["join_ja"] = join_ja
    environment.filters["cell"] = cell
    return environment


_ENVIRONMENT = _environment()


def _heading(catalogue: Catalogue, clause: Clause, number: int) -> str:
    if clause.heading is not None:
        return clause.heading
    if catalogue.style == Style.ARTICLES:
        return f"第{number}条（{clause.title}）"
    return f"{number}. {clause.title}"


def _references(catalogue: Catalogue) -> Callable[[str], str]:
    numbers = {clause.id: index for index, clause in enumerate(_numbered(catalogue), start=1)}

    def ref(clause_id: str) -> str:
        """How the text refers to another section: 「第5条」 in rules, 「「5. 体制と役割」」 in handbooks."""
        if clause_id not in numbers:
            raise KeyError(f"ref({clause_id!r}): この文書にない条項です")
        if catalogue.style == Style.ARTICLES:
            return f"第{numbers[clause_id]}条"
        return f"「{numbers[clause_id]}. {catalogue.clause(clause_id).title}」"

    return ref


def _numbered(catalogue: Catalogue) -> list[Clause]:
    return [clause for clause in catalogue.sections() if clause.heading is None]


def _is_list(line: str) -> bool:
    return line.lstrip().startswith(("- ", "* "))


def tidy(markdown: str) -> str:
    """One blank line between paragraphs, as Markdown readers need them, however a template's tags fell.

    A Jinja tag at a line end swallows that line's break, so two paragraphs can end up on adjacent lines;
    adjacent table rows, list items and code lines stay together.
    """
    out: list[str] = []
    in_code = False
    for line in markdown.splitlines():
        fence = line.strip().startswith("```")
        if not in_code and line.strip() and out and out[-1].strip():
            previous = out[-1]
            together = (previous.startswith("|") and line.startswith("|")) or (
                _is_list(previous) and _is_list(line)
            )
            if not together and not previous.strip().startswith("```"):
                out.append("")
        out.append(line)
        if fence:
            in_code = not in_code
    return "\n".join(out)


def _render(source: str, where: str, context: dict[str, object]) -> str:
    try:
        return tidy(_ENVIRONMENT.from_string(source).render(context)).strip()
    except jinja2.UndefinedError as error:
        raise ConfigError(where, None, f"テンプレートが知らない値を使っています: {error.message}") from None
    except (jinja2.TemplateError, KeyError, ValueError, TypeError) as error:
        raise ConfigError(where, None, f"テンプレートを展開できません: {error}") from None


def meta_for(kind: DocumentKind, profile: CompanyProfile) -> DocumentMeta:
    catalogue = load_catalogue(kind)
    control = profile.documents
    return DocumentMeta(
        kind=kind,
        title=catalogue.title,
        short_title=catalogue.short_title,
        company=profile.company.name,
        version=control.version,
        effective_date=control.effective_date,
        next_review=control.next_review,
        review_interval=interval_words(control.review_interval_months),
        owner=control.owner_of(kind),
        approver=profile.approvals.documents,
        audience=catalogue.audience,
    )


def build_document(kind: DocumentKind, profile: CompanyProfile, playbook: Playbook) -> BuiltDocument:
    """One document of `kind` for the company in `profile`, its crisis steps taken from `playbook`."""
    catalogue = load_catalogue(kind)
    meta = meta_for(kind, profile)
    context: dict[str, object] = {
        "profile": profile,
        "company": profile.company,
        "accounts": profile.official_accounts,
        "contacts": profile.contacts,
        "rules": profile.work_rules,
        "conf": profile.confidentiality,
        "approvals": profile.approvals,
        "escalation": profile.escalation,
        "doc": meta,
        "pb": view(playbook, profile),
        "titles": {other.value: load_catalogue(other).title for other in DocumentKind},
        "ref": _references(catalogue),
    }
    where = f"{kind.value}.yaml"
    parts: list[str] = []
    if catalogue.preamble.strip():
        parts.append(_render(catalogue.preamble, f"{where}: preamble", context))
    appendices: list[str] = []
    for number, clause in enumerate(_numbered(catalogue), start=1):
        body = _render(clause.body or "", f"{where}: {clause.id}", {**context, "n": number})
        parts.append(f"## {_heading(catalogue, clause, number)}\n\n{body}")
    for clause in catalogue.sections():
        if clause.heading is not None:
            heading = _render(clause.heading, f"{where}: {clause.id}", context)
            body = _render(clause.body or "", f"{where}: {clause.id}", {**context, "n": 0})
            appendices.append(f"## {heading}\n\n{body}")
    if catalogue.closing.strip():
        parts.append(_render(catalogue.closing, f"{where}: closing", context))
    parts.extend(appendices)
    return BuiltDocument(meta=meta, body="\n\n".join(parts) + "\n")


def build_documents(
    profile: CompanyProfile, playbook: Playbook, kinds: Iterable[DocumentKind] | None = None
) -> list[BuiltDocument]:
    """The documents of `kinds` (all five by default), in the order of DocumentKind."""
    wanted = list(DocumentKind) if kinds is None else list(kinds)
    return [build_document(kind, profile, playbook) for kind in DocumentKind if kind in wanted]


__all__ = ["BuiltDocument", "DocumentMeta", "PlaybookView", "build_document", "build_documents", "meta_for"]
