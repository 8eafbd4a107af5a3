"""Processing wrapper of core.audit: every problem of a label set, read-only."""
from __future__ import annotations

from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsFeatureSink, QgsField,
                       QgsFields, QgsGeometry, QgsProcessing, QgsProcessingAlgorithm,
                       QgsProcessingException, QgsProcessingParameterFeatureSink,
                       QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterNumber, QgsRectangle, QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from ..core.dataset.audit import ERROR, WARNING, audit_label_dir, write_findings_csv, write_findings_html
from ..core.base.errors import MirageError
from ..core.base.progress import Cancelled


class AuditAlgorithm(QgsProcessingAlgorithm):
    FOLDER = "FOLDER"
    WORKSPACE = "WORKSPACE"
    THRESHOLD = "THRESHOLD"
    CSV = "CSV"
    HTML = "HTML"
    OUTPUT = "OUTPUT"

    def name(self):
        return "audit"

    def displayName(self):  # noqa: N802
        return "Audit a label set"

    def group(self):
        return "Labels"

    def groupId(self):  # noqa: N802
        return "labels"

    def shortHelpString(self):  # noqa: N802
        return ("Every problem of the label files of a folder, with severity, file and label "
                "Id: schema (fields, types, .prj, encoding), values (class, region, Sign_Qual, "
                "Class_Unc, IFG, Bt, Traj), geometry (invalid, not an N-S rectangle, area, "
                "footprint, nodata, coherence — with the workspace) and duplicates. The label "
                "files are only read.")

    def createInstance(self):  # noqa: N802
        return AuditAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, "Label folder", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, "Workspace of the interferograms (optional)",
            behavior=QgsProcessingParameterFile.Folder, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, "Coherence threshold", QgsProcessingParameterNumber.Double, 0.2,
            minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.CSV, "Findings (CSV)", "CSV files (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.HTML, "Report (HTML)", "HTML files (*.html)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, "Findings", QgsProcessing.TypeVectorPolygon))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsFile(parameters, self.FOLDER, context)
        workspace = self.parameterAsFile(parameters, self.WORKSPACE, context) or None
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        try:
            report = audit_label_dir(folder, workspace, threshold,
                                     lambda f, m: (feedback.setProgress(95 * f),
                                                   feedback.setProgressText(m)),
                                     feedback.isCanceled)
        except Cancelled:
            raise QgsProcessingException("cancelled")
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        fields = QgsFields()
        for name in ("severity", "file", "check", "message"):
            fields.append(QgsField(name, QVariant.String))
        fields.append(QgsField("label_id", QVariant.Int))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.Polygon,
                                          QgsCoordinateReferenceSystem("EPSG:32632"))
        for f in report.sorted():
            feat = QgsFeature(fields)
            feat.setAttributes([f.severity, f.file, f.check, str(f.message), f.label_id])
            if f.bounds is not None:
                feat.setGeometry(QgsGeometry.fromRect(QgsRectangle(*f.bounds)))
            sink.addFeature(feat, QgsFeatureSink.FastInsert)
        csv_path = self.parameterAsFileOutput(parameters, self.CSV, context)
        html_path = self.parameterAsFileOutput(parameters, self.HTML, context)
        if csv_path:
            write_findings_csv(report, csv_path)
        if html_path:
            write_findings_html(report, html_path)
        feedback.pushInfo(f"{report.files} file(s), {report.labels} label(s): "
                          f"{report.count(ERROR)} error(s), {report.count(WARNING)} warning(s)")
        return {self.OUTPUT: dest, self.CSV: csv_path, self.HTML: html_path,
                "ERRORS": report.count(ERROR), "WARNINGS": report.count(WARNING)}
