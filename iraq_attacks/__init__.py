"""Curated record and analysis of the 2019-2020 attacks on US and coalition sites in Iraq."""

__version__ = "0.1.0"
