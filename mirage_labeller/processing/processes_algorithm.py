"""Processing wrapper of core.recurrence: group a dataset's labels into processes."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber)

from ..core.base.errors import MirageError
from ..core.base.outputs import check_output
from ..core.base.progress import Cancelled
from ..core.dataset.processes import (MAX_AREA_RATIO, MIN_OVERLAP, group_labels, read_label_dir,
                               summarise, write_processes)


class ProcessesAlgorithm(QgsProcessingAlgorithm):
    FOLDER = "FOLDER"
    MIN_OVERLAP = "MIN_OVERLAP"
    MAX_AREA_RATIO = "MAX_AREA_RATIO"
    OUTPUT = "OUTPUT"

    def name(self):
        return "processes"

    def displayName(self):  # noqa: N802
        return "Group labels into mass-movement processes (step 3)"

    def group(self):
        return "Labels"

    def groupId(self):  # noqa: N802
        return "labels"

    def shortHelpString(self):  # noqa: N802
        return ("Labels of different interferograms are the same movement when their overlap "
                "covers at least the minimum share of the smaller box and their areas differ "
                "by at most the maximum ratio; processes are the connected groups. The "
                "GeoPackage holds 'processes' (union of the boxes), 'envelopes' and 'members' "
                "(stem, Id, pid), with label count, interferograms, baselines, first and last "
                "date, tracks, majority class, class conflicts and mean Sign_Qual.")

    def createInstance(self):  # noqa: N802
        return ProcessesAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, "Label folder (or workspace)", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_OVERLAP, "Minimum overlap (share of the smaller box)",
            QgsProcessingParameterNumber.Double, MIN_OVERLAP, minValue=0.01, maxValue=1.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.MAX_AREA_RATIO, "Maximum area ratio", QgsProcessingParameterNumber.Double,
            MAX_AREA_RATIO, minValue=1.0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, "Processes", "GeoPackage (*.gpkg)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = Path(self.parameterAsFile(parameters, self.FOLDER, context))
        if (folder / "labels").is_dir() and not any(folder.glob("*.shp")):
            folder = folder / "labels"
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        try:
            check_output(out, [folder], [folder], suffixes=(".gpkg",))
            table = read_label_dir(folder, lambda f, m: (feedback.setProgress(100 * f),
                                                         feedback.setProgressText(m)),
                                   feedback.isCanceled, strict=True)
        except Cancelled:
            raise QgsProcessingException("cancelled")
        except (OSError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        for warning in table.warnings:
            feedback.reportError(warning, fatalError=False)
        if len(table) == 0:
            raise QgsProcessingException(f"{folder}: no labels found")
        feedback.setProgressText("grouping")
        processes = group_labels(table, self.parameterAsDouble(parameters, self.MIN_OVERLAP,
                                                               context),
                                 self.parameterAsDouble(parameters, self.MAX_AREA_RATIO, context))
        feedback.setProgress(80)
        try:
            write_processes(table, processes, out)
        except (OSError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        s = summarise(processes)
        feedback.pushInfo(f"{s['labels']} labels, {s['processes']} processes, "
                          f"{s['conflicts']} with a class conflict")
        feedback.setProgress(100)
        return {self.OUTPUT: out, "N_LABELS": s["labels"], "N_PROCESSES": s["processes"],
                "N_CONFLICTS": s["conflicts"]}
