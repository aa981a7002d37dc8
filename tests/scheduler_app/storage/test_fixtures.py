"""The PostgreSQL test fixture creates and drops schemas, so it must refuse any remote host."""

from __future__ import annotations

import pytest

from tests.conftest import POSTGRES_ENV, _loopback_postgres_url


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@10.20.30.40:5432/prod", "postgresql+psycopg://u@8.8.8.8/x"],
)
def test_a_remote_postgres_host_is_refused(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POSTGRES_ENV, url)
    with pytest.raises(pytest.fail.Exception, match="loopback"):
        _loopback_postgres_url()


def test_loopback_hosts_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for url in ("postgresql+psycopg://postgres@127.0.0.1:5432/test", "postgresql://p@[::1]/t"):
        monkeypatch.setenv(POSTGRES_ENV, url)
        assert _loopback_postgres_url() == url
    monkeypatch.delenv(POSTGRES_ENV)
    assert _loopback_postgres_url() is None
