"""interferograms"""
