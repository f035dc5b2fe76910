"""Where a draft is going: the same words can be fine in an internal chat and dangerous to a customer."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from hikeshi.records import Audience, Channel

PRIVATE_CHANNELS = frozenset({Channel.LINE, Channel.DM, Channel.EMAIL})


class CheckContext(BaseModel):
    """Channel, audience and date of a draft; every field is optional (no context = assume it goes public)."""

    model_config = ConfigDict(frozen=True)

    channel: Channel | None = None
    audience: Audience | None = None
    date: dt.date | None = None

    @property
    def is_internal(self) -> bool:
        return self.audience == Audience.INTERNAL

    @property
    def is_private_message(self) -> bool:
        """A one-to-one message rather than a statement of the organisation."""
        return self.is_internal or (self.channel in PRIVATE_CHANNELS and self.audience != Audience.PUBLIC)


class CheckRequest(BaseModel):
    """One draft with its context, as the batch API and `--jsonl` take it."""

    model_config = ConfigDict(frozen=True)

    text: str
    context: CheckContext = CheckContext()
