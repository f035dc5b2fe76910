"""The web app and REST API of hikeshi (`hikeshi serve`).

- `hikeshi.web.app.create_app(settings, store)` builds the FastAPI app; `hikeshi.web.app.templates` renders
  pages from `web/templates` (autoescaped); `/static` serves `web/static`.
- `hikeshi.web.auth`: roles, the current user, `require_api_user` / `require_page_user` dependencies and the
  CSRF helpers for forms (`csrf_token(request)` in templates, `Depends(verify_csrf)` on POST routes).
- `hikeshi.web.api`: the REST API under /api (OpenAPI at /docs and /openapi.json).
- HTML pages live in `hikeshi.web.pages` (`router`), mounted when present.
"""
