"""Conflict rules, one module per rule, and the engine that runs them (``engine.py``)."""
