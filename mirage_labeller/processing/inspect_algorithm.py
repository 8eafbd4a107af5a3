"""Processing wrapper of the interferogram metadata inference (core.ifg_metadata)."""
from __future__ import annotations

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingOutputNumber, QgsProcessingOutputString,
                       QgsProcessingParameterRasterLayer)

from ..core.interferograms.metadata import parse_interferogram_path
from ..core.interferograms.facts import RasterReadError, read_raster_facts


class InterferogramMetadataAlgorithm(QgsProcessingAlgorithm):
    INPUT = "INPUT"

    def name(self):
        return "interferogrammetadata"

    def displayName(self):  # noqa: N802
        return "Interferogram metadata (IFG, Bt, Traj)"

    def group(self):
        return "Workspace"

    def groupId(self):  # noqa: N802
        return "workspace"

    def shortHelpString(self):  # noqa: N802
        return ("Infers the master/slave dates, IFG, temporal baseline Bt and orbit Traj of an "
                "interferogram from its file name, folder and GeoTIFF tags (LiCSAR, GMTSAR, "
                "HyP3, GAMMA/PyRate conventions) and says what it could not establish.")

    def createInstance(self):  # noqa: N802
        return InterferogramMetadataAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.INPUT, "Interferogram"))
        self.addOutput(QgsProcessingOutputString("IFG", "IFG"))
        self.addOutput(QgsProcessingOutputNumber("BT", "Bt (days)"))
        self.addOutput(QgsProcessingOutputString("TRAJ", "Traj"))
        self.addOutput(QgsProcessingOutputString("PROBLEMS", "Problems"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        layer = self.parameterAsRasterLayer(parameters, self.INPUT, context)
        path = layer.source()
        try:
            facts = read_raster_facts(path, sample_size=8)
        except RasterReadError as exc:
            raise QgsProcessingException(str(exc))
        lon = facts.centre_lonlat[0] if facts.centre_lonlat else None
        meta = parse_interferogram_path(path, facts.tags, lon)
        for line in (*meta.problems, *meta.notes):
            feedback.reportError(line, fatalError=False)
        feedback.pushInfo(meta.describe())
        return {"IFG": meta.ifg or "", "BT": meta.bt if meta.bt is not None else -1,
                "TRAJ": meta.traj or "", "PROBLEMS": "; ".join(meta.problems)}
