"""The days a campaign needs after another on one bioreactor, as the gap rules define them: the
later product's turnaround days after the same product, the changeover (the matrix entry, else
the larger of the two products' changeover days) after a different one. Turnaround is a warning:
the optimiser, which may only be as strict as the error rules, asks for the changeover alone."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler_app.ids import ProductCode
from scheduler_app.schedule import Schedule


@dataclass(frozen=True, slots=True)
class Needs:
    """``days[later][earlier]`` by the product positions in ``index``."""

    index: dict[ProductCode, int]
    days: list[list[int]]

    @classmethod
    def of(cls, schedule: Schedule, turnaround: bool = True) -> Needs:
        """Every gap rule's days; without ``turnaround``, none after the same product."""
        codes = sorted(schedule.products)
        days = [
            [
                (schedule.products[later].turnaround_days if turnaround else 0)
                if later == earlier
                else schedule.changeover_days(earlier, later)
                for earlier in codes
            ]
            for later in codes
        ]
        return cls({code: i for i, code in enumerate(codes)}, days)

    def between(self, earlier: str, later: str) -> int:
        """Days ``later`` needs after ``earlier`` ends; 0 for an unknown product."""
        a, b = self.index.get(ProductCode(earlier)), self.index.get(ProductCode(later))
        return 0 if a is None or b is None else self.days[b][a]

    @property
    def most(self) -> int:
        return max((max(row) for row in self.days), default=0)
