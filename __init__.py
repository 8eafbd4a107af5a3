"""QGIS entry point: QGIS imports this folder as a package and calls classFactory."""


def classFactory(iface):  # noqa: N802 (name fixed by QGIS)
    from .mirage_labeller.plugin import MirageLabellerPlugin

    return MirageLabellerPlugin(iface)
