"""The Slack Web API client: retries 429s and transient errors, counts failures for /metrics, and keeps its
connections to Slack open between calls."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.logging_setup import PAYLOAD_LOGGERS
from adapters.metrics import Metrics

# slack_sdk tests its logger's own level (``logger.level <= DEBUG``), not the effective one, before it formats
# every request's arguments and every response body into a debug message; its default logger has no level
# of its own, so each call formatted the whole modal (and the text people typed) only to drop it.
API_LOGGER = logging.getLogger("slack_sdk.web.leakbot")
API_LOGGER.setLevel(PAYLOAD_LOGGERS["slack_sdk"])


class CountingWebClient(AsyncWebClient):
    """slack_sdk alone opens a new aiohttp session, and so a new TCP (and TLS) connection, for every call;
    this client's calls share one session per event loop, opened at the first call, so connections are kept
    alive and reused. ``close()`` closes it (the app's shutdown calls it)."""

    metrics: Metrics | None = None
    _session_loop: asyncio.AbstractEventLoop | None = None

    async def api_call(self, api_method: str, **kwargs):  # type: ignore[override]
        self._shared_session()
        try:
            return await super().api_call(api_method, **kwargs)
        except SlackApiError as exc:
            if self.metrics is not None:
                error = str(exc.response.get("error", "unknown")) if exc.response else "unknown"
                self.metrics.api_errors.labels("slack", api_method, error).inc()
            raise
        except Exception:
            if self.metrics is not None:
                self.metrics.api_errors.labels("slack", api_method, "transport").inc()
            raise

    def _shared_session(self) -> None:
        loop = asyncio.get_running_loop()
        if self.session is not None and not self.session.closed and self._session_loop is loop:
            return
        # the timeout slack_sdk gives the sessions it opens itself; no cap on connections, as before
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout), connector=aiohttp.TCPConnector(limit=0)
        )
        self._session_loop = loop

    async def close(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()


def make_client(
    token: str, base_url: str, metrics: Metrics | None = None, backoff_factor: float = 0.5
) -> CountingWebClient:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_factor)
    client = CountingWebClient(
        token=token,
        logger=API_LOGGER,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=3, interval_calculator=backoff),
            AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )
    client.metrics = metrics
    return client
