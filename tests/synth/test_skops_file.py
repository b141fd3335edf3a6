from __future__ import annotations

import zipfile

import numpy as np
import skops.io as sio

from ethicscheck.synth import generate_ads, train_demo_model
from ethicscheck.synth._skops_file import dump_skops_reproducibly


def test_demo_model_file_is_the_same_bytes_for_the_same_ads_and_seed(tmp_path):
    ads = generate_ads(300, seed=5)
    # two fits: different Python objects (skops would name their arrays after different object ids)
    first = train_demo_model(ads["text"], ads["label"], tmp_path / "first.skops", seed=5).read_bytes()
    second = train_demo_model(ads["text"], ads["label"], tmp_path / "second.skops", seed=5).read_bytes()
    assert first == second
    other_seed = generate_ads(300, seed=6)
    assert train_demo_model(other_seed["text"], other_seed["label"], tmp_path / "other.skops", seed=6).read_bytes() != first


def test_canonical_file_loads_as_the_model_skops_itself_saved(tmp_path):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    ads = generate_ads(300, seed=5)
    texts = list(ads["text"])
    model = Pipeline([("tfidf", TfidfVectorizer(ngram_range=(1, 2))), ("classifier", LogisticRegression())]).fit(texts, ads["label"])
    sio.dump(model, tmp_path / "skops.skops")
    path = dump_skops_reproducibly(model, tmp_path / "canonical.skops")
    assert sio.get_untrusted_types(file=path) == []
    loaded, reference = sio.load(path, trusted=[]), sio.load(tmp_path / "skops.skops", trusted=[])
    # saved as null ("not checked yet"): an id() of the fitting process means nothing in this one
    assert loaded.named_steps["tfidf"]._stop_words_id is None
    np.testing.assert_array_equal(loaded.predict_proba(texts), reference.predict_proba(texts))
    assert loaded.named_steps["tfidf"].vocabulary_ == reference.named_steps["tfidf"].vocabulary_
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    assert {m.date_time for m in members} == {(1980, 1, 1, 0, 0, 0)}
    assert members[-1].filename == "schema.json"
    assert all(m.filename.split(".")[0].isdigit() for m in members[:-1])  # renumbered from 1, not object ids


def test_shared_objects_keep_one_id_and_files_are_named_in_schema_order(tmp_path):
    shared = np.arange(4.0)
    obj = {"a": shared, "b": shared, "blob": b"\x00\x01", "other": np.ones(2)}
    path = dump_skops_reproducibly(obj, tmp_path / "obj.skops")
    loaded = sio.load(path, trusted=[])
    assert loaded["a"] is loaded["b"]  # one object in, one object out
    np.testing.assert_array_equal(loaded["other"], np.ones(2))
    assert loaded["blob"] == b"\x00\x01"
    names = zipfile.ZipFile(path).namelist()
    assert names == ["2.npy", "3.bin", "4.npy", "schema.json"]  # the dict is 1; its values in order, the shared array once
    fresh = np.arange(4.0)
    again = {"a": fresh, "b": fresh, "blob": b"\x00\x01", "other": np.ones(2)}  # new objects: new object ids
    assert dump_skops_reproducibly(again, tmp_path / "again.skops").read_bytes() == path.read_bytes()


def test_a_file_layout_it_does_not_know_is_written_as_skops_wrote_it(tmp_path, monkeypatch):
    import io

    written = io.BytesIO(sio.dumps({"file": np.ones(2)}))  # a user key named like skops' own "file" entry
    with zipfile.ZipFile(written, "a") as archive:
        archive.writestr("unreferenced.npy", b"")  # a member schema.json does not name: a future skops layout
    monkeypatch.setattr(sio, "dumps", lambda obj: written.getvalue())
    assert dump_skops_reproducibly(object(), tmp_path / "kept.skops").read_bytes() == written.getvalue()
