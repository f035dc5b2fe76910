"""View models of the web pages: what a page shows, built from library reads, with no HTTP or HTML in them.

DESIGN.md puts the pages' view models here (the older ones still live in `hikeshi.report`).
"""
