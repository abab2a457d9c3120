"""Qt widgets and the controllers that drive them. Only this package (and app.py) imports Qt."""
