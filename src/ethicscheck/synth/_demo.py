"""Build the demo's inputs: a train/eval split of the synthetic corpus and a naive text model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ethicscheck.synth._corpus import generate_ads
from ethicscheck.synth._skops_file import dump_skops_reproducibly

__all__ = ["DemoInputs", "build_demo_inputs", "train_demo_model", "DEMO_TRUSTED_TYPES"]

#: Types in the demo pipeline that skops does not trust by default (checked with get_untrusted_types).
DEMO_TRUSTED_TYPES: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoInputs:
    """Where the demo's generated files are."""

    train_path: Path
    eval_path: Path
    model_path: Path


def build_demo_inputs(folder: Path, *, seed: int = 0, n_train: int = 8000, n_eval: int = 4000) -> DemoInputs:
    """Generate the corpus split and train the demo model into ``folder``.

    The evaluation split is drawn with a different seed from the training split, so no ad is shared.
    The same seed gives the same three files, byte for byte, on every build.

    Parameters
    ----------
    folder : Path
        Output folder (created).
    seed : int
        Seed of the training split; the evaluation split uses ``seed + 1``.
    n_train, n_eval : int
        Number of ads in each split.
    """
    folder.mkdir(parents=True, exist_ok=True)
    train_path = folder / "ads_train.parquet"
    eval_path = folder / "ads_eval.parquet"
    model_path = folder / "demo_model.skops"
    train = generate_ads(n_train, seed=seed, id_prefix="train")
    evaluation = generate_ads(n_eval, seed=seed + 1, id_prefix="eval")
    train.to_parquet(train_path, index=False)
    evaluation.to_parquet(eval_path, index=False)
    train_demo_model(train["text"], train["label"], model_path, seed=seed)
    return DemoInputs(train_path=train_path, eval_path=eval_path, model_path=model_path)


def train_demo_model(texts: Iterable[str], labels: Iterable[int], path: Path, *, seed: int = 0) -> Path:
    """Fit TF-IDF + logistic regression on ad texts and save it with skops.

    This is the naive model the demo audits: it sees only the words, so it picks up nationality
    words and harmless cues that co-occur with labelled ads. The same texts, labels and seed give the
    same file, byte for byte (so the model digest in ``audit.json`` and the card is the same on every build).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    model = Pipeline(
        [
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
            ("classifier", LogisticRegression(C=2.0, max_iter=2000, random_state=seed)),
        ]
    )
    model.fit(list(texts), list(labels))
    dump_skops_reproducibly(model, path)
    return path
