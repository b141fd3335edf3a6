"""A scoring endpoint that speaks MLflow's protocol: ``POST /invocations`` with ``dataframe_split``."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from typing import Any

import pandas as pd

from ethicscheck._net import DeadlineExceeded, request_within
from ethicscheck._values import scrub_message
from ethicscheck.config import HttpModelConfig
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec, LoadContext
from ethicscheck.models._protocol import ModelInfo, Predictions

__all__ = ["HttpDetector", "load_http", "public_url"]


class HttpDetector(BatchDetector):
    """Posts batches as JSON and reads ``{"predictions": ...}`` back, with timeouts and retries.

    Each attempt has a total deadline of ``timeout_s`` (connect, send and the whole answer, not per
    read). Connection errors, missed deadlines, cut-short bodies and 5xx answers are retried with
    exponential backoff (0.5 s, 1 s, 2 s, ...); 4xx answers are the request's fault and fail at once
    with the server's message. The longest wait is ``(retries + 1) * timeout_s`` plus the backoff.
    """

    def __init__(self, *, config: HttpModelConfig, **kwargs: Any) -> None:
        super().__init__(threshold=config.threshold, batch_size=config.batch_size, output=config.output, **kwargs)
        self.config = config
        url, self.auth_header = _split_credentials(config.url.rstrip("/"))
        self.url = url if url.endswith("/invocations") else url + "/invocations"

    def _score(self, batch: pd.DataFrame) -> Predictions:
        table = batch[self.inputs.columns]
        body = json.dumps({"dataframe_split": json.loads(table.to_json(orient="split", index=False))}).encode()
        return self._read(self._post(body), len(batch))

    def _post(self, body: bytes) -> Any:
        headers = {"Content-Type": "application/json", **self.auth_header, **self.config.headers}
        timeout = self.config.timeout_s
        last_problem = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                time.sleep(0.5 * 2 ** (attempt - 1))
            try:
                status, payload = request_within("POST", self.url, body=body, headers=headers, timeout=timeout)
            except DeadlineExceeded:
                last_problem = f"no complete answer within model.timeout_s = {timeout:g} s"
                continue
            except http.client.IncompleteRead as exc:
                last_problem = f"the body ended after {len(exc.partial)} bytes, before its Content-Length"
                continue
            except (OSError, http.client.HTTPException) as exc:
                last_problem = str(getattr(exc, "reason", None) or exc) or type(exc).__name__
                continue
            if status >= 500:
                last_problem = f"HTTP {status}: {scrub_message(payload.decode('utf-8', 'replace'))}"
                continue
            if status >= 400:
                raise ModelError(f"{self.info.source} answered HTTP {status}: {scrub_message(payload.decode('utf-8', 'replace'))}")
            return _json_body(payload, self.info.source)
        raise ModelError(
            f"{self.info.source} did not answer after {self.config.retries + 1} attempts ({last_problem}). "
            "Check that the server is up, or raise model.timeout_s / model.retries."
        )


def _json_body(payload: bytes, source: str) -> Any:
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelError(f"{source} answered with a body that is not UTF-8 text; the scoring protocol is JSON in UTF-8.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise ModelError(f"{source} did not answer with JSON ({len(payload)} bytes that do not parse); check model.url.") from None


def load_http(config: HttpModelConfig, *, inputs: InputSpec, positive_class: Any, context: LoadContext) -> HttpDetector:
    """A detector calling ``config.url`` (the endpoint has its own deadlines; ``context`` is not needed)."""
    info = ModelInfo(kind="http", source=public_url(config.url))
    return HttpDetector(inputs=inputs, config=config, positive_class=positive_class, info=info)


def public_url(url: str) -> str:
    """The URL without credentials or query string, safe to put in a report."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """Move ``user:password@`` out of the URL into a Basic Authorization header (urllib ignores it)."""
    import base64

    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    token = base64.b64encode(f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}".encode()).decode()
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), {"Authorization": f"Basic {token}"}
