"""Reports: incident reports and weekly reports (HTML and PDF), response metrics, statement fit, and the spread
of a flame (火元・拡散経路).

This package sits beside `ingest` above `respond`: it reads incidents, their timelines and the watch's posts,
and writes nothing. The web pages use `spread_view` and `signal_evidence` for the same posts the report shows.
"""

from hikeshi.reports.fit import statement_fit, statement_fits
from hikeshi.reports.incident import build_incident_report, render_incident_html, render_incident_pdf
from hikeshi.reports.metrics import aggregate, incident_metrics, response_metrics
from hikeshi.reports.pdf import PdfUnavailableError, html_to_pdf
from hikeshi.reports.records import (
    AggregateMetrics,
    MetricSummary,
    PostGroup,
    ResponseMetrics,
    SpreadStep,
    SpreadView,
    StatementFit,
    TermCount,
    WindowStats,
)
from hikeshi.reports.spread import signal_evidence, spread_view
from hikeshi.reports.weekly import build_weekly_report, render_weekly_html, render_weekly_pdf

__all__ = [
    "AggregateMetrics",
    "MetricSummary",
    "PdfUnavailableError",
    "PostGroup",
    "ResponseMetrics",
    "SpreadStep",
    "SpreadView",
    "StatementFit",
    "TermCount",
    "WindowStats",
    "aggregate",
    "build_incident_report",
    "build_weekly_report",
    "html_to_pdf",
    "incident_metrics",
    "render_incident_html",
    "render_incident_pdf",
    "render_weekly_html",
    "render_weekly_pdf",
    "response_metrics",
    "signal_evidence",
    "spread_view",
    "statement_fit",
    "statement_fits",
]
