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


def load_settings() -> Settings:
    return Settings()
