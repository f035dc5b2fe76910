import datetime as dt

import pytest
from pydantic import SecretStr

from hikeshi.errors import InputError
from hikeshi.settings import Settings
from hikeshi.sources import SafeHttpClient, Source, SourceSpec, SourceState, build_source, source_kinds


def test_registry_lists_the_network_sources() -> None:
    assert {"rss", "news", "x"} <= set(source_kinds())


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("rss", "https://news.example.jp/rss"),
        ("news", "https://news.example.jp/a/1"),
        ("x", "ミナト住建 -is:retweet"),
    ],
)
def test_every_kind_satisfies_the_protocol(kind: str, target: str, client: SafeHttpClient) -> None:
    settings = Settings(x_bearer_token=SecretStr("token"))
    built = build_source(SourceSpec(kind=kind, target=target), settings, client)
    assert isinstance(built, Source)
    assert built.kind == kind


def test_unknown_kind_is_a_japanese_input_error(client: SafeHttpClient) -> None:
    with pytest.raises(InputError, match="不明なソースの種類です: mixi"):
        build_source(SourceSpec(kind="mixi", target="x"), Settings(), client)


def test_state_round_trips_as_json_for_the_store() -> None:
    state = SourceState(
        etag='"abc"', since_id="1896999000000000003", fetched_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    )
    assert SourceState.model_validate_json(state.model_dump_json()) == state
