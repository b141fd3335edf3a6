"""Group values read in batches get the in-memory audit's personal-data rule (the self-scan's recognizers)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ethicscheck._personal_data import protect_inputs
from ethicscheck.config import config_from_dict
from ethicscheck.data import Dataset
from ethicscheck.engines._batches import RoleTally, group_layout, prepare_batch
from ethicscheck.errors import PersonalDataError

#: A social handle and a messenger link the recognizers see and the plain patterns do not, and a phone both see.
CONTACTS = ("sc janedoe99", "t.me/lina_k22", "+44 7700 900123")


def _config(**privacy):  # type: ignore[no-untyped-def]
    return config_from_dict(
        {
            "name": "batches",
            "data": {
                "path": "ads.csv",
                "label": {"column": "label"},
                "sensitive_features": [{"column": "recruiter"}, {"column": "age", "bins": [30, 40]}],
            },
            "model": {"kind": "precomputed", "decision_column": "flagged"},
            "privacy": privacy,
        }
    )


def _batches() -> list[pd.DataFrame]:
    recruiter = ["agency", *CONTACTS, " sc janedoe99 ", None]
    frame = pd.DataFrame({"recruiter": recruiter, "age": [25, 35, 45, 22, 31, 40], "label": [1, 0, 1, 0, 1, 0], "flagged": 0})
    frame["recruiter"] = frame["recruiter"].astype("category")
    return [frame.iloc[:3].reset_index(drop=True), frame.iloc[3:].reset_index(drop=True)]


def test_group_values_with_contact_data_become_the_in_memory_audits_pseudonyms():
    config = _config()
    roles = RoleTally.empty(config)
    for batch in _batches():
        roles.add(batch, config, "ads.csv")
    roles.protect(config)
    whole = pd.concat(_batches(), ignore_index=True)
    in_memory = protect_inputs(
        config, Dataset(whole, whole["label"].to_numpy(), Path("ads.csv"), "", "label", ("recruiter", "age"), None, None)
    )
    assert {k: v for k, v in in_memory.pseudonyms.items() if k in CONTACTS} == {c: roles.pseudonyms[c] for c in CONTACTS}
    assert in_memory.pseudonyms[" sc janedoe99 "] == roles.pseudonyms["sc janedoe99"]  # one group, as without pseudonyms
    labels, joint = group_layout(config, roles)
    published = " ".join(labels[0])
    assert "agency" in published and not any(part in published for part in ("janedoe99", "lina_k22", "900123"))
    seen = []
    for batch in _batches():
        prepared = prepare_batch(config, batch, labels, joint.shape, path=Path("ads.csv"), sha256="", pseudonyms=roles.pseudonyms)
        assert prepared is not None
        seen += [str(v) for v in prepared.frame["recruiter"]]
        assert (prepared.encodings[1].codes >= 0).all()  # the binned feature is untouched
    assert not any(part in " ".join(seen) for part in ("janedoe99", "lina_k22", "900123"))
    assert seen.count(roles.pseudonyms["sc janedoe99"]) == 2  # the padded copy is the same group


def test_stop_names_the_column_and_not_the_value():
    config = _config(on_personal_data="stop")
    roles = RoleTally.empty(config)
    roles.add(_batches()[0], config, "ads.csv")
    with pytest.raises(PersonalDataError, match="data column 'recruiter' holds contact data") as raised:
        roles.protect(config)
    assert not any(part in str(raised.value) for part in ("janedoe99", "lina_k22", "900123"))
