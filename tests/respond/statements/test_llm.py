"""The optional polishing backend against a real OpenAI-compatible HTTP server on 127.0.0.1.

The fake server answers POST /v1/chat/completions the way llama.cpp and vLLM do; each test scripts what it
answers. Whatever goes wrong (a timeout, garbage, a changed fact), the draft keeps the template's wording and
says why in a warning.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hikeshi.respond.statements.drafts import draft
from hikeshi.respond.statements.papers import PositionPaper
from hikeshi.respond.statements.records import DraftKind
from hikeshi.settings import Settings

Answer = Callable[[str], tuple[int, bytes]]


@dataclass
class FakeChatServer:
    answer: Answer = lambda text: (200, b"")
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    base_url: str = ""


def _completion(content: str) -> bytes:
    return json.dumps(
        {
            "id": "x",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
        },
        ensure_ascii=False,
    ).encode()


@pytest.fixture
def server() -> Iterator[FakeChatServer]:
    fake = FakeChatServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            if self.path != "/v1/chat/completions":
                status, payload = 404, b"not found"
            else:
                user = body["messages"][-1]["content"].split("\n\n", 1)[1]
                status, payload = fake.answer(user)
            if status == 0:  # hang until the test ends: the client must time out
                fake.release.wait(10)
                return
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        yield fake
    finally:
        fake.release.set()
        httpd.shutdown()
        httpd.server_close()


def _settings(server: FakeChatServer, **extra: Any) -> Settings:
    return Settings(statement_llm_url=server.base_url, statement_llm_model="test-model", **extra)


def test_off_by_default_sends_nothing(paper: PositionPaper, server: FakeChatServer) -> None:
    result = draft(paper, DraftKind.HOLDING)
    assert not result.polished and server.requests == []


def test_a_faithful_polish_is_used(paper: PositionPaper, server: FakeChatServer) -> None:
    server.answer = lambda text: (
        200,
        _completion(text.replace("深くお詫び申し上げます", "心よりお詫び申し上げます")),
    )
    result = draft(paper, DraftKind.HOLDING, settings=_settings(server, statement_llm_api_key="secret"))
    assert result.polished and result.warnings == []
    assert "心よりお詫び申し上げます" in result.text and "深くお詫び" not in result.text
    [request] = server.requests
    assert request["model"] == "test-model" and request["messages"][0]["role"] == "system"
    assert "一字一句変えないでください" in request["messages"][0]["content"]
    assert server.headers[0]["authorization"] == "Bearer secret"
    assert result.lint.level is None or result.lint.result  # the polished text went through the linter


def test_a_fenced_answer_is_unwrapped(paper: PositionPaper, server: FakeChatServer) -> None:
    server.answer = lambda text: (200, _completion(f"```markdown\n{text}```"))
    result = draft(paper, DraftKind.STATEMENT, settings=_settings(server))
    assert result.polished and not result.text.startswith("```")


def test_timeout_keeps_the_template(paper: PositionPaper, server: FakeChatServer) -> None:
    server.answer = lambda text: (0, b"")
    template = draft(paper, DraftKind.HOLDING).text
    result = draft(paper, DraftKind.HOLDING, settings=_settings(server, statement_llm_timeout_seconds=0.3))
    assert not result.polished and result.text == template
    assert any("0.3 秒以内に応答しませんでした" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda text: (200, b"<html>502 Bad Gateway</html>"), "応答を読めませんでした"),
        (lambda text: (200, b'{"choices": []}'), "応答を読めませんでした"),
        (lambda text: (500, b'{"error": "overloaded"}'), "応答を読めませんでした（HTTP 500）"),
        (lambda text: (200, _completion("")), "空の応答"),
        (lambda text: (200, _completion("申し訳ありませんが、お手伝いできません。")), "長さが元の"),
        (lambda text: (200, _completion(text.replace("3名", "4名"))), "「3名」が消えるか変わりました"),
        (lambda text: (200, _completion(text.replace("## 原因", "## 背景"))), "見出し「原因」が変わりました"),
        (
            lambda text: (200, _completion(text.replace("当該営業担当者", "山岸翔太", 1))),
            "聞かれても言えないこと",
        ),
    ],
)
def test_a_bad_answer_keeps_the_template(
    paper: PositionPaper, server: FakeChatServer, answer: Answer, reason: str
) -> None:
    server.answer = answer
    template = draft(paper, DraftKind.STATEMENT).text
    result = draft(paper, DraftKind.STATEMENT, settings=_settings(server))
    assert not result.polished and result.text == template
    assert any(
        reason in warning and "テンプレートの文面を使います" in warning for warning in result.warnings
    ), result.warnings
    assert "山岸" not in result.text


def test_no_server_listening_keeps_the_template(paper: PositionPaper) -> None:
    settings = Settings(statement_llm_url="http://127.0.0.1:9/v1", statement_llm_timeout_seconds=2)
    result = draft(paper, DraftKind.SNS, settings=settings)
    assert not result.polished and any("接続できませんでした" in warning for warning in result.warnings)


def test_an_x_polish_over_the_limit_is_refused(paper: PositionPaper, server: FakeChatServer) -> None:
    server.answer = lambda text: (
        200,
        _completion(text.replace("【お詫び】", "【お詫び】このたびは誠に、誠に")),
    )
    result = draft(paper, DraftKind.SNS_X, settings=_settings(server))
    assert not result.polished and any("X の文字数の上限" in warning for warning in result.warnings)
