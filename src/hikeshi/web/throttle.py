"""Login throttling: after repeated failures for one account or from one address, logins wait a while.

Kept in memory: `hikeshi serve` is one process, and a restart clearing the counters costs an attacker more
than it gives. Pure apart from the clock, which is injectable for tests.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from threading import Lock

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def blocked(self, *keys: str) -> bool:
        """True when any key (an account name, a client address) failed too often within the window."""
        with self._lock:
            return any(len(self._recent(key)) >= self.max_failures for key in keys)

    def failed(self, *keys: str) -> None:
        with self._lock:
            now = self._clock()
            for key in keys:
                self._recent(key).append(now)

    def succeeded(self, account_key: str) -> None:
        with self._lock:
            self._failures.pop(account_key, None)

    def _recent(self, key: str) -> deque[float]:
        entries = self._failures[key]
        cutoff = self._clock() - self.window_seconds
        while entries and entries[0] < cutoff:
            entries.popleft()
        return entries
