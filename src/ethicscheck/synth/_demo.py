"""Build the demo's inputs: a train/eval split of the synthetic corpus and a naive text model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ethicscheck._background import BackgroundFailed, start_in_background
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

    @classmethod
    def in_folder(cls, folder: Path) -> DemoInputs:
        """Where :func:`build_demo_inputs` writes the three files in ``folder``."""
        return cls(train_path=folder / "ads_train.parquet", eval_path=folder / "ads_eval.parquet", model_path=folder / "demo_model.skops")


def build_demo_inputs(
    folder: Path, *, seed: int = 0, n_train: int = 8000, n_eval: int = 4000, meanwhile: Callable[[], object] | None = None
) -> DemoInputs:
    """Generate the corpus split and train the demo model into ``folder``.

    The evaluation split is drawn with a different seed from the training split, so no ad is shared.
    The same seed gives the same three files, byte for byte, on every build.

    With ``meanwhile`` (work the caller would do next, such as building what its audit needs), the three files are
    written by a forked copy of this process on a second core while this one calls ``meanwhile``: the same files, a
    second or two sooner. The command line passes it; a caller with threads of its own should not (a fork copies only
    the calling thread, so the files are then written here).

    Parameters
    ----------
    folder : Path
        Output folder (created).
    seed : int
        Seed of the training split; the evaluation split uses ``seed + 1``.
    n_train, n_eval : int
        Number of ads in each split.
    meanwhile : callable, optional
        Called while the files are written (its return value is ignored).
    """
    folder.mkdir(parents=True, exist_ok=True)
    inputs = DemoInputs.in_folder(folder)
    write = partial(_write_inputs, inputs, seed=seed, n_train=n_train, n_eval=n_eval)
    if meanwhile is None:
        write()
        return inputs
    _import_training()  # once, here: the child inherits it, and loading the model file needs it here later
    job = start_in_background(write)
    try:
        meanwhile()
    except BaseException:
        if job is not None:
            job.cancel()
        raise
    try:
        if job is None:
            raise BackgroundFailed("not started")
        job.result()
    except BackgroundFailed:
        write()  # here, as without a second core: any error is this process's own, with its usual message
    return inputs


def _write_inputs(inputs: DemoInputs, *, seed: int, n_train: int, n_eval: int) -> None:
    train = generate_ads(n_train, seed=seed, id_prefix="train")
    evaluation = generate_ads(n_eval, seed=seed + 1, id_prefix="eval")
    train.to_parquet(inputs.train_path, index=False)
    evaluation.to_parquet(inputs.eval_path, index=False)
    train_demo_model(train["text"], train["label"], inputs.model_path, seed=seed)


def _import_training() -> None:
    """Import what training and saving the demo model use (scikit-learn, skops), before the process forks."""
    import skops.io  # noqa: F401
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: F401
    from sklearn.linear_model import LogisticRegression  # noqa: F401
    from sklearn.pipeline import Pipeline  # noqa: F401


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
