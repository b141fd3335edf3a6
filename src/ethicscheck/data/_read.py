"""Read a table from CSV, Parquet or JSONL with errors that name the file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ethicscheck.errors import DataError

__all__ = [
    "MISSING_MARKERS",
    "ReadOptions",
    "marked_missing",
    "read_table",
    "read_batches",
    "path_sha256",
    "read_columns",
    "read_column",
    "file_sha256",
    "detect_format",
]

Format = Literal["auto", "csv", "parquet", "jsonl"]
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}

#: The cells pandas reads as missing in a CSV column that is not read as text ("", "NA", "N/A", "null", "NaN", ...).
#: A text column (a group label or key) has only empty cells and ``data.na_values`` as missing: "NA" is Namibia's code.
MISSING_MARKERS: tuple[str, ...] = (
    *("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"),
    *("<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"),
)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a real-world file: header-less CSV, preamble lines, separator, encoding, missing markers.

    ``header``, ``columns``, ``skip_rows`` and ``delimiter`` apply to CSV; ``encoding`` to CSV and JSONL;
    ``na_values`` to every format (values equal to a marker after stripping spaces become missing).
    ``text``: columns a CSV holds as text whatever they look like (the id column), as group columns
    (``categorical``) are: "007" stays "007", and only empty cells and ``na_values`` are missing.
    """

    header: bool = True
    columns: tuple[str, ...] | None = None
    skip_rows: int = 0
    delimiter: str | None = None
    encoding: str = "utf-8"
    na_values: tuple[str, ...] = ()
    text: tuple[str, ...] = ()


def read_table(
    path: Path,
    *,
    format: Format = "auto",
    what: str = "data",
    categorical: tuple[str, ...] = (),
    options: ReadOptions | None = None,
) -> pd.DataFrame:
    """Read ``path`` into a DataFrame.

    Parameters
    ----------
    path : Path
        The file to read.
    format : {"auto", "csv", "parquet", "jsonl"}
        ``auto`` picks the reader from the suffix (.csv, .parquet/.pq, .jsonl/.ndjson).
    what : str
        How the file is called in error messages (``data``, ``predictions``).
    categorical : tuple of str
        Columns to read as categoricals (group columns): Parquet decodes them straight from its
        dictionary pages, which halves the read time of 10M rows and makes grouping free.
    options : ReadOptions, optional
        Header, preamble, separator, encoding and missing-value markers (``data.*`` in the config).

    Raises
    ------
    DataError
        The file is missing, empty, unreadable, or in an unknown format.
    """
    path = Path(path)
    if path.is_dir() and what in ("data", "comparisons"):
        stream_format(path, format)  # a folder of Parquet files, or a clear error
        return _read_parquet(path, categorical)
    if not path.is_file():
        raise DataError(f"The {what} file {path} does not exist. Check data.path in the config.")
    if path.stat().st_size == 0:
        raise DataError(f"The {what} file {path} is empty. Point the config at a file with a header and rows.")
    options = options or ReadOptions()
    kind = detect_format(path) if format == "auto" else format
    try:
        if kind == "csv":
            frame = _read_csv(path, categorical, options)
        elif kind == "parquet":
            frame = _read_parquet(path, categorical)
        else:
            frame = pd.read_json(path, lines=True, encoding=options.encoding)
    except UnicodeDecodeError:
        raise DataError(
            f"The {what} file {path} is not {options.encoding} text. Set data.encoding (e.g. latin-1, cp1252) or re-save it as UTF-8."
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"The {what} file {path} has no columns. It needs a header row and data rows.") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        reason = str(exc).splitlines()[0][:200]
        raise DataError(f"The {what} file {path} cannot be read as {kind}: {reason}") from None
    if frame.empty:
        raise DataError(f"The {what} file {path} has a header but no rows. An audit needs labeled rows.")
    frame.columns = [str(c) for c in frame.columns]
    if options.na_values:
        frame = _mark_missing(frame, options.na_values)
    return frame


