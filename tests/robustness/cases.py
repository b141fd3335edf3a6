"""The robustness corpus: bad inputs and failing environments, each with the exit code and words it must produce.

Classes: config, data, consent (user code), outputs (what models return), http, tracking, reports
(saved audit.json), cli (flags), publication, atomic. Each case builds its argv from the shared
:class:`~tests.robustness.workspace.Workspace`; ``check`` looks at files afterwards (markers, reports).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.robustness.workspace import Workspace

Check = Callable[[Workspace], "str | None"]


@dataclass(frozen=True)
class Case:
    id: str
    klass: str
    argv: Callable[[Workspace], list[str]]
    code: tuple[int, ...]
    says: tuple[str, ...] = ()
    deadline: float = 60.0
    check: Check | None = None
    never_says: tuple[str, ...] = ()
    servers: tuple[str, ...] = field(default=())  # misbehaving servers to start; ws.url(i) is the i-th one's URL


FAIL = (2,)
RAN = (0, 1)  # the audit ran; its gates decide


def audit(config: Callable[[Workspace], str], out: str | None = None) -> Callable[[Workspace], list[str]]:
    return lambda ws: ["audit", "--config", config(ws), "--out", ws.out(out or Path(config(ws)).stem)]


def no_marker(name: str) -> Check:
    return lambda ws: f"payload marker {name} exists: user code ran without consent" if ws.marker(name).exists() else None


def has_marker(name: str) -> Check:
    return lambda ws: None if ws.marker(name).exists() else f"payload marker {name} missing: allow_pickle did not load the model's own code"


CASES: list[Case] = []


def case(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    CASES.append(Case(*args, **kwargs))


# ----------------------------------------------------------------------------------- config
case("config-missing", "config", lambda ws: ["audit", "--config", str(ws.root / "nope.yaml")], FAIL, ("nope.yaml", "does not exist"))
case(
    "config-not-yaml",
    "config",
    lambda ws: ["audit", "--config", str(ws.write("bad.yaml", "a: [1, 2\n"))],
    FAIL,
    ("bad.yaml", "not valid YAML"),
)
case(
    "config-a-list",
    "config",
    lambda ws: ["audit", "--config", str(ws.write("list.yaml", "- 1\n- 2\n"))],
    FAIL,
    ("list.yaml", "expected a mapping"),
)
case("config-unknown-field", "config", audit(lambda ws: ws.config("unknown", fairnes={"x": 1})), FAIL, ("fairnes", "unknown field"))
case("config-bad-name", "config", audit(lambda ws: ws.config("bad name")), FAIL, ("name",))
case("config-batch-size-0", "config", audit(lambda ws: ws.callable_config("batch0", "score", batch_size=0)), FAIL, ("batch_size",))
case(
    "config-bad-tracking-uri",
    "config",
    audit(lambda ws: ws.config("baduri", tracking={"enabled": True, "uri": "http://[::1"})),
    FAIL,
    ("tracking.uri", "Invalid IPv6 URL"),
)
case(
    "config-not-utf8",
    "config",
    lambda ws: ["audit", "--config", str(ws.write("latin.yaml", "name: \xe9t\xe9\n".encode("latin-1")))],
    FAIL,
    ("latin.yaml", "UTF-8"),
)
case("validate-bad-config", "config", lambda ws: ["validate", str(ws.write("v.yaml", "name: x\n"))], FAIL, ("v.yaml",))
case(
    "config-probe-template-slot",
    "config",
    audit(lambda ws: ws.config("template", probes={"templates": ["{nationality} staff wanted."]})),
    FAIL,
    ("probes", "templates", "{text} must appear exactly once"),
)
case("config-gate-unknown-metric", "config", audit(lambda ws: ws.config("gate", gates=[{"metric": "fpx", "threshold": 1}])), FAIL, ("fpx",))

# ----------------------------------------------------------------------------------- data
case("data-missing", "data", audit(lambda ws: ws.config("nodata", data={"path": str(ws.root / "missing.csv")})), FAIL, ("missing.csv",))
# membership_risk: the member and non-member files
case(
    "membership-same-file",
    "config",
    audit(lambda ws: ws.config("mia_same", membership_risk={"members": str(ws.data), "nonmembers": str(ws.data)})),
    FAIL,
    ("members and nonmembers are the same file",),
)
case(
    "membership-missing-file",
    "data",
    audit(lambda ws: ws.config("mia_missing", membership_risk={"members": str(ws.root / "train_rows.csv"), "nonmembers": str(ws.data)})),
    FAIL,
    ("membership_risk.members", "train_rows.csv", "does not exist"),
)
case(
    "membership-decisions-only",
    "data",
    audit(
        lambda ws: ws.config(
            "mia_noscore",
            membership_risk={"members": str(ws.write("members.csv", ws.frame.to_csv(index=False))), "nonmembers": str(ws.data)},
        )
    ),
    FAIL,
    ("membership_risk", "no scores"),
)
case(
    "membership-precomputed-file",
    "data",
    audit(
        lambda ws: ws.config(
            "mia_joined",
            model={"kind": "precomputed", "path": str(ws.data), "score_column": "x1", "score_is_probability": False},
            data={"id_column": "row_id"},
            membership_risk={"members": str(ws.write("members2.csv", ws.frame.to_csv(index=False))), "nonmembers": str(ws.data)},
        )
    ),
    FAIL,
    ("membership_risk", "model.path"),
)
case("data-empty", "data", audit(lambda ws: ws.config("emptydata", data={"path": str(ws.root / "empty.csv")})), FAIL, ("empty.csv",))
case("data-label-missing", "data", audit(lambda ws: ws.config("nolabel", data={"label": {"column": "verdict"}})), FAIL, ("verdict",))
case(
    "data-feature-missing",
    "data",
    audit(lambda ws: ws.config("nofeature", data={"sensitive_features": [{"column": "nation"}]})),
    FAIL,
    ("nation",),
)
case(
    "data-label-is-free-text",
    "data",
    audit(lambda ws: ws.config("freetext", data={"label": {"column": "text", "positive": "yes"}})),
    FAIL,
    ("text",),
    never_says=("7700", "corpmail", "work abroad"),
)
case(
    "data-decision-column-missing",
    "data",
    audit(lambda ws: ws.config("nodecision", model={"kind": "precomputed", "decision_column": "flag"})),
    FAIL,
    ("flag",),
)
case(
    "data-positive-absent",
    "data",
    audit(lambda ws: ws.config("nopositive", data={"label": {"column": "label", "positive": 7}})),
    FAIL,
    ("label",),
)


def _coded_groups(ws: Workspace) -> str:
    """The workspace table with zero-padded group codes ("007", "7", "010", "NA", blank): a CSV of them."""
    table = ws.frame[["row_id", "label", "flagged"]].assign(group=["007", "7", "010", "NA", ""] * (len(ws.frame) // 5))
    return str(ws.write("coded_groups.csv", table.to_csv(index=False)))


def _groups_read_as_written(name: str) -> Check:
    """The audit names the groups the file holds: "007" is not 7, "NA" is a group, only the blank cells are missing."""

    def check(ws: Workspace) -> str | None:
        document = json.loads((Path(ws.out(name)) / "audit.json").read_text(encoding="utf-8"))
        groups = [g["group"] for g in document["fairness"]["features"][0]["groups"]]
        return None if groups == ["007", "010", "7", "NA", "(missing)"] else f"groups {groups}, expected 007, 010, 7, NA, (missing)"

    return check


for _engine in ("pandas", "stream"):
    case(
        f"data-group-codes-read-as-written-{_engine}",
        "data",
        audit(lambda ws, e=_engine: ws.config(f"coded_{e}", data={"path": _coded_groups(ws), "engine": e, "id_column": "row_id"})),
        RAN,
        check=_groups_read_as_written(f"coded_{_engine}"),
    )

# Spark (data.engine: spark) stops with the in-memory engine's words. A local file's missing column and an unreachable
# master stop the audit before any JVM starts; label values are read by a first Spark job (one JVM start: a longer deadline).
if importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None:
    _SPARK = {"master": "local[1]", "conf": {"spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "1"}}
    case(
        "spark-label-missing",
        "data",
        audit(lambda ws: ws.config("spark_nolabel", data={"engine": "spark", "label": {"column": "verdict"}}, spark=_SPARK)),
        FAIL,
        ("verdict",),
    )
    case(
        "spark-feature-missing",
        "data",
        audit(
            lambda ws: ws.config("spark_nofeature", data={"engine": "spark", "sensitive_features": [{"column": "nation"}]}, spark=_SPARK)
        ),
        FAIL,
        ("nation",),
    )
    case(
        "spark-label-is-free-text",
        "data",
        audit(
            lambda ws: ws.config("spark_freetext", data={"engine": "spark", "label": {"column": "text", "positive": "yes"}}, spark=_SPARK)
        ),
        FAIL,
        ("text", "240 distinct values"),
        never_says=("7700", "corpmail", "work abroad"),
        deadline=900,
    )
    case(
        "spark-group-codes-read-as-written",
        "data",
        audit(
            lambda ws: ws.config("coded_spark", data={"path": _coded_groups(ws), "engine": "spark", "id_column": "row_id"}, spark=_SPARK)
        ),
        RAN,
        check=_groups_read_as_written("coded_spark"),
        deadline=900,
    )
    case(
        "spark-csv-skip-rows",
        "data",
        audit(lambda ws: ws.config("spark_skip", data={"engine": "spark", "skip_rows": 2}, spark=_SPARK)),
        FAIL,
        ("data.skip_rows", "cannot skip the 2 line(s)", "data.engine: stream"),
    )
    case(
        "spark-master-unreachable",
        "config",
        audit(lambda ws: ws.config("spark_master", data={"engine": "spark"}, spark={"master": "spark://127.0.0.1:9", "timeout_s": 5})),
        FAIL,
        ("spark://127.0.0.1:9", "did not answer", "spark.master"),
    )

# ----------------------------------------------------------------------------------- consent (user code)
for _variant in ("loader", "python_model", "custom", "pickle"):
    case(
        f"consent-mlflow-{_variant}-refused",
        "consent",
        audit(
            lambda ws, v=_variant: ws.config(
                f"mlflow_{v}", model={"kind": "mlflow", "uri": str(ws.mlflow_folder(v)), "input_columns": ["x1", "x2"]}
            )
        ),
        FAIL,
        ("would run code when loaded", "allow_pickle: true"),
        check=no_marker(f"mlflow_{_variant}"),
    )
for _variant in ("onnx+loader", "onnx+shadow", "skops+loader"):
    case(
        f"consent-mlflow-{_variant}-safe-flavor",
        "consent",
        audit(
            lambda ws, v=_variant: ws.config(
                f"mlflow_{v.replace('+', '_')}",
                model={"kind": "mlflow", "uri": str(ws.mlflow_folder(v)), "input_columns": ["x1", "x2"], "allow_pickle": True},
            )
        ),
        RAN,
        ("Verdict",),
        check=no_marker(f"mlflow_{_variant}"),
    )
case(
    "consent-mlflow-loader-with-allow-pickle",
    "consent",
    audit(
        lambda ws: ws.config(
            "mlflow_loader_ok",
            model={"kind": "mlflow", "uri": str(ws.mlflow_folder("loader")), "input_columns": ["x1", "x2"], "allow_pickle": True},
        )
    ),
    RAN,
    ("Verdict",),
    check=has_marker("mlflow_loader"),
)
for _suffix in (".pkl", ".joblib", ".pickle"):
    case(
        f"consent-sklearn{_suffix}-refused",
        "consent",
        audit(
            lambda ws, s=_suffix: ws.config(
                f"pkl{s[1:]}", model={"kind": "sklearn", "path": str(ws.pickle_payload(f"model{s}")), "input_columns": ["x1", "x2"]}
            )
        ),
        FAIL,
        ("allow_pickle: true", f"model{_suffix}"),
        check=no_marker(f"model{_suffix}"),
    )
for _kind, _suffix in (("sklearn", ".skops"), ("onnx", ".onnx")):
    case(
        f"consent-pickle-named{_suffix}",
        "consent",
        audit(
            lambda ws, k=_kind, s=_suffix: ws.config(
                f"named{s[1:]}", model={"kind": k, "path": str(ws.pickle_payload(f"payload{s}")), "input_columns": ["x1", "x2"]}
            )
        ),
        FAIL,
        (f"payload{_suffix}",),
        check=no_marker(f"payload{_suffix}"),
    )
case(
    "consent-pickle-allowed-not-an-estimator",
    "consent",
    audit(
        lambda ws: ws.config(
            "pklallowed",
            model={"kind": "sklearn", "path": str(ws.pickle_payload("allowed.pkl")), "allow_pickle": True, "input_columns": ["x1", "x2"]},
        )
    ),
    FAIL,
    ("allowed.pkl",),
    check=has_marker("allowed.pkl"),
)

# ----------------------------------------------------------------------------------- outputs
for _function, _says in (
    ("label_words", "'benign', 'trafficking', which are not among the label values"),
    ("numeric_strings", "numbers as text"),
    ("mixed", "a mix of number and text values"),
    ("three_columns", "3 probability columns for a binary label"),
    ("nan_scores", "missing value(s)"),
    ("none_labels", "missing value(s)"),
    ("three_labels", "3 different labels"),
    ("echo_text", "<text of 28 characters>"),
    ("out_of_range", "returned labels 7.5"),
    ("wrong_length", "for 240 rows"),
    ("empty", "for 240 rows"),
    ("raises", "raised ValueError"),
    ("exits", "called sys.exit(3)"),
    ("exits_zero", "called sys.exit(0)"),
    ("keyboard", "raised MemoryError"),
):
    case(
        f"outputs-{_function}",
        "outputs",
        audit(lambda ws, f=_function: ws.callable_config(f"out_{f}", f)),
        FAIL,
        ("models.py:" + _function, _says),
        never_says=("7700", "Anna"),
    )
case(
    "outputs-not-callable",
    "outputs",
    audit(lambda ws: ws.callable_config("notcallable", "not_callable")),
    FAIL,
    ("no callable named 'not_callable'",),
)
case(
    "outputs-missing-function", "outputs", audit(lambda ws: ws.callable_config("nofunc", "nothing")), FAIL, ("no callable named 'nothing'",)
)
case(
    "outputs-import-fails",
    "outputs",
    audit(
        lambda ws: ws.config(
            "brokenimport", model={"kind": "callable", "target": f"{ws.root / 'broken_import.py'}:f", "input_columns": ["x1"]}
        )
    ),
    FAIL,
    ("broken_import.py", "RuntimeError"),
)
case(
    "outputs-module-missing",
    "outputs",
    audit(lambda ws: ws.config("nomodule", model={"kind": "callable", "target": "no_such_pkg.mod:f", "input_columns": ["x1"]})),
    FAIL,
    ("cannot import 'no_such_pkg.mod'",),
)
case("outputs-good-scores", "outputs", audit(lambda ws: ws.callable_config("goodscores", "score")), RAN, ("Verdict",))
case("outputs-good-labels", "outputs", audit(lambda ws: ws.callable_config("goodlabels", "labels")), RAN, ("Verdict",))

# ----------------------------------------------------------------------------------- http
for _behaviour, _says in (
    ("trickle", "no complete answer within model.timeout_s = 2 s"),
    ("silent", "no complete answer within model.timeout_s = 2 s"),
    ("short", "before its Content-Length"),
    ("latin1", "not UTF-8 text"),
):
    case(
        f"http-{_behaviour}",
        "http",
        lambda ws, b=_behaviour: [
            "audit",
            "--config",
            ws.config(f"http_{b}", model={"kind": "http", "url": ws.url(0), "timeout_s": 2, "retries": 1, "input_columns": ["x1", "x2"]}),
            "--out",
            ws.out("http"),
        ],
        FAIL,
        (_says,),
        deadline=2 * 2 + 0.5,
        servers=(_behaviour,),
    )
case(
    "http-dead-port",
    "http",
    lambda ws: [
        "audit",
        "--config",
        ws.config("http_dead", model={"kind": "http", "url": ws.dead_url(), "timeout_s": 2, "retries": 1, "input_columns": ["x1", "x2"]}),
        "--out",
        ws.out("http"),
    ],
    FAIL,
    ("did not answer after 2 attempts", "refused"),
    deadline=5,
)

# ----------------------------------------------------------------------------------- tracking
_DEAD = "http://127.0.0.1:9"
case(
    "tracking-dead-server-audit",
    "tracking",
    lambda ws: ["audit", "--config", ws.config("deadtracking", tracking={"enabled": True, "uri": _DEAD}), "--out", ws.out("deadtracking")],
    RAN,
    ("Nothing of this audit was logged to MLflow", "ethicscheck log"),
    deadline=10,
    check=lambda ws: None if (Path(ws.out("deadtracking")) / "model_card.html").is_file() else "report not written",
)
case(
    "tracking-dead-server-required",
    "tracking",
    lambda ws: [
        "audit",
        "--config",
        ws.config("deadrequired", tracking={"enabled": True, "uri": _DEAD, "required": True}),
        "--out",
        ws.out("deadrequired"),
    ],
    FAIL,
    ("cannot be reached", "ethicscheck log"),
    deadline=10,
)
case(
    "tracking-silent-server-audit",
    "tracking",
    lambda ws: [
        "audit",
        "--config",
        ws.config("silenttracking", tracking={"enabled": True, "uri": ws.url(0), "timeout_s": 2}),
        "--out",
        ws.out("silent"),
    ],
    RAN,
    ("no answer within 2 s", "ethicscheck log"),
    deadline=8,
    servers=("silent",),
)
case(
    "tracking-history-dead",
    "tracking",
    lambda ws: ["history", "--experiment", "x", "--tracking-uri", _DEAD],
    FAIL,
    ("cannot be reached",),
    deadline=10,
)
case(
    "tracking-history-bad-uri",
    "tracking",
    lambda ws: ["history", "--experiment", "x", "--tracking-uri", "http://[::1"],
    FAIL,
    ("--tracking-uri", "Invalid IPv6"),
)
case("tracking-log-dead", "tracking", lambda ws: ["log", ws.report(), "--tracking-uri", _DEAD], FAIL, ("cannot be reached",), deadline=10)
case(
    "tracking-cli-bad-uri",
    "tracking",
    lambda ws: ["audit", "--config", ws.config("cliuri"), "--tracking-uri", "http://[::1"],
    FAIL,
    ("--tracking-uri", "Invalid IPv6 URL"),
)
case(
    "tracking-baseline-dead",
    "tracking",
    audit(
        lambda ws: ws.config("baselinedead", tracking={"uri": _DEAD}, gates=[{"metric": "fpr", "regression": {"baseline": "models:/m/1"}}])
    ),
    FAIL,
    ("cannot be reached",),
    deadline=10,
)

# ----------------------------------------------------------------------------------- reports (saved audit.json)
for _name, _content, _says in (
    ("truncated", '{"schema_version": "1.0", "run": {', "not valid JSON"),
    ("empty-object", "{}", "has no run, data, model, fairness, verdict section"),
    ("empty-file", "", "is empty"),
    ("a-list", "[1, 2]", "not an ethicscheck audit.json"),
    ("incomplete", '{"run": {}, "data": {}, "model": {}, "fairness": {}, "verdict": {}}', "not a complete ethicscheck audit.json"),
):
    case(
        f"reports-log-{_name}",
        "reports",
        lambda ws, n=_name, c=_content: [
            "log",
            str(ws.write(f"bad_{n}/audit.json", c).parent),
            "--tracking-uri",
            f"sqlite:///{ws.root / 'log.db'}",
        ],
        FAIL,
        ("audit.json", _says),
    )
    case(
        f"reports-card-{_name}",
        "reports",
        lambda ws, n=_name, c=_content: ["card", str(ws.write(f"badcard_{n}/audit.json", c))],
        FAIL,
        ("audit.json", _says),
    )
case(
    "reports-log-not-utf8",
    "reports",
    lambda ws: ["log", str(ws.write("latin_report/audit.json", b"\xff\xfe{}").parent)],
    FAIL,
    ("not UTF-8",),
)
case("reports-log-no-folder", "reports", lambda ws: ["log", str(ws.root / "nothing_here")], FAIL, ("has no audit.json",))
case("reports-card-missing", "reports", lambda ws: ["card", str(ws.root / "nothing.json")], FAIL, ("does not exist",))
case(
    "reports-card-invalid-card-config",
    "reports",
    lambda ws: ["card", ws.report_with_card({"min_published_group": 0})],
    FAIL,
    ("run -> config -> card", "min_published_group"),
)
case("reports-card-unknown-card-field", "reports", lambda ws: ["card", ws.report_with_card({"colour": "red"})], FAIL, ("colour",))
case("reports-card-bad-format", "reports", lambda ws: ["card", ws.report(), "--format", "docx"], FAIL, ("docx",))

# ----------------------------------------------------------------------------------- output folders
case(
    "output-is-a-file",
    "output",
    lambda ws: ["audit", "--config", ws.config("outfile"), "--out", str(ws.root / "a_file")],
    FAIL,
    ("a_file", "already exists and is a file"),
)
case(
    "output-under-a-file",
    "output",
    lambda ws: ["audit", "--config", ws.config("underfile"), "--out", str(ws.root / "a_file" / "r")],
    FAIL,
    ("a_file: part of this path is a file",),
)
case(
    "output-in-proc",
    "output",
    lambda ws: ["audit", "--config", ws.config("proc"), "--out", "/proc/ethicscheck-report"],
    FAIL,
    ("/proc/ethicscheck-report",),
)


def _relative_output_config(ws: Workspace) -> str:
    """A config in a folder of its own naming its data and its output folder by relative paths."""
    folder = ws.root / "configs_rel"
    folder.mkdir(exist_ok=True)
    data = Path("..") / Path(ws.data).relative_to(ws.root)
    written = Path(ws.config("relout", data={"path": str(data)}, output={"dir": "rel_reports"}))
    moved = written.rename(folder / written.name)
    return str(moved)


def _report_beside_the_config(ws: Workspace) -> str | None:
    if (ws.root / "configs_rel" / "rel_reports" / "audit.json").is_file():
        return None
    return "output.dir was not resolved from the config's folder, as data.path is (the report is elsewhere)"


case(
    "output-dir-relative-to-the-config",
    "output",
    lambda ws: ["audit", "--config", _relative_output_config(ws)],
    RAN,
    check=_report_beside_the_config,
)

# ----------------------------------------------------------------------------------- cli flags
for _argv, _says in (
    (["pii-eval", "--ads", "0"], "--ads"),
    (["pii-eval", "--ads", "-5"], "--ads"),
    (["pii-eval", "--iou", "2"], "--iou"),
    (["pii-eval", "--iou", "0"], "--iou"),
    (["pii-eval", "--n-jobs", "0"], "--n-jobs"),
    (["pii-eval", "--n-jobs", "-2"], "--n-jobs"),
    (["audit"], "--config"),
    (["frobnicate"], "frobnicate"),
    (["card", "x", "--format"], "--format"),
    (["plan"], "--config"),
    (["plan", "--group", "a=100"], "NAME=NEGATIVES/POSITIVES"),
    (["plan", "--group", "a=100/20", "--group", "b=50/10", "--reference", "c"], "--reference"),
    (["plan", "--group", "a=100/20", "--ratio", "0.8"], "--ratio"),
    (["plan", "--group", "a=100/20", "--power", "1.5"], "--power"),
    (["plan", "--group", "a=100/20", "--fpr", "2"], "--fpr"),
):
    case(f"cli-{'-'.join(a.strip('-') for a in _argv)}", "cli", lambda ws, a=_argv: list(a), FAIL, (_says,))


case("plan-config-missing", "cli", lambda ws: ["plan", "--config", str(ws.root / "nope.yaml")], FAIL, ("nope.yaml", "does not exist"))
case(
    "plan-data-column-missing",
    "cli",
    lambda ws: ["plan", "--config", ws.config("plan_no_column", data={"sensitive_features": [{"column": "nationality"}]})],
    FAIL,
    ("nationality",),
)


# ----------------------------------------------------------------------------------- publication
def _summary_clean(ws: Workspace) -> str | None:
    folder = Path(ws.out("publication"))
    summary = (folder / "summary.md").read_text()
    junit = (folder / "junit.xml").read_text()
    if "<script>" in summary:
        return "raw <script> in summary.md"
    if "script" in junit or "script" in summary:
        return "the one-row group is named in junit.xml or summary.md although the card suppresses it"
    return None


case(
    "publication-small-and-script-group",
    "publication",
    lambda ws: [
        "audit",
        "--config",
        ws.config("publication", gates=[{"metric": "fpr", "threshold": 0.0001, "severity": "warn"}]),
        "--out",
        ws.out("publication"),
    ],
    RAN,
    ("Verdict",),
    check=_summary_clean,
    never_says=("<script>",),
)


# ----------------------------------------------------------------------------------- atomic
def _stale_chart_gone(ws: Workspace) -> str | None:
    folder = Path(ws.out("atomic"))
    return "a chart file of an older audit survived" if (folder / "chart_99_old.svg").exists() else None


def _atomic_argv(ws: Workspace) -> list[str]:
    folder = Path(ws.out("atomic"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chart_99_old.svg").write_text("<svg/>")
    return ["audit", "--config", ws.config("atomic"), "--out", str(folder)]


case("atomic-rerun-drops-old-files", "atomic", _atomic_argv, RAN, ("Verdict",), check=_stale_chart_gone)


def _same_twice(ws: Workspace) -> str | None:
    from tests.robustness.run import run_in_process

    folder = Path(ws.out("twice"))
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    run_in_process(["audit", "--config", ws.config("twice"), "--out", str(folder)])
    second = {p.name: p.read_bytes() for p in folder.iterdir()}
    if sorted(first) != sorted(second):
        return f"file sets differ: {sorted(set(first) ^ set(second))}"

    def without_times(raw: bytes) -> dict:
        data = json.loads(raw)
        for key in ("started_at", "finished_at", "timings"):
            data["run"].pop(key, None)
        return data

    return None if without_times(first["audit.json"]) == without_times(second["audit.json"]) else "audit.json differs apart from timestamps"


case(
    "atomic-same-config-twice",
    "atomic",
    lambda ws: ["audit", "--config", ws.config("twice"), "--out", ws.out("twice")],
    RAN,
    ("Verdict",),
    check=_same_twice,
)


# ----------------------------------------------------------------------------------- personal data in what is published
_PLANTED = ("corpmail", "7700 900123", "7700-900123", "7700900123")


def _planted_data(ws: Workspace) -> str:
    frame = ws.frame.copy()
    frame["recruiter"] = ["agent.jane@corpmail.com" if i % 2 else "+44 7700 900123" for i in range(len(frame))]
    path = ws.root / "ads_+44-7700-900123.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _nothing_planted_published(ws: Workspace) -> str | None:
    folder = Path(ws.out("planted"))
    for path in folder.iterdir():
        text = path.read_text(errors="replace")
        leaked = [p for p in _PLANTED if p in text]
        if leaked:
            return f"{path.name} carries planted contact data {leaked}"
    private = folder.parent / ".planted.pseudonyms.json"
    return None if private.is_file() and "corpmail" in private.read_text() else "no local pseudonym mapping beside the report"


case(
    "personal-data-group-and-file-names",
    "publication",
    lambda ws: [
        "audit",
        "--config",
        ws.config("planted", data={"path": _planted_data(ws), "sensitive_features": [{"column": "recruiter"}]}),
        "--out",
        ws.out("planted"),
    ],
    RAN,
    ("published as pseudonyms",),
    check=_nothing_planted_published,
    never_says=_PLANTED,
)
case(
    "personal-data-card-field-stop",
    "publication",
    audit(
        lambda ws: ws.config(
            "cardstop", card={"owners": ["Screening team", "jane.doe@corpmail.com"]}, privacy={"enabled": False, "on_personal_data": "stop"}
        )
    ),
    FAIL,
    ("card.owners[1] contains personal data (e-mail addresses)", "privacy.on_personal_data"),
    check=lambda ws: "the report folder exists although the audit stopped" if Path(ws.out("cardstop")).exists() else None,
    never_says=("corpmail",),
)


def _planted_membership(ws: Workspace) -> str:
    """Member and non-member files whose group "a" is a handle only the self-scan's recognizers see."""
    frame = ws.frame.assign(score=0.25 + 0.5 * (ws.frame["x1"] > 0), group=ws.frame["group"].replace({"a": "snap janedoe99"}))
    members = ws.write("mia_planted_members.csv", frame.iloc[:120].to_csv(index=False))
    nonmembers = ws.write("mia_planted_nonmembers.csv", frame.iloc[120:].to_csv(index=False))
    return ws.config(
        "mia_planted",
        data={"path": str(nonmembers)},
        model={"kind": "precomputed", "score_column": "score"},
        membership_risk={"members": str(members), "nonmembers": str(nonmembers), "n_boot": 20},
    )


