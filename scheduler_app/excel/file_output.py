"""Putting an exported workbook in place without ever damaging the file that was there.

The workbook is assembled in memory, written to a hidden temporary file beside the target and
renamed over it. A full disk, a read-only folder or a target held open by Excel each get their
own sentence (and the temporary file is removed); the new file gets the mode of the file it
replaces, or the user's umask for a new one (others on a shared folder must be able to read it);
temporary files left by an export that was killed are removed on the next export to that folder.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path

from scheduler_app.excel.errors import ExcelError

STALE_TEMP_S = 10 * 60  # no export takes this long; an older temporary file was abandoned


def busy(target: Path) -> ExcelError:
    return ExcelError(
        f"Cannot write {target.name}: it is open in another program or read-only. "
        "Close it and export again."
    )


def check_target(target: Path) -> None:
    """Refuse early (before minutes of work) a target that cannot be written."""
    if not target.parent.is_dir():
        raise ExcelError(f"Cannot write {target.name}: the folder {target.parent} does not exist.")
    if target.exists() and (target.is_dir() or not os.access(target, os.W_OK)):
        raise busy(target)


def _explain(target: Path, error: OSError) -> ExcelError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExcelError(
            f"Cannot write {target.name}: the disk is full (the existing file, if any, was not "
            "changed). Free some space and export again."
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExcelError(f"Cannot write {target.name}: its folder is read-only.")
    return ExcelError(f"Cannot write {target.name}: {error.strerror or error}.")


def remove_stale_temporaries(target: Path, now: float | None = None) -> list[Path]:
    """Delete hidden ``.NAME.*.xlsx.tmp`` files beside ``target`` older than
    :data:`STALE_TEMP_S` (left by a killed export); returns what was removed."""
    limit = (now if now is not None else time.time()) - STALE_TEMP_S
    removed = []
    for leftover in target.parent.glob(f".{target.stem}.*.xlsx.tmp"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue  # another export's, or not ours to remove
    return removed


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_in_place(target: Path, data: bytes | memoryview) -> None:
    """Write ``data`` beside ``target`` and rename it over ``target`` (see the module doc)."""
    check_target(target)
    remove_stale_temporaries(target)
    try:
        existing_mode = target.stat().st_mode & 0o777 if target.exists() else None
        handle, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".xlsx.tmp", dir=target.parent
        )
    except OSError as error:
        raise _explain(target, error) from None
    temp = Path(name)
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, existing_mode if existing_mode is not None else 0o666 & ~current_umask())
        except OSError as error:
            raise _explain(target, error) from None
        try:
            os.replace(temp, target)
        except PermissionError:
            raise busy(target) from None
        except OSError as error:
            raise _explain(target, error) from None
    finally:
        temp.unlink(missing_ok=True)
