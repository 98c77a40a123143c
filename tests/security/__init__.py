"""Abuse cases: each test plays an attacker or a careless insider against one control.

docs/security.md maps every threat to its control and to the test here that proves it.
"""
