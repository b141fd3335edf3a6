"""Messenger deep links: Telegram, WhatsApp, Messenger, Signal, Viber, LINE — plain or disguised."""

from __future__ import annotations

import re

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["RECOGNIZER", "MessengerLinkRecognizer"]

_SLASH = r"(?:/|\s+/\s+|\s*slash\s*)"  # 't.me/name', 'wa(dot)me / 123', 'wa(.)me slash 123'; never 't.me/ is'

_DOTS = r"(?:[\W_]|dot|d0t|period|punto|ponto|point|punct|tochka|точка|ドット){1,12}"


class MessengerLinkRecognizer(GroupPatternRecognizer):
    """``t.me/annajobs``, ``wa.me/12125550143``, ``api.whatsapp.com/send?phone=...``, ``m.me/...``,
    ``signal.me/#p/...``, ``viber://chat?number=...``, ``line.me/ti/p/~name``, with or without https://,
    and disguised (``t[.]me``, ``wa(dot)me``, ``t . me / name``, ``hxxps://``) — read through the contact view."""

    ENTITY = "MESSENGER_LINK"
    VIEW = "contact"
    PATTERNS = (
        (
            rf"(?i)(?<![\w.])(?P<value>(?:https?://)?(?:www\.)?(?:t|telegram|wa|m|signal|line)\.me{_SLASH}[#A-Za-z0-9_/+.=%~@?&-]*[A-Za-z0-9_])",
            0.85,
        ),
        (r"(?i)(?<![\w.])(?P<value>(?:https?://)?(?:api|web|chat|wa)\.whatsapp\.com/[A-Za-z0-9_/?=&+.%-]*[A-Za-z0-9_])", 0.85),
        (r"(?i)(?<![\w.])(?P<value>(?:viber|whatsapp|tg|line|signal|sgnl)://[A-Za-z0-9_/?=&+.%:~@#-]*[A-Za-z0-9_])", 0.85),
    )
    # 'https://', 'www.' and the longest name, 'telegram', come before the '.me' of a deep link: the pattern (tried at every
    # character of an ad otherwise) is read from 20 characters before the first '.me'
    PATTERN_ANCHORS = ((0, ".me", 20),)
    CONTEXT = ("telegram", "whatsapp", "viber", "line", "message", "chat", "contact")
    # The lookahead lists the letters every alternative starts with: the other positions fail at one test.
    PREFILTER = re.compile(
        rf"(?i)(?=[twmslv])(?:(?<![^\W\d_])(?:t|wa|m|telegram|signal|line){_DOTS}me(?![^\W\d_])|whatsapp{_DOTS}com"
        r"|(?:viber|whatsapp|tg|line|signal|sgnl)://)"
    )
    # Its repeated separators ({1,12} of a dozen alternatives) take ~0.3 s to compile into the gate, once per scan of
    # more than WARM_UP texts; the gate then answers exactly on most texts (bench ads: the 760 of 2,000 it finds possible
    # all match), so its "possible" is enough and the prefilter (~12 us an ad) is not read.
    GATE_ENOUGH = True


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = MessengerLinkRecognizer
