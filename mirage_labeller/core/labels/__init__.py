"""MIRAGE labels: the schema and classes, and the one reader and writer of label files.

``schema`` and ``classes`` (the paper's Table 2 vocabulary), ``store`` (the label store:
locked, crash-safe, merging saves), ``atomic_fileset`` (replacing a shapefile's parts as one),
``shapefile_check`` (parts that disagree), ``merge`` (two sessions' edits of one label),
``edit_history`` (undo and redo through the store), ``box_geometry`` (N-S boxes on a pixel
grid), ``crs_rule`` (the CRS a label file is written in: the one place EPSG:32632 is a
default), ``presence`` (who else has an interferogram open), ``steps`` (the five-step
flowchart). Depends on ``base`` only.
"""
