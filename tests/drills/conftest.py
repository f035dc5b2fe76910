"""Drill tests run on real SQLite files with the real analyzers; `TINY` is a short scenario for fast runs.

TINY is a small bakery (架空の「コムギ堂」) whose part-timer's rude reply to a customer spreads: two days of
everyday talk, then three hours of flame, one influencer, one news item and three injects (one before the
incident can open, so it must land on the timeline at its own time once the incident exists).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hikeshi.ingest import Analyzer, default_analyzer
from hikeshi.settings import Settings
from hikeshi.store import Store

TINY = """\
name: komugi_reply
title: アルバイトの失礼な返信が拡散（コムギ堂）
kind: customer_message
summary: パン屋のアルバイトが、予約の取り違えを指摘したお客様に失礼な DM を返し、そのスクリーンショットが広がります。
company:
  name: コムギ堂
  terms: [コムギ堂, こむぎ堂]
seed: 7
onset: "19:00"
start: 30m
end: 3h
baseline:
  days: 2
  per_day: 16
  pool: calm
curve:
  - {at: 0m, per_hour: 10}
  - {at: 40m, per_hour: 45}
  - {at: 3h, per_hour: 30}
pools:
  calm:
    texts:
      - "{name}のクロワッサン、今日も焼きたてでおいしかった"
      - "{name}の新作メロンパン買えた"
      - "朝の{name}、行列ができてた"
      - "{name}のサンドイッチでお昼ごはん"
      - "{name}の店員さん、いつも感じがいい"
      - "{name}のバゲット、少し硬めだった"
  reply:
    texts:
      - "{name}のDMひどすぎる。予約を間違えたのはそっちなのに「確認しない方が悪い」って何"
      - "{name}の店員の返信、客を見下してて最低"
      - "{name}でケーキ予約してたけどキャンセルする。あの対応はありえない"
      - "{name}のスクショ見た。お客さんにあんな言い方するの本当に怖い"
      - "{name}、謝るどころか逆ギレしてて気分が悪い"
  angle:
    from: 1h30m
    texts:
      - "{name}の店長は何も言わないの？教育の問題では"
      - "{name}はもう行かない。二度と買わない"
posts:
  - at: 0m
    role: 元の投稿
    author: pan_suki_mama
    followers: 900
    views: 80000
    text: "{name}でケーキの予約を取り違えられて、DMで伝えたら「確認しない方が悪い」と返ってきました…悲しい"
  - at: 1h10m
    role: インフルエンサー
    author: gourmet_navi_jp
    followers: 150000
    views: 400000
    text: "{name}の店員のDM、飲食店としてありえない対応。お客様に責任を押しつけるのは最悪"
news:
  - at: 2h
    outlet: まちのニュース
    title: "{name}の店員がSNSで客に不適切な返信"
    text: "パン店{name}の店員が、客にSNSで不適切な返信をしていたことが分かった。"
injects:
  - at: 20m
    kind: call
    caller: 女性・名乗らず
    title: DM の件は本当か
    text: 女性「{name}さんですよね。あの DM、本当にお店の人が送ったんですか？」
    expects: 確認中であることだけを伝える。
  - at: 1h30m
    kind: reporter
    caller: まちのニュース 記者
    title: 事実確認のお願い
    text: 店員の返信について、事実関係と今後の対応を教えてください。
  - at: 2h40m
    kind: internal
    caller: 店長
    title: 本人が返信を認めた
    text: アルバイト本人が返信を送ったことを認めました。
"""


def write_scenario(folder: Path, text: str = TINY, name: str = "komugi_reply.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'hikeshi.sqlite3'}", allow_private_urls=False)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings) as opened:
        yield opened


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return default_analyzer()
