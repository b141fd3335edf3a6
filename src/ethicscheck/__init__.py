"""ethicscheck: audit anti-trafficking detection models for bias and privacy harm."""

__version__ = "0.1.0"
