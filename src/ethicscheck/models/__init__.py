"""Model adapters: any detection model behind one :class:`Detector` protocol.

Kinds: ``precomputed`` (columns or a joined file), ``sklearn`` (skops; pickle/joblib only with
``allow_pickle``), ``onnx``, ``mlflow`` (model URIs), ``callable`` (a Python function) and ``http``
(MLflow's scoring protocol).
"""

from ethicscheck.models._http import public_url
from ethicscheck.models._load import load_detector
from ethicscheck.models._outputs import to_predictions
from ethicscheck.models._precomputed import PrecomputedDetector
from ethicscheck.models._protocol import Detector, ModelInfo, Predictions, Progress

__all__ = ["Detector", "ModelInfo", "Predictions", "PrecomputedDetector", "Progress", "load_detector", "public_url", "to_predictions"]
