"""Basemaps of a workspace's ``basemaps/`` folder: orthophotos, and XYZ tile sources named
by ``*.xyz`` text files.

A workspace may come from anyone, and its ``*.xyz`` files name the server a basemap would
contact: a tile URL is checked (http or https, the {z}/{x}/{y} placeholders), handed to the
provider as one encoded parameter (so ``&referer=``/``&authcfg=`` cannot add provider
parameters), and making a layer contacts no server - tiles are fetched only where a user
picked the basemap in a linked view.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple
from urllib.parse import urlsplit

from qgis.core import QgsDataSourceUri, QgsMapLayer, QgsRasterLayer
from qgis.PyQt import sip

from ..i18n import translate

TR_CONTEXT = "WorkspaceLayers"  # the strings' context before they moved here
RASTER_EXTENSIONS = (".tif", ".tiff", ".jp2", ".vrt", ".ecw", ".png", ".jpg")
XYZ_MAX_BYTES = 64 * 1024  # a tile URL and a comment or two; anything bigger is not one


def _tr(text: str) -> str:
    return translate(TR_CONTEXT, text)


def xyz_uri(url: str, zmin: int = 0, zmax: int = 19) -> str:
    """The provider URI of an XYZ tile source, as QGIS's own XYZ connections write it: the URL
    percent-encoded into one ``url`` parameter, so whatever it holds (``&referer=...``,
    ``&authcfg=...``) cannot add parameters of its own to the provider."""
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", url)
    uri.setParam("zmin", str(zmin))
    uri.setParam("zmax", str(zmax))
    return bytes(uri.encodedUri()).decode("ascii")


def check_tile_url(url: str) -> Optional[str]:
    """Why ``url`` is not an XYZ tile URL template this plugin accepts (None when it is):
    http or https to a named host, with the ``{z}``, ``{x}`` and ``{y}`` (or TMS ``{-y}``)
    placeholders, no spaces or control characters."""
    if any(c.isspace() or ord(c) < 32 for c in url):
        return _tr("the tile URL holds spaces or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return _tr("not a URL")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return _tr("not an http or https URL")
    if not all(p in url for p in ("{z}", "{x}")) or ("{y}" not in url and "{-y}" not in url):
        return _tr("the URL lacks the {z}, {x} and {y} placeholders of a tile URL")
    return None


def tile_host(layer: Optional[QgsMapLayer]) -> Optional[str]:
    """The server a tile or WMS layer fetches from (None for local data)."""
    if layer is None or sip.isdeleted(layer) or layer.providerType() != "wms":
        return None
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    try:
        return urlsplit(uri.param("url")).hostname or None
    except ValueError:
        return None


def basemap_layer(path: Path) -> Tuple[Optional[QgsRasterLayer], Optional[str]]:
    """The basemap of a file of ``basemaps/`` and why it was skipped: rasters
    (orthophotos) and ``*.xyz`` text files whose first line is an XYZ tile URL template.
    Other files (notes, .aux.xml) are neither layers nor problems. Making the layer
    contacts no server: tiles are fetched only where it is drawn."""
    suffix = path.suffix.lower()
    if suffix == ".xyz":
        url, problem = _read_tile_url(path)
        if problem is not None:
            return None, problem
        layer = QgsRasterLayer(xyz_uri(url), path.stem, "wms")
    elif suffix in RASTER_EXTENSIONS:
        layer = QgsRasterLayer(str(path), path.stem)
    else:
        return None, None
    if not layer.isValid():
        return None, _tr("QGIS cannot open it")
    return layer, None


def _read_tile_url(path: Path) -> Tuple[Optional[str], Optional[str]]:
    """The tile URL of an ``*.xyz`` file (its first non-blank line) or why there is none."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(XYZ_MAX_BYTES + 1)
    except OSError as exc:
        return None, _tr("cannot be read ({why})").format(why=exc.strerror or exc)
    if len(raw) > XYZ_MAX_BYTES:
        return None, _tr("too large for a file holding a tile URL")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, _tr("not UTF-8 text")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None, _tr("holds no tile URL")
    problem = check_tile_url(lines[0])
    return (None, problem) if problem else (lines[0], None)
