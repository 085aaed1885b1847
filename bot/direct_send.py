"""The outbox's own way to Telegram: sendMessage as JSON over a pooled aiohttp session.

At 1,000 messages a second the usual path cost more than the sending: PTB's httpx pool
scans every connection for each request (quadratic in the requests in flight), and every
answer was built into a `telegram.Message` only for its `message_id`. The fan-out needs
neither, so `DirectSender` posts the stored text and keyboard as they are and reads the
id from the raw answer. It still goes through the one pacer (`bot.pacer`), so the rate,
the per-chat spacing, the replies' priority and a 429's pause are the same for it as for
everything else, and through PTB's `BaseRequest.post`, so Telegram's errors arrive as the
usual exceptions (`RetryAfter`, `Forbidden`, `BadRequest`, `ChatMigrated`, `TimedOut`)
and the outbox records them as before. Replies to runners keep PTB's own path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.pacer import Pacer, Priority

if TYPE_CHECKING:  # imported at the first send: aiohttp is ~15% of start-up's imports
    import aiohttp

# Long enough for Telegram under load; a send that takes longer is retried by the outbox.
SEND_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class SentId:
    message_id: int


class AiohttpRequest(BaseRequest):
    """PTB's request interface over one aiohttp session with `connections` connections."""

    def __init__(self, connections: int, timeout: float = SEND_TIMEOUT_S) -> None:
        self._connections = connections
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            import aiohttp  # see the top: not needed to answer the first update

            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                timeout=aiohttp.ClientTimeout(total=self._timeout),
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        await self.initialize()
        assert self._session is not None
        import aiohttp  # imported by initialize(): only binds the name here

        body = None if request_data is None else request_data.json_payload
        headers = None if body is None else {"Content-Type": "application/json"}
        try:
            async with self._session.request(method, url, data=body, headers=headers) as answer:
                return answer.status, await answer.read()
        except TimeoutError as error:
            raise TimedOut("the send timed out") from error
        except aiohttp.ClientError as error:
            # The type only: aiohttp's message may carry the URL, and the URL the token.
            raise NetworkError(f"aiohttp: {type(error).__name__}") from error


class DirectSender:
    """What `bot.drain` needs of a bot (`MessageSender`), sent through `pacer`."""

    def __init__(self, api_url: str, pacer: Pacer, connections: int) -> None:
        self._send_url = f"{api_url}/sendMessage"  # holds the token: never logged
        self._pacer = pacer
        self._request = AiohttpRequest(connections)

    async def send_message(
        self,
        *,
        chat_id: int,
        text: str,
        parse_mode: str,
        reply_markup: InlineKeyboardMarkup | None,
        allow_paid_broadcast: bool | None,
        rate_limit_args: Any,
        api_kwargs: dict[str, Any] | None,
    ) -> SentId:
        fields: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": parse_mode}
        if reply_markup is not None:
            fields["reply_markup"] = reply_markup.to_dict()
        if allow_paid_broadcast:
            fields["allow_paid_broadcast"] = True
        fields.update(api_kwargs or {})  # the stored keyboard, already JSON
        priority = Priority.BROADCAST if rate_limit_args is None else rate_limit_args
        # The first send imports aiohttp: before the pacer times it, not between its slot
        # and the request, where that pause would bunch the sends after it together.
        await self._request.initialize()
        result = await self._pacer.process_request(
            self._post, (fields,), {}, "sendMessage", fields, priority
        )
        assert isinstance(result, dict)
        return SentId(int(result["message_id"]))

    async def _post(self, fields: dict[str, Any]) -> dict[str, Any]:
        data = RequestData([RequestParameter(key, value, None) for key, value in fields.items()])
        result = await self._request.post(self._send_url, data)
        assert isinstance(result, dict)
        return result

    async def aclose(self) -> None:
        await self._request.shutdown()
