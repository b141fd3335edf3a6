"""ethicscheck: audit anti-trafficking detection models for bias and privacy harm."""

import os as _os

__version__ = "0.1.0"

# No network at run time beyond what the user names (tracking server, HTTP model, Spark master).
# MLflow sends usage telemetry to its own host unless this is set; it reads the variable when it
# first records an event, so setting it on import of ethicscheck, before any mlflow call, is enough.
# Forced, not defaulted: a process running ethicscheck keeps its promise even if the variable was
# set to false elsewhere.
_os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
# tldextract (presidio's e-mail and URL checks) fetches the public suffix list on first use unless told not to,
# and it reads this when it is imported: set here, before any module of ethicscheck can import presidio (a
# recognizer module imported first used to make the first e-mail check try the network). A user's own list
# of URLs is kept.
_os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

__all__ = ["__version__", "assess", "AssessSettings"]


def __getattr__(name: str) -> object:
    # `from ethicscheck import AssessSettings, assess` as the README shows, without importing numpy and scipy
    # for `ethicscheck --version` and every other `import ethicscheck` that does not need them.
    if name in ("assess", "AssessSettings"):
        from ethicscheck import fairness

        return getattr(fairness, name)
    raise AttributeError(f"module 'ethicscheck' has no attribute {name!r}")
