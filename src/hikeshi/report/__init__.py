"""View models for people reading the monitoring data: the overview, a watch's dashboard, signal details,
the mentions explorer and the guard's highlighted draft.

Pure functions over `Store` reads and shared records, so that the web pages (and any later report or export)
show the same numbers; nothing here knows about HTTP or HTML.
"""
