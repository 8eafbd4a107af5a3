"""Workshops: exercise packs with a hidden key, scoring students against it, the class guide."""
