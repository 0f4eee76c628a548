"""Stage 5: the ways in. The command line and the MkDocs plugin; only here is MkDocs imported."""
