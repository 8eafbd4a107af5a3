"""The MIRAGE Labeller Processing provider: toolbox, graphical modeler and qgis_process.

One algorithm per operation declaration (core.operations), all of one class
(processing.algorithm.MirageAlgorithm): what the command line can do, the toolbox can.
"""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.operations import OPERATIONS
from ..plugin_files import ICON
from .algorithm import MirageAlgorithm


class MirageProvider(QgsProcessingProvider):
    def id(self):
        return "mirage"

    def name(self):
        return "MIRAGE Labeller"

    def icon(self):
        return QIcon(ICON)

    def loadAlgorithms(self):  # noqa: N802
        for operation in OPERATIONS:
            self.addAlgorithm(MirageAlgorithm(operation))
