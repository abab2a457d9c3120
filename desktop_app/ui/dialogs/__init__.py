"""Modal sheets: settings, conversation options, key, about, shortcuts and link confirmation."""
