"""Cairn's speed, memory and cost figures: `python -m benchmarks` prints them."""
