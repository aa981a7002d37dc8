"""Headless sub-commands (``demo``, ``check``, ``import``, ``export``); ``main.main`` runs them."""
