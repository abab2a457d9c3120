"""Real MCP servers for the tests, written with the official ``mcp`` SDK: a stdio server
script (``stdio_server.py``) and an in-process Streamable HTTP server (``http_server.py``)."""
