"""Each recognizer on a table of (text, expected findings), near-misses included."""

from __future__ import annotations

import pytest

from ethicscheck.privacy.recognizers import (
    CryptoWalletRecognizer,
    MessengerLinkRecognizer,
    NameCueRecognizer,
    ObfuscatedPhoneRecognizer,
    SocialHandleRecognizer,
)

PHONE = ObfuscatedPhoneRecognizer(["US", "GB", "FR", "DE"])


def found(recognizer, text, entity):
    return [text[r.start : r.end] for r in recognizer.analyze(text, [entity])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 212-555-0143 today.", ["212-555-0143"]),
        ("(415) 555-0178 or +1 305 555 0112.", ["(415) 555-0178", "+1 305 555 0112"]),
        ("WhatsApp two one two five five five zero one four three.", ["two one two five five five zero one four three"]),
        ("Text 2one2 555 0one4three now", ["2one2 555 0one4three"]),
        ("Phone: 2 1 2 5 5 5 0 1 4 3.", ["2 1 2 5 5 5 0 1 4 3"]),
        ("Call 2l2-SSS-Ol43.", ["2l2-SSS-Ol43"]),
        ("Call ２１２ ５５５ ０１４３.", ["２１２ ５５５ ０１４３"]),
        ("Call 2️⃣1️⃣2️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣3️⃣ now", ["2️⃣1️⃣2️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣3️⃣"]),
        ("Call ②①②⑤⑤⑤⓪①④③.", ["②①②⑤⑤⑤⓪①④③"]),
        ("Call 𝟐𝟏𝟐𝟓𝟓𝟓𝟎𝟏𝟒𝟑.", ["𝟐𝟏𝟐𝟓𝟓𝟓𝟎𝟏𝟒𝟑"]),
        ("Call 212 dot 555 dot 0143.", ["212 dot 555 dot 0143"]),
        ("Call 212*555*0143.", ["212*555*0143"]),
        ("Call for80 2sixseven 0143 after six", ["for80 2sixseven 0143"]),
        ("Appelez le 06.12.34.56.78.", ["06.12.34.56.78"]),
        # near-misses that must not match
        ("Pay is $18.50 per hour, 4,000 (932 ads).", []),
        ("hex id 0x2125550143abcdef and deadbeef2125550143", []),
        ("versions 2.4.6 3.1.1 0.15.0 2.2.366", []),
        ("fnr 0.275 (95% CI 0.213-0.348)", []),
        ("Our phone line is open to someone at six", []),
        ("Born 1990, shifts 7 to 3, ref 4432-11", []),
    ],
)
def test_phones(text, expected):
    assert found(PHONE, text, "PHONE_NUMBER") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Add snap: anna_jobs22.", ["anna_jobs22"]),
        ("kik annahires10 or ig @anna.work22", ["annahires10", "@anna.work22"]),
        ("LINE id: anna22", ["anna22"]),
        ("reach me @maria_k", ["@maria_k"]),
        ("mail joy@example.com", []),
        ("please ignore this line", []),
        ("The dashed line marks the reference", []),
    ],
)
def test_social_handles(text, expected):
    assert found(SocialHandleRecognizer(), text, "SOCIAL_HANDLE") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Message us at t.me/annajobs22.", ["t.me/annajobs22"]),
        (
            "https://wa.me/12125550143 or api.whatsapp.com/send?phone=12125550143",
            ["https://wa.me/12125550143", "api.whatsapp.com/send?phone=12125550143"],
        ),
        ("visit example.com/t.me", []),
    ],
)
def test_messenger_links(text, expected):
    assert found(MessengerLinkRecognizer(), text, "MESSENGER_LINK") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("eth 0x52908400098527886E0F7030069857D2E4169EE7", ["0x52908400098527886E0F7030069857D2E4169EE7"]),
        ("usdt TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW", ["TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"]),
        ("bad checksum TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX", []),
        ("too short 0x5290840009852788", []),
    ],
)
def test_crypto_wallets(text, expected):
    assert found(CryptoWalletRecognizer(), text, "CRYPTO") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ask for Anna.", ["Anna"]),
        ("My name is Maria Lopez and", ["Maria Lopez"]),
        ("Call and ask for Leo.", ["Leo"]),
        ("Contact us today. Contact BrightStaff. Call Monday.", []),
    ],
)
def test_name_cues(text, expected):
    assert found(NameCueRecognizer(), text, "PERSON") == expected
