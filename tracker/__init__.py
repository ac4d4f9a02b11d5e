"""Geopolitical event timeline tracker: articles in, dated events out."""

__version__ = "0.1.0"
