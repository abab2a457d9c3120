"""Thumbnails of stored pictures, decoded on a worker thread.

A message's pictures are shown small, but the files can be large (up to 8000 px a side with
full-resolution images): decoding and scaling one on the UI thread took 20-40 ms at the
usual 1568 px and several hundred at full size, for every picture of every message built.
``ThumbnailLoader.request`` reads, decodes and scales on a worker thread and hands the result
to the UI thread through a queued signal; recent thumbnails are kept, so a message built
again (scrolling back, switching conversations) shows them at once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from desktop_app.core.images import thumbnail_rgba

_KEPT = 256  # thumbnails remembered (a 160 px one is about 100 KB)


class ThumbnailLoader(QObject):
    """See the module docstring. One per application (``loader()``)."""

    _done = Signal(object, object)  # (key, QImage or None), queued to the UI thread

    def __init__(self) -> None:
        super().__init__()
        self._pool: ThreadPoolExecutor | None = None
        self._kept: OrderedDict[tuple[str, int], QImage | None] = OrderedDict()
        self._waiting: dict[tuple[str, int], list[Callable[[QImage | None], None]]] = {}
        self._done.connect(self._deliver)

    def request(self, path: Path, edge: int, deliver: Callable[[QImage | None], None]) -> None:
        """Call ``deliver`` on the UI thread with the picture at ``path`` scaled to fit
        ``edge`` (None: unreadable) - at once if it is known, else once it is decoded."""
        key = (str(path), edge)
        if key in self._kept:
            self._kept.move_to_end(key)
            deliver(self._kept[key])
            return
        waiting = self._waiting.setdefault(key, [])
        waiting.append(deliver)
        if len(waiting) > 1:
            return  # already being decoded
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cairn-thumbnails")
        self._pool.submit(self._load, key)

    def _load(self, key: tuple[str, int]) -> None:  # on the worker thread
        path, edge = key
        try:
            image = qimage_thumbnail(Path(path).read_bytes(), edge)
        except OSError:
            image = None
        self._done.emit(key, image)

    def _deliver(self, key: tuple[str, int], image: QImage | None) -> None:
        self._kept[key] = image
        while len(self._kept) > _KEPT:
            self._kept.popitem(last=False)
        for deliver in self._waiting.pop(key, []):
            deliver(image)


_LOADER: ThumbnailLoader | None = None


def loader() -> ThumbnailLoader:
    global _LOADER
    if _LOADER is None:
        _LOADER = ThumbnailLoader()
    return _LOADER


def qimage_thumbnail(data: bytes, edge: int) -> QImage | None:
    """A picture's thumbnail as a QImage (None: unreadable). Decodes: call it on a worker
    thread; showing the result (``QPixmap.fromImage``) is cheap."""
    thumbnail = thumbnail_rgba(data, edge)
    if thumbnail is None:
        return None
    width, height, pixels = thumbnail
    return QImage(pixels, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
