"""Importers: bring a team's history from another status page into MIMP's records.

They sit at the adapter level: like the commander's commands they write record files
(with ruamel.yaml, through adapters/record_edit.py) and check the result with the whole
pipeline before anything is written. Each source has one module that reads its export
into an `ImportPlan` (plan.py); `apply_plan` (writing.py) turns a plan into files.

    statuspage.py   Atlassian Statuspage public API v2 (summary, incidents, maintenances, components)
    cstate.py       cState's Markdown issues (content/issues/*.md)
    html_markdown.py  update bodies in HTML -> sanitised Markdown
"""
