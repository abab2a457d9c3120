"""Start Cairn: the QApplication, the qasync event loop, the services and the main window."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from desktop_app import __version__

if TYPE_CHECKING:
    import asyncio
    import logging

# asyncio and logging are imported once the window's outline is up (see build_window and
# docs/performance.md): every module imported before it delays the first frame.


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cairn", description="A desktop chat client for Claude.")
    parser.add_argument("--version", action="version", version=f"Cairn {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="PATH",
        help="keep history, settings and caches in this folder (portable use, tests)",
    )
    parser.add_argument("--verbose", action="store_true", help="log more detail to stderr")
    parser.add_argument(
        "--startup-probe",
        action="store_true",
        help=argparse.SUPPRESS,  # benchmarks: print when the window accepts input, then close
    )
    parser.add_argument(
        "--automation",
        action="store_true",
        help=argparse.SUPPRESS,  # tests: commands on stdin drive the window (ui/automation.py)
    )
    parser.add_argument(
        "--memory-probe",
        action="store_true",
        help=argparse.SUPPRESS,  # benchmarks: print peak memory once history is listed, close
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start, show the window, load history and resources, close cleanly, exit 0",
    )
    return parser.parse_args(argv)


class _Built(NamedTuple):
    """What ``build_window`` made, for ``run_window`` to run and close (a named tuple: the
    dataclasses module would be one more import before the first frame)."""

    window: Any
    controller: Any
    services: Any
    instance: Any
    collector: Any
    log_handler: logging.Handler | None
    closed: asyncio.Event
    restart: Any


def build_window(args: argparse.Namespace) -> _Built | None:
    """Show the window's outline with a composer that takes typing at once, then import and
    build the rest of Cairn into it, all before the event loop (and qasync) is imported. None:
    another Cairn has this data folder and was asked to come forward."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.storage.paths import AppPaths
    from desktop_app.ui.runtime.single_instance import SingleInstance
    from desktop_app.ui.window.startup_shell import AppFrame, saved_theme_name

    paths = AppPaths.portable(args.data_dir) if args.data_dir else AppPaths.default()
    instance = SingleInstance(paths.data_dir)
    if instance.ask_running_instance():
        print("Cairn is already running for this data folder; its window was brought forward.")
        return None
    frame = AppFrame(paths.config_dir / "window.ini", saved_theme_name(paths.settings_file))
    frame.show_and_focus()
    if args.startup_probe:
        print(f"window shown and accepting input at {time.perf_counter():.6f}", flush=True)

    import asyncio

    _configure_logging(args)
    from desktop_app.storage import log_files
    from desktop_app.ui.session.chat_controller import ChatController
    from desktop_app.ui.runtime.main_thread_gc import MainThreadGarbageCollector
    from desktop_app.ui.window.main_window import MainWindow
    from desktop_app.ui.session.services import Services
    from desktop_app.ui.runtime.translations import install_translators

    collector = MainThreadGarbageCollector()
    instance.listen()
    log_handler = log_files.install(paths.logs_dir)
    services = Services.create(paths)
    # The saved language (or the system's), before the first widget is built.
    _log().info("interface language: %s", install_translators(services.settings.language))
    controller = ChatController(services)
    window = MainWindow(controller, frame)
    frame.adopt(window)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    instance.activation_requested.connect(window.bring_forward)
    restart = connect_restart(window)
    _close_on_signals(window)
    if args.startup_probe:
        QApplication.processEvents()
        print(f"window complete at {time.perf_counter():.6f}", flush=True)
    return _Built(window, controller, services, instance, collector, log_handler, closed, restart)


def connect_restart(window: Any) -> Any:
    """Settings' "Restart now" closes the window the normal way and marks the returned
    ``RestartRequest``; ``main`` starts Cairn again once the window has shut down."""
    from desktop_app.ui.runtime.restart import RestartRequest

    restart = RestartRequest(window.quit)
    window.settings_ops.restart_requested.connect(restart.request)
    return restart


