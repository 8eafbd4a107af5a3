"""Paths of files shipped beside the code (icons, .ui forms, styles); no compiled resources."""
from __future__ import annotations

import os

PLUGIN_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resource_path(*parts: str) -> str:
    return os.path.join(PLUGIN_ROOT, "resources", *parts)


def ui_path(name: str) -> str:
    return os.path.join(PLUGIN_ROOT, "ui", name)


ICON = resource_path("icon.svg")
