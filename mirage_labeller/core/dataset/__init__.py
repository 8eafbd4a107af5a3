"""A label set as a dataset: grouping, reviewing, measuring and exporting it.

``processes`` (labels of different interferograms grouped into mass movements),
``gallery`` (step 3's chips of the other interferograms), ``review`` (queue and decisions),
``audit`` (every problem of a label set, read-only), ``agreement`` (two annotators),
``powerlaw`` and ``report`` (the paper's tables and figures), ``export`` (YOLO and COCO
training sets).
"""