def _membership_groups_are_pseudonyms(ws: Workspace) -> str | None:
    audited = json.loads((Path(ws.out("mia_planted")) / "audit.json").read_text())
    names = [g["group"] for feature in audited["membership"]["by_feature"] for g in feature["groups"]]
    wrong = [n for n in names if "janedoe99" in n or n.startswith("contact-") or "contact-" in n]
    return f"membership groups not published as group-<hash>: {len(wrong)}" if wrong or not names else None


case(
    "personal-data-membership-group-values",
    "publication",
    audit(_planted_membership),
    RAN,
    ("published as pseudonyms",),
    check=_membership_groups_are_pseudonyms,
    never_says=("janedoe99",),
)


def _planted_members_only(ws: Workspace) -> str:
    """Group "a" is a handle in the member and non-member files only: the evaluation rows never name it."""
    frame = ws.frame.assign(score=0.25 + 0.5 * (ws.frame["x1"] > 0))
    planted = frame.assign(group=frame["group"].replace({"a": "snap janedoe77"}))
    members = ws.write("mia_only_members.csv", planted.iloc[:120].to_csv(index=False))
    nonmembers = ws.write("mia_only_nonmembers.csv", planted.iloc[120:].to_csv(index=False))
    evaluation = ws.write("mia_only_eval.csv", frame.iloc[120:].to_csv(index=False))
    return ws.config(
        "mia_only",
        data={"path": str(evaluation)},
        model={"kind": "precomputed", "score_column": "score"},
        membership_risk={"members": str(members), "nonmembers": str(nonmembers), "n_boot": 20},
    )


