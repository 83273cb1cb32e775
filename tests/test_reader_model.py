"""The reader's rules without an app: Reading (rows, filters, searches), ReaderState and Keeper.

These are plain objects, so the navigation, search and save/quit policies
are checked here directly; the pilot tests check that the keys reach them.
"""

from __future__ import annotations

import pytest

from tui.core.model import AlignSettings, Annotation
from tui.core.session_store import SessionStore
from tui.core.settings import Explicit

from tui.app.keeper import QUIT_CONFIRM_SECONDS, Keeper
from tui.app.reading import Reading, passes, row_kind, story_slug
from tui.app.state import ReaderState, members_of, row_of

from appkit import STORY_ROWS, story

# The fixed story: 12 rows over 4 sources; rows 0, 3, 7, 10 are shared by all.
SHARED = [r for r, row in enumerate(STORY_ROWS) if all(c is not None for c in row)]
UNIQUE = [r for r, row in enumerate(STORY_ROWS) if sum(c is not None for c in row) == 1]


@pytest.fixture
def alignment():
    return story()[1]


# ------------------------------------------------------------------ Reading


def test_row_kinds_and_filters(alignment):
    reading = Reading(alignment)
    assert reading.visible == list(range(len(STORY_ROWS)))
    reading.set_filter("shared")
    assert reading.visible == SHARED
    reading.set_filter("unique")
    assert reading.visible == UNIQUE
    reading.set_filter("partial")
    assert reading.visible == [r for r in range(len(STORY_ROWS)) if r not in SHARED and r not in UNIQUE]
    assert [passes(row_kind(alignment.rows[r], 4), "partial") for r in reading.visible] == [True] * len(reading.visible)


def test_position_and_nearest_visible_under_a_filter(alignment):
    reading = Reading(alignment, "shared")
    assert reading.position(SHARED[1]) == 1
    assert reading.position(1) is None
    # row 1 lies between shared rows 0 and 3: the nearer one wins, ties go forward
    assert reading.nearest_visible(1) == 0
    assert reading.nearest_visible(2) == 3
    assert reading.nearest_visible(99) == SHARED[-1]


def test_step_clamps_at_both_ends_and_starts_at_the_top(alignment):
    reading = Reading(alignment, "shared")
    assert reading.step(None, 1) == SHARED[0]
    assert reading.step(SHARED[0], 1) == SHARED[1]
    assert reading.step(SHARED[0], -1) == SHARED[0]
    assert reading.step(SHARED[-1], 5) == SHARED[-1]
    reading.set_filter("unique")
    assert reading.step(SHARED[1], 1) == UNIQUE[0]  # a hidden cursor restarts at the first visible row


def test_find_forward_backward_and_the_predicates(alignment):
    reading = Reading(alignment)
    assert reading.find(0, reading.is_partial) == 1
    assert reading.find(3, reading.is_partial, forward=False) == 2
    assert reading.find(None, lambda r: reading.only_in(r, 2)) == 2
    assert reading.find(2, lambda r: reading.only_in(r, 2)) is None
    # row 2 lacks Daily too, but only Herald has it: Herald's own line, not Daily's omission
    assert reading.find(0, lambda r: reading.left_out_by(r, 1)) == 4


def test_rows_that_matter_are_omissions_and_flags():
    from appkit import word_diff

    alignment = story()[1]
    reading = Reading(alignment, differ=word_diff)
    # 0: shared by all, 23 vs 58 (a flag); 1, 4, 6, 9: widely reported, someone leaves them out
    assert [r for r in range(len(STORY_ROWS)) if reading.matters(r)] == [0, 1, 4, 6, 9]
    assert [r for r in range(len(STORY_ROWS)) if reading.is_partial(r)] == [1, 2, 4, 5, 6, 8, 9, 11]
    reading.set_filter("flagged")
    assert reading.visible == [0]
    without = Reading(alignment)  # no comparer: nothing is flagged, omissions still matter
    assert [r for r in range(len(STORY_ROWS)) if without.matters(r)] == [1, 4, 6, 9]


def test_the_annotated_filter_follows_the_annotations():
    reading = Reading(story()[1], "annotated", annotated={3, 7})
    assert reading.visible == [3, 7]
    reading.set_annotated({7})
    assert reading.visible == [7]
    reading.set_filter("all")
    reading.set_annotated(set())
    assert reading.visible == list(range(len(STORY_ROWS)))