def _read_csv(path: Path, categorical: tuple[str, ...], options: ReadOptions) -> pd.DataFrame:
    names = list(options.columns) if options.columns is not None else None
    # Without a header, columns are read by position and named afterwards, so a names list of the wrong
    # length is an error instead of pandas silently dropping or shifting columns.
    frame: pd.DataFrame = pd.read_csv(path, low_memory=False, **_csv_values(path, categorical, options), **_csv_layout(options))
    if names is not None:
        if frame.shape[1] != len(names):
            raise DataError(f"{path.name} has {frame.shape[1]} columns but data.columns names {len(names)}. List one name per column.")
        frame.columns = names
    return _as_categories(frame, categorical)


def _csv_values(path: Path, categorical: tuple[str, ...], options: ReadOptions, *, only: list[str] | None = None) -> dict[str, Any]:
    """The pandas arguments that say how a CSV's cells become values: text and group columns as text.

    A group column (``categorical``) or ``options.text`` column is read as the text it holds, so "007", "7"
    and "7.0" stay three values; its missing cells are the empty ones and ``na_values``, nothing else ("NA",
    "null", "None" stay text). Every other column keeps pandas' reading and its missing markers
    (:data:`MISSING_MARKERS`). ``only``: the columns read (the others need no arguments).
    """
    text = [c for c in dict.fromkeys([*categorical, *options.text]) if only is None or c in only]
    markers = list(options.na_values)
    if not text:
        return {"na_values": markers or None}
    names = list(options.columns) if options.columns is not None else _header(path, options)
    key: dict[str, str | int] = {c: (i if options.columns is not None else c) for i, c in enumerate(names)}
    others = sorted({*MISSING_MARKERS, *markers})
    return {
        "dtype": {key[c]: "str" for c in text if c in key},
        "keep_default_na": False,
        "na_values": {key[c]: (["", *markers] if c in text else others) for c in names},
    }


def _header(path: Path, options: ReadOptions) -> list[str]:
    """A CSV's column names as pandas names them (a repeated name gets ``.1``), from its header line."""
    return [str(c) for c in pd.read_csv(path, nrows=0, **_csv_layout(options)).columns]


def _as_categories(frame: pd.DataFrame, categorical: tuple[str, ...]) -> pd.DataFrame:
    """Group columns read as text become categoricals of that text (pandas' own category parsing would read "007" as 7)."""
    for column in categorical:
        if column in frame.columns:
            frame[column] = frame[column].astype("category")
    return frame


def _csv_layout(options: ReadOptions) -> dict[str, Any]:
    """The pandas arguments that describe where a CSV's header and fields are and how its text is encoded."""
    return {
        "encoding": options.encoding,
        "sep": options.delimiter or ",",
        "skiprows": options.skip_rows or None,
        "header": 0 if options.header else None,
    }


def marked_missing(frame: pd.DataFrame, markers: tuple[str, ...]) -> pd.DataFrame:
    """``frame`` with the text values equal to a marker after stripping spaces missing (UCI files write ' ?'); ``frame`` without markers."""
    return _mark_missing(frame, markers) if markers else frame


def _mark_missing(frame: pd.DataFrame, markers: tuple[str, ...]) -> pd.DataFrame:
    """Values equal to a marker after stripping spaces become missing (UCI files write ' ?')."""
    wanted = {m.strip() for m in markers}
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            hits = [c for c in column.cat.categories if str(c).strip() in wanted]
            if hits:
                out[name] = column.cat.remove_categories(hits)
        elif column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            stripped = column.astype("string").str.strip()
            mask = stripped.isin(wanted).fillna(False).to_numpy(dtype=bool)
            if mask.any():
                out[name] = column.mask(mask)
    return out


def _read_parquet(path: Path, categorical: tuple[str, ...]) -> pd.DataFrame:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    names = ds.dataset(path, format="parquet").schema.names if path.is_dir() else pq.read_schema(path).names
    wanted = [c for c in categorical if c in names]
    table = pq.read_table(path, read_dictionary=wanted or None)  # a file, or a folder of files
    return _whole_numbers(table, table.to_pandas(), wanted)


