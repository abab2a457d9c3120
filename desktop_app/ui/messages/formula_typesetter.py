"""Typesets the formulas of replies on a worker thread, and remembers them.

Typesetting a formula takes 1-50 ms of pure Python (``core.math_typeset``), and the first one
also imports ziamath (about 0.15 s): done on the Qt thread, a reply full of maths, or opening
a conversation with many formulas, would stall the window. So the Markdown renderer only asks
`FormulaTypesetter.lookup` whether a formula is ready; a new one is typeset on one worker
thread (ziamath keeps global state), and meanwhile it is shown as Unicode text. When it is
done, ``formulas_typeset`` tells the text shown meanwhile to render again (``MarkdownBody``
does that). Results are kept, so a formula is typeset once per session, whichever reply
shows it and however often a streaming reply renders it again.

Nothing here runs, and ziamath is not imported, until a reply contains a formula.

Signals:
    formulas_typeset(): formulas asked for earlier are ready (or have failed); emitted at most
        once a frame.
"""

from __future__ import annotations

from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop_app.core.math_typeset import FormulaState, TypesetFormula, formula_key, typeset

# How many typeset formulas are kept (an SVG is 1-20 KB); past this, the least recently used
# are typeset again if shown again.
KEPT_FORMULAS = 2000
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
    _finished = Signal(str, object)  # emitted on the worker thread: (key, result or None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: OrderedDict[str, TypesetFormula | None] = OrderedDict()
        self._pending: set[str] = set()
        self._executor: ThreadPoolExecutor | None = None
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
            self._worker().submit(self._typeset, key, latex, display)
        return FormulaState.PENDING

    def formula(self, key: str) -> TypesetFormula | None:
        """The typeset formula with this key, if it is ready."""
        return self._results.get(key)

    @property
    def busy(self) -> bool:
        """Whether formulas are still being typeset (for tests)."""
        return bool(self._pending) or self._announce.isActive()

    def shut_down(self) -> None:
        """Drop the formulas still waiting; the one being typeset finishes (at most about
        0.3 s: ``math_typeset`` refuses longer work)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
            self._pending.clear()

    def _worker(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="typesetting")
        return self._executor

    def _typeset(self, key: str, latex: str, display: bool) -> None:
        """On the worker thread."""
        self._finished.emit(key, typeset(latex, display))

    def _on_finished(self, key: str, result: TypesetFormula | None) -> None:
        self._pending.discard(key)
        self._results[key] = result
        while len(self._results) > KEPT_FORMULAS:
            self._results.popitem(last=False)
        if not self._announce.isActive():
            self._announce.start()
