"""Talking to the Claude API: the SDK client, streaming a reply, errors in words. Async only."""