def _members_only_pseudonym_is_kept(ws: Workspace) -> str | None:
    """The pseudonym the membership audit alone made reaches the local mapping file, as classification ones do."""
    private = Path(ws.out("mia_only")).parent / ".mia_only.pseudonyms.json"
    mapping = json.loads(private.read_text()) if private.is_file() else {}
    published = json.loads((Path(ws.out("mia_only")) / "audit.json").read_text())["membership"]["by_feature"]
    names = {g["group"] for feature in published for g in feature["groups"]}
    if mapping.get("snap janedoe77") not in names:
        return f"the member file's pseudonym is not in the local mapping file ({sorted(mapping.values())}; published: {sorted(names)})"
    return None


case(
    "personal-data-membership-only-group-values",
    "publication",
    audit(_planted_members_only),
    RAN,
    ("published as pseudonyms",),
    check=_members_only_pseudonym_is_kept,
    never_says=("janedoe77",),
)


# ----------------------------------------------------------------------------------- verification (face matching)
def _verification(name: str, change=None, **sections):  # type: ignore[no-untyped-def]
    return audit(lambda ws: ws.comparisons_config(name, change, **sections))


case("verification-runs", "data", _verification("v_ok"), RAN)
case(
    "verification-attribute-column-missing",
    "data",
    _verification("v_nocol", data={"sensitive_features": [{"column": "age"}]}),
    FAIL,
    ("v_nocol.csv", "'age_a'"),
)
case(
    "verification-subject-attributes-disagree",
    "data",
    _verification("v_conflict", lambda t: t.assign(sex_a=["F" if i == 0 else s for i, s in enumerate(t.sex_a)])),
    FAIL,
    ("more than one value of 'sex'", "subject ids"),
)
case("verification-no-impostor-pairs", "data", _verification("v_noimp", lambda t: t[t.same_person == 1]), FAIL, ("no impostor pairs",))
case(
    "verification-genuine-of-two-people",
    "data",
    _verification("v_genuine", lambda t: t.assign(same_person=[1, *t.same_person[1:]])),
    FAIL,
    ("row 1", "genuine (same person) but compares two different subjects"),
)
case(
    "verification-score-not-a-number",
    "data",
    _verification("v_score", lambda t: t.assign(similarity=["high", *t.similarity[1:]])),
    FAIL,
    ("similarity", "not finite numbers"),
)
case(
    "verification-subject-id-empty",
    "data",
    _verification("v_subject", lambda t: t.assign(subject_b=[None, *t.subject_b[1:]])),
    FAIL,
    ("empty subject id",),
)
case("verification-section-missing", "config", _verification("v_nosection", verification=None), FAIL, ("verification section",))
case(
    "verification-classification-gate",
    "config",
    _verification("v_gate", gates=[{"metric": "fpr", "threshold": 0.1}]),
    FAIL,
    ("classification metrics",),
)
case(
    "verification-unaudited-target",
    "config",
    _verification("v_target", gates=[{"metric": "fmr@1e-06", "threshold": 0.1}]),
    FAIL,
    ("1e-06", "verification.targets"),
)
case(
    "verification-dp-epsilon",
    "config",
    _verification("v_dp", card={"dp_epsilon": 1.0}),
    FAIL,
    ("does not support card.dp_epsilon",),
)
# Streamed comparisons (data.engine: stream) stop with the in-memory reader's words.
case("verification-stream-runs", "data", _verification("v_stream", data={"engine": "stream", "batch_rows": 1000}), RAN)
case(
    "verification-stream-attribute-column-missing",
    "data",
    _verification("v_stream_nocol", data={"engine": "stream", "sensitive_features": [{"column": "age"}]}),
    FAIL,
    ("v_stream_nocol.csv", "'age_a'"),
)
case(
    "verification-stream-genuine-label-values",
    "data",
    _verification("v_stream_label", lambda t: t.assign(same_person=t.same_person.map({1: "same", 0: "other"})), data={"engine": "stream"}),
    FAIL,
    ("row 191", "impostor but compares a subject with itself"),
)
case(
    "verification-stream-subject-id-empty",
    "data",
    _verification("v_stream_subject", lambda t: t.assign(subject_b=[None, *t.subject_b[1:]]), data={"engine": "stream"}),
    FAIL,
    ("'subject_b'", "1 empty subject id"),
)
_FACE_PLANTED = ("janedoe99", "lina_k22")


