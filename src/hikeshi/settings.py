"""One settings object, read from `HIKESHI_*` environment variables (and an optional `.env`), passed down."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HIKESHI_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///hikeshi.sqlite3"
    """SQLAlchemy URL; the default is a SQLite file in the working directory."""
    allow_private_urls: bool = False
    """Fetchers refuse loopback and private addresses unless this is set (tests and on-premise sources)."""
    x_bearer_token: SecretStr | None = None
    http_timeout_seconds: float = 20.0
    user_agent: str = "hikeshi/0.1 (+https://github.com/hikeshi)"
    # web app (`hikeshi serve`)
    session_hours: float = 12.0
    """How long a browser login lasts before the user must sign in again."""
    cookie_secure: bool = False
    """Mark cookies Secure (set this when the app is served over HTTPS, e.g. behind a reverse proxy)."""
    max_body_bytes: int = 1_048_576
    """Request bodies larger than this are refused with 413 before they are parsed."""
    max_check_batch: int = 100
    """Most drafts one `POST /api/check/batch` may carry."""
    # respond
    playbook: str | None = None
    """Path of the company's playbook YAML; the bundled default (Japanese practice) when unset."""
    evidence_max_bytes: int = 20 * 1024 * 1024
    """Largest page `hikeshi evidence capture --url` preserves; a larger one is refused whole, never cut short."""
    evidence_chromium_path: str = "/usr/bin/chromium"
    """Chromium for evidence screenshots (Debian's package; Playwright downloads no browser)."""


def load_settings() -> Settings:
    return Settings()
