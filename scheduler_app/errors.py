"""Errors the core raises for a planner to read: each message says what is wrong and what to do."""

from __future__ import annotations


class SchedulerError(Exception):
    """Base of every error the core raises on purpose; callers show ``str(error)`` as it is."""


class ValidationError(SchedulerError):
    """A request the rules of the domain refuse (unknown bioreactor, zero batches, …)."""


class NotFoundError(ValidationError):
    """A referenced campaign, product, bioreactor, suite or site does not exist."""


class LockedError(ValidationError):
    """The campaign is In progress or Complete and cannot be moved or resized."""


class StaleEditError(SchedulerError):
    """Another planner changed the row first; the edit was refused, nothing was overwritten."""

    def __init__(self, message: str, *, entity: str, key: str) -> None:
        super().__init__(message)
        self.entity = entity
        self.key = key


class ReasonRequiredError(SchedulerError):
    """The change touches a Confirmed campaign (or the schedule requires a reason for every
    change) and no reason was given; nothing was applied."""


class StorageError(SchedulerError):
    """The database cannot be opened, migrated or written."""