def _planted_faces(table: Any) -> Any:
    """Women's subject attribute replaced by a handle only the self-scan's recognizers see ("snap janedoe99")."""
    return table.assign(**{side: table[side].replace({"F": "snap janedoe99"}) for side in ("sex_a", "sex_b")})


def _no_face_planted_published(ws: Workspace, name: str = "v_planted") -> str | None:
    folder = Path(ws.out(name))
    for path in folder.iterdir():
        leaked = [p for p in _FACE_PLANTED if p in path.name + path.read_text(errors="replace")]
        if leaked:
            return f"{path.name} carries planted contact data {leaked}"
    return None


case(
    "personal-data-verification-subject-attribute-and-card",
    "publication",
    _verification("v_planted", _planted_faces, card={"owners": ["Face-matching team", "t.me/lina_k22"]}),
    RAN,
    ("published as pseudonyms",),
    check=_no_face_planted_published,
    never_says=_FACE_PLANTED,
)
case(
    "personal-data-verification-stream-subject-attribute",
    "publication",
    _verification("v_planted_stream", _planted_faces, data={"engine": "stream"}, card={"owners": ["t.me/lina_k22"]}),
    RAN,
    ("published as pseudonyms",),
    check=lambda ws: _no_face_planted_published(ws, "v_planted_stream"),
    never_says=_FACE_PLANTED,
)
case(
    "personal-data-verification-stream-subject-attribute-stop",
    "publication",
    _verification("v_planted_stream_stop", _planted_faces, data={"engine": "stream"}, privacy={"on_personal_data": "stop"}),
    FAIL,
    ("data column 'sex_a'", "privacy.on_personal_data"),
    never_says=_FACE_PLANTED,
)
case(
    "personal-data-verification-subject-attribute-stop",
    "publication",
    _verification("v_planted_stop", _planted_faces, privacy={"on_personal_data": "stop"}),
    FAIL,
    ("data column 'sex_a'", "privacy.on_personal_data"),
    check=lambda ws: "the report folder exists although the audit stopped" if Path(ws.out("v_planted_stop")).exists() else None,
    never_says=_FACE_PLANTED,
)
_NOUN = {"F": "women (ask +44 7700 900123)", "M": "men"}  # only the report's sentences carry it: found by the scan of the report
case(
    "personal-data-verification-report-scan-stop",
    "publication",
    _verification("v_noun_stop", verification={"group_nouns": _NOUN}, privacy={"on_personal_data": "stop"}),
    FAIL,
    ("The report would publish personal data (phone numbers) in audit.json, run.config.verification.group_nouns", "is 'stop'"),
    check=lambda ws: "the report folder exists although the audit stopped" if Path(ws.out("v_noun_stop")).exists() else None,
    never_says=("900123",),
)
case(
    "verification-baseline-missing",
    "config",
    _verification("v_base", gates=[{"metric": "fmr", "regression": {"baseline": "/nonexistent/audit.json"}}]),
    FAIL,
    ("Baseline", "does not exist"),
)


