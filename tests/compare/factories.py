"""A user candidate factory, as a researcher would write one (used through 'tests.compare.factories:make')."""

from sklearn.linear_model import LogisticRegression


def make(C: float = 1.0, random_state: int = 0) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=500, random_state=random_state)
