"""Processing wrapper of core.agreement: two label sets of the same interferograms compared."""
from __future__ import annotations

from qgis.core import (QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from ..core.dataset.agreement import compare_label_sets, render_agreement, write_agreement_csv
from ..core.base.errors import MirageError


class AgreementAlgorithm(QgsProcessingAlgorithm):
    A = "A"
    B = "B"
    MIN_IOU = "MIN_IOU"
    CSV = "CSV"
    PNG = "PNG"
    OUTPUT = "OUTPUT"

    def name(self):
        return "agreement"

    def displayName(self):  # noqa: N802
        return "Agreement between two label sets"

    def group(self):
        return "Labels"

    def groupId(self):  # noqa: N802
        return "labels"

    def shortHelpString(self):  # noqa: N802
        return ("Boxes of the same interferogram in A (the reference) and B are matched one to "
                "one by IoU (optimal assignment, pairs below the minimum IoU unmatched); per "
                "class precision, recall and F1 of B against A, Cohen's kappa on the class of "
                "matched boxes, agreement on Sign_Qual and Class_Unc, and a confusion matrix "
                "with 'unmatched'.")

    def createInstance(self):  # noqa: N802
        return AgreementAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.A, "Label folder A (reference)", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterFile(
            self.B, "Label folder B", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterNumber(
            self.MIN_IOU, "Minimum IoU of a match", QgsProcessingParameterNumber.Double, 0.3,
            minValue=0.01, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.CSV, "Per-class table (CSV)", "CSV files (*.csv)", optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.PNG, "Figure (PNG)", "PNG files (*.png)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, "Agreement per class", QgsProcessing.TypeVector))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        a = self.parameterAsFile(parameters, self.A, context)
        b = self.parameterAsFile(parameters, self.B, context)
        try:
            agreement = compare_label_sets(a, b, self.parameterAsDouble(parameters, self.MIN_IOU,
                                                                        context))
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        for problem in agreement.problems:
            feedback.reportError(problem, fatalError=False)
        fields = QgsFields()
        fields.append(QgsField("class", QVariant.String))
        for name in ("n_a", "n_b", "matched_same_class"):
            fields.append(QgsField(name, QVariant.Int))
        for name in ("precision", "recall", "f1"):
            fields.append(QgsField(name, QVariant.Double))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry)
        for code, (n_a, n_b, tp, precision, recall, f1) in agreement.per_class().items():
            f = QgsFeature(fields)
            f.setAttributes([code, int(n_a), int(n_b), int(tp), float(precision),
                             float(recall), float(f1)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        csv_path = self.parameterAsFileOutput(parameters, self.CSV, context)
        png_path = self.parameterAsFileOutput(parameters, self.PNG, context)
        if csv_path:
            write_agreement_csv(agreement, csv_path)
        if png_path:
            render_agreement(agreement, png_path)
        kappa = agreement.kappa_class()
        feedback.pushInfo(f"{len(agreement.pairs)} matched boxes; class kappa {kappa:.3f}")
        return {self.OUTPUT: dest, self.CSV: csv_path, self.PNG: png_path, "KAPPA": kappa,
                "MATCHED": len(agreement.pairs)}
