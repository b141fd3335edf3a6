"""Crypto wallets beyond Bitcoin: Ethereum (0x...) and TRON (T..., base58check-validated)."""

from __future__ import annotations

import hashlib

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["CryptoWalletRecognizer"]

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CryptoWalletRecognizer(GroupPatternRecognizer):
    """Ethereum addresses (40 hex digits after 0x, word-bounded) and TRON addresses (34 base58
    characters starting with T whose checksum and 0x41 version byte check out)."""

    ENTITY = "CRYPTO"
    PATTERNS = (
        (r"(?<![0-9A-Za-z])(?P<value>0x[0-9a-fA-F]{40})(?![0-9A-Za-z])", 0.75),
        (r"(?<![0-9A-Za-z])(?P<value>T[1-9A-HJ-NP-Za-km-z]{33})(?![0-9A-Za-z])", 0.8),
    )
    CONTEXT = ("wallet", "eth", "ethereum", "usdt", "trc20", "tron", "crypto", "pay", "deposit")

    def validate(self, value: str) -> bool:
        if value.startswith("0x"):
            return len(set(value[2:].lower())) > 4  # not a run of one repeated digit
        return _tron_checksum_ok(value)


def _tron_checksum_ok(address: str) -> bool:
    number = 0
    for ch in address:
        number = number * 58 + _BASE58.index(ch)
    raw = number.to_bytes(25, "big")
    payload, checksum = raw[:21], raw[21:]
    return payload[0] == 0x41 and hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum
