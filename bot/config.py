"""All settings, read once from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/ramp.db"


class Settings(BaseSettings):
    # Empty values (as in a copied .env.example) count as unset.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    # SecretStr keeps the token out of reprs, logs and tracebacks.
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_api_base_url: str = Field(
        default="https://api.telegram.org", validation_alias="TELEGRAM_API_BASE_URL"
    )
    database_url: SecretStr = Field(
        default=SecretStr(DEFAULT_DATABASE_URL), validation_alias="DATABASE_URL"
    )
    tick_seconds: float = Field(default=5.0, gt=0, validation_alias="RAMP_TICK_SECONDS")
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    # Messages per second for everything the bot sends (Telegram's free ceiling is 30).
    send_rate: float = Field(default=30.0, gt=0, le=1000, validation_alias="RAMP_SEND_RATE")
    # Scheduled messages carry allow_paid_broadcast (up to 1,000/s, paid in Stars).
    paid_broadcast: bool = Field(default=False, validation_alias="RAMP_PAID_BROADCAST")
    # Webhook mode when set (long polling otherwise); the secret is then required.
    webhook_url: str | None = Field(default=None, validation_alias="RAMP_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, validation_alias="RAMP_WEBHOOK_SECRET")
    listen: str = Field(default="0.0.0.0:8080", validation_alias="RAMP_LISTEN")
    # Polling mode only: serve /metrics on this port (webhook mode serves it on RAMP_LISTEN).
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, validation_alias="RAMP_METRICS_PORT"
    )

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url and not (
            self.webhook_secret and self.webhook_secret.get_secret_value()
        ):
            raise ValueError("RAMP_WEBHOOK_URL is set but RAMP_WEBHOOK_SECRET is not")
        if self.webhook_secret is not None and not _valid_secret(
            self.webhook_secret.get_secret_value()
        ):
            raise ValueError(
                "RAMP_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        return self

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.listen.rpartition(":")
        return host or "0.0.0.0", int(port)


def _valid_secret(secret: str) -> bool:
    # What Telegram accepts for setWebhook's secret_token.
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
    return 0 < len(secret) <= 256 and set(secret) <= allowed