def _nothing_planted_in(name: str, planted: tuple[str, ...] = _PLANTED) -> Check:
    def check(ws: Workspace) -> str | None:
        folder = Path(ws.out(name))
        for path in folder.iterdir():
            text = path.name + path.read_text(errors="replace")
            leaked = [p for p in planted if p in text]
            if leaked:
                return f"{path.name} carries planted contact data {leaked}"
        private = folder.parent / f".{name}.pseudonyms.json"
        return None if private.is_file() and planted[0] in private.read_text() else "no local pseudonym mapping beside the report"

    return check


case(
    "personal-data-card-field-pseudonymized",
    "publication",
    audit(
        lambda ws: ws.config(
            "cardpseudo", card={"owners": ["Screening team", "jane.doe@corpmail.com"], "description": "Ask +44 7700 900123"}
        )
    ),
    RAN,
    ("published as pseudonyms",),
    check=_nothing_planted_in("cardpseudo"),
    never_says=_PLANTED,
)
case(
    "personal-data-feature-name-pseudonymized",
    "publication",
    audit(
        lambda ws: ws.config(
            "featurepseudo", data={"path": str(ws.data), "sensitive_features": [{"column": "group", "name": "ask jane@corpmail.com"}]}
        )
    ),
    RAN,
    ("published as pseudonyms",),
    check=_nothing_planted_in("featurepseudo"),
    never_says=_PLANTED,
)
case(
    "personal-data-feature-name-stop",
    "publication",
    audit(
        lambda ws: ws.config(
            "featurestop",
            data={"path": str(ws.data), "sensitive_features": [{"column": "group", "name": "ask jane@corpmail.com"}]},
            privacy={"enabled": False, "on_personal_data": "stop"},
        )
    ),
    FAIL,
    ("data.sensitive_features[0].name", "privacy.on_personal_data"),
    never_says=_PLANTED,
)
case(
    "personal-data-group-values-stop",
    "publication",
    audit(
        lambda ws: ws.config(
            "groupstop",
            data={"path": _planted_data(ws), "sensitive_features": [{"column": "recruiter"}]},
            privacy={"enabled": False, "on_personal_data": "stop"},
        )
    ),
    FAIL,
    ("data column 'recruiter'", "privacy.on_personal_data"),
    never_says=_PLANTED,
)

