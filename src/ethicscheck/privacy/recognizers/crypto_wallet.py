"""Crypto wallets: Bitcoin (legacy, P2SH, bech32/bech32m), Litecoin, Ethereum and TRON, also split across lines."""

from __future__ import annotations

import re

from ethicscheck.privacy._checksums import base58check_payload, bech32_ok
from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["RECOGNIZER", "CryptoWalletRecognizer"]

_B58 = "[1-9A-HJ-NP-Za-km-z]"
_B32 = "[02-9ac-hj-np-zAC-HJ-NP-Z]"
_BREAK = r"[ \t]*\n[ \t]*"
_BREAKS = re.compile(_BREAK)
_LINES = 6  # an address broken over at most this many lines
#: Base58Check version bytes: Bitcoin P2PKH 0x00 / P2SH 0x05, Litecoin 0x30 / 0x32 (M) / 0x05, TRON 0x41.
_VERSIONS = {0x00, 0x05, 0x30, 0x32, 0x41}


class CryptoWalletRecognizer(GroupPatternRecognizer):
    """Wallet addresses whose checksum holds: Base58Check (Bitcoin 1.../3..., Litecoin L.../M..., TRON T...),
    bech32/bech32m (bc1..., ltc1...), and Ethereum (0x + 40 hex digits). An address broken over two lines
    is one finding when the joined characters check out."""

    ENTITY = "CRYPTO"
    PATTERNS = (
        (r"(?<![0-9A-Za-z])(?P<value>0x[0-9a-fA-F]{40})(?![0-9A-Za-z])", 0.75),
        (rf"(?<![0-9A-Za-z])(?P<value>[13LMT]{_B58}{{25,34}})(?![0-9A-Za-z])", 0.8),
        (rf"(?<![0-9A-Za-z])(?P<value>[13LMT]{_B58}{{4,33}}(?:{_BREAK}{_B58}{{1,33}}){{1,{_LINES - 1}}})(?![0-9A-Za-z])", 0.8),
        (rf"(?i)(?<![0-9A-Za-z])(?P<value>(?:bc|ltc)1{_B32}{{8,87}})(?![0-9A-Za-z])", 0.8),
        (rf"(?i)(?<![0-9A-Za-z])(?P<value>(?:bc|ltc)1{_B32}{{2,86}}(?:{_BREAK}{_B32}{{1,86}}){{1,{_LINES - 1}}})(?![0-9A-Za-z])", 0.8),
    )
    CONTEXT = ("wallet", "btc", "bitcoin", "ltc", "litecoin", "eth", "ethereum", "usdt", "trc20", "tron", "crypto", "pay", "deposit")
    # What each pattern needs: forty hex digits after '0x'; a Base58 address in one piece is 26 characters or more, one
    # broken over lines has at least five before its first line break ('[13LMT]' and four more words like 'Market' or
    # 'Total' hold, and most texts hold one: this keeps the recognizer from reading most ads); 'bc1' or 'ltc1'.
    PREFILTER = re.compile(rf"0x[0-9a-fA-F]{{40}}|[13LMT]{_B58}{{25}}|[13LMT]{_B58}{{4,33}}[ \t]*\n|(?i:(?:bc|ltc)1)")

    def value_span(self, match: re.Match[str]) -> tuple[int, int] | None:
        """The match, or for an address broken over lines, its first lines up to the last one with which
        the joined characters check out (a line of text after the address is not part of it)."""
        start, end = match.span("value")
        for stop in [end, *reversed([m.start() for m in _BREAKS.finditer(match.string, start, end)])]:
            if _checks_out(re.sub(r"\s", "", match.string[start:stop])):
                return start, stop
        return None


def _checks_out(value: str) -> bool:
    """The checksum (and version byte) of a wallet address written without breaks."""
    if value.startswith("0x"):
        return len(set(value[2:].lower())) > 4  # not a run of one repeated digit
    if value[:3].lower() in ("bc1", "ltc"):
        return bech32_ok(value)
    if not 26 <= len(value) <= 35:
        return False
    payload = base58check_payload(value)
    return payload is not None and len(payload) == 21 and payload[0] in _VERSIONS and (value[0] == "T") == (payload[0] == 0x41)


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = CryptoWalletRecognizer
