"""MIRAGE Labeller: label DInSAR wrapped-phase signals of slow-moving mass movements.

``core`` holds the domain (no Qt, no qgis); ``gui`` and ``processing`` are thin QGIS layers.
The version has one source, the plugin's ``metadata.txt`` (QGIS reads it there too).
"""
import configparser as _configparser
from pathlib import Path as _Path


def _version() -> str:
    meta = _configparser.ConfigParser(interpolation=None)
    try:
        meta.read(_Path(__file__).resolve().parents[1] / "metadata.txt", encoding="utf-8")
        return meta["general"]["version"]
    except (KeyError, OSError, _configparser.Error):
        return "unknown"


__version__ = _version()
