"""Test-wide setup: Qt offscreen, hypothesis profiles."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# Database fixtures: the same storage and service tests run on SQLite and on PostgreSQL.

import ipaddress  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

POSTGRES_ENV = "SCHEDULER_TEST_POSTGRES_URL"


def _loopback_postgres_url() -> str | None:
    """The PostgreSQL URL for tests, or None; refuses any host that is not this machine, since
    the tests create and drop schemas."""
    raw = os.environ.get(POSTGRES_ENV)
    if not raw:
        return None
    from sqlalchemy.engine import make_url

    host = make_url(raw).host or "localhost"
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        pytest.fail(f"{POSTGRES_ENV} must point at a loopback host, not {host!r}")
    return raw


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (faster than migrating every time)."""
    from scheduler_app.storage import Store

    path = tmp_path_factory.mktemp("template") / "template.db"
    Store.open(path).close()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "schedule.db"
    shutil.copyfile(sqlite_template, target)
    return str(target)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty schema per test, reached through ``search_path``; dropped afterwards."""
    raw = _loopback_postgres_url()
    if raw is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://…)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(raw)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(raw).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty, migrated-on-open database of each kind: a file path or a PostgreSQL URL."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def store(database_url: str) -> Iterator[object]:
    from scheduler_app.storage import Store

    opened = Store.open(database_url)
    yield opened
    opened.close()
