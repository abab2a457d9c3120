"""Real MCP servers for the tests, written with the official ``mcp`` SDK: a stdio server
script (``stdio_server.py``), an in-process Streamable HTTP server (``http_server.py``), one
behind OAuth 2.1 (``oauth_server.py``), and fixtures that stop every connection and check no
server process outlives its test (``fixtures.py``)."""
