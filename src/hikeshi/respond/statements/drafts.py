"""Drafts from the facts: every kind of statement rendered from a position paper, offline, in formal Japanese.

`draft(paper, kind)` renders the kind's Jinja2 template (bundled under `templates/`, or the company's file of
the same name in `Settings.statement_templates_dir`), optionally lets an OpenAI-compatible endpoint polish the
wording (`llm.polish`, off by default, checked and discarded when it changes a fact), keeps the negative list
out of the text whatever a template or the paper's free text says, and runs the linter on the result. The
template path needs nothing but this package, so a first statement can be drafted at midnight without a network.

Templates write Markdown, not HTML: the output is a document to paste and to export (`export`), and the HTML
step for PDFs escapes every character. The environment is sandboxed because a company's template folder is
edited by people who are not programmers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field

from hikeshi.errors import ConfigError
from hikeshi.respond.statements import llm
from hikeshi.respond.statements.formatting import FILTERS, jcount, jdate_weekday
from hikeshi.respond.statements.linting import lint_text
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.qa import BUCKET_LABELS, FRAME_LABELS, TOPIC_LABELS, Bucket, build_qa
from hikeshi.respond.statements.records import (
    DRAFT_KIND_LABELS,
    PUBLIC_KINDS,
    DraftKind,
    Inquiry,
    LintSummary,
)
from hikeshi.respond.statements.xcount import X_LIMIT, fits_x, x_length
from hikeshi.settings import Settings

BUNDLED_TEMPLATES = Path(__file__).with_name("templates")
REDACTED = "〇〇"
CANDIDATE_SEPARATOR = re.compile(r"^===\s*$", re.MULTILINE)

STATEMENT_HEADINGS = {
    "apology": "お詫び",
    "facts": "事実経緯",
    "cause": "原因",
    "impact": "影響",
    "actions": "これまでの対応",
    "prevention": "再発防止策",
    "accountability": "処分",
    "contact": "お問い合わせ先",
}
"""The full お詫び's sections, in the order Japanese readers expect them."""

PRESS_HEADINGS = {
    **STATEMENT_HEADINGS,
    "customer_contact": "お客様からのお問い合わせ先",
    "press_contact": "報道関係者からのお問い合わせ先",
}

TITLE_SUFFIXES = {
    DraftKind.HOLDING: "（第一報）",
    DraftKind.STATEMENT: "（お詫びとお知らせ）",
    DraftKind.PRESS_RELEASE: "",
    DraftKind.SNS_X: "（X 投稿）",
    DraftKind.SNS: "（Instagram・LINE 投稿）",
    DraftKind.QA: "（想定問答）",
    DraftKind.CALL_SCRIPT: "（コールセンター対応スクリプト）",
    DraftKind.PRESS_KIT: "（記者会見キット）",
}


class Draft(BaseModel):
    """One drafted document: its text (Markdown), whether it is for the public, and what the linter said."""

    model_config = ConfigDict(frozen=True)

    kind: DraftKind
    title: str
    text: str
    public: bool
    lint: LintSummary
    polished: bool = False
    warnings: list[str] = Field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return DRAFT_KIND_LABELS[self.kind]