def test_source_stats_count_omissions_by_the_model():
    from tui.app.reading import source_stats

    stats = {st.label: st for st in source_stats(story()[1])}
    assert {name: (st.left_out, st.widely, st.only) for name, st in stats.items()} == {
        "Wire": (1, 8, 1), "Daily": (1, 8, 1), "Herald": (3, 8, 1), "Gazette": (1, 8, 1),
    }
    assert stats["Wire"].sentences == 8 and stats["Wire"].shared == 7


def test_search_is_case_insensitive_and_only_in_visible_rows(alignment):
    reading = Reading(alignment)
    kabul = reading.search("KABUL")
    assert kabul and all(reading.matches(r, "kabul") for r in kabul)
    reading.set_filter("unique")
    assert reading.search("kabul") == [r for r in kabul if r in UNIQUE]
    assert reading.search("") == []


def test_story_slug_is_file_name_safe(alignment):
    slug = story_slug(alignment)
    assert slug and all(c.isalnum() or c == "-" for c in slug) and len(slug.split("-")) <= 4
    assert story_slug(None) == "story"


# ------------------------------------------------------------------ ReaderState


def test_state_keeps_matches_in_step_with_filter_and_query(alignment):
    state = ReaderState(alignment.sources, AlignSettings())
    state.show(alignment)
    state.set_query("kabul")
    everywhere = list(state.matches)
    assert everywhere
    assert state.cycle_filter() == "shared"
    assert state.matches == [r for r in everywhere if r in SHARED]
    for _ in range(5):  # partial, unique, flagged, annotated, all
        state.cycle_filter()
    assert state.filter_name == "all" and state.matches == everywhere
    state.set_query("")
    assert state.matches == []


def test_next_match_wraps_and_says_so(alignment):
    state = ReaderState(alignment.sources, AlignSettings())
    state.show(alignment)
    state.set_query("kabul")
    first, last = state.matches[0], state.matches[-1]
    assert state.next_match(None, 1) == (first, False)
    assert state.next_match(last, 1) == (first, True)
    assert state.next_match(first, -1) == (last, True)
    state.set_query("no such words anywhere")
    assert state.next_match(0, 1) is None


def test_typing_a_search_goes_to_the_first_match_from_where_it_began(alignment):
    state = ReaderState(alignment.sources, AlignSettings())
    state.show(alignment)
    state.search_origin = 6
    state.set_query("kabul")
    assert state.first_match_from_origin() == min(r for r in state.matches if r >= 6)
    state.search_origin = len(STORY_ROWS) - 1
    assert state.first_match_from_origin() == state.matches[0]  # nothing after it: back to the first


def test_members_put_the_focused_source_first(alignment):
    assert members_of(alignment, 0) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert members_of(alignment, 0, focus=2) == [(2, 0), (0, 0), (1, 0), (3, 0)]
    assert members_of(alignment, 2, focus=0) == [(2, 1)]  # Herald's second sentence, alone
    assert row_of(alignment, 3, 2) == 3
    assert row_of(alignment, 9, 0) is None


def test_state_label_is_safe_for_unknown_sources(alignment):
    state = ReaderState(alignment.sources, AlignSettings())
    assert state.label(0) == "Wire" and state.label(42) == "?"
    assert state.annotations == {} and state.cut is None and state.status.startswith("aligning")
    state.annotations[0] = Annotation(note="x")
    assert ReaderState(alignment.sources, AlignSettings()).annotations == {}  # no shared default


# ------------------------------------------------------------------ Keeper


@pytest.fixture
def sources():
    return story()[0]


@pytest.fixture
def store(tmp_path):
    return SessionStore(tmp_path / "sessions")


def _worked_on(keeper: Keeper, sources) -> None:
    _, alignment = story()
    keeper.session.set_annotation(alignment, 0, Annotation(note="a note"))


def test_without_a_name_the_session_is_in_memory_and_cannot_save(store, sources):
    keeper = Keeper(store)
    opened = keeper.open(None, sources)
    assert opened.notices == [] and not keeper.named and not keeper.can_save
    assert keeper.save() == "this session has no name yet"
    assert not store.root.exists() or not any(store.root.iterdir())


def test_a_new_named_session_saves_and_resumes(store, sources):
    keeper = Keeper(store)
    opened = keeper.open("story", sources)
    assert ("information", "new session 'story'") in opened.notices and keeper.can_save
    _worked_on(keeper, sources)
    assert keeper.save() is None and store.exists("story")
    keeper.close()
    again = Keeper(store)
    opened = again.open("story", sources)
    assert any("resumed session 'story': 1 annotation(s)" in text for _, text in opened.notices)
    again.close()


