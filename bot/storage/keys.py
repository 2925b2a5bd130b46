"""Where the data keys come from: the environment or a key file (README, "Keys").

The current key encrypts; previous keys are only read, during a rotation. A cloud KMS plugs in as one more
source in ``KeySettings.sources``: a function that returns the key text, e.g. by asking the KMS to decrypt a
wrapped data key (envelope encryption), so the plaintext key exists only in this process's memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.storage.crypto import DataKeyError, Keyring, parse_key

DEV_FLAG = "LEAKBOT_DEV_INSECURE"


class KeySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    data_key: SecretStr | None = Field(default=None, alias="LEAKBOT_DATA_KEY")
    # one key a line: the first is current, the others previous (blank lines and `#` comments ignored)
    data_key_file: Path | None = Field(default=None, alias="LEAKBOT_DATA_KEY_FILE")
    # comma-separated: keys still read (not used to encrypt) while `leakbot keys rotate` moves data off them
    data_key_previous: SecretStr | None = Field(default=None, alias="LEAKBOT_DATA_KEY_PREVIOUS")
    # no key: start anyway, storing plaintext (development only; said at start)
    dev_insecure: bool = Field(default=False, alias=DEV_FLAG)

    def sources(self) -> list[tuple[str, Callable[[], list[str]]]]:
        """(name, keys) for each configured source; the one place a KMS source would be added."""
        found: list[tuple[str, Callable[[], list[str]]]] = []
        if self.data_key is not None:
            found.append(("LEAKBOT_DATA_KEY", lambda: [self.data_key.get_secret_value()]))  # type: ignore[union-attr]
        if self.data_key_file is not None:
            found.append(("LEAKBOT_DATA_KEY_FILE", self._file_keys))
        return found

    def _file_keys(self) -> list[str]:
        path = self.data_key_file
        assert path is not None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
            raise DataKeyError(f"LEAKBOT_DATA_KEY_FILE cannot be read: {reason}: {path}") from None
        lines = [line.strip() for line in text.splitlines()]
        keys = [line for line in lines if line and not line.startswith("#")]
        if not keys:
            raise DataKeyError(f"LEAKBOT_DATA_KEY_FILE holds no key: {path}")
        return keys

    def keyring(self) -> Keyring:
        """The keys given, current first; empty when none is (development mode). Raises DataKeyError."""
        sources = self.sources()
        if len(sources) > 1:
            raise DataKeyError("LEAKBOT_DATA_KEY and LEAKBOT_DATA_KEY_FILE are both set: keep one of them")
        keys: list[bytes] = []
        for name, read in sources:
            keys += [parse_key(text, name) for text in read()]
        if self.data_key_previous is not None:
            if not keys:
                raise DataKeyError(
                    "LEAKBOT_DATA_KEY_PREVIOUS is set without a current key (LEAKBOT_DATA_KEY)"
                )
            previous = self.data_key_previous.get_secret_value().split(",")
            keys += [parse_key(text, "LEAKBOT_DATA_KEY_PREVIOUS") for text in previous if text.strip()]
        return Keyring.of(keys)