@lru_cache(maxsize=8)
def _environment(company_folder: str | None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if company_folder:
        loaders.append(jinja2.FileSystemLoader(company_folder))
    loaders.append(jinja2.FileSystemLoader(str(BUNDLED_TEMPLATES)))
    environment = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # Markdown out; the PDF's HTML step escapes (export.markdown_to_html)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(FILTERS)
    return environment


def _key_messages(paper: PositionPaper) -> list[str]:
    if paper.key_messages:
        return list(paper.key_messages)
    impact = paper.impact
    cause = (
        f"原因は{paper.cause.owner}が調査しており、{jdate_weekday(paper.cause.due)}までにご報告します。"
        if paper.cause.investigating and paper.cause.due
        else "原因と再発防止策をお知らせしています。"
    )
    return [
        f"{paper.summary.rstrip('。')}。その責任は当社にあり、深くお詫び申し上げます。",
        f"{impact.who}は、これまでに確認できた範囲で{jcount(impact.count, impact.unit)}です。",
        cause,
    ]


def _coverage(qa: Sequence[Any]) -> dict[str, dict[str, str]]:
    table = {topic: dict.fromkeys(FRAME_LABELS, "—") for topic in TOPIC_LABELS}
    for entry in qa:
        cell = table.setdefault(entry.topic, dict.fromkeys(FRAME_LABELS, "—"))
        cell[entry.frame] = "○"
    return table


def template_context(paper: PositionPaper, inquiries: Sequence[Inquiry] = ()) -> dict[str, Any]:
    """What every template may use: the paper and values derived from it once, so documents agree."""
    qa = build_qa(paper, inquiries)
    speaker = paper.speakers[0] if paper.speakers else None
    return {
        "paper": paper,
        "headings": PRESS_HEADINGS,
        "timeline": paper.public_timeline(),
        "qa": qa,
        "faq": [entry for entry in qa if entry.bucket != Bucket.CANNOT],
        "buckets": list(BUCKET_LABELS.items()),
        "coverage": _coverage(qa),
        "coverage_topics": [
            (topic, TOPIC_LABELS[topic])
            for topic in ("facts", "risk", "cause", "responsibility", "prevention")
        ],
        "key_messages": _key_messages(paper),
        "lead_speaker": f"{speaker.title}の{speaker.name}"
        if speaker
        else paper.company.representative or "代表者",
        "link": paper.statement_url or paper.company.url,
    }


def render_template(
    paper: PositionPaper,
    kind: DraftKind,
    *,
    inquiries: Sequence[Inquiry] = (),
    templates_dir: Path | None = None,
) -> str:
    """The kind's template rendered from `paper`; a broken company template is a ConfigError naming it."""
    name = f"{kind.value}.md.j2"
    environment = _environment(str(templates_dir) if templates_dir else None)
    try:
        template = environment.get_template(name)
        text = template.render(**template_context(paper, inquiries))
    except jinja2.TemplateSyntaxError as error:
        raise ConfigError(
            error.filename or name, error.lineno, f"テンプレートの書式が正しくありません: {error.message}"
        ) from None
    except jinja2.UndefinedError as error:
        raise ConfigError(name, None, f"テンプレートが知らない値を使っています: {error.message}") from None
    except jinja2.TemplateError as error:
        raise ConfigError(name, None, f"テンプレートを展開できません: {error}") from None
    return _tidy(text)


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return "\n".join(tidy) + "\n"


def _fit_x(rendered: str) -> tuple[str, list[str]]:
    """The first candidate (longest first) within X's limit; a last resort is cut before the link."""
    candidates = [part.strip() for part in CANDIDATE_SEPARATOR.split(rendered) if part.strip()]
    if not candidates:
        return "", ["X 投稿のテンプレートから文面ができませんでした。"]
    for candidate in candidates:
        if fits_x(candidate):
            return candidate + "\n", []
    last = candidates[-1]
    body, _, link = last.rpartition("\n") if "http" in last.splitlines()[-1] else (last, "", "")
    while body and x_length(f"{body}…\n{link}".rstrip()) > X_LIMIT:
        body = body[:-1]
    return f"{body}…\n{link}".rstrip() + "\n", [
        f"X 投稿がどの候補も上限（重み付き {X_LIMIT}）を超えたため、末尾を切り詰めました。文面を見直してください。"
    ]


def _negative_pattern(word: str) -> re.Pattern[str]:
    """A negative-list word found whatever its spacing: 「佐々木 美咲」 also matches 「佐々木美咲」."""
    return re.compile(r"\s*".join(re.escape(ch) for ch in word if not ch.isspace()))


def redact_negative(text: str, paper: PositionPaper) -> tuple[str, list[str]]:
    """`text` with every negative-list item replaced by 〇〇, and a warning naming the topic (never the item).

    Each word is looked for as written and in its NFKC form (ＹＡＭＡ and YAMA), with any spacing between letters.
    """
    warnings: list[str] = []
    for item in paper.negative:
        found = False
        for word in sorted(item.words, key=len, reverse=True):
            for form in dict.fromkeys((word, unicodedata.normalize("NFKC", word))):
                pattern = _negative_pattern(form)
                if pattern.pattern and pattern.search(text):
                    text = pattern.sub(REDACTED, text)
                    found = True
        if found:
            warnings.append(
                f"聞かれても言えないこと（{item.topic}）が本文に入っていたため「{REDACTED}」に伏せました。"
                "ポジションペーパーの記述を見直してください。"
            )
    return text, warnings


def draft(
    paper: PositionPaper,
    kind: DraftKind,
    *,
    inquiries: Sequence[Inquiry] = (),
    settings: Settings | None = None,
) -> Draft:
    """Draft `kind` from `paper`: template, optional polish, negative-list guard, then the linter."""
    settings = settings or Settings()
    warnings: list[str] = []
    text = render_template(paper, kind, inquiries=inquiries, templates_dir=settings.statement_templates_dir)
    if kind == DraftKind.SNS_X:
        text, fitted = _fit_x(text)
        warnings.extend(fitted)
        if not paper.statement_url and not paper.company.url:
            warnings.append("X 投稿に載せるリンクがありません。statement_url を書いてください。")
    polished = llm.polish(text, kind, paper, settings)
    if polished.warning:
        warnings.append(polished.warning)
    text, redacted = redact_negative(polished.text, paper)
    warnings.extend(redacted)
    return Draft(
        kind=kind,
        title=f"{paper.incident_title}{TITLE_SUFFIXES[kind]}",
        text=text,
        public=kind in PUBLIC_KINDS,
        lint=lint_text(text, kind, paper),
        polished=polished.polished,
        warnings=warnings,
    )


def draft_all(
    paper: PositionPaper, *, inquiries: Sequence[Inquiry] = (), settings: Settings | None = None
) -> list[Draft]:
    """Every kind, in the order a team needs them on the first days."""
    return [draft(paper, kind, inquiries=inquiries, settings=settings) for kind in DraftKind]
