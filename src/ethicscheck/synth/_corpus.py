"""A seeded synthetic corpus of recruitment ads with planted bias and planted personal data.

Each ad is either benign or carries forced-labour indicators (the ILO's: deception, withheld
documents, debt bondage, restricted movement, withheld wages, isolation, excessive hours). Two kinds of
skew are planted on purpose, mirroring what is known of real data in this field:

* labelled ads mention some nationalities (``OVER_FLAGGED``) more often than others (labels come from
  investigations that looked at those groups more), so a naive text model learns the nationality word
  itself as a cue: swapping only the word changes its scores (what the term-swap probes measure);
* benign ads for those groups somewhat more often use harmless cues that also appear in labelled ads
  (visa sponsorship, accommodation, travel arranged), which adds to how often the model wrongly flags
  them. This proxy must stay weaker than the label skew: when benign ads of a group carry the cues much
  more often than others', a cue in such an ad is weaker evidence, and the model learns a *negative*
  weight for the group's word (the generator's defaults before #19 did that: 55% of benign over-flagged
  ads carried a cue, and the demo's over-flagging came from the cues alone).

Every ad carries invented contact details with ground-truth character spans (``pii`` column, a JSON
list of ``{start, end, entity_type, obfuscated}``), so the privacy scanner's detection rate can be
measured exactly.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

import pandas as pd

from ethicscheck._serialize import Serializable
from ethicscheck.synth import _vocabulary as vocab

__all__ = ["generate_ads", "CorpusSpec", "PiiSpan"]


@dataclass(frozen=True)
class CorpusSpec:
    """Knobs of the generator; the defaults are what the demo uses."""

    base_rate: float = 0.18
    over_flagged_base_rate: float = 0.45
    benign_shared_cue_rate: float = 0.12
    over_flagged_shared_cue_rate: float = 0.25
    label_noise: float = 0.02
    obfuscated_phone_rate: float = 0.35
    indicator_weights: tuple[int, int, int, int] = (30, 35, 25, 10)
    over_flagged: frozenset[str] = field(default=vocab.OVER_FLAGGED)


@dataclass(frozen=True)
class PiiSpan(Serializable):
    """One planted piece of personal data: ``text[start:end]`` is the value."""

    start: int
    end: int
    entity_type: str
    obfuscated: bool = False


def generate_ads(n: int, *, seed: int = 0, spec: CorpusSpec | None = None, id_prefix: str = "ad") -> pd.DataFrame:
    """Generate ``n`` synthetic recruitment ads.

    Parameters
    ----------
    n : int
        Number of ads.
    seed : int
        Same seed, same ads (the generator uses :class:`random.Random`, stable across platforms).
    spec : CorpusSpec, optional
        Base rates and bias strengths.
    id_prefix : str
        Prefix of the ``ad_id`` column, so splits drawn with different seeds keep distinct ids.

    Returns
    -------
    DataFrame
        Columns ``ad_id, text, nationality, region, label, indicators, pii``. ``label`` is 1 for
        trafficking-related, 0 otherwise.

    Examples
    --------
    >>> ads = generate_ads(5, seed=1)
    >>> list(ads.columns)
    ['ad_id', 'text', 'nationality', 'region', 'label', 'indicators', 'pii']
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    spec = spec or CorpusSpec()
    rng = random.Random(seed)
    rows = [_one_ad(rng, spec, f"{id_prefix}-{i:06d}") for i in range(n)]
    return pd.DataFrame(rows, columns=["ad_id", "text", "nationality", "region", "label", "indicators", "pii"])


def _one_ad(rng: random.Random, spec: CorpusSpec, ad_id: str) -> dict[str, object]:
    nationality = vocab.NATIONALITIES[0] if rng.random() < 0.3 else rng.choice(vocab.NATIONALITIES[1:])
    region = rng.choice(vocab.REGIONS)
    skewed = nationality in spec.over_flagged
    base = spec.over_flagged_base_rate if skewed else spec.base_rate
    trafficking = rng.random() < base + (0.05 if region == "border" else 0.0)

    job = rng.choice(vocab.JOBS)
    fill = {
        "company": rng.choice(vocab.COMPANIES),
        "job": job,
        "job_cap": job[0].upper() + job[1:],
        "city": rng.choice(vocab.CITIES),
        "nationality": nationality,
        "wage": f"${rng.randint(12, 24)}.{rng.choice(['00', '50'])}",
        "big": f"${rng.randint(3, 9)},000",
    }
    sentences = [rng.choice(vocab.OPENERS)]
    if nationality != vocab.NATIONALITIES[0]:
        sentences.append(rng.choice(vocab.NATIONALITY_MENTIONS))
    indicators: list[str] = []
    if trafficking:
        # Labels come from investigations, not from the text: many labelled ads show no indicator.
        n_indicators = rng.choices((0, 1, 2, 3), weights=spec.indicator_weights)[0]
        indicators = rng.sample(sorted(vocab.INDICATORS), n_indicators)
        sentences += [rng.choice(vocab.INDICATORS[name]) for name in indicators]
        sentences += rng.sample(vocab.SHARED_CUES, rng.randint(1, 3))
        if rng.random() < 0.5:  # deceptive ads borrow the look of fair ones
            sentences.append(rng.choice(vocab.FAIR_PAY))
            sentences += rng.sample(vocab.FAIR_CONDITIONS, rng.randint(0, 1))
    else:
        if rng.random() < 0.8:
            sentences.append(rng.choice(vocab.FAIR_PAY))
        sentences += rng.sample(vocab.FAIR_CONDITIONS, rng.randint(0, 2))
        cue_rate = spec.over_flagged_shared_cue_rate if skewed else spec.benign_shared_cue_rate
        if rng.random() < cue_rate:
            sentences += rng.sample(vocab.SHARED_CUES, rng.randint(1, 3))
    head = sentences[:1]
    body = sentences[1:]
    rng.shuffle(body)
    text, spans = _with_contacts(" ".join(s.format(**fill) for s in head + body), rng, spec)

    label = int(trafficking)
    if rng.random() < spec.label_noise:
        label = 1 - label
    return {
        "ad_id": ad_id,
        "text": text,
        "nationality": nationality,
        "region": region,
        "label": label,
        "indicators": ",".join(indicators),
        "pii": json.dumps([s.to_dict() for s in spans]),
    }


