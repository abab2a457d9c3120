"""The conversation list: its item model, row painting, search and the footer."""