def test_the_min_share_a_session_was_opened_with_is_kept_for_the_next_time(store, sources):
    keeper = Keeper(store)
    keeper.open("strict", sources, Explicit.of(min_share=0.75))
    assert keeper.save() is None
    keeper.close()
    again = Keeper(store)
    opened = again.open("strict", sources)  # no --min-share this time
    assert opened.settings.min_share == 0.75
    again.close()


def test_a_session_open_elsewhere_opens_read_only(store, sources):
    first = Keeper(store)
    first.open("story", sources)
    second = Keeper(store)
    opened = second.open("story", sources)
    assert second.read_only and not second.can_save
    assert any(sev == "warning" and "read-only" in text for sev, text in opened.notices)
    assert "open in another Parallax" in (second.save() or "")
    first.close()
    second.close()


def test_a_bad_name_falls_back_to_an_unnamed_session(store, sources):
    keeper = Keeper(store)
    opened = keeper.open("../escape", sources)
    assert not keeper.named and opened.notices[0][0] == "error"


def test_check_save_name_explains_the_rules(store, sources):
    keeper = Keeper(store)
    keeper.open("taken", sources)
    keeper.save()
    assert keeper.check_save_name("fresh") is None
    assert "already exists" in keeper.check_save_name("taken")
    assert "full path" in keeper.check_save_name("a/b")
    assert keeper.check_save_name("~/copy.json") is None  # a path: checked when written
    keeper.close()


def test_save_under_a_name_or_a_path(store, sources, tmp_path):
    keeper = Keeper(store)
    keeper.open(None, sources)
    prompt, default = keeper.save_as_prompt("the-story")
    assert prompt.startswith("Session name") and default == "the-story" and len(prompt) < 60
    notice = keeper.save_under("named")
    assert notice.severity == "information" and notice.text.startswith("saved to ") and store.exists("named")
    assert keeper.named and keeper.can_save
    prompt, default = keeper.save_as_prompt("the-story")
    assert prompt.startswith("New session name") and default == "named-2"
    copy = tmp_path / "copy.json"
    notice = keeper.save_under(str(copy))
    assert copy.is_file() and "to resume it, put it in" in notice.text and notice.timeout == 12
    keeper.close()


def test_a_failing_autosave_is_told_once_per_run_of_failures(store, sources):
    keeper = Keeper(store)
    keeper.open("story", sources)
    keeper.save()
    _worked_on(keeper, sources)
    aside = store.root.with_name("aside")
    store.root.rename(aside)
    store.root.write_text("a file where the sessions folder should be")  # every save now fails
    try:
        ok, notice = keeper.save_now(quiet=True)
        assert not ok and notice is not None and notice.severity == "error" and "kept in memory" in notice.text
        ok, notice = keeper.save_now(quiet=True)
        assert not ok and notice is None  # told already
        ok, notice = keeper.save_now(quiet=False)
        assert not ok and notice is not None  # asked for: always told
    finally:
        store.root.unlink()
        aside.rename(store.root)
    ok, notice = keeper.save_now(quiet=True)
    assert ok and notice is None and not keeper.failure_told
    keeper.close()


def test_quitting_with_unsaved_work_takes_a_second_q(store, sources):
    keeper = Keeper(store)
    keeper.open(None, sources)
    recorded = []
    assert keeper.before_quit(lambda: recorded.append(1), now=100.0) is None  # nothing to lose
    _worked_on(keeper, sources)
    refused = keeper.before_quit(lambda: recorded.append(1), now=100.0)
    assert refused is not None and refused.severity == "warning" and "q again" in refused.text
    assert keeper.before_quit(lambda: recorded.append(1), now=100.0 + QUIT_CONFIRM_SECONDS / 2) is None
    refused = keeper.before_quit(lambda: recorded.append(1), now=100.0 + 2 * QUIT_CONFIRM_SECONDS)
    assert refused is not None  # the confirmation ran out
    assert recorded == []  # an unnamed session records nothing: it is not written


def test_quitting_a_named_session_records_the_view_and_saves(store, sources):
    keeper = Keeper(store)
    keeper.open("story", sources)
    _worked_on(keeper, sources)
    recorded = []
    assert keeper.before_quit(lambda: recorded.append(1), now=5.0) is None
    assert recorded == [1] and not keeper.session.dirty and store.exists("story")
    keeper.close()
