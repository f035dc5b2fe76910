import pytest

from hikeshi.guard import Guard
from hikeshi.guard.classifier import LinearTextModel


@pytest.fixture
def silent_model() -> LinearTextModel:
    """A model that never votes, so a test sees the lexicon and detectors alone."""
    return LinearTextModel("silent", -20.0, {}, 0.5, 0.9)


@pytest.fixture
def rules_only(silent_model: LinearTextModel) -> Guard:
    return Guard(model=silent_model)
