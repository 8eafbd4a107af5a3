"""Processing wrapper of core.synthetic.build_workspace."""
from __future__ import annotations

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterEnum,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingOutputNumber)

from ..core.labels.classes import REGIONS
from ..core.synthetic.generator import SynthConfig, build_workspace
from ..core.base.errors import MirageError


class _Cancelled(Exception):
    pass


class SyntheticWorkspaceAlgorithm(QgsProcessingAlgorithm):
    OUTPUT = "OUTPUT"
    SEED = "SEED"
    REGION = "REGION"
    SIZE = "SIZE"
    COUNT = "INTERFEROGRAMS"
    CLEAN = "CLEAN"
    N_LABELS = "N_LABELS"

    def name(self):
        return "syntheticworkspace"

    def displayName(self):  # noqa: N802
        return "Create synthetic workspace"

    def group(self):
        return "Workspace"

    def groupId(self):  # noqa: N802
        return "workspace"

    def shortHelpString(self):  # noqa: N802
        return ("Writes a synthetic MIRAGE-style workspace: wrapped interferograms (EPSG:32632, "
                "15 m) on ascending and descending tracks at several baselines, coherence maps, "
                "a DEM and reference labels of the planted signals, plus truth.json. Signals "
                "move downslope, are projected on the line of sight and wrapped with the "
                "Sentinel-1 wavelength; deterministic for a seed.")

    def createInstance(self):  # noqa: N802
        return SyntheticWorkspaceAlgorithm()

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterEnum(self.REGION, "Region", options=list(REGIONS),
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.SEED, "Seed", defaultValue=1,
                                                       minValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.SIZE, "Size (pixels per side)",
                                                       defaultValue=1000, minValue=300,
                                                       maxValue=8000))
        self.addParameter(QgsProcessingParameterNumber(self.COUNT, "Number of interferograms",
                                                       defaultValue=6, minValue=1,
                                                       maxValue=500))
        self.addParameter(QgsProcessingParameterBoolean(
            self.CLEAN, "Deformation only (no noise, atmosphere or artefacts)",
            defaultValue=False))
        self.addParameter(QgsProcessingParameterFolderDestination(self.OUTPUT, "Workspace folder"))
        self.addOutput(QgsProcessingOutputNumber(self.N_LABELS, "Number of labels"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        clean = self.parameterAsBool(parameters, self.CLEAN, context)
        config = SynthConfig(
            out_dir=self.parameterAsString(parameters, self.OUTPUT, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            region=REGIONS[self.parameterAsEnum(parameters, self.REGION, context)],
            size=self.parameterAsInt(parameters, self.SIZE, context),
            n_interferograms=self.parameterAsInt(parameters, self.COUNT, context),
            noise=not clean, atmosphere=not clean, artefacts=not clean)

        def progress(fraction, message):
            if feedback.isCanceled():
                raise _Cancelled()
            feedback.setProgress(100 * fraction)
            feedback.setProgressText(message)

        try:
            truth = build_workspace(config, progress)
        except _Cancelled:
            raise QgsProcessingException("cancelled; the folder holds a partial workspace")
        except (OSError, ValueError, MirageError) as exc:
            raise QgsProcessingException(f"{config.out_dir}: {exc}")
        n = sum(r["n_labels"] for r in truth["interferograms"])
        feedback.pushInfo(f"{len(truth['interferograms'])} interferograms, {n} labels")
        return {self.OUTPUT: config.out_dir, self.N_LABELS: n}
