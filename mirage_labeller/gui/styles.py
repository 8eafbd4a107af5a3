"""QGIS renderers built from the colour definitions in core (cyclic ramp, class colours)."""
from __future__ import annotations

import math
from typing import List, Optional

from qgis.core import (
    QgsBilinearRasterResampler,
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsFillSymbol,
    QgsHillshadeRenderer,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSimpleFillSymbolLayer,
    QgsSingleBandGrayRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ..core.base.palettes import CYCLIC_CMY, ramp_stops
from ..core.interferograms.facts import ValueEncoding
from ..core.labels.classes import CLASSES
from ..core.terrain.morphometry import degrees_per_metre
from ..i18n import translate, translate_core

TR_CONTEXT = "Styles"


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)

MAX_CYCLES = 200  # beyond this an unwrapped raster is not worth drawing as fringes


def cyclic_ramp_items(lo: float, hi: float, start: float, period: float,
                      stops_per_cycle: int = 64) -> List[QgsColorRampShader.ColorRampItem]:
    """Ramp items repeating the cyclic palette every ``period`` from ``start``, covering
    [lo, hi]: over [-pi, pi] that is one cycle; over unwrapped phase it re-wraps for display."""
    first = math.floor((lo - start) / period)
    last = max(first + 1, math.ceil((hi - start) / period))
    base = ramp_stops(CYCLIC_CMY, stops_per_cycle, 0.0, 1.0)
    items = []
    for cycle in range(first, last):
        for k, (f, rgb) in enumerate(base):
            if cycle != first and k == 0:
                continue  # shared with the previous cycle's last stop (same colour)
            value = start + (cycle + f) * period
            items.append(QgsColorRampShader.ColorRampItem(value, QColor(*rgb), ""))
    items[0].label = f"{items[0].value:.3g}"
    items[-1].label = f"{items[-1].value:.3g}"
    return items


def style_phase(layer: QgsRasterLayer, encoding: ValueEncoding, vmin: Optional[float] = None,
                vmax: Optional[float] = None) -> Optional[str]:
    """Cyclic ramp over one phase cycle in the raster's own units; returns a warning or None."""
    period = 2 * math.pi / encoding.scale
    start = (-math.pi - encoding.offset) / encoding.scale
    lo, hi = start, start + period
    warning = None
    if encoding.rewrap and vmin is not None and vmax is not None:
        if (vmax - vmin) / period > MAX_CYCLES:
            warning = (f"{layer.name()}: values span more than {MAX_CYCLES} phase cycles; "
                       "drawn with a linear ramp")
            lo, hi, start, period = vmin, vmax, vmin, vmax - vmin
        else:
            lo, hi = vmin, vmax
    shader_fn = QgsColorRampShader(lo, hi)
    shader_fn.setColorRampType(QgsColorRampShader.Type.Interpolated)
    shader_fn.setColorRampItemList(cyclic_ramp_items(lo, hi, start, period))
    shader_fn.setClip(True)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(shader_fn)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(lo)
    renderer.setClassificationMax(hi)
    layer.setRenderer(renderer)
    layer.triggerRepaint()
    return warning


