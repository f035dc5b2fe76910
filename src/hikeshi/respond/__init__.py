"""Respond: what a team does once a flame is found — incidents, playbooks, evidence (and later statements).

One folder per domain, each with its records, its store and its flows. This package may import everything
below it (store, detect, alerts, guard, ...); nothing below imports it.
"""
