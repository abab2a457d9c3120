"""`python -m benchmarks`: every figure with its target (see docs/performance.md)."""

from benchmarks import cache_hit

cache_hit.main()
