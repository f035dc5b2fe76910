"""What an ingestion run reports back: counts, and each bad record with where it was."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from hikeshi.records import Post


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """One record of an input file: a post, or the reason it could not be read. `line` is 1-based."""

    line: int
    post: Post | None = None
    error: str | None = None


class BadRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int = Field(description="line number in the file (or index + 1 in an intake payload)")
    message: str


@dataclass(slots=True)
class IngestReport:
    """Counts of one run. read = valid + bad; valid = inserted + duplicates + excluded."""

    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    excluded: int = 0
    bad: list[BadRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad


class IntakeError(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int = Field(description="0-based position of the item in the payload")
    message: str


class IntakeResult(BaseModel):
    """The answer to a third-party collector's batch: what was stored and what was wrong with each bad item."""

    model_config = ConfigDict(frozen=True)

    received: int
    inserted: int
    duplicates: int
    excluded: int
    errors: list[IntakeError] = Field(default_factory=list)
