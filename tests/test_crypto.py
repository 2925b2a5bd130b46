"""The cipher and the key sources (bot/storage/crypto.py, bot/storage/keys.py): a value opens only with its key
and in its own column, a changed one is refused, keys come from the variable or a file (current first)."""

from __future__ import annotations

import pytest

from bot.storage.crypto import (
    PREFIX,
    DataKeyError,
    Keyring,
    MissingKeyError,
    TamperedError,
    generate_key,
    key_id,
    parse_key,
)
from bot.storage.keys import KeySettings

A, B = parse_key(generate_key(), "a"), parse_key(generate_key(), "b")
TEXT = "顧客名簿を誤送信した（山田花子）"


def test_a_value_opens_with_its_key_in_its_column_and_nowhere_else() -> None:
    stored = Keyring.of([A]).encrypt(TEXT, "incidents.facts")
    assert stored.startswith(f"{PREFIX}{key_id(A)}:") and TEXT not in stored
    assert Keyring.of([A]).encrypt(TEXT, "incidents.facts") != stored, "a fresh nonce each time"
    assert Keyring.of([B, A]).decrypt(stored, "incidents.facts") == TEXT, "a previous key still reads"
    with pytest.raises(MissingKeyError, match=key_id(A)):
        Keyring.of([B]).decrypt(stored, "incidents.facts")
    with pytest.raises(TamperedError):
        Keyring.of([A]).decrypt(stored, "step_states.reason")  # copied into another column
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(TamperedError):
        Keyring.of([A]).decrypt(flipped, "incidents.facts")


def test_without_keys_text_is_stored_and_read_as_it_is() -> None:
    assert Keyring().encrypt(TEXT, "x") == TEXT and Keyring.of([A]).decrypt(TEXT, "x") == TEXT


def test_keys_come_from_the_variable_or_a_file_current_first(tmp_path, monkeypatch) -> None:
    for name in ("LEAKBOT_DATA_KEY", "LEAKBOT_DATA_KEY_FILE", "LEAKBOT_DATA_KEY_PREVIOUS"):
        monkeypatch.delenv(name, raising=False)
    a, b = generate_key(), generate_key()
    assert KeySettings(LEAKBOT_DATA_KEY=a, LEAKBOT_DATA_KEY_PREVIOUS=b).keyring().keys == (
        parse_key(a, ""),
        parse_key(b, ""),
    )
    key_file = tmp_path / "keys"
    key_file.write_text(f"# rotated 2026-12\n{b}\n\n{a}\n", encoding="utf-8")
    assert KeySettings(LEAKBOT_DATA_KEY_FILE=key_file).keyring().current_id == key_id(parse_key(b, ""))
    with pytest.raises(DataKeyError, match="both set"):
        KeySettings(LEAKBOT_DATA_KEY=a, LEAKBOT_DATA_KEY_FILE=key_file).keyring()
    with pytest.raises(DataKeyError, match="cannot be read") as missing:
        KeySettings(LEAKBOT_DATA_KEY_FILE=tmp_path / "nope").keyring()
    assert a not in str(missing.value)
