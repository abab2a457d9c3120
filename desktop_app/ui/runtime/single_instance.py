"""One Cairn per data folder: a second launch asks the first to come forward, then exits.

Two processes writing the same history could overwrite each other's changes. The first
launch takes an exclusive lock on ``cairn.lock`` in the data folder (the system releases it
when the process ends, even on a crash) and listens on a local socket named after the folder;
a launch that finds the lock taken asks the holder through that socket to come forward. The
lock answers the usual case (no other Cairn) without loading Qt's network module on the way
to the first frame; where the folder cannot be locked, the socket alone decides, as before.

Signals (on SingleInstance):
    activation_requested: another launch asked this one to show its window.
"""

from __future__ import annotations

import errno
import os
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_FILE = "cairn.lock"
_CONNECT_MS = 500
# A holder of the lock listens once its window's outline is up; a launch that finds the lock
# taken tries this long to reach it.
_REACH_HOLDER_SECONDS = 5.0
_MESSAGE = b"activate\n"


class _Taken(Exception):
    """Another process holds the folder's lock."""


def _take_lock(path: Path) -> BinaryIO:
    """The open lock file, locked for this process until it is closed or the process ends.

    Raises:
        _Taken: another process holds the lock.
        OSError: the folder cannot be locked (read-only, a file system without locks).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 (held open for the life of the process)
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        handle.close()
        if isinstance(error, BlockingIOError) or (
                os.name == "nt" and error.errno in (errno.EACCES, errno.EDEADLK)):
            raise _Taken from error
        raise
    return handle


def server_name(data_dir: Path) -> str:
    """A socket name unique to the folder and the user (short enough for every platform).

    64 bits from zlib's two checksums rather than a cryptographic hash: nothing here is secret,
    two folders of one user will not collide, and zlib is loaded already when this runs, before
    the window's first frame, where importing hashlib would cost about 5 ms.
    """
    key = f"{data_dir.resolve()}|{os.getuid() if hasattr(os, 'getuid') else ''}".encode()
    return f"cairn-{zlib.crc32(key):08x}{zlib.adler32(key):08x}"


class SingleInstance(QObject):
    """See the module docstring."""

    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._lock_path = data_dir / LOCK_FILE
        self._lock: BinaryIO | None = None
        self._server: QLocalServer | None = None

    def ask_running_instance(self) -> bool:
        """True if another Cairn owns this folder (it has been asked to come forward)."""
        try:
            self._lock = _take_lock(self._lock_path)
            return False  # nobody else has the folder
        except _Taken:
            deadline = time.monotonic() + _REACH_HOLDER_SECONDS
            while not self._send_activate():
                if time.monotonic() > deadline:
                    return True  # it holds the folder but does not answer: still not ours
                time.sleep(0.1)  # it is still starting: it listens once its window is up
            return True
        except OSError:
            return self._send_activate()  # no lock here: the socket alone decides

    def _send_activate(self) -> bool:
        """Ask the Cairn listening for this folder to come forward; False if none listens."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_CONNECT_MS):
            return False
        socket.write(_MESSAGE)
        socket.waitForBytesWritten(_CONNECT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the instance for this folder (a stale socket from a crash is replaced)."""
        from PySide6.QtNetwork import QLocalServer  # after the first frame: see startup_shell

        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        """Stop listening and let the folder go (another launch may have it now)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def _on_connection(self) -> None:
        assert self._server is not None
        socket = self._server.nextPendingConnection()
        if socket is None:
            return
        socket.readyRead.connect(lambda: self._on_message(socket))
        socket.disconnected.connect(socket.deleteLater)

    def _on_message(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_MESSAGE.strip()):
            self.activation_requested.emit()
