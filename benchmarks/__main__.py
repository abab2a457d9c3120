"""`python -m benchmarks`: every figure with its target (see docs/performance.md)."""

from benchmarks import cache_hit, image_prepare

image_prepare.main()
cache_hit.main()
