"""`python -m benchmarks`: every figure with its target (see README, Development)."""

from benchmarks import cache_hit, image_prepare, startup

startup.main()
image_prepare.main()
cache_hit.main()
