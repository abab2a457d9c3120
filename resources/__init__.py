"""Data files shipped with Cairn (prices, icons, style), importable as desktop_app.resources."""
