"""Print the HTML card to PDF with headless Chromium (optional: only when a PDF is asked for)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ethicscheck.errors import EthicsCheckError

__all__ = ["find_chromium", "chromium_flags", "print_pdf"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_chromium() -> str | None:
    """The Chromium executable: ``$ETHICSCHECK_CHROMIUM``, else the first of the usual names on PATH."""
    explicit = os.environ.get("ETHICSCHECK_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in _CANDIDATES if (found := shutil.which(name))), None)


# Chromium features that phone home on their own (component, safe-browsing and hint downloads,
# translation, media routing, network-time and certificate-transparency queries).
_NETWORK_FEATURES = (
    "AutofillServerCommunication",
    "CertificateTransparencyComponentUpdater",
    "DialMediaRouteProvider",
    "InterestFeedContentSuggestions",
    "MediaRouter",
    "NetworkTimeServiceQuerying",
    "OptimizationGuideModelDownloading",
    "OptimizationHints",
    "OptimizationHintsFetching",
    "SafeBrowsing",
    "Translate",
)


def chromium_flags(user_data_dir: str) -> list[str]:
    """Headless flags that keep Chromium off the network and away from any existing profile.

    Every background service is switched off, and as a backstop every host name resolves to
    nothing and every proxied request goes to a closed port on loopback, so a feature this list
    misses still cannot reach another machine: the card is a local file that needs no network.
    """
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--disable-breakpad",
        "--disable-crash-reporter",
        "--metrics-recording-only",
        "--safebrowsing-disable-auto-update",
        "--dns-prefetch-disable",
        f"--disable-features={','.join(_NETWORK_FEATURES)}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=http://127.0.0.1:9",
        "--disable-dev-shm-usage",
        f"--user-data-dir={user_data_dir}",
    ]


def print_pdf(html: Path, pdf: Path, *, timeout: float = 120.0) -> Path:
    """Print ``html`` to ``pdf`` with Chromium's print-to-PDF (A4/Letter per the page's print CSS).

    Raises
    ------
    EthicsCheckError
        No Chromium was found (install Debian's ``chromium`` or set ``ETHICSCHECK_CHROMIUM``), or
        printing failed; the HTML card is already written either way.
    """
    browser = find_chromium()
    if browser is None:
        raise EthicsCheckError(
            f"A PDF needs Chromium, and none was found. The HTML card is at {html}. Install it (Debian: apt-get install chromium) "
            "or point ETHICSCHECK_CHROMIUM at a Chrome/Chromium executable."
        )
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="ethicscheck-chromium-") as profile:
        command = [browser, *chromium_flags(profile), "--no-pdf-header-footer", f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise EthicsCheckError(f"Chromium did not finish printing {html} within {timeout:.0f} s.") from None
    if not pdf.is_file() or pdf.stat().st_size == 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise EthicsCheckError(f"Chromium could not print {html} to PDF (exit {done.returncode}): {' '.join(tail)}")
    return pdf
