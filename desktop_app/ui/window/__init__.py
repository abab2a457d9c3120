"""The main window as wiring: layout, header, notices, shortcuts, the system-tray icon and shutdown."""
