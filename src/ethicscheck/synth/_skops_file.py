"""Save an estimator with skops so that the same fitted model gives the same file, byte for byte.

``skops.io.dump`` names the arrays inside its zip after Python object ids (``140234…npy``), or random
UUIDs for raw bytes, records those ids as ``__id__`` in ``schema.json``, and stamps every zip member with
the wall clock. So the same model, fitted from the same data and seed, gets a different file and a different
SHA-256 on every run, and the model digest that ``audit.json``, the card and MLflow record changes with it.
scikit-learn's text vectorizers also keep the ``id()`` of their stop-word list (``_stop_words_id``).
Here the object ids are renumbered in the order ``schema.json`` first meets them (1, 2, 3, …), the files
renamed after the new ids, ``_stop_words_id`` saved as null, and the zip rewritten with its members in
schema order and a fixed time stamp. The object graph is unchanged: the same objects share an id, different
objects have different ids, and ``skops.io.load`` reads the file as it reads one written by ``dump``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

__all__ = ["dump_skops_reproducibly"]

#: The earliest time a zip entry can hold (1980-01-01): the same for every build.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: Attributes whose value is the ``id()`` of an object in the process that fitted the model: scikit-learn's
#: text vectorizers remember which stop-word list they last checked this way. The number means nothing in any
#: other process; it is saved as null ("not checked yet"), so scikit-learn checks again on first use.
_PROCESS_LOCAL_ATTRIBUTES = ("_stop_words_id",)
#: The file permissions recorded for every member (rw-r--r--, as a regular file on Unix).
_MEMBER_MODE = 0o100644 << 16


def dump_skops_reproducibly(obj: object, path: Path) -> Path:
    """Write ``obj`` to ``path`` with skops, with object ids, member names and time stamps made canonical.

    Parameters
    ----------
    obj : object
        What ``skops.io.dump`` would save (a fitted estimator or pipeline).
    path : Path
        The ``.skops`` file to write.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = dump_skops_reproducibly(model, folder / "a.skops").read_bytes()
    >>> first == dump_skops_reproducibly(model, folder / "b.skops").read_bytes()
    True
    """
    import skops.io as sio

    dumped = sio.dumps(obj)
    with zipfile.ZipFile(io.BytesIO(dumped)) as written:
        schema = json.loads(written.read("schema.json"))
        renamed = _Renumbering(set(written.namelist()) - {"schema.json"})
        renamed.visit(schema)
        if set(renamed.files) != renamed.members:  # a skops layout this does not know: keep skops' own file
            path.write_bytes(dumped)
            return path
        members = {new: written.read(old) for old, new in renamed.files.items()}
        compression = written.infolist()[0].compress_type
    # compact: json's C encoder (skops' indent=2 takes the pure-Python one, about 1 s for the demo's 2 MB schema)
    members["schema.json"] = json.dumps(schema, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as canonical:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = compression
            info.create_system = 3  # Unix, on every platform (ZipInfo's default depends on where it runs)
            info.external_attr = _MEMBER_MODE
            canonical.writestr(info, data)
    path.write_bytes(buffer.getvalue())
    return path


class _Renumbering:
    """Object ids and file names of one skops schema, replaced in the order the schema first meets them."""

    def __init__(self, members: set[str]) -> None:
        self.members = members
        self.ids: dict[int, int] = {}
        self.files: dict[str, str] = {}

    def visit(self, node: Any) -> None:
        """Rewrite ``__id__`` and ``file`` entries of ``node`` and everything under it, in place."""
        if isinstance(node, list):
            for item in node:
                self.visit(item)
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("__id__"), int):
            # ids start at 1: skops memoizes a node only when its __id__ is truthy
            node["__id__"] = self.ids.setdefault(node["__id__"], len(self.ids) + 1)
        if isinstance(node.get("file"), str) and node["file"] in self.members and isinstance(node.get("__id__"), int):
            # a file is named after its node's id, as skops names it (raw bytes get a UUID there)
            old = node["file"]
            node["file"] = self.files.setdefault(old, f"{node['__id__']}{Path(old).suffix}")
        if node.get("__loader__") == "DictNode" and isinstance(node.get("content"), dict):
            for name in _PROCESS_LOCAL_ATTRIBUTES:
                attribute = node["content"].get(name)
                if isinstance(attribute, dict) and attribute.get("__loader__") == "JsonNode":
                    attribute["content"] = "null"
        for value in node.values():
            self.visit(value)
