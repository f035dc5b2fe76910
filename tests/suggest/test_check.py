import datetime as dt

from hikeshi.records import Watch
from hikeshi.sources import SafeHttpClient
from hikeshi.suggest import build_engine, check_suggest, default_risk_dictionary
from tests.sources.loopback import LoopbackServer, Reply
from tests.suggest.payloads import CALM, FLAMING, bing, google, yahoo

WATCH = Watch(name="ミナト住建", terms=["ミナト住建"], risk_terms=["欠陥住宅"])
NOW = dt.datetime(2025, 3, 4, 1, 0, tzinfo=dt.UTC)


def test_a_round_over_three_engines_with_one_failing(server: LoopbackServer, client: SafeHttpClient) -> None:
    engines = [
        build_engine("google", client, server.route("/complete/search", google("ミナト住建", FLAMING))),
        build_engine("bing", client, server.route("/osjson.aspx", Reply(status=500, body="error"))),
        build_engine(
            "yahoo", client, server.route("/gossip", yahoo("ミナト住建", ["ミナト住建 欠陥住宅", *CALM]))
        ),
    ]
    result = check_suggest(WATCH, engines, [], default_risk_dictionary(), NOW)

    assert [(s.engine, s.query) for s in result.snapshots] == [
        ("google", "ミナト住建"),
        ("google", "ミナト住建 "),
        ("yahoo", "ミナト住建"),
        ("yahoo", "ミナト住建 "),
    ]
    assert all(s.taken_at == NOW and s.watch == "ミナト住建" for s in result.snapshots)
    # Bing failed on its first query and was not asked again in this round.
    assert [(f.engine, f.query) for f in result.failures] == [("bing", "ミナト住建")]
    assert "HTTP 500" in result.failures[0].message
    assert len(server.seen("/osjson.aspx")) == 1
    assert result.signal is not None
    assert set(result.signal.evidence.terms) == {
        "ミナト住建 ブラック",
        "ミナト住建 炎上",
        "ミナト住建 欠陥住宅",
    }
    assert result.signal.severity == 3


def test_second_round_with_the_same_suggestions_is_quiet(
    server: LoopbackServer, client: SafeHttpClient
) -> None:
    engines = [build_engine("bing", client, server.route("/osjson.aspx", bing("ミナト住建", FLAMING)))]
    first = check_suggest(WATCH, engines, [], default_risk_dictionary(), NOW)
    second = check_suggest(
        WATCH, engines, first.snapshots, default_risk_dictionary(), NOW + dt.timedelta(hours=1)
    )
    assert first.signal is not None
    assert second.signal is None and second.risks == []
    assert not any(diff.changed for diff in second.diffs)
