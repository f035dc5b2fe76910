"""The guard: lexicon rules, personal-data detectors, the calendar and the learned model over one draft."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hikeshi.errors import InputError
from hikeshi.guard.calendar import light_tone_spans, sensitive_events, tragedy_with_light_tone
from hikeshi.guard.classifier import LinearTextModel, shipped_model
from hikeshi.guard.context import CheckContext, CheckRequest
from hikeshi.guard.lexicon import CompiledRule, Scope, builtin_rules
from hikeshi.guard.matcher import Matcher
from hikeshi.guard.personal_data import CATEGORY as PERSONAL_DATA
from hikeshi.guard.personal_data import find_personal_data
from hikeshi.guard.policy import THRESHOLDS, PolicyPack
from hikeshi.guard.quotes import inside_any, reported_quote_spans
from hikeshi.guard.rewrite import Edit, calmer_rewrite
from hikeshi.guard.scoring import combined_score, level_for
from hikeshi.records import Finding, Verdict
from hikeshi.text.normalize import NormalizedText, normalize
from hikeshi.text.sentences import split_sentences

MAX_TEXT_CHARS = 1_000_000
_MASKED = "＊＊＊"


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # normalised coordinates
    end: int
    category: str
    severity: int
    reason: str
    suggestion: str | None
    rule: str
    edit: str | None  # replacement text; "" removes; None keeps
    drop_sentence: bool = False
    fallback: str | None = None


def _scoped_severity(rule: CompiledRule, context: CheckContext) -> int:
    severity = rule.rule.severity
    if (rule.rule.scope == Scope.EXTERNAL and context.is_internal) or (
        rule.rule.scope == Scope.OFFICIAL and context.is_private_message
    ):
        severity -= 1
    return severity


class Guard:
    """A configured checker; build once (lexicon compile, model load) and call `check` per draft."""

    def __init__(self, policy: PolicyPack | None = None, model: LinearTextModel | None = None) -> None:
        self.policy = policy or PolicyPack()
        self.matcher = Matcher([*builtin_rules(), *self.policy.compiled_rules()])
        self.model = model if model is not None else shipped_model()
        self._exceptions = [normalize(term).folded for term in self.policy.exceptions if term.strip()]

    def check(self, text: str, context: CheckContext | None = None) -> Verdict:
        if not isinstance(text, str):
            raise InputError("text は文字列で指定してください。")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"文章が長すぎます（{len(text):,} 文字）。{MAX_TEXT_CHARS:,} 文字以内に分けてください。"
            )
        context = context or CheckContext()
        normalized = normalize(text)
        folded = normalized.folded
        candidates = self._lexicon_candidates(folded, context)
        candidates += self._personal_data_candidates(normalized)
        candidates += self._calendar_candidates(normalized, context)
        candidates = self._without_exceptions(candidates, folded)
        model_severity, model_candidate = self._model_candidate(folded, context, candidates)
        if model_candidate is not None:
            candidates.append(model_candidate)
        per_rule: dict[str, int] = {}
        for candidate in candidates:
            per_rule[candidate.rule] = max(per_rule.get(candidate.rule, 0), candidate.severity)
        if model_severity and model_candidate is None:
            per_rule["model"] = model_severity
        score = combined_score(per_rule.values())
        level = level_for(score, THRESHOLDS[self.policy.strictness_for(context.channel)])
        findings = [self._finding(normalized, candidate) for candidate in sorted(candidates, key=_order)]
        edits = [
            Edit(finding.start, finding.end, None if candidate.drop_sentence else candidate.edit)
            for finding, candidate in zip(findings, sorted(candidates, key=_order), strict=True)
            if candidate.drop_sentence or candidate.edit is not None
        ]
        fallback = next(
            (c.fallback for c in sorted(candidates, key=lambda c: -c.severity) if c.fallback is not None),
            None,
        )
        return Verdict(
            level=level, score=score, findings=findings, rewrite=calmer_rewrite(text, edits, fallback)
        )

    def check_many(self, requests: Sequence[str | CheckRequest]) -> list[Verdict]:
        results = []
        for request in requests:
            if isinstance(request, str):
                results.append(self.check(request))
            else:
                results.append(self.check(request.text, request.context))
        return results

    def _lexicon_candidates(self, folded: str, context: CheckContext) -> list[_Candidate]:
        candidates = []
        reported = reported_quote_spans(folded)
        for hit in self.matcher.find(folded):
            if reported and inside_any(hit.start, hit.end, reported):
                continue
            severity = _scoped_severity(hit.rule, context)
            escalate = hit.rule.escalate_unless_text
            if escalate is not None and not escalate.search(folded):
                severity = min(severity + 1, 3)
            if severity < 1:
                continue
            rule = hit.rule.rule
            candidates.append(
                _Candidate(
                    hit.start,
                    hit.end,
                    hit.rule.category,
                    severity,
                    rule.reason,
                    rule.suggestion,
                    hit.rule.qualified_id,
                    rule.replacement,
                    rule.drop_sentence,
                    rule.fallback,
                )
            )
        return candidates

    @staticmethod
    def _personal_data_candidates(normalized: NormalizedText) -> list[_Candidate]:
        return [
            _Candidate(
                hit.start,
                hit.end,
                PERSONAL_DATA,
                hit.severity,
                hit.reason,
                hit.suggestion,
                f"{PERSONAL_DATA}.{hit.detector}",
                _MASKED,
            )
            for hit in find_personal_data(normalized)
        ]

    def _calendar_candidates(self, normalized: NormalizedText, context: CheckContext) -> list[_Candidate]:
        events = sensitive_events(context.date, tuple(self.policy.disasters)) if context.date else []
        spans = light_tone_spans(normalized.text) if events else []
        if not spans or context.date is None:
            mention = tragedy_with_light_tone(normalized.text)
            if mention is None:
                return []
            return [
                _Candidate(
                    mention[0],
                    mention[1],
                    "disaster",
                    2,
                    "災害・事件・戦争などの悲劇に触れながら、宣伝やおどけた調子で書かれています。"
                    "被害に遭った方や遺族を傷つけ、不謹慎だと受け取られやすい組み合わせです。",
                    "悲劇に触れるなら追悼・お見舞いに徹し、宣伝や絵文字・（笑）とは切り離してください。",
                    "calendar.tragedy_light_tone",
                    None,
                )
            ]
        start, end = spans[0]
        names = "、".join(events)
        return [
            _Candidate(
                start,
                end,
                "calendar",
                2,
                f"{context.date:%-m月%-d日}は{names}に当たります。この日に宣伝やおどけた投稿をすると、"
                "不謹慎だと受け取られるおそれがあります。",
                "投稿日をずらすか、宣伝・絵文字・（笑）を外してください。",
                "calendar.sensitive_day",
                None,
            )
        ]

    def _without_exceptions(self, candidates: list[_Candidate], folded: str) -> list[_Candidate]:
        if not self._exceptions:
            return candidates
        protected: list[tuple[int, int]] = []
        for term in self._exceptions:
            position = folded.find(term)
            while position >= 0:
                protected.append((position, position + len(term)))
                position = folded.find(term, position + 1)
        return [c for c in candidates if not inside_any(c.start, c.end, protected)]

    def _model_candidate(
        self, folded: str, context: CheckContext, candidates: list[_Candidate]
    ) -> tuple[int, _Candidate | None]:
        """The classifier's vote as a severity, and a finding when no lexicon finding already covers it.

        The model alone never gives danger: on real review replies, notices and apologies its strongest votes were
        false alarms (warm thank-you replies unlike the team's examples). Its danger vote counts only when a rule,
        a detector or the calendar found something too; the lexicon and the context carry danger.
        """
        probability = self.model.probability(folded)
        if probability < self.model.caution_threshold:
            return 0, None
        caution, danger = self.model.thresholds(folded)
        if probability >= danger and candidates:
            severity = 3
        elif probability >= caution:
            severity = 2
        else:
            return 0, None
        if context.is_internal:
            severity -= 1
        if severity < 1:
            return 0, None
        spans = [(s.start, s.end) for s in split_sentences(folded)] or [(0, len(folded))]
        span = self.model.strongest_span(folded, spans) or (0, len(folded))
        if any(c.start < span[1] and span[0] < c.end for c in candidates):
            return severity, None
        return severity, _Candidate(
            span[0],
            span[1],
            "toxicity",
            severity,
            f"攻撃的・不穏と受け取られやすい文面です（学習モデルの推定確率 {probability:.0%}）。",
            "感情的な言葉や決めつけを外し、事実とお願いだけを書きましょう。",
            "model",
            None,
        )

    @staticmethod
    def _finding(normalized: NormalizedText, candidate: _Candidate) -> Finding:
        start, end = normalized.to_original(candidate.start, candidate.end)
        return Finding(
            start=start,
            end=end,
            category=candidate.category,
            severity=candidate.severity,
            reason=candidate.reason,
            suggestion=candidate.suggestion,
            rule=candidate.rule,
            excerpt=normalized.original[start:end],
        )


def _order(candidate: _Candidate) -> tuple[int, int, int]:
    return (candidate.start, -candidate.severity, candidate.end)
