"""Human-readable verdicts in Japanese, with the risky spans marked in the draft itself."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from hikeshi.guard.lexicon import category_labels
from hikeshi.records import Level, Verdict

LEVEL_LABELS = {
    Level.OK: ("問題なし", "bold green"),
    Level.CAUTION: ("注意", "bold yellow"),
    Level.DANGER: ("危険", "bold red"),
}
SEVERITY_LABELS = {1: "参考", 2: "要注意", 3: "危険"}


def marked_text(draft: str, verdict: Verdict) -> Text:
    """The draft with each finding's span wrapped in 【】 and coloured by severity."""
    text = Text()
    cursor = 0
    for finding in sorted(verdict.findings, key=lambda f: f.start):
        if finding.start < cursor:
            continue
        text.append(draft[cursor : finding.start])
        style = "bold red" if finding.severity >= 3 else "bold yellow" if finding.severity == 2 else "cyan"
        text.append("【" + draft[finding.start : finding.end] + "】", style=style)
        cursor = finding.end
    text.append(draft[cursor:])
    return text


def print_verdict(draft: str, verdict: Verdict, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=True)
    label, style = LEVEL_LABELS[verdict.level]
    console.print(Text.assemble(("判定: ", "bold"), (label, style), f"  (スコア {verdict.score:.2f})"))
    if not verdict.findings:
        console.print("気になる表現は見つかりませんでした。")
        return
    console.print()
    console.print(marked_text(draft, verdict))
    console.print()
    labels = category_labels()
    for number, finding in enumerate(verdict.findings, start=1):
        console.print(
            Text.assemble(
                f"{number}. ",
                (f"[{SEVERITY_LABELS[finding.severity]}] ", "bold"),
                (labels.get(finding.category, finding.category), "bold"),
                f"「{finding.excerpt}」",
            )
        )
        console.print(f"   理由: {finding.reason}")
        if finding.suggestion:
            console.print(f"   対策: {finding.suggestion}")
    if verdict.rewrite:
        console.print()
        console.print(Text("穏当な言い換え案:", style="bold"))
        console.print(verdict.rewrite, markup=False)
