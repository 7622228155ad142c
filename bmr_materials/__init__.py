"""The shared core of the International Health Ruhr materials builder."""

__version__ = "0.1.0"
