"""Developer scripts. A package so that ``python -m scripts.screens`` can import its helpers
(``scripts/screens_*.py``) and the tests' fake API (``tests.fake_api``) from the repository."""
