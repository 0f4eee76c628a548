"""Stage 1: files -> raw data that remembers where every key and item came from."""

from mimp.load.raw import LineList, LineMap, RawDocument, line_of
from mimp.load.sources import SourceFiles, load_sources

__all__ = ["LineList", "LineMap", "RawDocument", "SourceFiles", "line_of", "load_sources"]
