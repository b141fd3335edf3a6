"""Messenger deep links: Telegram, WhatsApp, Messenger, Signal."""

from __future__ import annotations

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["MessengerLinkRecognizer"]


class MessengerLinkRecognizer(GroupPatternRecognizer):
    """``t.me/annajobs``, ``wa.me/12125550143``, ``api.whatsapp.com/send?phone=...``, ``m.me/...``,
    ``chat.whatsapp.com/<invite>``, ``signal.me/#p/...`` (with or without https://)."""

    ENTITY = "MESSENGER_LINK"
    PATTERNS = (
        (
            r"(?i)(?<![\w.])(?P<value>(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|wa\.me|m\.me|signal\.me)/[#A-Za-z0-9_/+.=-]*[A-Za-z0-9_])",
            0.85,
        ),
        (r"(?i)(?<![\w.])(?P<value>(?:https?://)?(?:api|web|chat)\.whatsapp\.com/[A-Za-z0-9_/?=&+.-]*[A-Za-z0-9_])", 0.85),
    )
    CONTEXT = ("telegram", "whatsapp", "message", "chat", "contact")
