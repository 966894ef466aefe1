"""Reading and writing files safely: text decoded with a clear error, outputs checked before a run,
files replaced atomically, and run folders that are complete or absent."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from experiments.infra.errors import UsageError


def shown(path: Path | str) -> str:
    """A path as it may be echoed: quoted, control characters escaped (by repr)."""
    return repr(str(path))


def parse_toml_table(text: str, path: Path, what: str, allowed: frozenset[str] | set[str]) -> dict:
    """The TOML table in ``text`` (read from ``path``); ParameterError "WHAT NAME: ..." if it is not valid TOML
    or has a top-level key outside ``allowed``."""
    import tomllib

    from model.parameters import ParameterError

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"{what} {path.name}: not valid TOML ({exc})") from None
    unknown = set(data) - set(allowed)
    if unknown:
        raise ParameterError(f"{what} {path.name}: unknown key(s) {', '.join(sorted(unknown))} "
                             f"(allowed: {', '.join(sorted(allowed))})")
    return data


def read_text_file(path: Path, what: str) -> str:
    """The file's text (UTF-8); UsageError naming ``what`` and the reason if it cannot be read."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{what} {shown(path)} is a folder, not a file") from None
    except FileNotFoundError:
        raise UsageError(f"{what} {shown(path)} not found") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{what} {shown(path)} cannot be read ({_reason(exc)})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{what} {shown(path)} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                         "save it as UTF-8") from None


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def nearest_existing(path: Path) -> Path:
    """``path`` itself if it exists, else its closest existing ancestor."""
    path = Path(os.path.abspath(path))
    for candidate in (path, *path.parents):
        if _exists(candidate):
            return candidate
    return Path("/")


def _check_can_create(path: Path, what: str) -> Path:
    """The existing ancestor in which ``path``'s missing parts would be created; UsageError if they cannot be."""
    path = Path(os.path.abspath(path))
    base = nearest_existing(path.parent if not _exists(path) else path)
    if not base.is_dir():
        raise UsageError(f"{what} {shown(path)}: {shown(base)} is not a folder")
    missing = path.relative_to(base).parts if base != path else ()
    try:
        name_max = os.pathconf(base, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    for part in missing:
        if len(os.fsencode(part)) > name_max:
            raise UsageError(f"{what} {shown(path)}: the name {shown(part[:40] + '...')} is longer than {name_max} bytes")
    if len(os.fsencode(str(path))) >= 4096:
        raise UsageError(f"{what} {shown(path)}: the path is longer than 4096 bytes")
    if not os.access(base, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {shown(path)}: cannot write into {shown(base)} ({_why_not_writable(base)})")
    return base


def _why_not_writable(path: Path) -> str:
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


def check_output_folder(path: Path, what: str) -> None:
    """UsageError unless ``path`` is a folder, or can be created as one, that this process can write into.
    Writes nothing."""
    path = Path(path)
    if _exists(path) and not path.is_dir():
        raise UsageError(f"{what} {shown(path)} exists and is not a folder")
    _check_can_create(path, what)


def check_output_file(path: Path, what: str) -> None:
    """UsageError unless ``path`` can be written as a file (its folder exists or can be created). Writes nothing."""
    path = Path(path)
    if _exists(path) and path.is_dir():
        raise UsageError(f"{what} {shown(path)} is a folder, not a file")
    if str(path).endswith(os.sep):
        raise UsageError(f"{what} {shown(path)} names a folder, not a file")
    _check_can_create(path.parent, what)
    if _exists(path) and not os.access(path, os.W_OK):
        raise UsageError(f"{what} {shown(path)} cannot be replaced ({_why_not_writable(path.parent)})")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: readers see the old file or the new one,
    never a part; on failure the temporary file is removed and the old file is untouched."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_with(path: Path, write) -> None:
    """Like atomic_write_bytes for a writer that takes a path (``write(tmp_path)``), e.g. DataFrame.to_parquet."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _make_parents(folder: Path) -> list[Path]:
    """mkdir -p, returning the folders it created (deepest last)."""
    created = []
    for parent in reversed((folder, *folder.parents)):
        if not _exists(parent):
            os.mkdir(parent)
            created.append(parent)
    return created


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_stale_partials(out: Path) -> None:
    """Remove staging folders left by writers of ``out`` that were killed."""
    for stale in out.parent.glob(f".{out.name}.partial-*"):
        pid = stale.name.rsplit(".partial-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staged_folder(out: Path, what: str) -> Iterator[Path]:
    """Yield an empty staging folder beside ``out``; when the block succeeds it becomes ``out`` in one
    rename (replacing an earlier ``out``), when it fails it is removed, ``out`` is left as it was and a
    UsageError says what happened. So ``out`` is always complete or absent."""
    out = Path(os.path.abspath(out))
    existed = out.is_dir()
    created: list[Path] = []
    staging = out.parent / f".{out.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        created = _make_parents(out.parent)
        _clean_stale_partials(out)
        os.mkdir(staging)
        yield staging
        _replace_folder(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in reversed(created):
            try:
                folder.rmdir()
            except OSError:
                break
        if isinstance(exc, OSError):
            kept = "; the earlier results there are untouched" if existed else ""
            raise UsageError(f"could not write {what} to {shown(out)}: {_reason(exc)}"
                             + (f" ({shown(exc.filename)})" if getattr(exc, "filename", None) else "")
                             + f"; nothing was written{kept}") from None
        raise


def _replace_folder(staging: Path, out: Path) -> None:
    if not _exists(out):
        os.rename(staging, out)
        return
    old = out.parent / f".{out.name}.replaced-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)

