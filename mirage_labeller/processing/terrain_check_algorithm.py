"""Processing wrapper of core.terrain_report: the step-2 terrain check of labels or a box."""
from __future__ import annotations

from qgis.core import (QgsFeature, QgsFeatureSink, QgsField, QgsFields, QgsProcessing,
                       QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterFeatureSink, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsWkbTypes)
from qgis.PyQt.QtCore import QVariant

from ..core.terrain.check import render_histograms
from ..core.terrain.workspace_check import check_workspace_box
from ..core.base.errors import MirageError


class TerrainCheckAlgorithm(QgsProcessingAlgorithm):
    WORKSPACE = "WORKSPACE"
    INTERFEROGRAM = "INTERFEROGRAM"
    IDS = "IDS"
    CLASS = "CLASS"
    BOX = "BOX"
    THRESHOLD = "THRESHOLD"
    PNG = "PNG"
    OUTPUT = "OUTPUT"

    def name(self):
        return "terraincheck"

    def displayName(self):  # noqa: N802
        return "Terrain check of labels or a box (step 2)"

    def group(self):
        return "Terrain"

    def groupId(self):  # noqa: N802
        return "terrain"

    def shortHelpString(self):  # noqa: N802
        return ("Each terrain layer of the workspace (dem/) inside the box(es) against an equal "
                "random sample outside every label, as in Fig. 7 of the MIRAGE paper: medians "
                "(circular mean for aspect), Kolmogorov-Smirnov D and p. Warnings (flat "
                "terrain, low line-of-sight sensitivity for the track, inventory overlap, low "
                "coherence) go to the log. Give label Ids, a class, or a box "
                "'xmin,ymin,xmax,ymax' in the labels' CRS.")

    def createInstance(self):  # noqa: N802
        return TerrainCheckAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.WORKSPACE, "Workspace", behavior=QgsProcessingParameterFile.Folder))
        self.addParameter(QgsProcessingParameterString(
            self.INTERFEROGRAM, "Interferogram (IFG, label stem or file name)"))
        self.addParameter(QgsProcessingParameterString(self.IDS, "Label Ids (comma-separated)",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(self.CLASS, "or every label of class",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(self.BOX, "or a box xmin,ymin,xmax,ymax",
                                                       optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.THRESHOLD, "Coherence threshold", QgsProcessingParameterNumber.Double, 0.2,
            minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.PNG, "Histograms (PNG)", "PNG files (*.png)", optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, "Terrain comparison", QgsProcessing.TypeVector))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsFile(parameters, self.WORKSPACE, context)
        ifg = self.parameterAsString(parameters, self.INTERFEROGRAM, context).strip()
        ids_text = self.parameterAsString(parameters, self.IDS, context).strip()
        cls = self.parameterAsString(parameters, self.CLASS, context).strip() or None
        box_text = self.parameterAsString(parameters, self.BOX, context).strip()
        try:
            ids = [int(v) for v in ids_text.replace(";", ",").split(",") if v.strip()]
            box = [float(v) for v in box_text.split(",")] if box_text else None
        except ValueError:
            raise QgsProcessingException(f"Ids {ids_text!r} / box {box_text!r}: numbers, "
                                         "separated by commas")
        if box is not None and len(box) != 4:
            raise QgsProcessingException(f"box {box_text!r}: four numbers xmin,ymin,xmax,ymax")
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        feedback.setProgressText("reading the terrain in and around the box")
        try:
            check, item, notes = check_workspace_box(folder, ifg, ids, cls, box, threshold)
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(str(exc))
        for note in notes + check.facts:
            feedback.pushInfo(note)
        for warning in check.warnings:
            feedback.pushWarning(warning)
        fields = QgsFields()
        fields.append(QgsField("layer", QVariant.String))
        for name in ("median_box", "median_outside", "ks_d", "ks_p"):
            fields.append(QgsField(name, QVariant.Double))
        fields.append(QgsField("n_box", QVariant.Int))
        fields.append(QgsField("n_outside", QVariant.Int))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields,
                                          QgsWkbTypes.NoGeometry)
        for c in check.comparisons:
            f = QgsFeature(fields)
            f.setAttributes([c.name, c.median_inside, c.median_outside, c.ks_d, c.ks_p,
                             int(c.inside.size), int(c.outside.size)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        png = self.parameterAsFileOutput(parameters, self.PNG, context)
        if png:
            render_histograms(check, png, f"{item.meta.ifg or item.label_stem} "
                                          f"{item.meta.traj or ''}")
        feedback.setProgress(100)
        return {self.OUTPUT: dest, self.PNG: png, "WARNINGS": len(check.warnings)}
