"""The Slack Web API client: retries 429s and transient errors, counts failures for /metrics."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from adapters.metrics import Metrics


class CountingWebClient(AsyncWebClient):
    metrics: Metrics | None = None

    async def api_call(self, api_method: str, **kwargs):  # type: ignore[override]
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


def make_client(
    token: str, base_url: str, metrics: Metrics | None = None, backoff_factor: float = 0.5
) -> CountingWebClient:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_factor)
    client = CountingWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=3, interval_calculator=backoff),
            AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )
    client.metrics = metrics
    return client
