"""Conflict rules, one module per rule, and the engine that runs them.

A rule is a module with ``KIND``, ``SEVERITY`` and ``check(lane, found)``: it reads one
bioreactor's :class:`~scheduler_app.rules.lane.Lane` (live campaigns sorted by start, as numpy
arrays, with the bioreactor's context: site, time zone, maintenance windows, product tables) and
reports each conflict to :class:`~scheduler_app.rules.findings.Findings`, passing the message as a
``describe`` function when writing it costs more than a few f-string parts. Because no rule looks
beyond one bioreactor, :class:`~scheduler_app.rules.engine.ConflictEngine` can recheck only the
bioreactors a change touched and still give the full check's answer. A new rule is a new module
listed in ``engine.RULES`` and a test module under ``tests/scheduler_app/rules/``.
"""
