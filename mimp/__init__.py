"""MIMP: major incident records in git -> status page, feeds, knowledge base and PIRs.

The package is a one-way pipeline, one sub-package a stage:

    load    files -> raw data that remembers line numbers
    model   raw data -> validated, typed records (and cross-file integrity)
    derive  records -> statuses, timelines, metrics, contacts, audiences
    render  derived views -> pages, feeds, API, calendars, badges
    adapters  the MkDocs plugin and the command line

Nothing in load/model/derive/render imports MkDocs.
"""

__version__ = "0.1.0"
