"""Each recognizer on a table of (text, expected findings), near-misses included."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicscheck.privacy.recognizers import (
    CryptoWalletRecognizer,
    DisguisedEmailRecognizer,
    MessengerLinkRecognizer,
    NameCueRecognizer,
    ObfuscatedPhoneRecognizer,
    SocialHandleRecognizer,
)

PHONE = ObfuscatedPhoneRecognizer(["US", "GB", "FR", "DE"])
WORLD = ObfuscatedPhoneRecognizer(["US", "GB", "DE", "FR", "IN", "PH", "NG", "RO", "MX", "ES", "BR", "RU", "TH"])


def found(recognizer, text, entity):
    return [text[r.start : r.end] for r in sorted(recognizer.analyze(text, [entity]), key=lambda r: r.start)]


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
        # number words: compounds, 'oh', double/triple, seven languages
        ("call four one five, fifty-five fifty, oh one three seven", ["four one five, fifty-five fifty, oh one three seven"]),
        ("txt FOUR OH THREE, TRIPLE FIVE, ZERO ONE FIVE ZERO", ["FOUR OH THREE, TRIPLE FIVE, ZERO ONE FIVE ZERO"]),
        ("tel ohsevensevenzerozero... nineohoh... onetwothree", ["ohsevensevenzerozero... nineohoh... onetwothree"]),
        (
            "llámame al más tres cuatro / seis uno uno / cinco cinco cinco / cero cero cinco",
            ["más tres cuatro / seis uno uno / cinco cinco cinco / cero cero cinco"],
        ),
        (
            "whatsapp dos trece - cinco cincuenta y cinco - cero uno noventa y nueve",
            ["dos trece - cinco cincuenta y cinco - cero uno noventa y nueve"],
        ),
        (
            "Tel ZERO UM UM / NOVE CINCO CINCO CINCO ZERO / ZERO UM QUATRO UM",
            ["ZERO UM UM / NOVE CINCO CINCO CINCO ZERO / ZERO UM QUATRO UM"],
        ),
        (
            "appelle-moi au quatre zéro trois, cinquante-cinq, cinquante, dix, deux",
            ["quatre zéro trois, cinquante-cinq, cinquante, dix, deux"],
        ),
        (
            "sună-mă la Zero Șapte Patru Patru / Cinci Cinci Cinci / Zero Patru Doi",
            ["Zero Șapte Patru Patru / Cinci Cinci Cinci / Zero Patru Doi"],
        ),
        (
            "i-text mo ako sa sero siyam isa pito, lima lima lima, sero isa anim lima",
            ["sero siyam isa pito, lima lima lima, sero isa anim lima"],
        ),
        (
            "звони плюс семь девять ноль три пять пять пять ноль один шесть восемь",
            ["плюс семь девять ноль три пять пять пять ноль один шесть восемь"],
        ),
        # separators, glued digits, invisible characters, other scripts
        ("call +63🥰9💕95⭐🥰555👄0🌸189 now", ["+63🥰9💕95⭐🥰555👄0🌸189"]),
        ("call 213x555x0148 or 021 _ 95550 _ 0120", ["213x555x0148", "021 _ 95550 _ 0120"]),
        ("ph +63 ~ 906 ~ 555 ~ 0168 | 832=555=0189", ["+63 ~ 906 ~ 555 ~ 0168", "832=555=0189"]),
        ("callme4155550137now or tel+523355500164ok", ["4155550137", "+523355500164"]),
        ("cell: 07\u200d66\u200b\ufeff-\u206055\u2060\u200b5-027 now", ["07\u200d66\u200b\ufeff-\u206055\u2060\u200b5-027"]),
        ("cell: +91.985\xad55.0\xad104\xad2 ok", ["+91.985\xad55.0\xad104\xad2"]),
        ("Tel ०९८५५५ ०१०४० or ๐๘๑ ๕๕๕ ๐๑๓๗ or +٩١ ٩٨٥٥٥ ٠١٠٥٤", ["०९८५५५ ०१०४०", "๐๘๑ ๕๕๕ ๐๑๓๗", "+٩١ ٩٨٥٥٥ ٠١٠٥٤"]),
        ("call ５５－５５５０－０１７９ now", ["５５－５５５０－０１７９"]),
        ("WhatsApp +7g035S50I4B", ["+7g035S50I4B"]),
        # split over lines holding nothing else; extensions; numbers in URLs
        ("call\n+52\n😘 81\n😘 5550\n😘 0148", ["+52\n😘 81\n😘 5550\n😘 0148"]),
        ("Fax: 345-899-3560x4587 or 403-555-0169 extension 790", ["345-899-3560x4587", "403-555-0169 extension 790"]),
        ("Desk: +1-903-140-4508x769", ["+1-903-140-4508x769"]),
        ("+1-984-182-0190 mobile", ["+1-984-182-0190"]),
        ("tap tel:+40766555054 or https://book.example.net/call/415-555-0137", ["+40766555054", "415-555-0137"]),
        ("Phone:\n467 3395\n", ["467 3395"]),
        # near-misses: something else explains the digits
        ("Hungary 34796\n(37) 788-063-Office", ["(37) 788-063"]),
        ("born 6/24/1991, DOB 2015-12-22, expires 22.01.1979", []),
        ("nanny in Spain, 1800-2200 EUR monthly, 60/90/120 min, 180/280/380", []),
        ("Customer no. 114-801-5328, Invoice No. 1640553952, MLS# 0796716567", []),
        ("Ref. 058 934 6731 — Booking reference 025-605-5493 — Post 176-926-8877", []),
        ("Tracking number 9400 19691 2186 6577 2505 1812 76, out for delivery", []),
        ("IMEI 35-921789-485287-7, ISBN/EAN 978-0-511-77125-3, barcode 5903402325245", []),
        ("Here's my SSN: 460-89-9847. SSS No. 11-5559573-5, TIN 322-555-411-000", []),
        ("card number 4111 1111 1111 1111 and my card 347415977307943", []),
        ("keep getting address 179.177.214.91 blocked", []),
        ("The restaurant is at 17151 2450 Crown St", []),
        ("1 2 3 4 5 6 7 8 9 10 — I love counting", []),
        ("two girls, one hour, dos por uno", []),
        ("  0.1× \n      \n     \n  0.2× \n     \n   0.5× \n  \n  0.8× \n   1× \n  1.25× \n 2× ", []),  # chart ticks
        ("4,000. 18.50, 0.275; prices", []),
        ("new # 415 555 0137", ["415 555 0137"]),  # '#' as 'number' is not an id cue
    ],
)
def test_disguised_phones_and_what_is_not_a_phone(text, expected):
    assert found(WORLD, text, "PHONE_NUMBER") == expected


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
        ("sc mia_4u and snap me ana_real", ["mia_4u", "ana_real"]),
        ("sweet_ana_06 snap or kara_lux (IG) or yuki.ro on insta", ["sweet_ana_06", "kara_lux", "yuki.ro"]),
        ("👻 the.roxy_real, X: tanya_ph, Line ID roxy22, 📸 kara_new", ["the.roxy_real", "tanya_ph", "roxy22", "kara_new"]),
        (
            "see www.instagram[.]com/joy_real or tiktok.com/@dani_x or onlyfans.com/babyroxy_99",
            ["www.instagram[.]com/joy_real", "tiktok.com/@dani_x", "onlyfans.com/babyroxy_99"],
        ),
        ("ig photos are real, snap decisions, my ig is private, line up, OF course", []),
        ("Snapchat filters make everyone pretty", []),
        ("Viber: viber://chat?number=123", []),
        ("WeChat ID lina_88 or snap 👉 mia_4u or dani.x 👻", ["lina_88", "mia_4u", "dani.x"]),
        ("see instagram.com/explore for more", []),
        # a platform word that ends a longer word is not a cue: no handle 'ethicscheck.base' on LINE
        ("ethicscheck.baseline-audit, report.online, my.disc, the.big one", []),
        ("kara.lux line, mia_4usnap, yuki.ro_ig", ["kara.lux", "mia_4u", "yuki.ro_"]),
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
        ("https://t(dot)me/priya_xo or hxxps://wa[.]me/79165550172", ["https://t(dot)me/priya_xo", "hxxps://wa[.]me/79165550172"]),
        ("message me t . me/real_dani4u 24/7", ["t . me/real_dani4u"]),
        ("wa(.)me slash 2348135550127 or telegram(dot)me slash ioana_k", ["wa(.)me slash 2348135550127", "telegram(dot)me slash ioana_k"]),
        ("Viber: viber://chat?number=%2B528155500103 o", ["viber://chat?number=%2B528155500103"]),
        ("👉 line.me/ti/p/~lexi_06 or https://line.me/R/ti/p/@itsioana4u", ["line.me/ti/p/~lexi_06", "https://line.me/R/ti/p/@itsioana4u"]),
        ("stand in line. Meet me at the station", []),
        ("t.me/ is blocked here", []),
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
        (
            "btc 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"],
        ),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.", ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"]),
        (
            "taproot bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"],
        ),
        ("split 1BvBMSEYstWetqTFn5Au \n4m4GFg7xJaNVN2 ok", ["1BvBMSEYstWetqTFn5Au \n4m4GFg7xJaNVN2"]),
        ("broken 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3 and bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", []),
        ("commit 3f9a1c2b7d4e5f60718293a4b5c6d7e8f9012345 is no wallet", []),
        ("line one 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\nThanks", ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"]),
        # broken over more than two lines; a line of text after the address is not part of it
        ("btc:\n1BvBMSEYstW\netqTFn5Au4m\n4GFg7xJaNVN2\nthanks", ["1BvBMSEYstW\netqTFn5Au4m\n4GFg7xJaNVN2"]),
        ("bc1qw508d6qe\n jxtdg4y5r3za\nrvary0c5xw7k\nv8f3t4\ntake care", ["bc1qw508d6qe\n jxtdg4y5r3za\nrvary0c5xw7k\nv8f3t4"]),
        ("3J98t1\nWpEZ73\nCNmQvi\necrnyi\nWrnqRh\nWNLy", ["3J98t1\nWpEZ73\nCNmQvi\necrnyi\nWrnqRh\nWNLy"]),
        ("1BvBMSEYstW\netqTFn5Au4m\n4GFg7xJaNVN3", []),  # one character off: the checksum fails on every cut
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
        ("call Four-Oh-Three or call Sero Siyam", []),
    ],
)
def test_name_cues(text, expected):
    assert found(NameCueRecognizer(), text, "PERSON") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail joy@example.com", ["joy@example.com"]),
        (
            "rosie_137 -at- yahoo dot ro, kara_m1715 at yahoo dot co dot uk",
            ["rosie_137 -at- yahoo dot ro", "kara_m1715 at yahoo dot co dot uk"],
        ),
        ("reach me at lucia_vip639 AT rediffmail period com anytime", ["lucia_vip639 AT rediffmail period com"]),
        ("zara1286 {at} yandex{dot}ru / kittya49 [@] yahoo[.]com", ["zara1286 {at} yandex{dot}ru", "kittya49 [@] yahoo[.]com"]),
        ("lucia.xo832(@)protonmail.com or olesya_a1402(at)yandex(.)ru", ["lucia.xo832(@)protonmail.com", "olesya_a1402(at)yandex(.)ru"]),
        (
            "paolak1572 arroba live punto com; mia_1102 sobaka protonmail tochka com",
            ["paolak1572 arroba live punto com", "mia_1102 sobaka protonmail tochka com"],
        ),
        ("mei.m89 a rond aol punct com", ["mei.m89 a rond aol punct com"]),
        ("amaram737 エット outlook ドット com", ["amaram737 エット outlook ドット com"]),
        (
            "tanyaa874#gmail.com and lia_30ⓐbol.com.br and amara_k988＠live.com",
            ["tanyaa874#gmail.com", "lia_30ⓐbol.com.br", "amara_k988＠live.com"],
        ),
        ("send your intro to amaram1497 📧 gmail.com", ["amaram1497 📧 gmail.com"]),
        ("contact r u b y m 5 8 6 @ a o l . c o m / now", ["r u b y m 5 8 6 @ a o l . c o m"]),
        # near-misses
        ("meet at 9 dot thirty at the mall dot com-plex", []),
        ("ig @anna.work22 and fansly @stella.k", []),
        ("rooms at hotel dot com prices", []),
        # a file name's extension after the address is not part of it
        ("jane@corpmail.com.csv", ["jane@corpmail.com"]),
        ("out/anna.k@mail.co.uk.json", ["anna.k@mail.co.uk"]),
        ("a@b.example.csv and icon@2x.png", []),
    ],
)
def test_emails(text, expected):
    assert found(DisguisedEmailRecognizer(), text, "EMAIL_ADDRESS") == expected


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from([*"@@ab_.Z9/ \n-", "é", "@mia_4u", "x@", "@@lola777", "snap "]), max_size=16).map("".join))
def test_the_bare_handle_pattern_opens_with_its_at_sign_and_matches_as_the_lookbehind_first_form(text):
    lookbehind_first = re.compile(r"(?<![\w.@/])(?P<value>@[A-Za-z][A-Za-z0-9_.]{2,29}[A-Za-z0-9_])(?![\w@])")
    (bare,) = [re.compile(p[0]) for p in SocialHandleRecognizer.PATTERNS if p[1] == 0.45]
    assert [m.span("value") for m in bare.finditer(text)] == [m.span("value") for m in lookbehind_first.finditer(text)]


_ADDRESS_PIECES = [*"@@ab_.Z9+-% \n", "é", "x" * 70, "rosie_137", "@gmail.com", " at ", "yahoo.ro", "[.]", "(at)"]


class _WholeView(DisguisedEmailRecognizer):
    ANCHOR = None


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=14).map("".join))
def test_an_anchored_recognizer_finds_what_it_finds_reading_the_whole_view(text):
    assert DisguisedEmailRecognizer.ANCHOR == ("@", 64)
    found = [(r.start, r.end, r.score) for r in DisguisedEmailRecognizer().analyze(text, ["EMAIL_ADDRESS"])]
    assert [(r.start, r.end, r.score) for r in _WholeView().analyze(text, ["EMAIL_ADDRESS"])] == found