# The stream engine reads group values in batches: the same rule, judged by the self-scan's recognizers (a handle
# after "sc" and a messenger link are seen by them, not by the plain patterns the stream path once used alone).
_SCANNER_ONLY = ("janedoe99", "lina_k22")


def _stream_planted_data(ws: Workspace) -> str:
    frame = ws.frame.copy()
    frame["recruiter"] = [("sc janedoe99", "t.me/lina_k22", "+44 7700 900123", "agency")[i % 4] for i in range(len(frame))]
    path = ws.root / "stream_ads.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _stream_config(ws: Workspace, name: str, **sections: Any) -> str:
    data = {"path": _stream_planted_data(ws), "engine": "stream", "sensitive_features": [{"column": "recruiter"}]}
    return ws.config(name, data=data, **sections)


def _nothing_scanner_only_published(ws: Workspace) -> str | None:
    folder = Path(ws.out("streamplanted"))
    for path in folder.iterdir():
        leaked = [p for p in (*_PLANTED, *_SCANNER_ONLY) if p in path.name + path.read_text(errors="replace")]
        if leaked:
            return f"{path.name} carries planted contact data {leaked}"
    if json.loads((folder / "audit.json").read_text())["run"]["engine"]["name"] != "stream":
        return "the audit did not run on the stream engine"
    private = (folder.parent / ".streamplanted.pseudonyms.json").read_text()
    return None if all(p in private for p in _SCANNER_ONLY) else "the local mapping lacks the values only the recognizers see"


