"""What a test expects of `mimp check` on a site: one error at a file's line, or nothing."""

from __future__ import annotations


def expect_error_at(site, path, needle, *words, nth=1):
    """Exit 1, no traceback, and an error at the line of `needle` in `path` with `words`."""
    result = site.check()
    assert result.code == 1, result.text
    assert "Traceback" not in result.text
    line = site.line(path, needle, nth)
    return result.expect(f"{path}:{line}: error: ", *words)


def expect_clean(site):
    """Exit 0 with no error and no warning at all."""
    result = site.check()
    assert result.code == 0, result.text
    assert result.lines == ["mimp check: 0 errors, 0 warnings"], result.text
    return result
