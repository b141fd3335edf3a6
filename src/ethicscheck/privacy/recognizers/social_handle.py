"""Social-media handles next to a platform cue, as recruitment ads give them."""

from __future__ import annotations

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer

__all__ = ["SocialHandleRecognizer"]

# Cues that name a platform unambiguously may be followed by the handle directly ("snap anna22");
# words with other meanings ('line', 'signal') count only with a ':' or '=' or 'id' after them.
_STRONG = r"snap(?:chat)?|ig|insta(?:gram)?|kik|tg|telegram|wickr(?:\s?me)?"
_WEAK = r"signal|line|wechat|viber|tiktok|twitter|x\.com"


class SocialHandleRecognizer(GroupPatternRecognizer):
    """``snap: anna_jobs22``, ``ig @anna.work``, ``kik - annahires`` (the handle is the finding).

    A bare ``@name`` counts at lower confidence, and never inside an e-mail address.
    """

    ENTITY = "SOCIAL_HANDLE"
    PATTERNS = (
        (rf"(?i)\b(?:{_STRONG})\b(?:\s*[:=\-]\s*|\s+(?:is\s+|id\s+)?)(?P<value>@?[A-Za-z][A-Za-z0-9_.]{{2,29}}[A-Za-z0-9_])", 0.65),
        (rf"(?i)\b(?:{_WEAK})\b\s*(?:id\s*)?[:=]\s*(?P<value>@?[A-Za-z][A-Za-z0-9_.]{{2,29}}[A-Za-z0-9_])", 0.6),
        (r"(?<![\w.@])(?P<value>@[A-Za-z][A-Za-z0-9_.]{2,29}[A-Za-z0-9_])", 0.45),
    )
    CONTEXT = ("snap", "snapchat", "instagram", "kik", "telegram", "wickr", "add", "follow", "dm", "message")

    def validate(self, value: str) -> bool:
        return value.lstrip("@").lower() not in {"me", "us", "our", "the", "and", "for", "with", "email", "call", "text"}
