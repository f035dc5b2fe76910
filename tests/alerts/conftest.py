from __future__ import annotations

from collections.abc import Iterator

import pytest

from hikeshi.settings import Settings
from tests.alerts.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    with http_receiver() as running:
        yield running


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as running:
        yield running


@pytest.fixture
def settings() -> Settings:
    return Settings(allow_private_urls=True, http_timeout_seconds=5.0, user_agent="hikeshi-test/1.0")
