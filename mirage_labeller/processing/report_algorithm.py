"""Processing wrapper of core.dataset_report: the dataset report of a label folder."""
from __future__ import annotations

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination)

from ..core.dataset.report import build_report
from ..core.base.errors import MirageError
from ..core.base.progress import Cancelled


class ReportAlgorithm(QgsProcessingAlgorithm):
    FOLDER = "FOLDER"
    WORKSPACE = "WORKSPACE"
    MORPHOMETRY = "MORPHOMETRY"
    OUTPUT = "OUTPUT"

    def name(self):
        return "datasetreport"

    def displayName(self):  # noqa: N802
        return "Dataset report"

    def group(self):
        return "Labels"

    def groupId(self):  # noqa: N802
        return "labels"

    def shortHelpString(self):  # noqa: N802
        return ("One HTML file (figures embedded) with CSV tables beside it: the paper's Table 2 "
                "per region, Fig. 3 (baselines per class), track and quality shares, Fig. 7 "
                "(terrain inside labels against an equal random sample outside, per class), "
                "Fig. 8 (frequency-area distribution with maximum-likelihood power-law fits) "
                "and the processes from the grouping.")

    def createInstance(self):  # noqa: N802
        return ReportAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, "Label folder", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, "Workspace (its dem/ terrain layers are used)",
            behavior=QgsProcessingParameterFile.Folder, optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.MORPHOMETRY, "Folder of terrain layers", optional=True,
            behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, "Report", "HTML files (*.html)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        workspace = self.parameterAsFile(parameters, self.WORKSPACE, context) or None
        terrain = self.parameterAsFile(parameters, self.MORPHOMETRY, context) or None
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            result = build_report(folder, out, workspace, terrain,
                                  lambda f, m: (feedback.setProgress(100 * f),
                                                feedback.setProgressText(m)),
                                  feedback.isCanceled)
        except Cancelled:
            raise QgsProcessingException("cancelled")
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        for problem in result.problems:
            feedback.reportError(problem, fatalError=False)
        return {self.OUTPUT: str(result.html),
                **{f"CSV_{k.upper()}": str(v) for k, v in result.csvs.items()}}
