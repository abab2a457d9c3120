"""Typesets the formulas of replies in a worker process, and remembers them.

Typesetting a formula takes 1-50 ms of pure Python (``core.math_typeset``), and the first one
also imports ziamath (0.15-0.3 s). On the Qt thread that would stall the window; on a worker
thread too, nearly as much, because the thread holds the interpreter's lock half of the time
the window wants it (a 50k-token reply streamed at full speed stalled twice as long). So
formulas are typeset in a process of their own (``spawn``: nothing of Qt's state is copied),
which also keeps ziamath out of the app's process and contains whatever hostile LaTeX might
do to it: if the process dies, those formulas stay text and the next ones start a new one.
It runs at a lower priority, so that on a busy machine its work waits for the window's.
Formulas are handed to it from a thread of their own: starting the process (the first
formula, or the first after it died) takes 10-25 ms of interpreter time, which on the Qt
thread was the longest stall of a streaming reply.

The Markdown renderer only asks `FormulaTypesetter.lookup` whether a formula is ready; a new
one is sent to the worker and meanwhile shown as Unicode text. When it is done,
``formulas_typeset`` tells the text shown meanwhile to render again (``MarkdownBody`` does
that). Results are kept, so a formula is typeset once per session, whichever reply shows it
and however often a streaming reply renders it again.

Nothing here runs, and no process is started, until a reply contains a formula.

Signals:
    formulas_typeset(): formulas asked for earlier are ready (or have failed); emitted at most
        once a frame.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop_app.core.math_typeset import FormulaState, TypesetFormula, formula_key, typeset

# How many typeset formulas are kept (an SVG is 1-20 KB); past this, the least recently used
# are typeset again if shown again.
KEPT_FORMULAS = 2000
WORKER_NICENESS = 10  # how much lower the worker's priority is (Unix)
_FRAME_MS = 30

_shared: FormulaTypesetter | None = None


def formula_typesetter() -> FormulaTypesetter:
    """The application's typesetter (made on first use, on the Qt thread)."""
    global _shared
    if _shared is None:
        _shared = FormulaTypesetter(QCoreApplication.instance())
    return _shared


class FormulaTypesetter(QObject):
    """Formulas typeset off the Qt thread, kept by `math_typeset.formula_key`."""

    formulas_typeset = Signal()
    _finished = Signal(str, object)  # emitted on the pool's thread: (key, result or None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: OrderedDict[str, TypesetFormula | None] = OrderedDict()
        self._pending: set[str] = set()
        self._executor: ProcessPoolExecutor | None = None  # used on the sender's thread only
        self._sender: ThreadPoolExecutor | None = None
        self._closing = False
        self._finished.connect(self._on_finished)
        self._announce = QTimer(self)  # one signal for the formulas finished within a frame
        self._announce.setSingleShot(True)
        self._announce.setInterval(_FRAME_MS)
        self._announce.timeout.connect(self.formulas_typeset)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.shut_down)

    def lookup(self, latex: str, display: bool) -> FormulaState:
        """Whether the formula is typeset; if it is not yet, it will be (see the signal)."""
        key = formula_key(latex, display)
        if key in self._results:
            self._results.move_to_end(key)
            return FormulaState.READY if self._results[key] is not None else FormulaState.FAILED
        if key not in self._pending:
            self._pending.add(key)
            self._sending().submit(self._send, key, latex, display)
        return FormulaState.PENDING

    def settled(self, key: str) -> bool:
        """Whether the formula with this key is typeset or has failed (is not pending)."""
        return key in self._results

    def formula(self, key: str) -> TypesetFormula | None:
        """The typeset formula with this key, if it is ready."""
        return self._results.get(key)

    @property
    def busy(self) -> bool:
        """Whether formulas are still being typeset (for tests)."""
        return bool(self._pending) or self._announce.isActive()

    def shut_down(self) -> None:
        """Drop the formulas still waiting; the one being typeset finishes (at most about
        0.4 s: ``math_typeset`` refuses longer work), then the worker process ends."""
        if self._sender is not None:
            self._closing = True  # formulas not yet handed over are not
            self._sender.submit(self._close_worker)
            self._sender.shutdown(wait=False)
            self._sender = None
            self._pending.clear()

    def _sending(self) -> ThreadPoolExecutor:
        if self._sender is None:
            self._closing = False
            self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="formulas")
        return self._sender

    def _send(self, key: str, latex: str, display: bool) -> None:
        """On the sender's thread: hand one formula to the worker process, started first if
        there is none (or it died: then a new one)."""
        if self._closing:
            return
        try:
            try:
                future = self._worker().submit(typeset, latex, display)
            except BrokenProcessPool:
                self._executor = None
                future = self._worker().submit(typeset, latex, display)
        except Exception:  # noqa: BLE001 - no process can be started: the formula stays text
            self._finished.emit(key, None)
            return
        future.add_done_callback(partial(self._typeset_done, key))

    def _close_worker(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _worker(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # At a lower priority where the system has one: on a busy machine the window
            # comes first, and a formula shown as text a moment longer is no loss.
            nice = getattr(os, "nice", None)
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=nice, initargs=(WORKER_NICENESS,) if nice else ())
        return self._executor

    def _typeset_done(self, key: str, future: Future[TypesetFormula | None]) -> None:
        """On the pool's own thread: hand the result to the Qt thread."""
        try:
            result = future.result()
        except CancelledError:
            return
        except Exception:  # noqa: BLE001 - the worker died (BrokenProcessPool): text it is
            result = None
        self._finished.emit(key, result)

    def _on_finished(self, key: str, result: TypesetFormula | None) -> None:
        self._pending.discard(key)
        self._results[key] = result
        while len(self._results) > KEPT_FORMULAS:
            self._results.popitem(last=False)
        if not self._announce.isActive():
            self._announce.start()
