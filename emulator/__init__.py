"""Local Telegram Bot API emulator: run the real bot with no token and no internet."""

from emulator.models import MessageRecord, StoredFile, UploadedFile
from emulator.server import ApiError, BotApiEmulator, SimulatedUser, Violation
from emulator.spec import BotApiSpec

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "BotApiSpec",
    "MessageRecord",
    "SimulatedUser",
    "StoredFile",
    "UploadedFile",
    "Violation",
]
