"""Interferograms and their workspace: which files are what, what they hold, how usable.

``workspace`` (the folder convention), ``metadata`` (dates, Bt, track from names and tags),
``facts`` (a raster's facts and value encodings: phase, coherence, complex, degrees),
``state`` (triage decisions and settings beside the data), ``screening`` (step 0's figures
and score), ``coherence`` (quick coherence statistics), ``quicklook`` (PNG quick-looks),
``geometry`` (the satellite's line of sight). Depends on ``base`` and ``labels``.
"""
