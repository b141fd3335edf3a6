"""The ``ethicscheck`` command line: one module per command."""
