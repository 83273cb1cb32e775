"""The headless pipeline: ingest -> segment -> similarity -> align -> compare -> export.

Nothing in this package may import Textual (``tests/test_architecture.py``
enforces it), so the whole pipeline runs and is tested without a terminal.
"""
