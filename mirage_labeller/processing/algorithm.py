"""One Processing algorithm class for every operation declaration (core.operations).

``MirageAlgorithm(operation)`` turns the declaration's parameters into
``QgsProcessingParameter*`` (advanced ones flagged), its tables into feature sinks and its
values into outputs, and runs the operation's own ``run``: the toolbox, the graphical modeler
and ``qgis_process`` get the same limits, checks and results as the command line, and a new
operation needs no code here (3liz/QuickOSM shares one algorithm base class the same way).
Progress and cancel go through ``QgsProcessingFeedback``; the error family becomes a
``QgsProcessingException`` with the same text the command line prints.
"""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsRectangle,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.base.errors import MirageError, from_os_error
from ..core.base.progress import Cancelled, Progress
from ..core.operations import Operation, Param
from ..core.operations.params import (
    BOOL,
    CHOICE,
    FLOAT,
    INPUT_FILE,
    INPUT_FOLDER,
    INPUT_PATH,
    INPUTS,
    INT,
    OUTPUT_FILE,
    OUTPUT_FOLDER,
    STRINGS,
)

_FIELD_TYPES = {"string": QVariant.String, "int": QVariant.Int, "float": QVariant.Double}


def _file_filter(suffixes) -> str:
    if not suffixes:
        return ""
    kind = suffixes[0].lstrip(".").upper()
    return f"{kind} files ({' '.join('*' + s for s in suffixes)})"


