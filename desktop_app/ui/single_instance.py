"""One Cairn per data folder: a second launch asks the first to come forward, then exits.

Two processes writing the same history could overwrite each other's changes; a local socket
named after the data folder lets the second launch find the first.

Signals (on SingleInstance):
    activation_requested: another launch asked this one to show its window.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalSocket

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

_CONNECT_MS = 500
_MESSAGE = b"activate\n"


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
        self._server: QLocalServer | None = None

    def ask_running_instance(self) -> bool:
        """True if another Cairn owns this folder (it has been asked to come forward)."""
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
        if self._server is not None:
            self._server.close()
            self._server = None

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
