"""Processing wrapper of core.morphometry: terrain layers from a DEM."""
from __future__ import annotations

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterEnum, QgsProcessingParameterFolderDestination,
                       QgsProcessingParameterRasterLayer)

from ..core.base.progress import Cancelled
from ..core.terrain.morphometry import LAYERS, derive_morphometry
from ..core.base.errors import MirageError


class MorphometryAlgorithm(QgsProcessingAlgorithm):
    DEM = "DEM"
    LAYERS = "LAYERS"
    OUTPUT = "OUTPUT"

    def name(self):
        return "morphometry"

    def displayName(self):  # noqa: N802
        return "Terrain layers from a DEM (step 2)"

    def group(self):
        return "Terrain"

    def groupId(self):  # noqa: N802
        return "terrain"

    def shortHelpString(self):  # noqa: N802
        return ("Hillshade, slope, aspect (Horn, as gdaldem), profile and plan curvature "
                "(Zevenbergen & Thorne), TRI (Riley) and TWI (D8 over a Wang & Liu filled "
                "DEM), block-wise, as tiled compressed GeoTIFFs on the DEM's grid. A DEM in "
                "degrees is handled with metric pixel sizes per row.")

    def createInstance(self):  # noqa: N802
        return MorphometryAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterRasterLayer(self.DEM, "DEM"))
        self.addParameter(QgsProcessingParameterEnum(
            self.LAYERS, "Layers", options=list(LAYERS), allowMultiple=True,
            defaultValue=list(range(len(LAYERS)))))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT, "Output folder"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        dem = self.parameterAsRasterLayer(parameters, self.DEM, context)
        chosen = [LAYERS[i] for i in self.parameterAsEnums(parameters, self.LAYERS, context)]
        out = self.parameterAsString(parameters, self.OUTPUT, context)
        try:
            result = derive_morphometry(dem.source(), out, chosen or LAYERS,
                                        lambda f, m: (feedback.setProgress(100 * f),
                                                      feedback.setProgressText(m)),
                                        feedback.isCanceled)
        except Cancelled:
            raise QgsProcessingException("cancelled")
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(f"{dem.source()}: {exc}")
        for message in result.messages:
            feedback.pushInfo(message)
        return {self.OUTPUT: out, **{name.upper(): str(p) for name, p in result.paths.items()}}
