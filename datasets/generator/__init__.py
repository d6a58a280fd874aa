"""Generators for the workbench starter datasets; run datasets/generate.py, not these modules."""
