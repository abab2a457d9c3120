"""Cairn as a real process: started, closed, signalled and killed."""
