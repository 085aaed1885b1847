"""Webhook mode: the secret token, /healthz, /metrics, and the secret kept out of logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import ValidationError
from sqlmodel import select

from bot.app import build_application, build_runtime, configure_logging, database_engine
from bot.config import Settings
from bot.runtime import Runtime
from bot.store.db import make_engine
from bot.store.models import Athlete, ProcessedUpdate
from bot.webhook import SECRET_HEADER, build_web_app, database_check
from emulator.server import BotApiEmulator

TOKEN = "123456:TEST-TOKEN-never-a-real-one"
SECRET = "s3cret-Token_for-the-webhook"
ANA = 1001


def settings_for(emulator: BotApiEmulator, tmp_path: Path) -> Settings:
    return Settings.model_validate(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{emulator.port}",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ramp.db'}",
            "RAMP_TICK_SECONDS": 3600,
            "RAMP_WEBHOOK_URL": "https://ramp.example/telegram",
            "RAMP_WEBHOOK_SECRET": SECRET,
        }
    )


class Webhook:
    def __init__(
        self, emulator: BotApiEmulator, runtime: Runtime, client: TestClient[Any, Any]
    ) -> None:
        self.emulator, self.runtime, self.client = emulator, runtime, client

    def stored(self) -> tuple[int, int]:
        with self.runtime.sessions() as session:
            athletes = len(session.exec(select(Athlete)).all())
            updates = len(session.exec(select(ProcessedUpdate)).all())
        return athletes, updates

    def update_from_ana(self, text: str) -> dict[str, Any]:
        """What Telegram would POST: the emulator makes the update (and keeps it queued
        for getUpdates, which nobody calls in webhook mode)."""
        update_id = self.emulator.user_sends_text(ANA, text)
        (update,) = [u for u in self.emulator.pending_updates if u["update_id"] == update_id]
        return update


@pytest.fixture
async def webhook(tmp_path: Path) -> AsyncIterator[Webhook]:
    async with BotApiEmulator() as emulator:
        runtime = build_runtime(settings_for(emulator, tmp_path))
        application = build_application(runtime)
        await application.initialize()
        await application.start()
        healthy = database_check(database_engine(runtime))
        app = build_web_app(application, SECRET, "/telegram", healthy)
        async with TestClient(TestServer(app)) as client:
            yield Webhook(emulator, runtime, client)
        await application.stop()
        await application.shutdown()


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: ""}])
async def test_an_update_without_the_right_secret_is_refused_and_changes_nothing(
    webhook: Webhook, headers: dict[str, str]
) -> None:
    response = await webhook.client.post(
        "/telegram", json=webhook.update_from_ana("/start"), headers=headers
    )
    assert response.status == 403
    await webhook.emulator.wait_for_change(0.5)  # had it been queued, it would be handled now
    assert webhook.stored() == (0, 0)
    assert webhook.emulator.bot_messages(ANA) == []


async def test_an_update_with_the_secret_is_handled(webhook: Webhook) -> None:
    response = await webhook.client.post(
        "/telegram", json=webhook.update_from_ana("/start"), headers={SECRET_HEADER: SECRET}
    )
    assert response.status == 200
    await webhook.emulator.wait_for_bot_messages(ANA, 1)
    assert webhook.stored() == (1, 1)


async def test_a_body_that_is_not_an_update_is_a_bad_request(webhook: Webhook) -> None:
    response = await webhook.client.post(
        "/telegram", data="not json", headers={SECRET_HEADER: SECRET}
    )
    assert response.status == 400
    assert webhook.stored() == (0, 0)


async def test_healthz_answers_200_while_the_database_is_reachable(webhook: Webhook) -> None:
    response = await webhook.client.get("/healthz")
    assert response.status == 200


async def test_healthz_answers_503_when_the_database_is_not() -> None:
    unreachable = make_engine("postgresql+psycopg://ramp:pw@127.0.0.1:1/ramp")
    assert await database_check(unreachable)() is False


async def test_metrics_are_served(webhook: Webhook) -> None:
    response = await webhook.client.get("/metrics")
    assert response.status == 200
    body = await response.text()
    for name in ("ramp_messages_sent", "ramp_telegram_429", "ramp_outbox_depth"):
        assert name in body


def test_a_webhook_url_without_a_secret_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="RAMP_WEBHOOK_SECRET"):
        Settings.model_validate(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'ramp.db'}",
                "RAMP_WEBHOOK_URL": "https://ramp.example/telegram",
            }
        )


def test_the_secret_is_redacted_from_every_log_line(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ramp.db'}",
            "RAMP_WEBHOOK_URL": "https://ramp.example/telegram",
            "RAMP_WEBHOOK_SECRET": SECRET,
        }
    )
    root = logging.getLogger()
    before = list(root.handlers)
    handler = logging.StreamHandler()
    root.addHandler(handler)
    try:
        configure_logging(settings)
        # What PTB logs at DEBUG when it calls setWebhook.
        record = logging.LogRecord(
            "telegram.ext.ExtBot",
            logging.DEBUG,
            __file__,
            1,
            "Calling Bot API endpoint `setWebhook` with parameters `%s`",
            ({"url": "https://ramp.example/telegram", "secret_token": SECRET},),
            None,
        )
        for log_filter in handler.filters:
            assert isinstance(log_filter, logging.Filter)
            log_filter.filter(record)
        assert "setWebhook" in record.getMessage()
        assert SECRET not in record.getMessage()
        assert "[redacted]" in record.getMessage()
        assert SECRET not in repr(settings)
    finally:
        root.handlers = before
