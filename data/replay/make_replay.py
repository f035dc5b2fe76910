"""Regenerate the bundled replay streams (deterministic: fixed seeds, hand-written templates).

    .venv/bin/python data/replay/make_replay.py            # writes *.jsonl and manifest.json next to this file

Two fictional companies, two weeks each, times in JST (+09:00):
- minato_flame.jsonl: 「ミナト住建」, a house builder. Ordinary chatter with a day/night rhythm, then a sales
  rep's rude LINE to a customer who did not sign goes viral (onset in the manifest), news pickup the next
  morning, the angle shifts from the rep's manner to the company's culture, boycott and the president, the
  company apologises, and the stream calms down.
- shirokuma_buzz.jsonl: 「しろくま製菓」. Ordinary chatter, then an influencer praises its pudding and a
  surge of (mostly) praise follows: buzz, not a crisis.

`generate()` also returns each post's intended tone, which the tests and `bench/detect_replay.py` do not need
but which is handy when tuning an analyzer.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JST = dt.timezone(dt.timedelta(hours=9))
HERE = Path(__file__).resolve().parent

# Relative posting activity per local hour (0–23): quiet nights, lunch and evening peaks.
HOURLY = (
    0.5,
    0.3,
    0.2,
    0.15,
    0.15,
    0.3,
    0.7,
    1.2,
    1.5,
    1.3,
    1.2,
    1.3,
    1.9,
    1.6,
    1.2,
    1.1,
    1.2,
    1.4,
    1.6,
    1.9,
    2.2,
    2.3,
    1.8,
    1.0,
)


@dataclass(frozen=True)
class Item:
    post: dict[str, Any]
    tone: str  # negative / neutral / positive (what the template was written to say)
    phase: str


def pick(rng: random.Random, options: tuple[str, ...] | list[str]) -> str:
    return options[rng.randrange(len(options))]


def fill(rng: random.Random, template: str, slots: dict[str, tuple[str, ...]]) -> str:
    text = template
    for name, options in slots.items():
        while "{" + name + "}" in text:
            text = text.replace("{" + name + "}", pick(rng, options), 1)
    return text


# --- ミナト住建 -------------------------------------------------------------------------------------------------

MINATO_SLOTS: dict[str, tuple[str, ...]] = {
    "co": ("ミナト住建", "ミナト住建", "ミナト住建", "みなと住建", "ミナトホーム"),
    "place": ("モデルハウス", "住宅展示場", "ショールーム", "見学会", "完成見学会"),
    "feature": ("断熱", "耐震", "吹き抜け", "収納", "キッチン", "床暖房", "太陽光", "間取り"),
    "end": ("", "", "。", "！", "…", "w", "笑", " #家づくり", " #注文住宅"),
    "town": ("港北", "海老名", "藤沢", "町田", "相模原", "川崎"),
}

MINATO_CALM = {
    "positive": (
        "{co}の{place}行ってきた。{feature}の説明がわかりやすくて良かった{end}",
        "{co}で建てて3年、冬でも暖かくて満足してます{end}",
        "{co}の担当さん、こちらの予算をちゃんと聞いてくれて好印象{end}",
        "{co}の{feature}、実物見たら想像以上だった{end}",
        "{town}の{co}の{place}、子どもが喜んでた。スタッフさんも親切{end}",
        "{co}のアフター点検、丁寧に見てもらえてありがたい{end}",
        "引き渡しから1年、{co}にお願いして正解だったと思う{end}",
    ),
    "neutral": (
        "{co}から見積もりが届いた。他社とも比べてみる{end}",
        "{co}の{place}、今週末イベントやってるらしい{end}",
        "{co}って坪単価どれくらいなんだろう{end}",
        "近所で{co}の家が建ち始めた{end}",
        "{co}と他のハウスメーカー、{feature}ならどっちがいいのかな{end}",
        "{town}に{co}の新しい{place}ができるみたい{end}",
        "{co}の資料請求してみた{end}",
        "来週{co}と打ち合わせ。{feature}のことを聞く予定{end}",
        "{co}のチラシ入ってた{end}",
    ),
    "negative": (
        "{co}の工期、また延びた。ちょっと不満{end}",
        "{co}のアフターの電話がなかなかつながらない{end}",
        "{co}の営業さん、押しが強くて少し疲れた{end}",
        "{co}の見積もり、オプション込みだと高すぎる{end}",
        "{co}で建てた家、{feature}の仕上がりがいまいち{end}",
    ),
}

MINATO_FLAME = {
    "viral": (
        (
            "negative",
            "{co}の営業からのLINE、これはひどい…「私たちもプロとして成功報酬で仕事をしている」って客に言う？",
        ),
        ("negative", "契約しなかっただけでこのLINE。{co}の営業の態度どうなってるの"),
        ("negative", "スクショ回ってきたけど{co}の営業、客を客と思ってないでしょ{end}"),
        (
            "negative",
            "「先にわかっていたら会社や私も無駄な時間は使わない」って{co}の営業がお客さんに送ったの？怖すぎる",
        ),
        ("negative", "{co}の営業の態度が最悪。断っただけで嫌味のLINEとか信じられない"),
        ("negative", "これが{co}の営業のLINEか…断ったら逆ギレってひどい"),
        ("neutral", "{co}のLINEのスクショ、タイムラインに流れてきた"),
        ("negative", "{co}で検討してたけど、あの営業のLINE見てやめようかと思ってる"),
        ("neutral", "{co}の件、営業も成果報酬で大変なんだろうけど言い方がまずかったね"),
        ("negative", "{co}の営業、無駄な時間って…客の時間も無駄にしてるのに"),
    ),
    "shift": (
        ("negative", "これ営業個人じゃなくて{co}の会社の体質でしょ。ノルマ主義が透けて見える"),
        ("negative", "{co}の社長は何もコメントしないの？会社の体質が問われてる"),
        ("negative", "{co}は二度と検討しない。不買します"),
        ("negative", "{co}、社長のインタビューでも成果主義を自慢してたらしい。会社の体質そのもの"),
        ("negative", "家は一生の買い物なのに{co}には頼めない。不買一択"),
        ("negative", "{co}の元社員だけど、会社の体質は昔からこう。社長がノルマしか見てない"),
        ("negative", "{co}で契約中だけど解約します。こんな会社の体質では無理"),
        ("negative", "{co}の不買運動、広がってるね。社長が出てきて説明すべき"),
        ("negative", "ニュースにもなってる。{co}の社長、逃げないで会見して"),
        ("negative", "{co}の営業の態度も酷いけど、それを許す会社の体質が問題"),
        ("neutral", "{co}の件、ニュースで取り上げられてた"),
    ),
    "apology": (
        ("neutral", "{co}、謝罪文出したね"),
        ("positive", "{co}の謝罪、対応は早かったと思う。ちゃんと調査してほしい"),
        ("negative", "{co}の謝罪文、会社の体質には一言も触れてない。不誠実"),
        ("negative", "謝罪したけど{co}の社長の名前がない。トカゲの尻尾切りでは"),
        ("neutral", "{co}、該当の営業担当は処分するらしい"),
        ("negative", "{co}の謝罪、遅すぎるしひどい文面"),
        ("neutral", "{co}の件、そろそろ落ち着いてきたかな"),
        ("positive", "{co}で建てた身としては、担当さんはみんな良い人だったけどな"),
    ),
}

MINATO_NEWS = (
    (
        "2026-03-13T08:40",
        "地方経済ニュース",
        320_000,
        "住宅メーカー「ミナト住建」営業担当のLINEが拡散、同社が事実関係を調査へ",
    ),
    (
        "2026-03-13T10:15",
        "ハウジング速報",
        45_000,
        "ミナト住建、営業担当者の不適切なメッセージについてコメント　SNSで批判相次ぐ",
    ),
    (
        "2026-03-13T18:30",
        "地方経済ニュース",
        320_000,
        "ミナト住建が謝罪　営業担当者のLINE拡散問題で「深くお詫び」",
    ),
)

MINATO_APOLOGY = (
    "【お詫び】弊社営業担当者がお客様にお送りしたメッセージにより、お客様ならびに関係者の皆様に多大なるご不快と"
    "ご迷惑をおかけしましたことを深くお詫び申し上げます。事実関係を調査の上、再発防止に努めてまいります。ミナト住建"
)

MINATO_INFLUENCERS = (
    (
        "2026-03-13T00:05",
        "sumai_no_sensei",
        480_000,
        "ミナト住建の営業のLINE、家づくりの相談を受ける立場から見ても最悪の対応。会社として説明すべき",
    ),
    (
        "2026-03-13T12:40",
        "kaji_mama_blog",
        1_200_000,
        "ミナト住建の件、社長が出てこないのがすべて。うちは二度と検討しません",
    ),
)


# --- しろくま製菓 -----------------------------------------------------------------------------------------------

SHIROKUMA_SLOTS: dict[str, tuple[str, ...]] = {
    "co": ("しろくま製菓", "しろくま製菓", "しろくまのプリン", "しろくま製菓さん"),
    "item": ("もちもちプリン", "白くまサブレ", "塩バニラクッキー", "季節のタルト"),
    "shop": ("コンビニ", "スーパー", "駅の売店", "百貨店の催事"),
    "end": ("", "。", "！", "♪", "w", "🍮", " #おやつ"),
}

SHIROKUMA_CALM = {
    "positive": (
        "{co}の{item}、やっぱり美味しい{end}",
        "おやつに{co}の{item}。幸せ{end}",
        "{co}の{item}、子どもが大好き{end}",
        "{shop}で{co}の{item}見つけた。好きなやつ{end}",
    ),
    "neutral": (
        "{co}の新作、来月出るらしい{end}",
        "{shop}に{co}の{item}並んでた{end}",
        "{co}の{item}って何カロリーなんだろう{end}",
        "{co}の工場見学、予約してみた{end}",
        "今日のおやつは{co}の{item}{end}",
    ),
    "negative": (
        "{co}の{item}、ちょっと値上がりしてた。残念{end}",
        "{co}の{item}、前より小さくなった気がする{end}",
        "{co}の{item}、近くの{shop}に売ってない{end}",
    ),
}

SHIROKUMA_BUZZ = (
    ("positive", "{co}のもちもちプリン、紹介されてたから買ってみたら本当に美味しい{end}"),
    ("positive", "話題の{co}のもちもちプリン、食感が最高！{end}"),
    ("positive", "{co}のもちもちプリンやばい、うますぎる{end}"),
    ("neutral", "{shop}3軒回って{co}のもちもちプリンやっと買えた{end}"),
    ("positive", "{co}のもちもちプリン、リピ確定。家族にも好評{end}"),
    ("negative", "{co}のもちもちプリン、どこも売り切れ…悲しい{end}"),
    ("positive", "あの紹介で知った{co}、他のお菓子も美味しい{end}"),
    ("neutral", "{co}のもちもちプリン、今日も{shop}に入荷なし{end}"),
    ("positive", "{co}のもちもちプリン食べた。噂どおりもちもちで好き{end}"),
    ("positive", "{co}さん、これは売れるわ。おめでとう{end}"),
)


# --- generation -------------------------------------------------------------------------------------------------


def calm_times(rng: random.Random, start: dt.datetime, days: int, per_day: float) -> list[dt.datetime]:
    """Non-homogeneous Poisson arrivals with the hourly rhythm and day-to-day swings (weekends busier)."""
    times = []
    mean_weight = sum(HOURLY) / 24
    for day in range(days):
        day_start = start + dt.timedelta(days=day)
        weekend = day_start.weekday() >= 5
        level = per_day * (1.3 if weekend else 1.0) * math.exp(rng.gauss(0.0, 0.25))
        for hour in range(24):
            rate = level * HOURLY[hour] / mean_weight / 24
            count = poisson(rng, rate)
            for _ in range(count):
                times.append(day_start + dt.timedelta(hours=hour, seconds=rng.uniform(0, 3600)))
    return sorted(times)


def poisson(rng: random.Random, mean: float) -> int:
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def author(rng: random.Random, prefix: str) -> tuple[str, int]:
    name = f"{prefix}_{rng.randrange(100_000):05d}"
    followers = int(math.exp(rng.gauss(5.5, 1.6)))
    return name, followers


def make_post(
    rng: random.Random, source: str, number: int, when: dt.datetime, text: str, name: str, followers: int
) -> dict[str, Any]:
    views = int(followers * rng.uniform(0.5, 3.0)) if source == "x" else 0
    return {
        "source": source,
        "source_id": f"{source}-{number:06d}",
        "url": f"https://example.invalid/{source}/{number:06d}",
        "author": name,
        "author_followers": followers,
        "text": text,
        "created_at": when.astimezone(JST).isoformat(timespec="seconds"),
        "metrics": {
            "likes": int(views * rng.uniform(0.0, 0.03)),
            "reposts": int(views * rng.uniform(0.0, 0.01)),
            "replies": rng.randrange(5),
            "views": views,
        },
    }


def calm_items(
    rng: random.Random,
    times: list[dt.datetime],
    templates: dict[str, tuple[str, ...]],
    slots: dict[str, tuple[str, ...]],
    prefix: str,
    counter: list[int],
) -> list[Item]:
    items = []
    for when in times:
        tone = rng.choices(("positive", "neutral", "negative"), weights=(0.35, 0.45, 0.2))[0]
        source = rng.choices(("x", "review", "instagram", "blog"), weights=(0.8, 0.08, 0.07, 0.05))[0]
        name, followers = author(rng, prefix)
        counter[0] += 1
        text = fill(rng, pick(rng, templates[tone]), slots)
        items.append(Item(make_post(rng, source, counter[0], when, text, name, followers), tone, "calm"))
    return items


def burst_times(
    rng: random.Random, onset: dt.datetime, rate_per_hour: Any, hours: float
) -> list[dt.datetime]:
    """Arrivals of a flame/buzz whose hourly rate is a function of hours since onset (thinning)."""
    times, t, peak = [], 0.0, 400.0
    while True:
        t += rng.expovariate(peak)
        if t >= hours:
            return times
        if rng.random() < rate_per_hour(t) / peak:
            times.append(onset + dt.timedelta(hours=t))


def minato(
    seed: int = 20260302, onset: dt.datetime = dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST)
) -> tuple[list[Item], dict[str, Any]]:
    """The flame stream; `seed` and `onset` may be varied to test detectors on other draws and hours."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 2, tzinfo=JST)
    shift = onset - dt.datetime(2026, 3, 12, 21, 10, tzinfo=JST)
    counter = [0]
    calm = [when for when in calm_times(rng, start, 14, 22.0) if when < start + dt.timedelta(days=14)]
    items = calm_items(rng, calm, MINATO_CALM, MINATO_SLOTS, "user", counter)

    def rate(hours: float) -> float:
        local_hour = (onset + dt.timedelta(hours=hours)).hour
        night = 0.35 if 2 <= local_hour < 7 else 1.0
        if hours < 11:  # the screenshot spreads: doubles every 30 minutes up to an evening peak
            return min(2.0 * 4**hours, 120.0) * night
        if hours < 20:  # news pickup the next morning keeps it high until the apology
            return 140.0 * night
        return 120.0 * math.exp(-(hours - 20) / 4.5) * night  # after the apology it fades

    for when in burst_times(rng, onset, rate, 52.0):
        if when >= start + dt.timedelta(days=14):
            break
        hours = (when - onset).total_seconds() / 3600
        phase = "viral" if hours < 10 else ("shift" if hours < 20 else "apology")
        if phase == "shift" and rng.random() < 0.3:
            phase = "viral"
        tone, template = MINATO_FLAME[phase][rng.randrange(len(MINATO_FLAME[phase]))]
        name, followers = author(rng, "user")
        counter[0] += 1
        text = fill(rng, template, MINATO_SLOTS)
        items.append(Item(make_post(rng, "x", counter[0], when, text, name, followers), tone, phase))
    for stamp, outlet, followers, headline in MINATO_NEWS:
        counter[0] += 1
        when = dt.datetime.fromisoformat(stamp).replace(tzinfo=JST) + shift
        items.append(
            Item(make_post(rng, "news", counter[0], when, headline, outlet, followers), "negative", "news")
        )
    for stamp, name, followers, text in MINATO_INFLUENCERS:
        counter[0] += 1
        when = dt.datetime.fromisoformat(stamp).replace(tzinfo=JST) + shift
        items.append(
            Item(make_post(rng, "x", counter[0], when, text, name, followers), "negative", "influencer")
        )
    counter[0] += 1
    apology_at = dt.datetime(2026, 3, 13, 17, 0, tzinfo=JST) + shift
    items.append(
        Item(
            make_post(rng, "x", counter[0], apology_at, MINATO_APOLOGY, "minato_official", 8_200),
            "neutral",
            "apology",
        )
    )
    meta = {
        "file": "minato_flame.jsonl",
        "kind": "flame",
        "watch": {"name": "ミナト住建", "terms": ["ミナト住建", "みなと住建", "ミナトホーム"]},
        "onset": onset.isoformat(),
        "calm_until": onset.isoformat(),
        "notes": "営業担当の LINE のスクリーンショットが拡散、翌朝ニュース化、夕方に謝罪",
    }
    return items, meta


