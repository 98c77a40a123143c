"""Tools for a workstation and CI only (the launcher behind make run and make test); never in the image."""
