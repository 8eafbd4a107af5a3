"""The MIRAGE Labeller Processing provider: toolbox, graphical modeler and qgis_process."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..plugin_files import ICON
from .agreement_algorithm import AgreementAlgorithm
from .audit_algorithm import AuditAlgorithm
from .inspect_algorithm import InterferogramMetadataAlgorithm
from .morphometry_algorithm import MorphometryAlgorithm
from .processes_algorithm import ProcessesAlgorithm
from .report_algorithm import ReportAlgorithm
from .screen_algorithm import ScreenInterferogramsAlgorithm
from .synth_algorithm import SyntheticWorkspaceAlgorithm
from .terrain_check_algorithm import TerrainCheckAlgorithm


class MirageProvider(QgsProcessingProvider):
    def id(self):
        return "mirage"

    def name(self):
        return "MIRAGE Labeller"

    def icon(self):
        return QIcon(ICON)

    def loadAlgorithms(self):  # noqa: N802
        self.addAlgorithm(SyntheticWorkspaceAlgorithm())
        self.addAlgorithm(InterferogramMetadataAlgorithm())
        self.addAlgorithm(ScreenInterferogramsAlgorithm())
        self.addAlgorithm(MorphometryAlgorithm())
        self.addAlgorithm(TerrainCheckAlgorithm())
        self.addAlgorithm(ProcessesAlgorithm())
        self.addAlgorithm(AuditAlgorithm())
        self.addAlgorithm(AgreementAlgorithm())
        self.addAlgorithm(ReportAlgorithm())
