"""The optional drafting backend: an OpenAI-compatible chat endpoint that may polish a template's wording.

Off unless `Settings.statement_llm_url` is set (for example a llama.cpp or vLLM server on the company's own
machine, ``http://127.0.0.1:8080/v1``). The template's text is always the fallback: a timeout, an error, an
answer that is not the expected JSON, or a polish that changed a fact (a number, a date, a URL, a heading), lost
a line or added a negative-list word is discarded with a warning, and the template's wording is used. A
polisher must never be the reason a statement is late or wrong.

The URL is operator configuration (an environment variable, never a web form), like the database URL, so it may
point at loopback; redirects are not followed and the answer is read up to a bound.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import DRAFT_KIND_LABELS, DraftKind
from hikeshi.respond.statements.xcount import fits_x
from hikeshi.settings import Settings

MAX_ANSWER_BYTES = 1_048_576
_FACT_TOKENS = re.compile(
    # URLs, e-mail addresses, and numbers with the character after them (「3名」, 「31日」, 「0120-000-123」),
    # so 「3名」 → 「4名」 is caught even though a 3 survives elsewhere in the text
    r"https?://\S+|[\w.+-]+@[\w.-]+|\d[\d,.:：\-]*[^\s\d,.:：\-]?"
)
_FENCE = re.compile(r"^```[a-z]*\n(.*)\n```\s*$", re.DOTALL)

SYSTEM_PROMPT = (
    "あなたは日本企業の広報担当者です。渡された文書の言い回しだけを、自然で誠実な敬体の日本語に整えてください。"
    "事実・数字・日付・時刻・固有名詞・URL・電話番号・メールアドレス・見出し（# で始まる行）は一字一句変えないでください。"
    "情報を足したり削ったりしないでください。条件付きの謝罪（「〜であれば」）、責任を一部の人や受け手に移す表現"
    "（「一部の」「誤解を招いた」）、言い訳、法的な弁明は使わないでください。整えた文書だけを出力してください。"
)


class Polished(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    polished: bool
    warning: str | None = None


def _endpoint(base: str) -> str:
    base = base.rstrip("/")
    return base if base.endswith("/chat/completions") else f"{base}/chat/completions"


def _ask(settings: Settings, text: str, kind: DraftKind) -> str:
    """One chat completion; raises httpx errors, ValueError (not the OpenAI shape) or OverflowError (too big)."""
    headers = {"Content-Type": "application/json"}
    if settings.statement_llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.statement_llm_api_key.get_secret_value()}"
    payload = {
        "model": settings.statement_llm_model,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"文書の種類: {DRAFT_KIND_LABELS[kind]}\n\n{text}"},
        ],
    }
    timeout = httpx.Timeout(settings.statement_llm_timeout_seconds)
    assert settings.statement_llm_url is not None
    with (
        httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
        client.stream(
            "POST", _endpoint(settings.statement_llm_url), headers=headers, json=payload
        ) as response,
    ):
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code}")
        body = b""
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise OverflowError("応答が大きすぎます")
    answer: Any = json.loads(body)
    content = answer["choices"][0]["message"]["content"]
    if not isinstance(content, str):
        raise ValueError("content が文字列ではありません")
    return content


def _lines_kept(original: str, polished: str) -> str | None:
    headings = [line.strip() for line in original.splitlines() if line.startswith("#")]
    missing = [heading for heading in headings if heading not in polished]
    return f"見出し「{missing[0].lstrip('# ')}」が変わりました" if missing else None


def check_polished(original: str, polished: str, paper: PositionPaper, kind: DraftKind) -> str | None:
    """Why `polished` may not replace `original` (Japanese), or None when every fact survived."""
    if not polished.strip():
        return "空の応答でした"
    ratio = len(polished) / max(len(original), 1)
    if not 0.6 <= ratio <= 1.6:
        return f"長さが元の {ratio:.1f} 倍になりました"
    problem = _lines_kept(original, polished)
    if problem:
        return problem
    for token in dict.fromkeys(_FACT_TOKENS.findall(original)):
        if token not in polished:
            return f"「{token}」が消えるか変わりました"
    for word in paper.negative_words:
        if word in polished and word not in original:
            return "聞かれても言えないことが加わりました"
    if kind == DraftKind.SNS_X and not fits_x(polished):
        return "X の文字数の上限を超えました"
    return None


def polish(text: str, kind: DraftKind, paper: PositionPaper, settings: Settings) -> Polished:
    """The polished text when a backend is configured and kept every fact; the template's text otherwise."""
    if not settings.statement_llm_url:
        return Polished(text=text, polished=False)
    fallback = "テンプレートの文面を使います。"
    try:
        answer = _ask(settings, text, kind).strip()
    except httpx.TimeoutException:
        return Polished(
            text=text,
            polished=False,
            warning=f"文章の推敲（{settings.statement_llm_url}）が {settings.statement_llm_timeout_seconds:g} 秒以内に応答しませんでした。{fallback}",
        )
    except httpx.HTTPError as error:
        return Polished(
            text=text,
            polished=False,
            warning=f"文章の推敲に接続できませんでした（{type(error).__name__}）。{fallback}",
        )
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as error:
        return Polished(
            text=text, polished=False, warning=f"文章の推敲の応答を読めませんでした（{error}）。{fallback}"
        )
    fenced = _FENCE.match(answer)
    if fenced:
        answer = fenced.group(1).strip()
    problem = check_polished(text, answer, paper, kind)
    if problem:
        return Polished(
            text=text, polished=False, warning=f"推敲の結果を使いませんでした（{problem}）。{fallback}"
        )
    return Polished(text=answer.rstrip("\n") + "\n", polished=True)
