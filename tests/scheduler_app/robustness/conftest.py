"""The CLI fixtures (private user data directory, the demo database copied per test)."""

from tests.scheduler_app.cli.conftest import demo_db, demo_template, user_data

__all__ = ["demo_db", "demo_template", "user_data"]
