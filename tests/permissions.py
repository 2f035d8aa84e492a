"""File permissions as an ordinary user meets them, for tests that run as root (as CI runs them).

Root writes into read-only folders because it holds CAP_DAC_OVERRIDE (and reads any folder with
CAP_DAC_READ_SEARCH). Capabilities belong to a thread: `as_ordinary_user` runs a function on a new thread that
gives both up for good (effective and permitted, so `os.access` answers as it would for anyone else too), then
ends. A test of "this folder is not writable" then runs everywhere instead of being skipped under root.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
_CAPABILITY_VERSION_3 = 0x20080522  # linux/capability.h: two 32-bit words per set


class _Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_permission_override() -> None:
    """This thread loses root's override of file permissions, for good (a thread cannot take it back)."""
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _Header(_CAPABILITY_VERSION_3, 0), (_Data * 2)()
    override = (1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH)
    for call, change in ((libc.capget, False), (libc.capset, True)):
        if change:
            data[0].effective &= ~override
            data[0].permitted &= ~override
            data[0].inheritable &= ~override
        if call(ctypes.byref(header), data) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"{call.__name__}: {os.strerror(errno)}")


def as_ordinary_user(function: Callable[[], T]) -> T:
    """function() with file permissions enforced as for any user: on a thread without root's override when we are
    root (its result returned, its exception raised here), else simply called."""
    if os.geteuid() != 0:
        return function()
    outcome: list = []

    def run() -> None:
        try:
            _drop_permission_override()
            outcome.append((True, function()))
        except BaseException as exc:  # noqa: BLE001  raised again on the caller's thread
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="ordinary-user")
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value
