"""A scoring endpoint that speaks MLflow's protocol: ``POST /invocations`` with ``dataframe_split``."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pandas as pd

from ethicscheck.config import HttpModelConfig
from ethicscheck.errors import ModelError
from ethicscheck.models._batch import BatchDetector
from ethicscheck.models._inputs import InputSpec
from ethicscheck.models._protocol import ModelInfo, Predictions

__all__ = ["HttpDetector", "load_http", "public_url"]


class HttpDetector(BatchDetector):
    """Posts batches as JSON and reads ``{"predictions": ...}`` back, with timeouts and retries.

    Connection errors, timeouts and 5xx answers are retried with exponential backoff (0.5 s, 1 s,
    2 s, ...); 4xx answers are the request's fault and fail at once with the server's message.
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
        last_problem = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                time.sleep(0.5 * 2 ** (attempt - 1))
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.config.timeout_s) as response:  # noqa: S310 - user-configured URL
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode("utf-8", "replace")[:300]
                if exc.code < 500:
                    raise ModelError(f"{self.info.source} answered HTTP {exc.code}: {detail}") from None
                last_problem = f"HTTP {exc.code}: {detail}"
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last_problem = str(getattr(exc, "reason", exc))
            except json.JSONDecodeError:
                raise ModelError(f"{self.info.source} did not answer with JSON.") from None
        raise ModelError(
            f"{self.info.source} did not answer after {self.config.retries + 1} attempts ({last_problem}). "
            "Check that the server is up, or raise model.timeout_s / model.retries."
        )


def load_http(config: HttpModelConfig, *, inputs: InputSpec, positive_class: Any) -> HttpDetector:
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
