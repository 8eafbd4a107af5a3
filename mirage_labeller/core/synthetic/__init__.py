"""The synthetic workspace generator: Alpine- and Apennine-like terrain, bodies moving
downslope, interferograms with atmosphere, noise and artefacts, and their reference labels,
so tests and demos need no real data."""