def style_coherence(layer: QgsRasterLayer, encoding: ValueEncoding) -> None:
    """Greyscale 0 (black, decorrelated) to 1 (white), in the raster's own units."""
    renderer = QgsSingleBandGrayRenderer(layer.dataProvider(), 1)
    contrast = QgsContrastEnhancement(layer.dataProvider().dataType(1))
    contrast.setContrastEnhancementAlgorithm(QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
    contrast.setMinimumValue((0.0 - encoding.offset) / encoding.scale)
    contrast.setMaximumValue((1.0 - encoding.offset) / encoding.scale)
    renderer.setContrastEnhancement(contrast)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_coherence_mask(layer: QgsRasterLayer, encoding: ValueEncoding,
                         threshold: float = 0.2, opacity: int = 150) -> None:
    """Semi-transparent dark veil over pixels whose coherence is below ``threshold``."""
    raw_threshold = (threshold - encoding.offset) / encoding.scale
    shader_fn = QgsColorRampShader(0.0, raw_threshold)
    shader_fn.setColorRampType(QgsColorRampShader.Type.Discrete)
    shader_fn.setColorRampItemList([
        QgsColorRampShader.ColorRampItem(raw_threshold, QColor(20, 20, 20, opacity),
                                         f"coherence < {threshold:g}"),
        QgsColorRampShader.ColorRampItem(float("inf"), QColor(0, 0, 0, 0), "")])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(shader_fn)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_hillshade(layer: QgsRasterLayer) -> None:
    """Multidirectional hillshade; the DEM is resampled bilinearly when zoomed in, otherwise
    the 15 m pixel steps draw as stripes. A DEM in degrees gets the z factor that brings its
    metres to degrees, or every slope draws as a cliff."""
    renderer = QgsHillshadeRenderer(layer.dataProvider(), 1, 315.0, 45.0)
    renderer.setMultiDirectional(True)
    if layer.crs().isGeographic() and layer.width() > 0 and layer.height() > 0:
        extent = layer.extent()
        renderer.setZFactor(degrees_per_metre(extent.width() / layer.width(),
                                              extent.height() / layer.height(),
                                              extent.center().y()))
    layer.setRenderer(renderer)
    layer.resampleFilter().setZoomedInResampler(QgsBilinearRasterResampler())
    layer.resampleFilter().setZoomedOutResampler(QgsBilinearRasterResampler())


def _box_symbol(colour: str, style: str = "solid") -> QgsFillSymbol:
    """A hollow box in the class colour over a white halo, readable on any phase colour."""
    symbol = QgsFillSymbol.createSimple({"color": "0,0,0,0", "outline_color": "255,255,255,230",
                                         "outline_width": "1.3", "outline_width_unit": "MM"})
    symbol.appendSymbolLayer(QgsSimpleFillSymbolLayer.create({
        "color": "0,0,0,0", "outline_color": colour, "outline_width": "0.6",
        "outline_width_unit": "MM", "outline_style": style}))
    return symbol


def style_labels(layer: QgsVectorLayer) -> None:
    """Outline boxes coloured by class, labelled with the class code and Id."""
    categories = []
    for code, cls in CLASSES.items():
        categories.append(QgsRendererCategory(code, _box_symbol(cls.colour),
                                              f"{code} {translate_core(cls.name)}"))
    fallback = _box_symbol("#ff0000", "dash")
    categories.append(QgsRendererCategory(None, fallback, _tr("other (not a MIRAGE class)")))
    layer.setRenderer(QgsCategorizedSymbolRenderer("Class", categories))
    settings = QgsPalLayerSettings()
    settings.fieldName = "\"Class\" || ' ' || \"Id\""
    settings.isExpression = True
    # never on top of the fringes
    settings.placement = QgsPalLayerSettings.Placement.OutsidePolygons
    text = QgsTextFormat()
    text.setSize(9)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1.0)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()


def style_processes(layer: QgsVectorLayer) -> None:
    """Process footprints: a light fill in the majority class colour; a process whose labels
    disagree on the class gets a red dashed outline, and its label says so."""
    def conflict_outline():
        outline = QgsSimpleFillSymbolLayer.create({
            "color": "0,0,0,0", "outline_color": "#d7301f", "outline_width": "0.9",
            "outline_width_unit": "MM", "outline_style": "dash"})
        # no stroke at all where there is no conflict (a zero width would be a hairline)
        outline.setDataDefinedProperty(
            QgsSymbolLayer.Property.PropertyStrokeStyle,
            QgsProperty.fromExpression("if(\"conflict\" = 1, 'dash', 'no')"))
        return outline

    categories = []
    for code, cls in CLASSES.items():
        c = QColor(cls.colour)
        symbol = QgsFillSymbol.createSimple({
            "color": f"{c.red()},{c.green()},{c.blue()},60", "outline_color": cls.colour,
            "outline_width": "0.5", "outline_width_unit": "MM"})
        symbol.appendSymbolLayer(conflict_outline())  # before the renderer copies it
        categories.append(QgsRendererCategory(code, symbol, f"{code} {translate_core(cls.name)}"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("class", categories))
    settings = QgsPalLayerSettings()
    settings.fieldName = ("\"class\" || ' ×' || \"n_labels\" || "
                          "if(\"conflict\" = 1, ' ⚠ ' || \"classes\", '')")
    settings.isExpression = True
    text = QgsTextFormat()
    text.setSize(8)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
