"""The domain: conversations, requests, models, costs. Pure Python: no Qt, no I/O, no network."""
