"""Counterfactual term-swap probes: does the model's decision change when only the identity term changes?

Lexicons of identity terms (nationality, ethnicity, language, religion, gender, LGBTQ; English and
Spanish) ship as YAML under ``probes/lexicons/``; :class:`TermMatcher` finds their mentions in a text and
swaps them for another term of the same lexicon, keeping grammar and case.
"""

from ethicscheck.probes._auc import IdentityAucs, delong_auc, identity_aucs
from ethicscheck.probes._lexicon import (
    CONTROL_LEXICON,
    LanguageTerms,
    Lexicon,
    Term,
    builtin_lexicon_names,
    load_lexicons,
    read_lexicon_file,
)
from ethicscheck.probes._result import LABEL_SLICES, LabelSlice, LexiconProbe, PairSwap, ProbeResult, TargetSwap
from ethicscheck.probes._run import DEFAULT_LEXICONS, ProbePlan, ProbeSettings, plan_probes, run_probes, texts_of
from ethicscheck.probes._stats import PairedTest, SwapStats, SwapSummary, mcnemar_exact, sign_test
from ethicscheck.probes._swap import Found, Mention, TermMatcher, detect_language

__all__ = [
    "CONTROL_LEXICON",
    "DEFAULT_LEXICONS",
    "IdentityAucs",
    "LABEL_SLICES",
    "LabelSlice",
    "LexiconProbe",
    "PairSwap",
    "PairedTest",
    "ProbePlan",
    "ProbeResult",
    "ProbeSettings",
    "SwapStats",
    "SwapSummary",
    "TargetSwap",
    "delong_auc",
    "identity_aucs",
    "mcnemar_exact",
    "sign_test",
    "plan_probes",
    "run_probes",
    "texts_of",
    "Found",
    "LanguageTerms",
    "Lexicon",
    "Mention",
    "Term",
    "TermMatcher",
    "builtin_lexicon_names",
    "detect_language",
    "load_lexicons",
    "read_lexicon_file",
]
