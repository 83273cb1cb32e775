"""The session-name rules, in their one place."""

from __future__ import annotations

import pytest

from tui.core.errors import SessionError
from tui.core.session_names import explain_name_error, file_stem, free_name, name_taken, validate_name


def test_free_name_counts_up_past_taken_names():
    taken = {"story-2", "story-3"}
    assert free_name("story", taken.__contains__) == "story-4"
    assert free_name("x", lambda name: True) == "x"  # nothing free: the base itself

    def broken(name: str) -> bool:
        raise SessionError("cannot look")

    assert free_name("x", broken) == "x"


@pytest.mark.parametrize(
    ("text", "stem"),
    [("pakistan talks", "pakistan-talks"), ("../../etc/passwd", "etc-passwd"), ("a/b\\c:d", "a-b-c-d"),
     ("...", "story"), ("", "story"), ("draft.v2", "draft.v2"), ("Ünïcode wörds", "Ünïcode-wörds")],
)
def test_file_stem_never_leaves_a_separator_or_a_leading_dot(text, stem):
    assert file_stem(text) == stem


def test_file_stem_is_capped():
    assert len(file_stem("x" * 500)) == 100


def test_explained_errors_hint_at_full_paths_only_for_path_like_names():
    for name, hint in (("a/b", True), ("..\\x", True), ("con", False)):
        with pytest.raises(SessionError) as caught:
            validate_name(name)
        assert ("type a full path" in explain_name_error(name, caught.value)) is hint


def test_taken_names_are_said_one_way():
    assert name_taken("pakistan") == "a session named 'pakistan' already exists; pick another name"
