"""Social-media handles next to a platform cue (before or after it), and profile links."""

from __future__ import annotations

import re

from ethicscheck.privacy.recognizers._regex import GroupPatternRecognizer, words_hint

__all__ = ["RECOGNIZER", "SocialHandleRecognizer"]

# Cues that name a platform unambiguously may stand right before the handle ("snap anna22", "👻 mia_4u");
# words with other meanings ('line', 'signal', 'x', 'of') count only with ':' or '=' after them.
_STRONG = r"snap(?:chat)?|sc|ig|insta(?:gram)?|kik|tg|telegram|tiktok|wickr(?:\s?me)?|line\s?id|👻|📸|📷|🎵"
_WEAK = r"signal|line(?:\s?id)?|wechat|viber|twitter|x|fb|facebook|onlyfans|of|threads"
_HANDLE = r"@?[A-Za-z][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]"
_END = r"(?![\w@/]|\.[A-Za-z0-9]|:/)"
_SITES = (
    r"instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|tiktok\.com|onlyfans\.com|twitter\.com|x\.com|snapchat\.com/add|threads\.net"
)
# Profile-link sites as the clean text may write them before '[.]' or '(dot)' is undone.
_SITE_HINTS = r"instagr|facebook|\bfb\W|tiktok|onlyfans|twitter|threads\W|snapchat|\bx\W{0,4}(?:dot|d0t|period)?\W{0,4}com"
_ARROWS = r"[\s:=\-–—>»→👉~|]*"
# After a strong cue: the separator and the handle.
_AFTER_STRONG = rf"(?![A-Za-z0-9_])(?P<sep>{_ARROWS}(?:me|is|id|handle|user(?:name)?|add)?{_ARROWS})(?P<value>{_HANDLE}){_END}"
# A strong cue not inside a word, opening with a class of the cues' first characters (the engine tries only the places
# holding one: ~25% faster on ads); the lookbehind read after that character ('\b'-like, as the gate's form reads it).
_STRONG_OPENING = words_hint(_STRONG, after_first=r"(?<![\w@.].)")
# Platform words that may follow a handle: 'kara_lux (IG)', 'yuki.ro on insta', 'mia_4u 👻'.
_AFTER = r"snap(?:chat)?|sc|ig|insta(?:gram)?|kik|tiktok|telegram|tg|twitter|onlyfans|fansly|facebook|fb|wechat|viber|line|👻|📸|📷|🎵"
# Those that end common words ('baseline', 'online', 'disc', 'big') count only as a word of their own:
# 'ethicscheck.baseline' is not the handle 'ethicscheck.base' on LINE. The others may be glued on ('mia_4usnap').
_AFTER_GLUED = r"snap(?:chat)?|insta(?:gram)?|kik|tiktok|telegram|twitter|onlyfans|fansly|facebook|wechat|viber|👻|📸|📷|🎵"
_AFTER_WORD = r"sc|ig|tg|fb|line"
# Between a handle and the platform word after it: '\s*(?:word\s*)?', not '\s*word?\s*': the same matches, without
# splitting a long run of whitespace between two '\s*' every possible way (quadratic on a report's indentation)
_SEPARATOR_WORDS = r"on|en|pe|sa|на|@|-|\|"
_SEPARATOR = rf"\s*(?:(?:{_SEPARATOR_WORDS})\s*)?[(\[]?"
_RESERVED_PATHS = {
    "explore",
    "p",
    "reel",
    "reels",
    "stories",
    "accounts",
    "about",
    "legal",
    "help",
    "login",
    "signup",
    "share",
    "add",
    "home",
}
_NOT_HANDLES = {
    "me",
    "us",
    "our",
    "the",
    "and",
    "for",
    "with",
    "email",
    "call",
    "text",
    "is",
    "at",
    "on",
    "or",
    "only",
    "id",
    "https",
    "http",
}


