"""new_angle: terms rising against what was said before, reported in words.

The last few hours (focus) are compared with the days before (reference) by the weighted log-odds ratio with
an informative Dirichlet prior (Monroe et al. 2008) over SudachiPy normalized content words and 「AのB」
phrases. Because the reference keeps absorbing the older posts, the detector follows a flame's shift of
angle, e.g. from 「営業の態度」「LINE」 to 「会社の体質」「不買」「社長」.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque

from hikeshi.detect.base import Candidate, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.observe import Observation, find_terms
from hikeshi.detect.risk import SEVERITY_LABELS
from hikeshi.detect.stats import weighted_log_odds
from hikeshi.records import SignalEvidence, SignalKind

EVALUATION_STEP = dt.timedelta(minutes=10)
MIN_FOCUS_SHARE = 0.1
FORGET_REPORTED = dt.timedelta(hours=24)
MIN_NEW_TERMS = 2  # one new word alone is usually noise, unless it is a boycott or risk word


class NewAngleDetector:
    name = "new_angle"

    def __init__(self, config: DetectorConfig) -> None:
        self.config = config
        self._focus_width = dt.timedelta(minutes=config.angle_window_minutes)
        self._reference_width = dt.timedelta(days=config.baseline_days)
        self._focus: deque[tuple[Observation, bool]] = deque()  # (post, arrived during an episode)
        self._reference: deque[tuple[Observation, bool]] = deque()
        self._reference_counts: Counter[str] = Counter()
        # Outside episodes the reference is calm time only: after a flame, ordinary topics coming back
        # (「断熱」「間取り」) are not a new angle.
        self._calm_counts: Counter[str] = Counter()
        self._last_evaluated: dt.datetime | None = None
        self._last_reported: dt.datetime | None = None
        self._reported: dict[str, dt.datetime] = {}
        self._previous_terms: list[str] = []

    def on_post(self, observation: Observation, context: DetectorContext) -> list[Candidate]:
        now = observation.time
        self._focus.append((observation, context.episode is not None))
        self._age(now)
        if self._last_evaluated is not None and now - self._last_evaluated < EVALUATION_STEP:
            return []
        if self._last_reported is not None and now - self._last_reported < dt.timedelta(
            minutes=self.config.angle_interval_minutes
        ):
            return []
        if not context.warmed_up(now):
            return []
        self._last_evaluated = now
        return self._evaluate(now, context)

    def on_tick(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        return []

    def _age(self, now: dt.datetime) -> None:
        while self._focus and self._focus[0][0].time <= now - self._focus_width:
            old, in_episode = self._focus.popleft()
            self._reference.append((old, in_episode))
            self._reference_counts.update(old.terms)
            if not in_episode:
                self._calm_counts.update(old.terms)
        while self._reference and self._reference[0][0].time <= now - self._reference_width:
            old, in_episode = self._reference.popleft()
            self._reference_counts.subtract(old.terms)
            if not in_episode:
                self._calm_counts.subtract(old.terms)
        for term in [term for term, when in self._reported.items() if now - when > FORGET_REPORTED]:
            del self._reported[term]

    def _evaluate(self, now: dt.datetime, context: DetectorContext) -> list[Candidate]:
        config = self.config
        authors_by_term: dict[str, set[str]] = {}
        focus_authors: set[str] = set()
        for post, _ in self._focus:
            focus_authors.add(post.author)
            for term in post.terms:
                authors_by_term.setdefault(term, set()).add(post.author)
        if len(focus_authors) < config.angle_min_posts:
            return []
        focus_counts = {term: float(len(authors)) for term, authors in authors_by_term.items()}
        counts = self._reference_counts if context.episode else self._calm_counts
        reference_counts = {term: float(count) for term, count in counts.items() if count > 0}
        threshold = config.angle_z if context.episode else config.angle_z_calm
        minimum = max(config.angle_min_docs, MIN_FOCUS_SHARE * len(focus_authors))
        rising = [
            score
            for score in weighted_log_odds(focus_counts, reference_counts, config.angle_prior_scale)
            if score.z >= threshold and score.focus_count >= minimum
        ]
        rising_terms = [score.term for score in rising]
        chosen: list[str] = []
        for term in rising_terms:
            # A word that rises only as part of a rising phrase is shown as the phrase (「体質」→「会社の体質」).
            if any(term != other and term in other for other in rising_terms):
                continue
            chosen.append(term)
            if len(chosen) >= config.angle_max_terms:
                break
        new_terms = [term for term in chosen if term not in self._reported]
        alarming = find_terms(" ".join(new_terms), config.boycott_terms + config.risk_terms)
        if len(new_terms) < MIN_NEW_TERMS and not alarming:
            return []
        return [self._candidate(now, chosen, new_terms, focus_counts, len(focus_authors), context)]

    def _candidate(
        self,
        now: dt.datetime,
        chosen: list[str],
        new_terms: list[str],
        focus_counts: dict[str, float],
        focus_authors: int,
        context: DetectorContext,
    ) -> Candidate:
        display = context.extractor.display
        shown = [display(term) for term in new_terms]
        previous = [display(term) for term in self._previous_terms if term not in new_terms][:3]
        boycott = find_terms(" ".join(shown), self.config.boycott_terms + self.config.risk_terms)
        negative_episode = bool(context.episode and context.episode.negative)
        severity = 1 + int(bool(boycott) or negative_episode) + int(bool(boycott) and negative_episode)
        before = f"（これまでは「{'」「'.join(previous)}」が中心）" if previous else ""
        summary = (
            f"話題の切り口が変わりつつあります: 「{'」「'.join(shown)}」に触れる投稿が増えています{before}。"
            f"深刻度 {severity}（{SEVERITY_LABELS[severity]}）。"
        )
        for term in chosen:
            self._reported[term] = now
        self._previous_terms = chosen
        self._last_reported = now
        focus_keys = [post.key for post, _ in self._focus if post.terms & set(new_terms)]
        return Candidate(
            kind=SignalKind.NEW_ANGLE,
            window_start=self._focus[0][0].time if self._focus else now,
            detected_at=now,
            severity=severity,
            evidence=SignalEvidence(
                post_ids=focus_keys[-20:],
                terms=shown,
                metrics={
                    "focus_authors": float(focus_authors),
                    **{f"authors:{display(term)}": focus_counts[term] for term in new_terms},
                },
            ),
            summary=summary,
            terms=tuple(chosen),
            negative=negative_episode,
        )
