"""Refusals a use case can answer with; adapters turn ``code`` into a message from the catalog."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFoundError(ServiceError):
    def __init__(self, reference: str) -> None:
        super().__init__("incident_not_found", reference=reference)


class NotAllowedError(ServiceError):
    def __init__(self, reference: str) -> None:
        super().__init__("not_a_member", reference=reference)
