"""Encryption at rest: AES-256-GCM under keys the operator holds (docs/decisions.md, "Encryption at rest").

A stored value reads ``lbenc1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``. The key id is derived from the
key (an HMAC, never the key itself), so a value names the key that opens it and a rotation finds, with a SQL
``LIKE``, what is not yet under the current key. The column's name is the associated data: a value copied
into another column does not open. Values without the prefix are plaintext written before encryption (or in
development mode) and are read as they are, until `leakbot keys rotate` encrypts them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "lbenc1:"
PLAINTEXT = "plain"  # the registry's name for values stored unencrypted (bot/storage/keycheck.py)
KEY_BYTES = 32
NONCE_BYTES = 12
MAKE_ONE = "make one with `leakbot keys generate`"


class DataKeyError(Exception):
    """Base of the one-line key problems (never carries a key or a value)."""


class KeyFormatError(DataKeyError):
    """A configured key is not 32 bytes of base64."""


class MissingKeyError(DataKeyError):
    """A value is under a key this process was not given (the wrong key, or none)."""

    def __init__(self, key_id: str, known: Sequence[str]) -> None:
        self.key_id = key_id
        self.known = tuple(known)
        given = ", ".join(known) if known else "none"
        super().__init__(f"data is encrypted under key {key_id}; the keys given are: {given}")


class TamperedError(DataKeyError):
    """A value under a known key does not authenticate: changed, truncated, or moved from another column."""


def generate_key() -> str:
    """A new random key as it is written in LEAKBOT_DATA_KEY (base64url, 43 characters)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode().rstrip("=")


def parse_key(text: str, source: str) -> bytes:
    """``source`` names where the key came from (LEAKBOT_DATA_KEY, the key file) in the one-line error."""
    raw = text.strip()
    try:
        key = base64.urlsafe_b64decode(raw.replace("+", "-").replace("/", "_") + "=" * (-len(raw) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFormatError(f"{source} is not a key: it must be 32 bytes in base64 ({MAKE_ONE})")
    return key


def key_id(key: bytes) -> str:
    return hmac.new(key, b"leakbot data key id", hashlib.sha256).hexdigest()[:12]


def key_id_of(stored: str) -> str:
    """The key id a stored value is under, or PLAINTEXT."""
    if not stored.startswith(PREFIX):
        return PLAINTEXT
    return stored[len(PREFIX) :].split(":", 1)[0]


@dataclass(frozen=True)
class Keyring:
    """The current key (encrypts) first, then previous keys (still read during a rotation). Empty: development
    mode, values are written as plaintext."""

    keys: tuple[bytes, ...] = ()

    @classmethod
    def of(cls, keys: Iterable[bytes]) -> Keyring:
        return cls(tuple(dict.fromkeys(keys)))

    @property
    def current_id(self) -> str | None:
        return key_id(self.keys[0]) if self.keys else None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key_id(k) for k in self.keys)

    def _key(self, kid: str) -> bytes:
        for key in self.keys:
            if key_id(key) == kid:
                return key
        raise MissingKeyError(kid, self.ids)

    def encrypt(self, plaintext: str, column: str) -> str:
        if not self.keys:
            return plaintext
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[0]).encrypt(nonce, plaintext.encode("utf-8"), column.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}{self.current_id}:{body}"

    def decrypt(self, stored: str, column: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before encryption, or in development mode
        kid, _, body = stored[len(PREFIX) :].partition(":")
        key = self._key(kid)
        try:
            blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plain = AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], column.encode())
        except (InvalidTag, binascii.Error, ValueError):
            raise TamperedError(f"a value in {column} does not authenticate under key {kid}") from None
        return plain.decode("utf-8")

    def reencrypt(self, stored: str, column: str) -> str:
        """The same plaintext under the current key (a rotation's step)."""
        return self.encrypt(self.decrypt(stored, column), column)
