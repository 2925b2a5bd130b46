"""Prometheus metrics served at /metrics. Labels never carry personal data."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "leakbot_requests",
            "Inbound platform requests by kind",
            ["platform", "kind"],
            registry=self.registry,
        )
        self.ack_latency = Histogram(
            "leakbot_ack_latency_seconds",
            "Time from receiving a request to answering it",
            ["platform"],
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5),
            registry=self.registry,
        )
        self.api_errors = Counter(
            "leakbot_platform_api_errors",
            "Failed platform API calls",
            ["platform", "method", "error"],
            registry=self.registry,
        )
        self.refused = Counter(
            "leakbot_refused_requests",
            "Inbound requests refused before any effect (malformed, from another workspace or org)",
            ["platform", "reason"],
            registry=self.registry,
        )
        self.incidents_opened = Counter(
            "leakbot_incidents_opened", "Incidents reported", ["platform"], registry=self.registry
        )
