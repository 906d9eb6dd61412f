"""Where sign-in, the second factor and the language switch may send the user next (issue 23, finding 3)."""

import pytest

from wizard.redirects import is_same_site_path

# Each of these leaves the site in some browser, or would break the Location header.
OFF_SITE = [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", " /", "/ /evil.example",
    "/\x00/evil.example", "/\x1f/evil.example", "/\x7f", "/\u0085/evil.example", "/\u3000/evil.example",
    "/x\r\nSet-Cookie: a=b", "/\\/evil.example", "", None, "http:/evil.example", "/x\u2028y",
]
SAME_SITE = ["/", "/?from=login", "/declaration/3/premises?restore=abc", "/results/", "/%09/x", "/a//b", "/a:b"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_off_site_targets_are_refused(target):
    assert not is_same_site_path(target)


@pytest.mark.parametrize("target", SAME_SITE)
def test_same_site_paths_are_followed(target):
    assert is_same_site_path(target)