class SocialHandleRecognizer(GroupPatternRecognizer):
    """``snap: anna_jobs22``, ``ig @anna.work``, ``sc mia_4u``, ``snap me ana_real``, ``sweet_ana_06 snap``,
    ``kara_lux (IG)``, ``👻 mariel4u``, profile links (``instagram.com/x``, ``tiktok.com/@x``, disguised
    ``instagram[.]com/x``) and a bare ``@name`` at lower confidence.

    A word after a cue is a handle only when it looks like a user name (a digit, '_', '.' or a leading
    '@'), or when the cue is followed by ':' or '=': "ig photos are real" has no handle.
    """

    ENTITY = "SOCIAL_HANDLE"
    VIEW = "contact"
    PATTERNS = (
        (rf"(?i)(?<![\w.])(?P<value>(?:https?://)?(?:www\.|m\.)?(?:{_SITES})/@?[A-Za-z0-9_.]{{1,40}}[A-Za-z0-9_])", 0.8),
        (rf"(?i){_STRONG_OPENING}{_AFTER_STRONG}", 0.65),
        (rf"(?i)(?<![\w@.])(?:{_WEAK})(?P<sep>\s*(?:id\s*[:=]?|[:=])[\s>»→👉]*)(?P<value>{_HANDLE}){_END}", 0.6),
        (
            rf"(?i)(?<![\w@.])(?P<value>{_HANDLE}){_SEPARATOR}(?:{_AFTER_GLUED}|(?<![A-Za-z0-9])(?:{_AFTER_WORD}))(?![A-Za-z0-9_])",
            0.6,
            # the platform word: most texts have none, and this pattern tries every word
            words_hint(_AFTER) + "(?i:(?![A-Za-z0-9_]))",
        ),
        # a bare '@name' (opening with the '@' itself, the lookbehind read after it, so the engine tries only the '@'s)
        (r"(?P<value>@(?<![\w.@/]@)[A-Za-z][A-Za-z0-9_.]{2,29}[A-Za-z0-9_])(?![\w@])", 0.45),
    )
    # A handle before a platform word, as the gate reads it: the lookarounds written as the characters they ask for
    # (before the handle: the text's start or no word character, '@' or '.'; after the platform word: its end or no
    # word character; before a word that also ends common words ('line', 'ig'): a bracket, whitespace or a symbol of
    # the separator, or the handle's last '_'). It matches every text the pattern matches (fuzzed), and the handle's
    # length is left open (cheaper to compile). Read approximately, the pattern's own form let 'Northline Packaging' or
    # 'resign' through, and each such text cost ~40 us in the pattern (it tries every handle length at every word).
    GATE_FORMS = (
        (1, rf"(?i)(?<![\w@.])(?:{_STRONG}){_AFTER_STRONG}"),  # the gate refuses the opening class (it holds 'ſ', 'ı', 'İ', 'K')
        (
            3,
            rf"(?i)(?:^|[^\w@.])@?[A-Za-z][A-Za-z0-9_.]+(?:[A-Za-z0-9_]{_SEPARATOR}(?:{_AFTER_GLUED})"
            rf"|[A-Za-z0-9_](?:\s*(?:(?:{_SEPARATOR_WORDS})\s*)?[(\[]|(?:\s*(?:{_SEPARATOR_WORDS}))?\s+|\s*(?:на|@|-|\|))(?:{_AFTER_WORD})"
            rf"|_(?:{_AFTER_WORD}))(?:[^A-Za-z0-9_]|$)",
        ),
    )
    CONTEXT = ("snap", "snapchat", "instagram", "kik", "telegram", "wickr", "add", "follow", "dm", "message")
    # A platform word after a handle may be glued to it ('mia_4usnap'): no word boundary before those. The
    # lookahead lists the characters every alternative starts with: the other positions fail at one test.
    PREFILTER = re.compile(
        rf"(?i)(?=[@siktwlfovx👻📸📷🎵])(?:@|(?<![\w@.])(?:{_STRONG})(?![A-Za-z0-9_])|(?:{_AFTER})(?![A-Za-z0-9_])|(?<![\w@.])(?:{_WEAK})\s*(?:id\s*[:=]?|[:=])|{_SITE_HINTS})"
    )

    # ~85% of the texts the gate lets through hold a cue (lookbehinds make its answer approximate): reading the prefilter
    # (~25 us an ad) costs more than the patterns' own gate takes to rule out the rest
    GATE_ENOUGH = True

    def validate(self, match: re.Match[str]) -> bool:
        value = match.group("value")
        if "/" in value:  # a profile link, not a site's own page
            return value.rstrip("/").rsplit("/", 1)[-1].lstrip("@").lower() not in _RESERVED_PATHS
        name = value.lstrip("@")
        if name.lower() in _NOT_HANDLES:
            return False
        separator = match.groupdict().get("sep") or ""
        return value.startswith("@") or any(ch.isdigit() or ch in "_." for ch in name) or any(ch in separator for ch in ":=")


#: This module's recognizer: the one line that registers it (see the package's docstring).
RECOGNIZER = SocialHandleRecognizer
