"""The public transparency report: what the force's ANPR system did each month, in counts only.

Composes figures from each app's selectors; no other app imports this one.
"""
