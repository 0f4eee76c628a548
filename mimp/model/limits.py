"""Every size limit of the record format, in one place.

The renderer (Python-Markdown) and some derived views take time that grows faster
than their input on some shapes of text or data: unclosed brackets, deep nesting,
thousands of tags. Each limit below keeps every piece of work linear in a file's
size, far above what real records hold; `mimp check` reports each as an error at
the file and line, so whatever check accepts builds. docs/format.md ("Limits")
lists them, and tests read them from here.
"""

from __future__ import annotations

from mimp.load import safe_yaml as _yaml

# --- Text (any text field, Markdown or not; the Markdown of a record file's body too) ---

# Lists and block quotes nested deeper than this (each 4 columns of indentation, each
# '>', '-', '*', '+', '1.' or ':' that opens a line counts one level). Python-Markdown
# recurses per level and fails past a few hundred.
MAX_MARKDOWN_DEPTH = 16
# A paragraph is the lines between blank lines. Python-Markdown scans from each '[' (a
# possible link) and each '<' (possible HTML) to the end of the paragraph, and splits a
# paragraph line by line: time grows with these counts times the paragraph's length.
MAX_BRACKETS_PER_PARAGRAPH = 20
MAX_ANGLES_PER_PARAGRAPH = 50
MAX_LINES_PER_PARAGRAPH = 200
# A run of backticks with no run of the same length after it makes the code-span search
# scan the rest of the paragraph (120 KB of '``a`' took 154 s to build).
MAX_BACKTICK_RUNS_PER_PARAGRAPH = 400
# Over the whole text: '[' also starts abbreviations and footnotes, each matched against
# all the text; a ``` or ~~~ line that no same fence closes makes the code-block search
# scan the rest of it (closed code blocks are cheap, and do not count).
MAX_BRACKETS_PER_TEXT = 500
MAX_FENCES_PER_TEXT = 40
# A '<' that opens a tag ('<a', '</', '<!', '<?') with no '>' after it on its line: the
# HTML parser looks for the tag's end through the rest of the text, for each of them.
MAX_UNCLOSED_TAGS_PER_TEXT = 10
# Paragraphs (and other blocks between blank lines): Python-Markdown takes each block off
# the front of a list and puts the rest back, so time grows with their count squared
# (100,000 one-word paragraphs: 13 s for one text).
MAX_PARAGRAPHS_PER_TEXT = 2_000

# --- Pages under docs/ (record text is cleaned, which closes every element it opens) ---

# HTML elements open at once in a hand-written page. An element opened and never closed
# ('see <a>' on every line) stays open to the end of the page, and Material's search
# plugin reads every tag and text against all the open elements: 80 KB of such lines
# took 33 s to build, 160 KB 180 s.
MAX_OPEN_ELEMENTS = 100

# --- Records ---

MAX_TAGS = 50  # tags of an incident, and of a playbook's applies_to
MAX_SERVICES = 200  # services an incident names, an update changes, a scope or target lists
MAX_VENDORS = 50  # vendors an incident names
MAX_RELATED = 100  # related incidents an incident names
MAX_DEPENDS_ON = 100  # services and vendors one service depends on directly
# The longest chain of services depending on services (a -> b -> c is 3).
MAX_DEPENDENCY_DEPTH = 30
# Services and vendors in the whole registry: the dependency matrix has a cell for each
# pair, and the status page lists every service (500 services: 25 s of matrix alone).
MAX_REGISTRY_SERVICES = 500
MAX_REGISTRY_VENDORS = 200
MAX_ZONE_NAME = 64  # characters of a time zone name; the longest IANA name has 32

# --- Files (enforced where they are read, in mimp/load; here so one module lists all) ---

MAX_YAML_DEPTH = _yaml.MAX_DEPTH  # mappings and lists nested in a file
MAX_YAML_VALUES = _yaml.MAX_EXPANDED_NODES  # values a file expands to, anchors and aliases too
MAX_YAML_TEXT = _yaml.MAX_EXPANDED_CHARS  # characters of text a file expands to, the same
MAX_NUMBER_CHARS = _yaml.MAX_NUMBER_CHARS  # characters of one number (Python: 4,300 digits)