async def run_window(args: argparse.Namespace, built: _Built) -> int:
    """Load history and the model list into the shown window, then wait until it has shut
    down."""
    import asyncio
    import logging

    from PySide6.QtWidgets import QApplication

    window, controller, services = built.window, built.controller, built.services
    await controller.start()
    freeze_long_lived_objects()
    if args.startup_probe:
        window.quit()
    if args.automation:
        from desktop_app.ui.runtime.automation import Automation

        await asyncio.wait_for(controller.settle(), 30)  # the model list is in
        Automation(window).start()
    if args.memory_probe:
        await asyncio.wait_for(controller.settle(), 30)
        QApplication.processEvents()
        print(f"peak memory {_peak_rss_bytes()} bytes, "
              f"{window.list_model.rowCount()} sidebar rows", flush=True)
        window.quit()
    if args.smoke_test:
        await asyncio.wait_for(controller.settle(), 30)
        _check_resources(window)
        window.quit()
    await built.closed.wait()
    built.instance.close()
    services.close()
    if built.log_handler is not None:
        logging.getLogger().removeHandler(built.log_handler)
        built.log_handler.close()
    built.collector.stop()
    return 0


def _close_on_signals(window: object) -> None:
    """SIGTERM (logout, shutdown) and SIGINT close the window the normal way, so replies in
    flight are saved. Python runs signal handlers only between bytecodes, so a timer keeps
    the interpreter ticking while Qt waits for events."""
    from PySide6.QtCore import QTimer

    def request_close(_signum: int, _frame: object) -> None:
        window.quit()  # type: ignore[attr-defined]

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_close)
    ticker = QTimer(window)  # type: ignore[arg-type]
    ticker.setInterval(250)
    ticker.timeout.connect(lambda: None)
    ticker.start()


def freeze_long_lived_objects() -> None:
    """Move what start-up built (modules, the loaded history) out of the collector's way:
    with years of history a full collection would otherwise walk millions of objects that
    live as long as the app, stalling the window for half a second at a time."""
    import gc

    gc.collect()
    gc.freeze()


def _peak_rss_bytes() -> int:
    """The process's peak resident memory (Linux and macOS; 0 where unknown)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _check_resources(window: object) -> None:
    """For --smoke-test: fail loudly if a packaged resource is missing."""
    from desktop_app.ui.lib.icons import app_icon, icon

    if app_icon().isNull() or icon("send", "#000000").isNull():
        raise RuntimeError("icons failed to load")
    if not window.controller.services.prices.price("claude-opus-4-7"):  # type: ignore[attr-defined]
        raise RuntimeError("price table failed to load")
    from desktop_app.core.math_typeset import typeset

    if typeset(r"\frac{a}{b}", display=True) is None:  # ziamath's fonts, latex2mathml's tables
        raise RuntimeError("maths typesetting failed")
    if getattr(sys, "frozen", False):  # a build must ship its compiled translations
        from desktop_app.ui.runtime.translations import missing_catalogs

        if missing_catalogs():
            raise RuntimeError(f"translations missing: {', '.join(missing_catalogs())}")
    print("smoke test: window shown, resources loaded", flush=True)


def _log() -> logging.Logger:
    import logging

    return logging.getLogger("desktop_app")


def _configure_logging(args: argparse.Namespace) -> None:
    import logging

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:  # the log file may record more than stderr
        handler.setLevel(logging.INFO if args.verbose else logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.lib import pyside_none_guard
    from desktop_app.ui.runtime import pyside_import_check

    pyside_import_check.install()  # before anything else is imported: see the module
    pyside_none_guard.install()  # PySide6 6.12 on Python 3.11 uses None up: see the module
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Cairn")
    app.setApplicationDisplayName("Cairn")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("cairn")
    app.setQuitOnLastWindowClosed(False)  # the window closes in stages; run_window ends the loop
    built = build_window(args)
    if built is None:
        return 0
    import qasync  # after the window is up: it takes about 150 ms to import

    try:
        code = qasync.run(run_window(args, built))
    except KeyboardInterrupt:
        return 130
    except RuntimeError as exc:  # Qt stopped the loop itself, e.g. the display went away
        _log().error("Cairn stopped unexpectedly: %s", exc)
        return 1
    if built.restart.requested:  # after a clean shutdown: settings saved, folder unlocked
        from desktop_app.ui.runtime.restart import restart_command, start_again

        start_again(restart_command())
    return code


if __name__ == "__main__":
    sys.exit(main())
