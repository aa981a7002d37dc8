"""Conflict rules, one module per rule, and the engine that runs them.

A rule is a module holding ``RULE`` (:class:`~scheduler_app.rules.protocol.Rule`): its kind,
severity, scope and a ``find`` function that reads one scope's plain arrays (for ``BIOREACTOR``,
one bioreactor's :class:`~scheduler_app.rules.lane.Lane`) and reports each conflict to
:class:`~scheduler_app.rules.findings.Findings`, passing the message as a ``describe`` function
when writing it costs more than a few f-string parts; an error rule may add ``bound`` (how far a
campaign it objects to must move, for the slot finder). The engine owns grouping, memo, focus and
which scopes a change touches. A new rule is a new module listed in ``registry.RULES`` and a test
module under ``tests/scheduler_app/rules/``.
"""
