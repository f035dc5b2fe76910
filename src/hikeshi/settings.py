"""One settings object, read from `HIKESHI_*` environment variables (and an optional `.env`), passed down."""

from __future__ import annotations

from pathlib import Path

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
    public_url: str | None = None
    """The web app's address as people open it (e.g. https://hikeshi.example.jp); alerts link to incidents."""
    config_dir: Path | None = None
    """Where older versions kept alerts.yaml and alert_state.json; they are imported into the database once."""
    # respond
    playbook: str | None = None
    """Path of the company's playbook YAML; the bundled default (Japanese practice) when unset."""
    evidence_max_bytes: int = 20 * 1024 * 1024
    """Largest page `hikeshi evidence capture --url` preserves; a larger one is refused whole, never cut short."""
    evidence_chromium_path: str = "/usr/bin/chromium"
    """Chromium for evidence screenshots (Debian's package; Playwright downloads no browser)."""
    statement_templates_dir: Path | None = None
    """A company's folder of statement templates (the bundled file names); a file there replaces the bundled one."""
    statement_llm_url: str | None = None
    """OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) that may polish drafts; off when unset."""
    statement_llm_model: str = "local"
    """The model name sent to that endpoint."""
    statement_llm_api_key: SecretStr | None = None
    statement_llm_timeout_seconds: float = 60.0
    """How long a polish may take; past it the template's wording is kept, with a warning."""
    statement_chromium_path: str = "/usr/bin/chromium"
    """Chromium that prints statement PDFs (Debian's package; Playwright downloads no browser)."""


def load_settings() -> Settings:
    return Settings()
