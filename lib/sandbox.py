"""Parse untrusted files in a forked child process with CPU, memory and wall-clock limits.

The parsers (openpyxl, python-docx/lxml, calamine, pdfium) cannot be told to give up after N
seconds or N megabytes, but a process can be limited and killed. The child only parses: it never
uses the database (the parent keeps its connection: a forked child must not write to a socket it
shares with its parent, and a test's transaction is invisible to it anyway), so every query in
the child raises. Results come back through a pipe as length-prefixed pickles, read with an
allow-list of classes, so a child subverted by a hostile file cannot make the parent run code.

    value = sandbox.call(parse, data)                   # a plain-data return value
    with sandbox.stream(read_rows, path) as items:      # a generator's items, as they come
        for item in items: ...

Limits (settings.UPLOAD_SANDBOX): CPU seconds of the child (RLIMIT_CPU), memory it may add to
what it inherits (RLIMIT_AS), and seconds the parent waits for it in all (its own work between
items is not counted). A breach ends the child and raises SandboxLimit with a message for users.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import io
import os
import pickle
import resource
import select
import signal
import struct
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024
_HEADER = struct.Struct(">I")
MAX_FRAME = 256 * MB  # a frame announcing more is a broken (or hostile) child
BATCH_ITEMS = 500
BATCH_BYTES = 4 * MB
MEMORY_EXIT = 3  # the child's exit code after a MemoryError it could not report
POLL_SECONDS = 2.0

_ALLOWED = {
    ("datetime", "date"): datetime.date,
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "time"): datetime.time,
    ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone,
    ("decimal", "Decimal"): decimal.Decimal,
}


class SandboxError(Exception):
    """The child could not finish; the message is for the person who uploaded the file."""


class SandboxLimit(SandboxError):
    """The child used more time or memory than it may."""

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        self.limit = limit  # "cpu", "memory" or "wall"


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_mb: int
    wall_seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        conf = settings.UPLOAD_SANDBOX
        return cls(
            cpu_seconds=int(conf["CPU_SECONDS"]),
            memory_mb=int(conf["MEMORY_MB"]),
            wall_seconds=float(conf["WALL_SECONDS"]),
        )


def call(
    func: Callable, *args: Any, limits: Limits | None = None, expected: tuple = (), **kwargs: Any
) -> Any:
    """`func(*args, **kwargs)` run in a child; returns its (plain data) value. Exceptions of the
    `expected` classes are raised again here with their message; anything else is SandboxError."""
    child = _Child(func, args, kwargs, limits or Limits.from_settings(), expected, streaming=False)
    try:
        kind, payload = child.next_message()
        if kind != "value":
            raise SandboxError(_failure_message())
        return payload
    finally:
        child.close()


@contextlib.contextmanager
def stream(
    func: Callable, *args: Any, limits: Limits | None = None, expected: tuple = (), **kwargs: Any
) -> Iterator[Iterator[Any]]:
    """The items of the generator `func(*args, **kwargs)`, run in a child, as they come. Leaving
    the block ends the child, finished or not."""
    child = _Child(func, args, kwargs, limits or Limits.from_settings(), expected, streaming=True)
    try:
        yield child.items()
    finally:
        child.close()


# -- the child --------------------------------------------------------------------------------


def _child_main(
    write_fd: int, func: Callable, args: tuple, kwargs: dict, limits: Limits, expected: tuple, streaming: bool
) -> None:
    out = os.fdopen(write_fd, "wb", buffering=0)
    code = 0
    try:
        _prepare_child(limits)
        if streaming:
            batch: list = []
            size = 0
            for item in func(*args, **kwargs):
                batch.append(item)
                size += _rough_size(item)
                if len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES:
                    _send(out, ("items", batch))
                    batch, size = [], 0
            _send(out, ("items", batch))
            _send(out, ("end", None))
        else:
            _send(out, ("value", func(*args, **kwargs)))
    except MemoryError:
        code = MEMORY_EXIT
        with contextlib.suppress(BaseException):
            _send(out, ("memory", None))
    except expected as exc:
        with contextlib.suppress(BaseException):
            _send(out, ("raise", (f"{type(exc).__module__}.{type(exc).__qualname__}", str(exc))))
    except BaseException:
        with contextlib.suppress(BaseException):
            _send(out, ("fail", traceback.format_exc()[-4000:]))
    finally:
        # No atexit handlers, no finalisers: nothing the parent owns (its database connection
        # above all) may be closed or flushed from here.
        os._exit(code)


def _prepare_child(limits: Limits) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGPIPE):
        signal.signal(signum, signal.SIG_DFL)
    _die_with_parent()
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 2))
    inherited = _address_space()
    if inherited is not None:
        cap = inherited + limits.memory_mb * MB
        with contextlib.suppress(ValueError, OSError):  # macOS does not enforce RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    _refuse_database()


def _die_with_parent() -> None:
    """Linux: the kernel kills the child if the worker dies (no orphan parser keeps running)."""
    parent = os.getppid()
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _address_space() -> int | None:
    """Bytes of address space the process uses now (Linux), what the child starts from."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _refuse_database() -> None:
    from django.db import connections

    def refuse(*args, **kwargs):
        raise RuntimeError("The sandbox has no database: parse only, let the parent write.")

    for conn in connections.all():
        conn.execute_wrappers.append(refuse)


