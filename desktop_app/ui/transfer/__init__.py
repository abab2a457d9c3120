"""Import and export of history: files, archives and claude.ai exports, with progress."""