def _whole_numbers(table: Any, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Integer group columns with missing values stay integers (pandas would make them floats: 7 would name the group "7.0").

    ``table``: the pyarrow table or record batch ``frame`` was converted from.
    """
    import pyarrow as pa

    for name in columns:
        field = table.schema.field(name)
        if pa.types.is_integer(field.type) and frame[name].dtype.kind == "f":
            frame[name] = table.column(name).to_pandas(types_mapper=_nullable)
    return frame


def _nullable(arrow_type: Any) -> Any:
    """pandas' nullable integer type for an Arrow integer type (int64: Int64, uint8: UInt8); None for any other type."""
    import pyarrow as pa

    return (
        pd.api.types.pandas_dtype(str(arrow_type).replace("uint", "UInt").replace("int", "Int"))
        if pa.types.is_integer(arrow_type)
        else None
    )


#: Parquet record batches read ahead of the one being audited (in one file; the next file is opened when it is done).
_READAHEAD = 1


def read_batches(
    path: Path,
    *,
    format: Format = "auto",
    columns: list[str] | None = None,
    categorical: tuple[str, ...] = (),
    options: ReadOptions | None = None,
    batch_rows: int = 500_000,
) -> Iterator[pd.DataFrame]:
    """Read ``path`` (a CSV or Parquet file, or a folder of Parquet files) in batches of at most ``batch_rows`` rows.

    Parquet is read in pyarrow record batches (files of a folder in name order), one batch read ahead in one
    file at a time (pyarrow's defaults, 16 batches in each of 4 files, held most of a stream's peak memory);
    CSV with the same parser and options as :func:`read_table`, ``batch_rows`` at a time, so values read
    the same as in memory. Memory grows with ``batch_rows``, not with the file.

    Raises
    ------
    DataError
        As :func:`read_table`: missing, empty, unreadable, or of an unknown format (JSONL is not streamed).
    """
    path = Path(path)
    options = options or ReadOptions()
    kind = stream_format(path, format)
    try:
        if kind == "parquet":
            import pyarrow.dataset as ds

            source = ds.dataset(path, format="parquet")
            wanted = [c for c in categorical if c in source.schema.names and (columns is None or c in columns)]
            scanner = source.scanner(columns=columns, batch_size=batch_rows, batch_readahead=_READAHEAD, fragment_readahead=1)
            for batch in scanner.to_batches():
                if batch.num_rows:
                    yield _named(_as_categories(_whole_numbers(batch, batch.to_pandas(), wanted), tuple(wanted)), options)
            return
        names = list(options.columns) if options.columns is not None else None
        chunks = pd.read_csv(
            path,
            chunksize=batch_rows,
            usecols=None if columns is None or names is not None else columns,
            **_csv_values(path, categorical, options, only=None if names is not None else columns),
            **_csv_layout(options),
        )
        with chunks:
            for frame in chunks:
                if names is not None:
                    if frame.shape[1] != len(names):
                        raise DataError(
                            f"{path.name} has {frame.shape[1]} columns but data.columns names {len(names)}. List one name per column."
                        )
                    frame.columns = names
                    if columns is not None:
                        frame = frame[columns]
                yield _named(_as_categories(frame, categorical), options)
    except UnicodeDecodeError:
        raise DataError(f"The data file {path} is not {options.encoding} text. Set data.encoding or re-save it as UTF-8.") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"The data {path} cannot be read as {kind}: {str(exc).splitlines()[0][:200]}") from None


def _named(frame: pd.DataFrame, options: ReadOptions) -> pd.DataFrame:
    frame.columns = [str(c) for c in frame.columns]
    return _mark_missing(frame, options.na_values) if options.na_values else frame


def stream_format(path: Path, format: Format = "auto") -> str:
    """``parquet`` or ``csv`` for a file or folder that can be read in batches (a folder holds Parquet files)."""
    if path.is_dir():
        if format not in ("auto", "parquet"):
            raise DataError(f"The data {path} is a folder; only a folder of Parquet files can be read (data.format: parquet).")
        if not any(path.rglob("*.parquet")) and not any(path.rglob("*.pq")):
            raise DataError(f"The data folder {path} holds no .parquet files. Point data.path at a Parquet file, folder or a CSV.")
        return "parquet"
    _checked_kind(path, format, "data")
    kind = detect_format(path) if format == "auto" else format
    if kind not in ("csv", "parquet"):
        raise DataError(
            f"The data file {path} is {kind}; only CSV and Parquet are read in batches. Convert it, or set data.engine: pandas."
        )
    return kind