def _with_contacts(text: str, rng: random.Random, spec: CorpusSpec) -> tuple[str, list[PiiSpan]]:
    """Append one to three contact details, recording where each planted value sits."""
    name = rng.choice(vocab.FIRST_NAMES)
    digits = rng.choice(vocab.AREA_CODES) + "555" + f"01{rng.randint(0, 99):02d}"
    pieces: list[tuple[str, str, str, bool]] = []  # (before, entity, value, obfuscated)
    kinds = rng.sample(["name", "phone", "email", "handle", "link"], rng.randint(1, 3))
    if "phone" not in kinds and rng.random() < 0.6:
        kinds.append("phone")
    for kind in kinds:
        if kind == "name":
            pieces.append((rng.choice(["Ask for ", "Contact ", "Call and ask for ", "My name is "]), "PERSON", name, False))
        elif kind == "phone":
            obfuscated = rng.random() < spec.obfuscated_phone_rate
            value = obfuscate_phone(digits, rng) if obfuscated else format_phone(digits, rng)
            pieces.append((rng.choice(["Call ", "Text ", "WhatsApp ", "Phone: ", "Call or text "]), "PHONE_NUMBER", value, obfuscated))
        elif kind == "email":
            user = f"{name.lower()}{rng.choice(['.jobs', '_work', '', '.hr'])}{rng.randint(1, 99)}"
            pieces.append(("Email ", "EMAIL_ADDRESS", f"{user}@{rng.choice(vocab.EMAIL_DOMAINS)}", False))
        elif kind == "handle":
            platform = rng.choice(vocab.HANDLE_PLATFORMS)
            handle = f"{name.lower()}{rng.choice(['_jobs', '.work', 'hires', '_'])}{rng.randint(10, 99)}"
            pieces.append((f"{platform}: ", "SOCIAL_HANDLE", handle if rng.random() < 0.5 else "@" + handle, False))
        else:
            link = rng.choice([f"t.me/{name.lower()}jobs{rng.randint(10, 99)}", f"wa.me/1{digits}"])
            pieces.append(("Message us at ", "MESSENGER_LINK", link, False))
    spans: list[PiiSpan] = []
    for before, entity, value, obfuscated in pieces:
        text += " " + before
        spans.append(PiiSpan(len(text), len(text) + len(value), entity, obfuscated))
        text += value + "."
    return text, spans


def format_phone(digits: str, rng: random.Random) -> str:
    """A ten-digit North American number in one of the usual plain formats."""
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return rng.choice([f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", f"{a} {b} {c}"])


def obfuscate_phone(digits: str, rng: random.Random) -> str:
    """Write a number the way ads dodge filters: words, spacing, look-alike letters, odd digit forms."""
    style = rng.choice(["words", "mixed", "spaced", "lookalike", "fullwidth", "keycap", "circled", "math", "separated"])
    if style == "words":
        return " ".join(vocab.NUMBER_WORDS[int(d)] for d in digits)
    if style == "mixed":
        groups = [digits[:3], digits[3:6], digits[6:]]
        return " ".join("".join(vocab.NUMBER_WORDS[int(d)] if rng.random() < 0.5 else d for d in g) for g in groups)
    if style == "spaced":
        return " ".join(digits)
    if style == "lookalike":
        swapped = "".join(vocab.LOOKALIKES.get(d, d) if rng.random() < 0.7 else d for d in digits)
        if swapped == digits:  # make sure at least one look-alike letter is present
            swapped = digits.replace("0", "O", 1)
        return f"{swapped[:3]}-{swapped[3:6]}-{swapped[6:]}"
    if style == "fullwidth":
        wide = "".join(chr(ord(d) + vocab.FULLWIDTH_OFFSET) for d in digits)
        return f"{wide[:3]} {wide[3:6]} {wide[6:]}"
    if style == "keycap":
        return "".join(d + vocab.KEYCAP for d in digits)
    if style == "circled":
        return "".join("\u24ea" if d == "0" else chr(0x2460 + int(d) - 1) for d in digits)
    if style == "math":
        return "".join(chr(0x1D7CE + int(d)) for d in digits)
    separator = rng.choice([" dot ", "*", " - ", "/"])
    return separator.join([digits[:3], digits[3:6], digits[6:]])
