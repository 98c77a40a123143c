"""What every app may use and none owns: plate text rules, vehicle colours, safe spreadsheet
cells, Redis URLs.

Imports no other app, so any app may import it.
"""
