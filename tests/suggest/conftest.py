from collections.abc import Iterator

import pytest

from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient
from tests.sources.loopback import LoopbackServer, serving


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serving() as running:
        yield running


@pytest.fixture
def client() -> Iterator[SafeHttpClient]:
    with SafeHttpClient(Settings(allow_private_urls=True, http_timeout_seconds=5.0)) as http:
        yield http
