"""Integrations that run a whole audit from another tool; they sit above the orchestrators.

- ``ethicscheck.integrations.pytest_plugin``: registered through the ``pytest11`` entry point, so
  ``pytest --ethicscheck audit.yaml`` turns every gate into a test.
- ``ethicscheck.integrations._mlflow_evaluator.EthicsCheckEvaluator``: registered through the
  ``mlflow.model_evaluator`` entry point, so ``mlflow.models.evaluate(..., evaluators=["ethicscheck"])`` runs an audit.

Both are found through their entry points; importing this package imports neither pytest nor mlflow.
"""

__all__: list[str] = []
