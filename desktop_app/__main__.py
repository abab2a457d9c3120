"""`python -m desktop_app`: start Cairn."""

import sys

from desktop_app.app import main

sys.exit(main())
