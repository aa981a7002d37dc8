"""Who is writing: the name recorded in the audit log, and whether the connection could rewrite
the log.

The user is never taken from environment variables a user can set (``LOGNAME``, ``USER``): on
PostgreSQL it is the authenticated database user (``current_user``), on SQLite the operating
system account the process runs as, as the operating system reports it.
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import Connection, text


def os_account() -> str:
    """The login name of the account this process runs as, from the account database (POSIX
    ``getpwuid``) or the Windows API, not from the environment."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
        import ctypes

        size = ctypes.c_ulong(257)
        buffer = ctypes.create_unicode_buffer(size.value)
        if ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
            return str(buffer.value)
        return "unknown"
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid {os.getuid()}"


def database_user(connection: Connection) -> str:
    """The user the audit log records for this connection."""
    if connection.dialect.name == "postgresql":
        return str(connection.execute(text("SELECT current_user")).scalar_one())
    return os_account()


def owner_warning(connection: Connection) -> str | None:
    """A sentence for the planner when this PostgreSQL connection could alter or delete audit
    rows (it owns the audit table or is a superuser), else None. SQLite files have no roles:
    whoever can write the file can change it, which ``audit verify`` detects."""
    if connection.dialect.name != "postgresql":
        return None
    row = connection.execute(
        text(
            "SELECT r.rolsuper, pg_has_role(current_user, c.relowner, 'MEMBER') "
            "FROM pg_class c JOIN pg_roles r ON r.rolname = current_user "
            "WHERE c.oid = to_regclass('audit_log')"
        )
    ).first()
    if row is None:
        return None
    superuser, owner = bool(row[0]), bool(row[1])
    if not (superuser or owner):
        return None
    what = "a superuser" if superuser else "the owner of the audit table"
    return (
        f"Connected as {what}: this login could rewrite the audit trail. Ask the administrator "
        "for an application login that may only add audit rows (see the administration guide)."
    )
