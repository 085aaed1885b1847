"""Prometheus metrics: what a self-hoster graphs to see that mornings go out on time.

Served on `/metrics` in webhook mode and on `RAMP_METRICS_PORT` in polling mode. The
metrics live in prometheus-client's default registry, so they are per process.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Gauge, Histogram, start_http_server

MESSAGES_SENT = Counter("ramp_messages_sent", "Scheduled messages Telegram accepted", ["kind"])
MESSAGES_FAILED = Counter(
    "ramp_messages_failed",
    "Scheduled messages given up on (blocked, bad request, retries)",
    ["kind"],
)
MESSAGES_SKIPPED_LATE = Counter(
    "ramp_messages_skipped_late", "Scheduled messages dropped as more than 12 h late", ["kind"]
)
TELEGRAM_429 = Counter("ramp_telegram_429", "Flood-control answers (HTTP 429) from Telegram")
OUTBOX_DEPTH = Gauge("ramp_outbox_depth", "Outbox rows due and not yet sent")
SEND_RATE = Gauge("ramp_send_rate", "Messages the pacer let through over the last second")
IS_SENDER = Gauge("ramp_is_sender", "1 while this process holds the sender lock")
UPDATE_SECONDS = Histogram(
    "ramp_update_handling_seconds",
    "Time to handle one incoming update",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def track_send_rate(rate: Callable[[], float]) -> None:
    SEND_RATE.set_function(rate)


def serve(port: int, host: str = "0.0.0.0") -> None:
    """The metrics endpoint for polling mode (a thread of prometheus-client's own)."""
    start_http_server(port, addr=host)