def path_sha256(path: Path) -> str:
    """:func:`file_sha256` of a file; of a folder, the digest of its files' names and digests (in name order)."""
    path = Path(path)
    if not path.is_dir():
        return file_sha256(path)
    digest = hashlib.sha256()
    for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))):
        digest.update(f"{child.relative_to(path).as_posix()}\0{file_sha256(child)}\n".encode())
    return digest.hexdigest()


def detect_format(path: Path) -> str:
    """Format name from the file suffix."""
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_SUFFIXES))
        raise DataError(f"Cannot tell the format of {path} from its suffix (known: {known}). Set data.format in the config.") from None


def file_sha256(path: Path, *, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so large files do not load into memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def read_columns(path: Path, *, format: Format = "auto", what: str = "data", options: ReadOptions | None = None) -> list[str]:
    """The column names of a table, reading only its header (CSV), schema (Parquet) or first record (JSONL).

    A CSV without a header (``options.header`` false) has the names of ``options.columns``; its first
    row is read to check that it has as many fields.

    Raises
    ------
    DataError
        As :func:`read_table`: missing, empty, unreadable, or of an unknown format.
    """
    path = Path(path)
    options = options or ReadOptions()
    kind = _checked_kind(path, format, what)
    try:
        if kind == "csv":
            head = pd.read_csv(path, nrows=0 if options.header else 1, **_csv_layout(options))
            columns = list(head.columns)
            if options.columns is not None:
                if len(columns) != len(options.columns):
                    raise DataError(f"{path.name} has {len(columns)} columns but data.columns names {len(options.columns)}.")
                columns = list(options.columns)
        elif kind == "parquet":
            import pyarrow.parquet as pq

            columns = list(pq.read_schema(path).names)
        else:
            columns = list(pd.read_json(path, lines=True, nrows=1, encoding=options.encoding).columns)
    except UnicodeDecodeError:
        raise DataError(f"The {what} file {path} is not {options.encoding} text. Set data.encoding or re-save it as UTF-8.") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"The {what} file {path} has no columns. It needs a header row and data rows.") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"The {what} file {path} cannot be read as {kind}: {str(exc).splitlines()[0][:200]}") from None
    return [str(c) for c in columns]


def read_column(path: Path, column: str, *, format: Format = "auto", what: str = "data", options: ReadOptions | None = None) -> pd.Series:
    """One column of a table (the rest is not read where the format allows: CSV and Parquet)."""
    path = Path(path)
    options = options or ReadOptions()
    kind = _checked_kind(path, format, what)
    try:
        values: pd.Series
        if kind == "csv":
            names = list(options.columns) if options.columns is not None else None
            values = pd.read_csv(
                path,
                usecols=[names.index(column) if names is not None else column],
                low_memory=False,
                **_csv_values(path, (), options, only=[column]),
                **_csv_layout(options),
            ).iloc[:, 0]
            values.name = column
        elif kind == "parquet":
            values = pd.read_parquet(path, columns=[column])[column]
        else:
            values = pd.read_json(path, lines=True, encoding=options.encoding)[column]
    except (UnicodeDecodeError, ValueError, OSError, KeyError, pd.errors.ParserError) as exc:
        raise DataError(f"The {what} file {path}: column '{column}' cannot be read: {str(exc).splitlines()[0][:200]}") from None
    if options.na_values:
        values = _mark_missing(values.to_frame(), options.na_values)[column]
    return values


def _checked_kind(path: Path, format: Format, what: str) -> str:
    if not path.is_file():
        raise DataError(f"The {what} file {path} does not exist. Check data.path in the config.")
    if path.stat().st_size == 0:
        raise DataError(f"The {what} file {path} is empty. Point the config at a file with a header and rows.")
    return detect_format(path) if format == "auto" else format