def _text(value) -> str:
    """A list default as Processing's text field shows it (``0.7,0.15,0.15``)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def parameter_definition(p: Param) -> QgsProcessingParameterDefinition:
    """The Processing parameter of a declared one (its name kept as the toolbox had it)."""
    name, title, optional = p.pname, p.title, p.optional
    if p.kind in INPUTS and p.many:  # several files or folders: their paths, unloaded
        d = QgsProcessingParameterMultipleLayers(name, title, QgsProcessing.SourceType.TypeFile,
                                                 optional=optional)
    elif p.kind == INPUT_FILE and p.layer == "raster":
        d = QgsProcessingParameterRasterLayer(name, title, optional=optional)
    elif p.kind in (INPUT_FILE, INPUT_PATH):
        d = QgsProcessingParameterFile(name, title, QgsProcessingParameterFile.Behavior.File,
                                       optional=optional, fileFilter=_file_filter(p.suffixes))
    elif p.kind == INPUT_FOLDER:
        d = QgsProcessingParameterFile(name, title, QgsProcessingParameterFile.Behavior.Folder,
                                       optional=optional)
    elif p.kind == OUTPUT_FILE:
        d = QgsProcessingParameterFileDestination(name, title, _file_filter(p.suffixes),
                                                  optional=optional,
                                                  createByDefault=not optional)
    elif p.kind == OUTPUT_FOLDER:
        d = QgsProcessingParameterFolderDestination(name, title, optional=optional)
    elif p.kind in (INT, FLOAT):
        kind = (QgsProcessingParameterNumber.Type.Integer if p.kind == INT
                else QgsProcessingParameterNumber.Type.Double)
        d = QgsProcessingParameterNumber(name, title, kind, p.default, optional)
        if p.minimum is not None:
            d.setMinimum(p.minimum)
        if p.maximum is not None:
            d.setMaximum(p.maximum)
    elif p.kind == BOOL:
        d = QgsProcessingParameterBoolean(name, title, bool(p.default), optional)
    elif p.kind == CHOICE:
        d = QgsProcessingParameterEnum(name, title, list(p.choices), False,
                                       p.choices.index(p.default) if p.default else None,
                                       optional)
    elif p.kind == STRINGS and p.choices:
        default = [p.choices.index(v) for v in p.default] if p.default else None
        d = QgsProcessingParameterEnum(name, title, list(p.choices), True, default, optional)
    else:  # a string, or a list of numbers or names written as one: "3,4", "x0,y0,x1,y1"
        d = QgsProcessingParameterString(name, title, _text(p.default), False, optional)
    d.setHelp(p.help)
    if p.advanced:
        d.setFlags(d.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return d


class MirageAlgorithm(QgsProcessingAlgorithm):
    """The algorithm of one operation declaration."""

    def __init__(self, operation: Operation):
        super().__init__()
        self.operation = operation

    def name(self):
        return self.operation.processing_id

    def displayName(self):  # noqa: N802
        return self.operation.title

    def group(self):
        return self.operation.group

    def groupId(self):  # noqa: N802
        return self.operation.group_id

    def shortHelpString(self):  # noqa: N802
        return self.operation.description

    def createInstance(self):  # noqa: N802
        return MirageAlgorithm(self.operation)

    def initAlgorithm(self, config=None):  # noqa: N802
        for p in self.operation.params:
            self.addParameter(parameter_definition(p))
        for spec in self.operation.tables:
            self.addParameter(QgsProcessingParameterFeatureSink(
                spec.name, spec.title, QgsProcessing.SourceType.TypeVectorPolygon if spec.geometry
                else QgsProcessing.SourceType.TypeVector))
        for value in self.operation.values:
            output = (QgsProcessingOutputNumber if value.kind == "number"
                      else QgsProcessingOutputString)
            self.addOutput(output(value.name, value.title))

    # ------------------------------------------------------------------ running

    def _value(self, p: Param, parameters, context):
        """The declared parameter's value from Processing's (None when left empty)."""
        name = p.pname
        given = parameters.get(name)
        if p.kind in INPUTS and p.many:
            return self.parameterAsFileList(parameters, name, context) or None
        if p.kind == INPUT_FILE and p.layer == "raster":
            if given in (None, ""):
                return None
            layer = self.parameterAsRasterLayer(parameters, name, context)
            if layer is None:
                raise QgsProcessingException(self.invalidRasterError(parameters, name))
            return layer.source()
        if p.kind in INPUTS:
            return self.parameterAsFile(parameters, name, context) or None
        if p.kind in (OUTPUT_FILE, OUTPUT_FOLDER):
            return self.parameterAsFileOutput(parameters, name, context) or None
        if p.kind in (INT, FLOAT):
            if given in (None, "") and p.default is None:
                return None
            number = self.parameterAsDouble(parameters, name, context)
            return int(round(number)) if p.kind == INT else number
        if p.kind == BOOL:
            return self.parameterAsBool(parameters, name, context)
        if p.kind == CHOICE:
            return p.choices[self.parameterAsEnum(parameters, name, context)]
        if p.kind == STRINGS and p.choices:
            return [p.choices[i] for i in self.parameterAsEnums(parameters, name, context)]
        text = (self.parameterAsString(parameters, name, context) or "").strip()
        if not text:
            return None
        return p.split(text) if p.is_list else text

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        op = self.operation
        progress = Progress(lambda f, m: (feedback.setProgress(100 * f),
                                          feedback.setProgressText(str(m))),
                            feedback.isCanceled)
        try:
            params = {p.name: self._value(p, parameters, context) for p in op.params}
            result = op.run(params, progress)
        except Cancelled:
            raise QgsProcessingException("cancelled") from None
        except (MirageError, ValueError) as exc:
            raise QgsProcessingException(str(exc)) from None
        except OSError as exc:
            raise QgsProcessingException(str(from_os_error(exc))) from None
        for line in result.note_lines():
            feedback.pushInfo(f"note: {line}")
        for line in result.summary():
            feedback.pushInfo(line)
        for line in result.errors:
            feedback.reportError(line, fatalError=False)
        names = {p.name: p.pname for p in op.params}
        outputs = {names.get(k, k.upper()): str(path) for k, path in result.files.items()}
        outputs.update(result.values)
        for spec in op.tables:
            outputs[spec.name] = self._write_table(spec, result.tables.get(spec.name),
                                                   parameters, context)
        feedback.setProgress(100)
        return outputs

    def _write_table(self, spec, table, parameters, context):
        fields = QgsFields()
        kinds = spec.field_list()
        for name, kind in kinds:
            fields.append(QgsField(name, _FIELD_TYPES[kind]))
        # the rows' own CRS (the labels'); an invalid CRS when none is known, never assumed
        crs = QgsCoordinateReferenceSystem(table.crs) if table and table.crs \
            else QgsCoordinateReferenceSystem()
        sink, dest = self.parameterAsSink(parameters, spec.name, context, fields,
                                          QgsWkbTypes.Type.Polygon if spec.geometry
                                          else QgsWkbTypes.Type.NoGeometry, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, spec.name))
        for k, row in enumerate(table.rows if table else ()):
            feature = QgsFeature(fields)
            feature.setAttributes([_cell(v, kind) for v, (_, kind) in zip(row, kinds)])
            bounds = table.bounds[k] if k < len(table.bounds) else None
            if spec.geometry and bounds is not None:
                feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(*bounds)))
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return dest


def _cell(value, kind):
    """A table cell as its field's type (numpy numbers and core sentences are neither)."""
    if value is None:
        return None
    try:
        return {"int": int, "float": float}.get(kind, str)(value)
    except (TypeError, ValueError):
        return None
