"""Processing wrapper of core.screening: rank a folder of interferograms."""
from __future__ import annotations

from qgis.core import (QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from ..core.interferograms.screening import CSV_COLUMNS, build_overviews, screen_workspace, write_csv
from ..core.interferograms.workspace import open_workspace
from ..core.base.errors import MirageError
from ..core.base.progress import Cancelled

_NUMERIC = {"Bt", "mean_coh", "median_coh", "frac_coh_lt_0_2", "frac_coh_lt_threshold",
            "threshold", "valid_frac", "residue_density", "score"}


class ScreenInterferogramsAlgorithm(QgsProcessingAlgorithm):
    FOLDER = "FOLDER"
    THRESHOLD = "THRESHOLD"
    OVERVIEWS = "OVERVIEWS"
    CSV = "CSV"
    OUTPUT = "OUTPUT"

    def name(self):
        return "screeninterferograms"

    def displayName(self):  # noqa: N802
        return "Screen interferograms (step 0)"

    def group(self):
        return "Workspace"

    def groupId(self):  # noqa: N802
        return "workspace"

    def shortHelpString(self):  # noqa: N802
        return ("One block-wise pass over each interferogram and its coherence map: mean and "
                "median coherence, share below 0.2 and below a chosen threshold, valid share, "
                "phase residue density, and a 0-1 usable score naming its weakest term. "
                "Optionally builds external overviews (.ovr) so QGIS draws large rasters fast.")

    def createInstance(self):  # noqa: N802
        return ScreenInterferogramsAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, "Workspace or folder of interferograms",
            behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, "Coherence threshold", QgsProcessingParameterNumber.Double, 0.2,
            minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterBoolean(self.OVERVIEWS, "Build overviews",
                                                        defaultValue=False))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.CSV, "Screening table (CSV)", "CSV files (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, "Screening", QgsProcessing.TypeVector))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        try:
            ws = open_workspace(folder)
        except (OSError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        if not ws.interferograms:
            raise QgsProcessingException("; ".join(ws.problems))
        try:
            rows = screen_workspace(ws.interferograms, threshold,
                                    lambda f, m: (feedback.setProgress(90 * f),
                                                  feedback.setProgressText(m)),
                                    feedback.isCanceled)
        except Cancelled:
            raise QgsProcessingException("cancelled")
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        for r in rows:
            if r.failed:
                feedback.reportError(r.reason, fatalError=False)
        fields = QgsFields()
        for col in CSV_COLUMNS:
            fields.append(QgsField(col, QVariant.Double if col in _NUMERIC else QVariant.String))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry)
        for r in rows:
            f = QgsFeature(fields)
            row = r.row()  # str(): a core sentence (messages.Msg) is no QVariant string
            f.setAttributes([str(row[c]) if isinstance(row[c], str) else row[c]
                             for c in CSV_COLUMNS])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        csv_path = self.parameterAsFileOutput(parameters, self.CSV, context)
        if csv_path:
            write_csv(rows, csv_path)
        if self.parameterAsBool(parameters, self.OVERVIEWS, context):
            for item in ws.interferograms:
                for path, kind in ((item.path, "phase"), (item.coherence, "coherence")):
                    if path is None or feedback.isCanceled():
                        continue
                    try:
                        done = build_overviews(str(path), kind)
                    except OSError as exc:
                        feedback.reportError(str(exc), fatalError=False)
                        continue
                    if done:
                            feedback.pushInfo(done)
        feedback.setProgress(100)
        return {self.OUTPUT: dest, self.CSV: csv_path}