case(
    "personal-data-stream-pseudonymized",
    "publication",
    audit(lambda ws: _stream_config(ws, "streamplanted", card={"intended_use": "Escalations go to t.me/lina_k22"}), "streamplanted"),
    RAN,
    ("published as pseudonyms",),
    check=_nothing_scanner_only_published,
    never_says=(*_PLANTED, *_SCANNER_ONLY),
)
case(
    "personal-data-stream-group-values-stop",
    "publication",
    audit(lambda ws: _stream_config(ws, "streamstop", privacy={"enabled": False, "on_personal_data": "stop"})),
    FAIL,
    ("data column 'recruiter'", "privacy.on_personal_data"),
    never_says=(*_PLANTED, *_SCANNER_ONLY),
)
case(
    "personal-data-stream-card-field-stop",
    "publication",
    audit(
        lambda ws: ws.config(
            "streamcardstop",
            data={"engine": "stream"},
            card={"description": "Questions: snap janedoe99"},
            privacy={"enabled": False, "on_personal_data": "stop"},
        )
    ),
    FAIL,
    ("card.description contains personal data (social-media handles)", "privacy.on_personal_data"),
    never_says=_SCANNER_ONLY,
)
case(
    "personal-data-bad-choice",
    "config",
    audit(lambda ws: ws.config("badchoice", privacy={"enabled": False, "on_personal_data": "publish"})),
    FAIL,
    ("on_personal_data", "'pseudonymize' or 'stop'"),
)