def _rough_size(item: Any) -> int:
    if isinstance(item, (list, tuple)):
        return 16 + sum(len(v) if isinstance(v, str) else 16 for v in item)
    return len(item) if isinstance(item, str) else 64


def _send(out, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)


# -- the parent -------------------------------------------------------------------------------


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed from the sandbox") from None


class _Child:
    def __init__(self, func, args, kwargs, limits: Limits, expected: tuple, *, streaming: bool) -> None:
        self.limits = limits
        self.expected = {f"{cls.__module__}.{cls.__qualname__}": cls for cls in expected}
        self.waited = 0.0
        self.buffer = bytearray()
        self.eof = False
        read_fd, write_fd = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            os.close(read_fd)
            _child_main(write_fd, func, args, kwargs, limits, tuple(expected), streaming)
        os.close(write_fd)
        self.fd = read_fd
        self.status: int | None = None

    # reading

    def _fill(self, need: int) -> bool:
        """Read until `need` bytes are buffered; False at end of file."""
        while len(self.buffer) < need:
            remaining = self.limits.wall_seconds - self.waited
            if remaining <= 0:
                self.kill()
                raise SandboxLimit(_time_message(self.limits.wall_seconds), limit="wall")
            started = time.monotonic()
            ready, _w, _x = select.select([self.fd], [], [], min(remaining, POLL_SECONDS))
            if ready:
                chunk = os.read(self.fd, max(need - len(self.buffer), 1024 * 1024))
            self.waited += time.monotonic() - started
            if not ready:
                continue
            if not chunk:
                self.eof = True
                return False
            self.buffer += chunk
        return True

    def next_message(self) -> tuple[str, Any]:
        if not self._fill(_HEADER.size):
            return self._ended()
        (length,) = _HEADER.unpack(self.buffer[: _HEADER.size])
        if length > MAX_FRAME:
            self.kill()
            raise SandboxError(_failure_message())
        if not self._fill(_HEADER.size + length):
            return self._ended()
        data = bytes(self.buffer[_HEADER.size : _HEADER.size + length])
        del self.buffer[: _HEADER.size + length]
        try:
            kind, payload = _Unpickler(io.BytesIO(data)).load()
        except Exception:
            self.kill()
            raise SandboxError(_failure_message()) from None
        if kind == "raise":
            name, message = payload
            cls = self.expected.get(name)
            raise (cls(message) if cls else SandboxError(_failure_message()))
        if kind == "memory":
            raise SandboxLimit(_memory_message(self.limits.memory_mb), limit="memory")
        if kind == "fail":
            raise SandboxError(_failure_message()) from _ChildTraceback(payload)
        return kind, payload

    def _ended(self) -> tuple[str, Any]:
        """The pipe closed without a result: say what stopped the child."""
        status = self.wait()
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            raise SandboxLimit(_time_message(self.limits.cpu_seconds), limit="cpu")
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == MEMORY_EXIT:
            raise SandboxLimit(_memory_message(self.limits.memory_mb), limit="memory")
        raise SandboxError(_failure_message())

    def items(self) -> Iterator[Any]:
        while True:
            kind, payload = self.next_message()
            if kind == "end":
                return
            if kind != "items":
                raise SandboxError(_failure_message())
            yield from payload

    # ending

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.status is None:
            _pid, self.status = os.waitpid(self.pid, 0)
        return self.status

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self.kill()
        self.wait()


class _ChildTraceback(Exception):
    """The child's traceback, chained to the SandboxError for the logs."""


def _time_message(seconds: float) -> str:
    return _(
        "Reading the file took more than %(seconds)s seconds and was stopped. The file is too large "
        "or is not an ordinary document: split it into smaller files or save it again from Excel/Word."
    ) % {"seconds": int(seconds)}


def _memory_message(mb: int) -> str:
    return _(
        "Reading the file needed more than %(mb)s MB of memory and was stopped. The file is too large "
        "or is not an ordinary document: split it into smaller files or save it again from Excel/Word."
    ) % {"mb": mb}


def _failure_message() -> str:
    return _(
        "The file could not be read: the reader stopped on it. It may be damaged; save it again and retry."
    )