def shirokuma(
    seed: int = 20260305, onset: dt.datetime = dt.datetime(2026, 3, 12, 19, 0, tzinfo=JST)
) -> tuple[list[Item], dict[str, Any]]:
    """The buzz stream; `seed` and `onset` may be varied like `minato`'s."""
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 2, tzinfo=JST)
    counter = [0]
    items = calm_items(rng, calm_times(rng, start, 14, 12.0), SHIROKUMA_CALM, SHIROKUMA_SLOTS, "fan", counter)
    counter[0] += 1
    praise = "しろくま製菓のもちもちプリン、今年食べたお菓子で一番。この食感は反則です🍮 みんな食べて！"
    items.append(
        Item(
            make_post(rng, "x", counter[0], onset, praise, "oyatsu_hunter", 850_000), "positive", "influencer"
        )
    )

    def rate(hours: float) -> float:
        local_hour = (onset + dt.timedelta(hours=hours)).hour
        night = 0.3 if 2 <= local_hour < 7 else 1.0
        return min(6.0 * 2 ** (hours * 2), 120.0 * math.exp(-hours / 14.0)) * night

    for when in burst_times(rng, onset + dt.timedelta(minutes=5), rate, 60.0):
        tone, template = SHIROKUMA_BUZZ[rng.randrange(len(SHIROKUMA_BUZZ))]
        name, followers = author(rng, "fan")
        counter[0] += 1
        text = fill(rng, template, SHIROKUMA_SLOTS)
        items.append(Item(make_post(rng, "x", counter[0], when, text, name, followers), tone, "buzz"))
    meta = {
        "file": "shirokuma_buzz.jsonl",
        "kind": "buzz",
        "watch": {"name": "しろくま製菓", "terms": ["しろくま製菓", "しろくまのプリン", "もちもちプリン"]},
        "onset": onset.isoformat(),
        "calm_until": onset.isoformat(),
        "notes": "フォロワー 85 万人のインフルエンサーがプリンを絶賛し、称賛の投稿が急増",
    }
    return items, meta


def generate() -> list[tuple[list[Item], dict[str, Any]]]:
    streams = []
    for items, meta in (minato(), shirokuma()):
        items.sort(key=lambda item: (item.post["created_at"], item.post["source_id"]))
        streams.append((items, meta))
    return streams


def main() -> None:
    manifest = []
    for items, meta in generate():
        with (HERE / meta["file"]).open("w", encoding="utf-8") as handle:
            for item in items:
                handle.write(json.dumps(item.post, ensure_ascii=False) + "\n")
        manifest.append({**meta, "posts": len(items)})
        print(f"{meta['file']}: {len(items)} posts")
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
