"""Detectors over a watch's analyzed posts, run incrementally in event-time order.

`run_detectors(watch, stream)` replays `(Post, Analysis)` pairs and returns the signals a live system would have
raised, each with the event time at which it would have fired. Detection is pure: no I/O, and the only clock is
the stream itself.
"""

from hikeshi.detect.base import Candidate, Detector, DetectorContext
from hikeshi.detect.config import DetectorConfig
from hikeshi.detect.runner import REGISTRY, DetectorRunner, register, run_detectors

__all__ = [
    "REGISTRY",
    "Candidate",
    "Detector",
    "DetectorConfig",
    "DetectorContext",
    "DetectorRunner",
    "register",
    "run_detectors",
]
