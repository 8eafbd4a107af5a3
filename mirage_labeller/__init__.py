"""MIRAGE Labeller: label DInSAR wrapped-phase signals of slow-moving mass movements.

``core`` holds the domain (no Qt, no qgis); ``gui`` and ``processing`` are thin QGIS layers.
"""
__version__ = "0.1.0"
