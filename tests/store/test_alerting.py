"""The alert tables (migration 0005) on SQLite and PostgreSQL: channels, policies, threads, handled, outbox."""

from __future__ import annotations

import datetime as dt

import pytest

from hikeshi.errors import InputError
from hikeshi.store import Store
from hikeshi.store.alerting import AlertStore, OutboxEntry, StoredThread
from hikeshi.store.migrate import current_revision, downgrade, head_revision, upgrade

WATCH = "ナミキ住宅"
NOW = dt.datetime(2026, 3, 12, 13, 56, tzinfo=dt.UTC)


def thread(
    thread_id: str, *, closed: bool = False, at: dt.datetime = NOW, incident: int | None = None
) -> StoredThread:
    return StoredThread(
        id=thread_id,
        watch=WATCH,
        incident_id=incident,
        closed=closed,
        opened_at=at,
        last_signal_at=at,
        state={"id": thread_id, "messages": 1},
    )


def test_channels_policies_and_their_watch(store: Store) -> None:
    alerts = AlertStore(store)
    slack = alerts.add_channel(
        WATCH, "slack", {"kind": "slack", "webhook_url": "https://hooks.slack.com/x"}, NOW
    )
    teams = alerts.add_channel(WATCH, "teams", {"kind": "teams", "webhook_url": "https://example.jp/t"}, NOW)
    assert [(c.id, c.watch, c.kind) for c in alerts.list_channels()] == [
        (slack.id, WATCH, "slack"),
        (teams.id, WATCH, "teams"),
    ]
    assert alerts.list_channels("しろくま製菓") == [] and alerts.get_channel(teams.id).created_at == NOW
    with pytest.raises(InputError, match="ウォッチ「しろくま製菓」はありません"):
        alerts.add_channel("しろくま製菓", "slack", {}, NOW)
    alerts.set_policy(WATCH, {"cooldown_minutes": 30}, NOW)
    alerts.set_policy(WATCH, {"cooldown_minutes": 45}, NOW)
    assert alerts.policies() == {WATCH: {"cooldown_minutes": 45}}
    assert alerts.remove_channel(slack.id).kind == "slack"
    with pytest.raises(InputError, match=f"通知先 {slack.id} はありません"):
        alerts.remove_channel(slack.id)
    store.remove_watch(WATCH)
    assert alerts.list_channels() == [] and alerts.policies() == {}


def test_one_cycle_is_committed_together(store: Store) -> None:
    alerts = AlertStore(store)
    channel = alerts.add_channel(
        WATCH, "slack", {"kind": "slack", "webhook_url": "https://hooks.slack.com/x"}, NOW
    )
    alerts.commit(
        threads=[thread("inc-3"), thread("inc-aaaa", closed=True)],
        handled={"ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00": 3},
        outbox=[
            OutboxEntry(channel_id=channel.id, message={"sequence": 1}, attempts=1, last_error="HTTP 503")
        ],
        now=NOW,
    )
    assert [t.id for t in alerts.threads()] == ["inc-3"]
    assert [t.id for t in alerts.threads(ids=["inc-aaaa"])] == ["inc-3", "inc-aaaa"]
    assert alerts.threads(watch="しろくま製菓") == []
    assert alerts.handled(["ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00", "x"]) == {
        "ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00": 3
    }
    (pending,) = alerts.outbox()
    assert (pending.channel_id, pending.attempts, pending.message) == (channel.id, 1, {"sequence": 1})
    # The next cycle: the thread moves on, the signal is raised again, the message is retried and delivered.
    alerts.commit(
        threads=[thread("inc-3", closed=True, incident=3)],
        handled={"ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00": 4},
        delivered=[pending.id or 0],
        now=NOW + dt.timedelta(minutes=30),
    )
    assert alerts.threads() == [] and alerts.threads(ids=["inc-3"])[0].incident_id == 3
    assert alerts.handled(["ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00"]) == {
        "ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00": 4
    }
    assert alerts.outbox() == []
    alerts.prune(NOW + dt.timedelta(minutes=10))  # the closed threads of NOW and nothing handled since
    assert alerts.threads(open_only=False) == []
    assert len(alerts.handled(["ナミキ住宅|volume_spike|2026-03-12T13:26:00+00:00"])) == 1


def test_many_handled_keys_are_looked_up_in_chunks(store: Store) -> None:
    alerts = AlertStore(store)
    keys = {f"{WATCH}|volume_spike|{index}": 2 for index in range(1000)}
    alerts.commit(handled=keys, now=NOW)
    assert alerts.handled([*keys, "missing"]) == keys


def test_migration_0005_downgrades_and_upgrades(store: Store) -> None:
    AlertStore(store).add_channel(WATCH, "slack", {"kind": "slack", "webhook_url": "https://x"}, NOW)
    downgrade(store.engine, "0004_incidents")
    assert current_revision(store.engine) == "0004_incidents"
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    assert AlertStore(store).list_channels() == []  # the channels went with their table
    assert [w.name for w in store.list_watches()] == [WATCH]
