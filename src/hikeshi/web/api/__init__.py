"""The REST API under /api: every route needs a session or an API token (see `hikeshi.web.auth`)."""

from __future__ import annotations

from fastapi import APIRouter

from hikeshi.web.api import check, incident_files, incidents, statements, users, watches
from hikeshi.web.api.common import ERROR_RESPONSES

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
router.include_router(check.router)
router.include_router(watches.router)
router.include_router(users.router)
router.include_router(incidents.router)
router.include_router(incident_files.router)
router.include_router(statements.router)

__all__ = ["router"]
