"""Typed identifiers: codes planners see and type, kept distinct so they cannot be mixed up."""

from __future__ import annotations

from typing import NewType

SiteCode = NewType("SiteCode", str)
SuiteCode = NewType("SuiteCode", str)
BioreactorCode = NewType("BioreactorCode", str)
ProductCode = NewType("ProductCode", str)
CampaignId = NewType("CampaignId", str)
