"""Build adult_extract.csv: a seeded random sample of UCI Adult's training file (see PROVENANCE.md).

Run: python benchmarks/data/adult/build.py PATH/TO/adult.data   (UCI's file, with or without a header line)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation", "relationship",
    "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country", "income",
]  # fmt: skip
ROWS, SEED = 4000, 20261202


def main(source: Path) -> None:
    frame = pd.read_csv(source, header=None, names=COLUMNS, skipinitialspace=True, na_values=["?"], comment="|")
    frame = frame[frame["age"] != "age"]  # a header line, if the copy has one
    assert len(frame) == 32_561, len(frame)
    sample = frame.sample(n=ROWS, random_state=SEED).sort_index()
    sample.to_csv(Path(__file__).with_name("adult_extract.csv"), index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
