"""Writing a label shapefile (``_write_shapefile``: the MIRAGE schema, UTF-8, the CRS given)
and reading it back (``_verify``) before it replaces anything.

Only the label store calls these, on its staging folder (``atomic_fileset``): it is the one
writer of label files, and swaps the staged set in whole.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, List

from ..base import crs as base_crs
from ..base.crs import CrsLike
from . import atomic_fileset
from .reader import LabelFileError, _schema_properties, read_label_file
from .schema import Label

SHAPEFILE_PARTS = atomic_fileset.PARTS


def _fiona_crs(crs: CrsLike):
    """fiona's CRS for an EPSG code or any CRS ``base.crs`` reads (CrsError when it cannot)."""
    from fiona.crs import CRS

    if isinstance(crs, int):
        return CRS.from_epsg(crs)
    return CRS.from_wkt(base_crs.parse(crs).to_wkt())


def _write_shapefile(path: Path, labels: Iterable[Label], crs: CrsLike) -> None:
    import fiona

    schema = {"geometry": "Polygon", "properties": _schema_properties()}
    try:
        fiona_crs = _fiona_crs(crs)
    except base_crs.CrsError as exc:  # a file's problem for the front ends, like any other
        raise LabelFileError(f"{path.name}: not saved: {exc}") from None
    with fiona.open(str(path), "w", driver="ESRI Shapefile", crs=fiona_crs, schema=schema,
                    encoding="utf-8") as dst:
        dst.writerecords({"geometry": {"type": "Polygon", "coordinates": [lab.ring()]},
                          "properties": lab.record()} for lab in labels)
    for ext in SHAPEFILE_PARTS:
        if not path.with_suffix(ext).exists():
            raise LabelFileError(f"{path}: GDAL did not write the {ext} part")


def _verify(path: Path, labels: List[Label]) -> None:
    """Read the staged file back before it replaces anything."""
    back = read_label_file(path)
    if [(lab.record(), lab.bounds) for lab in back.labels] != \
            [(lab.record(), lab.bounds) for lab in labels]:
        raise LabelFileError(f"{path}: the written labels do not read back identically")
