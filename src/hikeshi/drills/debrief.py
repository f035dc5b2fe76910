"""The drill's debrief: what happened, how fast, what the team did and what to practise next, in Japanese.

Markdown for the team's wiki or chat, and the same content as an HTML page (autoescaped: statement titles and
inject texts are people's words). The lessons at the end are drawn from the figures against the scenario's
targets, so the review starts from facts rather than impressions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2

from hikeshi.drills.records import DrillScore
from hikeshi.drills.scenario import INJECT_KIND_LABELS, SCENARIO_KIND_LABELS, InjectKind, ScenarioKind
from hikeshi.errors import InputError
from hikeshi.records import SIGNAL_KIND_LABELS, SignalKind
from hikeshi.reports.metrics import format_minutes
from hikeshi.reports.render import jst

LEVEL_LABELS = {"ok": "問題なし", "caution": "要注意", "danger": "危険"}


@dataclass(frozen=True)
class Measure:
    label: str
    minutes: float | None
    target: float | None

    @property
    def verdict(self) -> str:
        if self.minutes is None:
            return "未達"
        if self.target is None:
            return "—"
        return "目安内" if self.minutes <= self.target else "目安超過"


def measures(score: DrillScore) -> list[Measure]:
    targets = score.targets
    return [
        Measure("検知（最初のシグナル）", score.time_to_detect_min, targets.get("detect_min")),
        Measure("インシデントの開始", score.time_to_incident_min, targets.get("open_min")),
        Measure("第一報の公表", score.time_to_statement_min, targets.get("statement_min")),
    ]


def lessons(score: DrillScore) -> list[str]:
    """What to practise next, from the figures (one line each)."""
    found: list[str] = []
    targets = score.targets
    if score.incident_id is None:
        found.append(
            "インシデントが開きませんでした。ウォッチの語句・ソース・プレイブックの開始の深刻度を見直してください。"
        )
        return found
    if score.time_to_detect_min is not None and score.time_to_detect_min > targets.get("detect_min", 30):
        found.append(
            f"検知まで {format_minutes(score.time_to_detect_min)} かかりました（目安 "
            f"{format_minutes(targets.get('detect_min'))}）。ソースの取得間隔とウォッチの語句を見直してください。"
        )
    if score.time_to_statement_min is None:
        found.append(
            "第一報（ホールディングステートメント）が公表されていません。事実確認中であること、次の報告の時期、"
            "問い合わせ先だけでも先に出せるよう、ひな形と承認の流れを確かめてください。"
        )
    elif score.time_to_statement_min > targets.get("statement_min", 300):
        found.append(
            f"第一報まで {format_minutes(score.time_to_statement_min)} かかりました（目安 "
            f"{format_minutes(targets.get('statement_min'))}）。承認者の連絡手段と代理を決めておいてください。"
        )
    late = [task.title for task in score.tasks if task.on_time is False]
    if late:
        found.append(f"期限に間に合わなかったタスク: {'、'.join(late)}。担当と連絡の流れを確かめてください。")
    risky = [item for item in score.statement_lint if item.level != "ok"]
    for item in risky:
        reasons = "、".join(str(finding.get("reason", "")) for finding in item.findings[:2])
        found.append(
            f"公表した声明 #{item.statement_id}「{item.title}」に{LEVEL_LABELS.get(item.level, item.level)}の点検結果"
            f"がありました{f'（{reasons}）' if reasons else ''}。公表前の点検と承認で止められたかを振り返ってください。"
        )
    if score.injects:
        found.append(
            f"状況付与 {len(score.injects)} 件（電凸・記者の問い合わせなど）に、期待される対応どおりに応じられたかを"
            "タイムラインの記録と照らして確かめてください。"
        )
    if score.false_alarms:
        found.append(f"平常時の投稿で {score.false_alarms} 件のシグナルが出ました（誤検知）。")
    if not found:
        found.append("目安の時間内に検知・開始・第一報ができ、期限切れのタスクもありませんでした。")
    return found


def render_markdown(score: DrillScore) -> str:
    lines = [
        f"# 訓練の振り返り: {_md(score.title)}",
        "",
        f"- シナリオ: {score.scenario or '（手動で開いた訓練）'}（{_kind_label(score.kind)}）",
        f"- 訓練ウォッチ: {_md(score.watch)}",
        f"- インシデント: {score.incident_id if score.incident_id is not None else 'なし（開きませんでした）'}",
        f"- 発生: {jst(score.onset_at)}・速度: {'最速' if score.speed == 'max' else score.speed + ' 倍速'}",
        f"- 投稿: {score.posts:,} 件（うち炎上中 {score.flame_posts:,} 件）・採点時点: {jst(score.scored_at)}",
        "",
        "この訓練は実績の集計（検知・開始・第一報までの時間）に含めません。",
        "",
        "## 発生からの時間",
        "",
        "| 指標 | 結果 | 目安 | 判定 |",
        "| --- | --- | --- | --- |",
    ]
    for measure in measures(score):
        lines.append(
            f"| {measure.label} | {format_minutes(measure.minutes)} | {format_minutes(measure.target)} "
            f"| {measure.verdict} |"
        )
    lines += ["", "## シグナル", ""]
    if score.signals:
        lines += ["| 検知時刻 | 種類 | 深刻度 | 内容 |", "| --- | --- | --- | --- |"]
        for signal in score.signals:
            lines.append(
                f"| {jst(signal.detected_at, '%m/%d %H:%M')} | {_signal_label(signal.kind)} | {signal.severity} "
                f"| {_md(signal.summary)} |"
            )
    else:
        lines.append("発生後のシグナルはありませんでした。")
    lines += [
        "",
        f"## タスク（期限内に完了 {score.tasks_done_on_time} 件・期限を過ぎて完了 {score.tasks_done_late} 件・"
        f"期限到来 {score.tasks_due} 件）",
        "",
    ]
    if score.tasks:
        lines += ["| タスク | 担当 | 期限 | 完了 | 判定 |", "| --- | --- | --- | --- | --- |"]
        for task in score.tasks:
            lines.append(
                f"| {_md(task.title)} | {task.role} | {jst(task.due_at, '%m/%d %H:%M')} "
                f"| {jst(task.done_at, '%m/%d %H:%M')} | {_task_verdict(task.on_time, task.done_at)} |"
            )
    else:
        lines.append("タスクはありません。")
    lines += ["", f"## 公表した声明（{score.statements_published} 件）", ""]
    if score.statement_lint:
        lines += ["| 声明 | 種類 | 公表 | 点検 | 足りない要素 |", "| --- | --- | --- | --- | --- |"]
        for item in score.statement_lint:
            lines.append(
                f"| #{item.statement_id} {_md(item.title)} | {item.kind} | {jst(item.published_at, '%m/%d %H:%M')} "
                f"| {LEVEL_LABELS.get(item.level, item.level)}（{len(item.findings)} 件） "
                f"| {'、'.join(item.missing) or '—'} |"
            )
    else:
        lines.append("公表された声明はありません。")
    lines += ["", "## 状況付与（電凸・記者の問い合わせ・社内の報告）", ""]
    if score.injects:
        lines += ["| 時刻 | 種類 | 相手 | 内容 | 期待される対応 |", "| --- | --- | --- | --- | --- |"]
        for inject in score.injects:
            lines.append(
                f"| {jst(inject.at, '%m/%d %H:%M')} | {_inject_label(inject.kind)} | {_md(inject.caller)} "
                f"| {_md(inject.title)} | {_md(inject.expects or '—')} |"
            )
    else:
        lines.append("状況付与はありません。")
    lines += ["", "## 次の訓練に向けて", ""]
    lines += [f"- {lesson}" for lesson in lessons(score)]
    return "\n".join(lines) + "\n"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hikeshi.drills", "data/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(jst=jst, minutes=format_minutes)
    env.globals.update(
        signal_label=_signal_label,
        inject_label=_inject_label,
        task_verdict=_task_verdict,
        level_label=lambda level: LEVEL_LABELS.get(level, level),
        kind_label=_kind_label,
    )
    return env


def render_html(score: DrillScore) -> str:
    template = _environment().get_template("debrief.html")
    return template.render(score=score, measures=measures(score), lessons=lessons(score))


def write_debrief(score: DrillScore, directory: Path) -> dict[str, str]:
    """Write `drill-<incident>-debrief.md` and `.html` into `directory`; returns format → path."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"振り返りの保存先 {directory} を作れません（{error.strerror}）。") from None
    stem = f"drill-{score.incident_id if score.incident_id is not None else 'none'}-debrief"
    written = {}
    for suffix, text in (("md", render_markdown(score)), ("html", render_html(score))):
        path = directory / f"{stem}.{suffix}"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise InputError(f"振り返りを {path} に書けません（{error.strerror}）。") from None
        written["markdown" if suffix == "md" else "html"] = str(path.resolve())
    return written


def _md(text: str) -> str:
    """Table-safe Markdown: one line, pipes escaped (people's words go into table cells)."""
    return " ".join(text.split()).replace("|", "\\|")


def _kind_label(kind: str) -> str:
    try:
        return SCENARIO_KIND_LABELS[ScenarioKind(kind)]
    except ValueError:
        return "手動"


def _signal_label(kind: str) -> str:
    try:
        return SIGNAL_KIND_LABELS.get(SignalKind(kind), kind)
    except ValueError:
        return kind


def _inject_label(kind: str) -> str:
    try:
        return INJECT_KIND_LABELS[InjectKind(kind)]
    except ValueError:
        return kind


def _task_verdict(on_time: bool | None, done_at: dt.datetime | None) -> str:
    if on_time is None:
        return "期限前"
    if on_time:
        return "期限内に完了"
    return "期限後に完了" if done_at is not None else "期限切れ"
