"""Entry point of ``python -m mirage_labeller``."""
import sys

from .cli import main

sys.exit(main())
