"""Parallax: line up several news articles about one story, sentence by sentence."""

__version__ = "0.1.0"
