"""Small Qt helpers every part of the window uses: awaitable dialogs, owned tasks, icons, theme, thumbnails."""
