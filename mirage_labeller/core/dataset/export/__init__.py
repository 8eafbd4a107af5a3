"""Training-set export: labelled interferograms cut into chips for YOLO or COCO detectors.

Chips are cut at native resolution on a regular grid (``chip`` pixels, ``overlap`` between
neighbours, the last row and column shifted to end at the raster edge; a raster smaller than
a chip gives one chip, padded with 0). Channels, scaled to 8 bits:

- ``cos_sin_coh``: R = cos(phase), G = sin(phase) from [-1, 1], B = coherence from [0, 1].
  The wrapped phase jumps from +pi to -pi along every fringe; cos and sin do not, so a
  convolution sees no false edge there;
- ``phase_coh_terrain``: R = phase from [-pi, pi], G = coherence, B = one DEM layer
  (slope 0..90 degrees, aspect 0..360, hillshade 0..255, any other layer between its 2nd and
  98th percentile, computed once per layer), as YOLO studies of InSAR deformation use.

Values are physical whatever the file stores (radians, degrees, scaled integers; coherence
0-1 or 0-255: core.raster_facts); nodata is 0 in every channel. Boxes are converted to chip
pixels, clipped at the chip edge and kept when at least ``min_visible`` of their area shows.
A chip touched only by boxes below that share is not written: it is neither a clean positive
nor a negative. Chips touching no box are negatives, kept at ``negative_rate`` (but not when
wholly nodata).

Splits are grouped by mass-movement process (core.recurrence): processes that share a chip
(dropped boxes included: the picture shows them) are one group, a group goes whole to one
split, so the same movement never sits in train and test; groups are stratified by their
majority class. Large chips over dense areas make few groups, and then the split shares can
only be met roughly (ExportResult.groups, problems). ``manifest.csv`` holds each chip's
interferogram, window and affine transform, so any prediction maps back to the map
(``chip_to_map``).

Layout: ``images/{train,val,test}/<stem>_r<row>_c<col>.png|tif``; YOLO adds
``labels/<split>/<name>.txt`` (``class cx cy w h`` normalised, 6 decimals; empty for a
negative) and ``dataset.yaml``; COCO adds ``annotations/instances_<split>.json`` with
category ids 1..10 (YOLO class + 1: COCO tools take 0 for the background), image and
annotation ids unique over the whole export and ``file_name`` relative to ``images/<split>``.

One module a responsibility:

- ``config``: what is asked (``ExportConfig``) and what was done (``ExportResult``);
- ``plan``: the grid of chips of each interferogram and the boxes in each chip;
- ``splits``: train, val and test, grouped by process and stratified by class;
- ``pixels``: physical values read onto a chip and the channels of each recipe;
- ``writers``: images (PNG, GeoTIFF), YOLO label files and dataset.yaml, COCO annotations;
- ``manifest``: one row a chip, read and written, and ``chip_to_map``;
- ``driver``: ``export_training_set``, written beside the output folder and swapped in.
"""
from .config import FORMATS, IMAGE_FORMATS, RECIPES, SPLITS, ExportConfig, ExportResult, PathLike
from .driver import GENERATED, MARKER, export_training_set
from .manifest import (
                       MANIFEST,
                       MANIFEST_FIELDS,
                       ManifestRow,
                       chip_to_map,
                       read_manifest,
                       write_manifest,
)
from .pixels import TERRAIN_RANGES, chip_channels, terrain_range, to_u8
from .plan import grid_offsets
from .splits import split_groups
from .writers import PNG_COMPRESS_LEVEL, write_dataset_yaml, yolo_line

__all__ = [
    "FORMATS", "GENERATED", "IMAGE_FORMATS", "MANIFEST", "MANIFEST_FIELDS", "MARKER",
    "PNG_COMPRESS_LEVEL", "PathLike", "RECIPES", "SPLITS", "TERRAIN_RANGES", "ExportConfig",
    "ExportResult", "ManifestRow", "chip_channels", "chip_to_map", "export_training_set",
    "grid_offsets", "read_manifest", "split_groups", "terrain_range", "to_u8",
    "write_dataset_yaml", "write_manifest", "yolo_line",
]
