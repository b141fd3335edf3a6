"""One small dataset, model set and config writer shared by every corpus case (built once, in a temp folder)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

MODELS = """
import sys
import numpy as np

def score(frame):
    return 1 / (1 + np.exp(-frame["x1"].to_numpy(dtype=float)))

def labels(frame):
    return (frame["x1"] > 0).astype(int).to_numpy()

def label_words(frame):
    return np.where(frame["x1"] > 0, "trafficking", "benign")

def numeric_strings(frame):
    return np.array(["0.9"] * len(frame), dtype=object)

def mixed(frame):
    return np.array([1, "x"] * (len(frame) // 2) + [1] * (len(frame) % 2), dtype=object)

def three_columns(frame):
    return np.full((len(frame), 3), 1 / 3)

def nan_scores(frame):
    out = np.full(len(frame), 0.3)
    out[0] = np.nan
    return out

def none_labels(frame):
    return [None] + [1] * (len(frame) - 1)

def three_labels(frame):
    return np.arange(len(frame)) % 3

def echo_text(frame):
    return np.array(["Call Anna on +44 7700 900123"] * len(frame), dtype=object)

def out_of_range(frame):
    return np.full(len(frame), 7.5)

def wrong_length(frame):
    return np.zeros(len(frame) + 1)

def empty(frame):
    return []

def raises(frame):
    raise ValueError("could not convert string to float: 'Call Anna on +44 7700 900123 for work abroad'")

def exits(frame):
    sys.exit(3)

def exits_zero(frame):
    sys.exit(0)

def keyboard(frame):
    raise MemoryError()

not_callable = 3
"""

BROKEN_MODULE = "raise RuntimeError('import-time failure')\n"


class Workspace:
    """Files every case can point at, under ``root``."""

    def __init__(self, root: Path) -> None:
        from sklearn.linear_model import LogisticRegression

        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(0)
        n = 240
        frame = pd.DataFrame(
            {
                "row_id": np.arange(n),
                "x1": rng.normal(size=n),
                "x2": rng.normal(size=n),
                "group": rng.choice(["a", "b"], n),
                "text": [f"Ad {i}: work abroad, call +44 7700 900{i % 1000:03d} or write to agent{i}@corpmail.com" for i in range(n)],
            }
        )
        frame.loc[0, "group"] = "<script>alert(1)</script>"  # one row: suppressed, and escaped wherever it appears
        frame["label"] = (frame["x1"] + rng.normal(0, 0.7, n) > 0).astype(int)
        frame["flagged"] = (frame["x1"] > 0).astype(int)
        self.frame = frame
        self.data = root / "data.csv"
        frame.to_csv(self.data, index=False)
        (root / "models.py").write_text(MODELS)
        (root / "broken_import.py").write_text(BROKEN_MODULE)
        self.estimator = LogisticRegression().fit(frame[["x1", "x2"]], frame["label"])
        import skops.io as sio

        sio.dump(self.estimator, root / "model.skops")
        (root / "empty.csv").write_text("")
        (root / "latin1.csv").write_bytes("group,label\n\xe9t\xe9,1\n".encode("latin-1") + b"\xff\xfe,0\n")
        (root / "a_file").write_text("not a folder")
        self.markers = root / "markers"
        self.markers.mkdir()

    urls: list[str] = []  # the running misbehaving servers of the current case

    def url(self, index: int) -> str:
        return self.urls[index]

    def dead_url(self) -> str:
        from tests.servers import free_port

        return f"http://127.0.0.1:{free_port()}"

    def report(self) -> str:
        """A complete report folder of a small audit (written once)."""
        folder = self.root / "reports" / "base"
        if not (folder / "audit.json").is_file():
            from tests.robustness.run import run_in_process

            code, _, err, _ = run_in_process(["audit", "--config", self.config("base"), "--out", str(folder)])
            assert code in (0, 1), err
        return str(folder)

    def report_with_card(self, card: dict[str, Any]) -> str:
        """The base report's audit.json with ``card`` merged into its stored card settings."""
        import json

        data = json.loads((Path(self.report()) / "audit.json").read_text())
        data["run"]["config"]["card"] = {**data["run"]["config"].get("card", {}), **card}
        name = "card_" + "_".join(card)
        return str(self.write(f"{name}/audit.json", json.dumps(data)))

    def marker(self, name: str) -> Path:
        return self.markers / name

    def pickle_payload(self, name: str) -> Path:
        from tests.payloads import pickle_payload

        return pickle_payload(self.root / name, self.marker(name))

    def mlflow_folder(self, variant: str) -> Path:
        from tests.payloads import mlflow_folder

        folder = self.root / f"mlflow_{variant.replace('+', '_')}"
        if not folder.exists():
            mlflow_folder(folder, self.marker(f"mlflow_{variant}"), variant=variant, model=self.estimator)
        return folder

    def config(self, name: str, *, model: dict[str, Any] | None = None, **sections: Any) -> str:
        """Write ``<name>.yaml`` (tracking off, a cheap bootstrap) with the given sections merged in; return its path."""
        raw: dict[str, Any] = {
            "name": name,
            "data": {"path": str(self.data), "label": {"column": "label"}, "sensitive_features": [{"column": "group"}]},
            "model": model or {"kind": "precomputed", "decision_column": "flagged"},
            "fairness": {"n_boot": 20},
            "privacy": {"enabled": False},
            "tracking": {"enabled": False},
        }
        for key, value in sections.items():
            raw[key] = {**raw[key], **value} if isinstance(value, dict) and isinstance(raw.get(key), dict) else value
        path = self.root / f"{name}.yaml"
        path.write_text(yaml.safe_dump(raw, sort_keys=False))
        return str(path)

    def comparisons_config(self, name: str, change: Any = None, **sections: Any) -> str:
        """A face-matching audit (``task: verification``) of a small comparisons table, after ``change(table)``."""
        rng = np.random.default_rng(1)
        people = [(f"p{i}", "F" if i % 2 else "M") for i in range(20)]
        rows = [(a, b, sa, sb, float(rng.normal()), 0) for (a, sa) in people for (b, sb) in people if a < b]
        rows += [(a, a, sa, sa, float(rng.normal(3)), 1) for (a, sa) in people]
        table = pd.DataFrame(rows, columns=["subject_a", "subject_b", "sex_a", "sex_b", "similarity", "same_person"])
        table = change(table) if change is not None else table
        path = self.root / f"{name}.csv"
        table.to_csv(path, index=False)
        raw: dict[str, Any] = {
            "name": name,
            "task": "verification",
            "data": {"path": str(path), "label": {"column": "same_person"}, "sensitive_features": [{"column": "sex"}]},
            "verification": {"score_column": "similarity", "targets": [0.01]},
            "fairness": {"n_boot": 20},
            "tracking": {"enabled": False},
        }
        for key, value in sections.items():
            raw[key] = {**raw[key], **value} if isinstance(value, dict) and isinstance(raw.get(key), dict) else value
        config = self.root / f"{name}.yaml"
        config.write_text(yaml.safe_dump(raw, sort_keys=False))
        return str(config)

    def callable_config(self, name: str, function: str, **model: Any) -> str:
        return self.config(
            name, model={"kind": "callable", "target": f"{self.root / 'models.py'}:{function}", "input_columns": ["x1", "x2"], **model}
        )

    def out(self, name: str) -> str:
        return str(self.root / "reports" / name)

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return path


def unpickled_payload_is_harmless() -> bytes:
    """Bytes that unpickle to a plain dict: a file that is a pickle but runs nothing."""
    return pickle.dumps({"not": "a model"})
