"""A user candidate factory, as a researcher would write one (used through 'tests.compare.factories:make')."""

from sklearn.linear_model import LogisticRegression


def make(C: float = 1.0, random_state: int = 0) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=500, random_state=random_state)


def forest(random_state: int = 0, **params: object):
    """An unpruned random forest: the overfit positive control of a comparison (it memorizes its training rows)."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=50, random_state=random_state, n_jobs=1, **params)


def balanced(C: float = 1.0, random_state: int = 0) -> LogisticRegression:
    """Cost-sensitive logistic regression (classes weighted to balance): more recall, and more false positives."""
    return LogisticRegression(C=C, max_iter=500, class_weight="balanced", random_state=random_state)
