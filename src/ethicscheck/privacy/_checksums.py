"""Checksums that tell a real wallet address or card number from a look-alike string."""

from __future__ import annotations

import hashlib

__all__ = ["base58check_payload", "bech32_ok"]

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def base58check_payload(address: str) -> bytes | None:
    """The versioned payload of a Base58Check string (Bitcoin, Litecoin, TRON), or None if the checksum fails."""
    number = 0
    for ch in address:
        index = _BASE58.find(ch)
        if index < 0:
            return None
        number = number * 58 + index
    leading = len(address) - len(address.lstrip("1"))
    raw = b"\x00" * leading + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(raw) < 5:
        return None
    payload, checksum = raw[:-4], raw[-4:]
    return payload if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum else None


def bech32_ok(address: str, hrps: tuple[str, ...] = ("bc", "ltc")) -> bool:
    """A bech32 (BIP 173) or bech32m (BIP 350) segwit address of one of ``hrps`` with a valid checksum."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, sep, data = address.rpartition("1")
    if not sep or hrp not in hrps or len(data) < 7 or any(ch not in _BECH32 for ch in data):
        return False
    values = [ord(ch) >> 5 for ch in hrp] + [0] + [ord(ch) & 31 for ch in hrp] + [_BECH32.index(ch) for ch in data]
    return _polymod(values) in (1, 0x2BC830A3)


def _polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum
