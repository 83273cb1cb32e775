"""The pair scorer and the text signals it is built on."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.model import AlignSettings
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import FEATURE_NAMES, Index, pair_score, score_matrix
from tui.core.text import STOP_WORDS, features, magnitude, normalize

#: the default pair cut of the aligner: "would be linked"
LINKED = AlignSettings().threshold

STORY = [
    "Pakistan and Afghanistan ended talks in Istanbul without an agreement, officials said.",
    "Pakistan accused the Taliban government in Afghanistan of sheltering militants.",
    "The Taliban said Pakistan made irrational demands during the talks.",
    "Trucks loaded with goods were stranded at the Chaman border crossing.",
    "Pakistan's military said 23 soldiers were killed in the border clashes.",
]


def test_normalize_folds_typography_and_diacritics():
    assert normalize("“Türkiye’s” – café") == "\"Turkiye's\" - cafe"


def test_features_stem_drop_stop_words_and_read_numbers():
    f = features("The four negotiators were negotiating for 4 days in Doha.")
    assert "the" not in f.stems and "in" not in f.stems
    assert f.stems.count("negoti") == 2
    assert f.numbers == {"4"}
    assert "doha" in f.names
    assert features("Two thousand residents fled").numbers == features("2,000 residents fled").numbers


def test_features_names_and_quotes():
    f = features('Khawaja Asif warned of "the bitter taste of such misadventures" on X.')
    assert {"khawaja", "asif"} <= f.names
    assert f.quotes and "bitter" in f.quotes[0]


def test_stop_words_are_lower_case_words():
    assert all(w == w.lower() and w.isalpha() for w in STOP_WORDS)


def test_magnitude_lets_roundings_meet_but_not_years():
    assert magnitude("42.3") == magnitude("43")
    assert magnitude("310000") == magnitude("300000")
    assert magnitude("2013") is None


def test_paraphrase_beats_same_topic_sentence():
    a = "Pakistan's military reported 23 soldiers killed in the border clashes."
    para = "The army said 23 soldiers were killed during clashes along the border."
    m = score_matrix([a], [para, STORY[0], STORY[3]], context=STORY)
    assert m[0, 0] > LINKED
    assert m[0, 0] > 3 * m[0, 1]
    assert m[0, 0] > 3 * m[0, 2]


def test_unrelated_sentences_score_low():
    assert pair_score(STORY[0], STORY[3], context=STORY) < 0.2
    assert pair_score("Shares of Ostrava Motors fell.", "The weather was sunny in Lisbon.") < 0.1


def test_identical_sentences_score_highest():
    m = score_matrix(STORY, STORY)
    assert np.all(np.diag(m) > LINKED)
    off = m[~np.eye(len(STORY), dtype=bool)].reshape(len(STORY), -1)
    assert np.all(np.diag(m) > off.max(axis=1))


def test_shared_rare_word_counts_more_than_shared_topic_word():
    # "Chaman" appears once in the corpus, "Pakistan" everywhere.
    rare = pair_score("Traffic at Chaman stopped.", STORY[3], context=STORY)
    common = pair_score("Traffic in Pakistan stopped.", STORY[3], context=STORY)
    assert rare > common


def test_short_sentence_fully_contained_in_long_one():
    short = "The talks in Istanbul ended without an agreement."
    long = ("After four days of negotiations, the talks in Istanbul ended without an agreement, "
            "and both delegations flew home on Wednesday evening.")
    assert pair_score(short, long, context=STORY) > LINKED


def test_score_matrix_shape_and_range():
    m = score_matrix(STORY[:2], STORY[2:])
    assert m.shape == (2, 3)
    assert np.all((m >= 0) & (m <= 1))
    assert score_matrix([], STORY).shape == (0, len(STORY))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=60), min_size=2, max_size=6))
def test_pair_stats_match_the_dense_matrix_and_are_symmetric(texts):
    index = Index([features(t) for t in texts])
    n = len(texts)
    a, b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    p = index.probability(index.pair_stats(a, b)).reshape(n, n)
    assert np.all(np.isfinite(p))
    assert np.allclose(p, p.T)
    assert np.all((p >= 0) & (p <= 1))


@pytest.mark.parametrize("text", ["", "   ", "!!!", "The the the."])
def test_degenerate_sentences_do_not_break_scoring(text):
    assert 0.0 <= pair_score(text, STORY[0], context=STORY) <= 1.0


def test_paraphrase_concepts_join_different_words_for_one_notion():
    a = features("The negotiations collapsed.")
    b = features("Talks failed.")
    assert "=talk" in a.stems and "=talk" in b.stems
    assert "=fail" in a.stems and "=fail" in b.stems
    # a negated outcome is a failure too, and the fuzzy key keeps only real words
    c = features("The meeting ended without an agreement.")
    assert "=fail" in c.stems
    assert "=" not in c.key


def test_concepts_lift_a_paraphrase_above_a_same_topic_sentence():
    a = "Kabul vehemently denies these allegations."
    para = "The Taliban rejected the accusation."
    other = "Kabul hosted a trade fair for regional merchants."
    m = score_matrix([a], [para, other], context=STORY)
    assert m[0, 0] > m[0, 1]


def test_variants_join_spellings_and_derivations_not_look_alikes():
    from tui.core.similarity import _variants

    toks = ["tehrik", "tehreek", "retali", "retaliatori", "state", "stage", "truce", "truck",
            "recent", "recount", "milit", "militari"]
    names = [t in ("tehrik", "tehreek") for t in toks]
    got = {(toks[x], toks[y]) for x, y in _variants(toks, names)}
    assert ("tehrik", "tehreek") in got and ("retali", "retaliatori") in got
    assert not got & {("state", "stage"), ("truce", "truck"), ("recent", "recount"), ("milit", "militari")}


def test_soft_match_counts_variants_and_concepts_on_both_sides():
    texts = ["Fighters of Tehrik-e-Taliban vowed to retaliate.",
             "Militants of Tehreek-e-Taliban vowed a retaliatory strike.",
             "Farmers protested grain prices in the capital."]
    index = Index([features(t) for t in texts])
    soft = index.soft_features(np.array([0, 0]), np.array([1, 2]))
    assert soft[0, 0] > 0.5 and soft[1, 0] == 0.0
    # symmetric by construction
    back = index.soft_features(np.array([1]), np.array([0]))
    assert np.allclose(back[0, :2], soft[0, :2])


def test_quoted_mask_handles_quotes_cut_by_sentence_splitting():
    from tui.core.text import normalize, quoted_mask

    opened = normalize('\u201cThe roof came down within forty minutes.')
    assert all(quoted_mask(opened)[1:])  # an unclosed opening quote runs to the end
    closed = normalize('My crews did remarkable work," said the chief.')
    mask = quoted_mask(closed)
    assert mask[closed.index("crews")] and not mask[closed.index("chief")]
    assert not any(quoted_mask("No quotation here."))


def test_contractions_are_written_out():
    a = features("Had it turned inland, we'd be talking about a different night.")
    b = features("Had it turned inland, we would be talking about a different night.")
    assert a.stems == b.stems and a.trigrams == b.trigrams
    assert "didnt" not in features("He didn't comment.").stems


def test_absence_of_deaths_is_one_concept():
    assert "=nodeath" in features("Nobody was killed.").stems
    assert "=nodeath" in features("We can confirm that there were no fatalities.").stems
    assert "=nodeath" not in features("Three people were killed.").stems


def test_shared_quotation_raises_the_pair_score():
    """A quoted run of words repeated by another outlet marks the same statement."""
    from tui.core import similarity

    context = ["The fire started at midnight on the quay.", "Firefighters fought the flames for hours.",
               "The port authority issued a statement.", "Schools near the port were closed."]
    short = '"The roof came down within forty minutes.'
    long_ = 'Chief Fire Officer Brendan Kowalczyk said the warehouse roof collapsed "within forty minutes" of the alarm.'
    f = features(long_)
    assert "within 40 minut" in f.quoted
    with_quote = pair_score(short, long_, context)
    coef = list(DEFAULT_PARAMS.coef)
    coef[similarity.FEATURE_NAMES.index("quote")] = 0.0
    without = pair_score(short, long_, context, replace(DEFAULT_PARAMS, coef=tuple(coef)))
    assert with_quote > without


def test_irregular_past_forms_meet_their_verb():
    # Snowball leaves "taken"/"take" and "found"/"find" apart; outlets mix them
    assert "take" in features("Millions have taken the pills.").stems
    assert "take" in features("Millions take the pills.").stems
    assert "=find" in features("Inspectors found the fault.").stems
    assert "=find" in features("Inspectors detected the fault.").stems


def test_newswire_families_join_pharmacy_risk_and_regulator_words():
    assert "=pharmacy" in features("Ask a pharmacist.").stems
    assert "=pharmacy" in features("Go to a chemist.").stems
    assert "=risk" in features("The danger was tiny.").stems
    assert "=risk" in features("The risk was low.").stems
    assert "=govern" in features("The agency said so.").stems
    assert "=govern" in features("The regulator said so.").stems


def test_differently_rounded_figures_share_a_number_not_conflict():
    sents = ["About 310,000 patients take the tablets.",
             "Around 300,000 patients are taking the drug.",
             "Some 750 patients are taking the drug."]
    index = Index([features(s) for s in sents])
    st_ = index.pair_stats(np.array([0, 0]), np.array([1, 2]))
    x = index.feature_matrix(st_)
    names = ["num_shared", "num_conflict"]
    shared, conflict = (x[:, FEATURE_NAMES.index(n)] for n in names)
    assert shared.tolist() == [1.0, 0.0]
    assert conflict.tolist() == [0.0, 1.0]


def test_a_round_figure_meets_a_near_one_from_both_sides_of_the_soft_match():
    # "310,000" carries the bucket ~300000, "300,000" carries no bucket token of its own:
    # each side's figure must still find the other, or soft_min sees a one-sided match
    sents = ["About 310,000 patients take the tablets.",
             "About 300,000 patients take the tablets.",
             "About 900,000 patients take the tablets."]
    index = Index([features(s) for s in sents])
    soft = index.soft_features(np.array([0, 0]), np.array([1, 2]))
    soft_min, soft_max = soft[:, 0], soft[:, 4]
    assert soft_min[0] > soft_min[1], "the near figure is a (soft) match, the far one is not"
    assert soft_max[0] - soft_min[0] < 1e-9, "both sides match their figure alike"


def test_the_news_lexicon_joins_everyday_synonyms_of_reporting():
    # tui/core/lexicon.py: families beside text._CONCEPTS, each word keeping its own stem
    pairs = [("Police seized ten firearms.", "The guns were handed in.", "=gun"),
             ("Two aid workers were abducted.", "The kidnapped men were freed.", "=kidnap"),
             ("He was jailed for six years.", "He spent six years in prison.", "=jail"),
             ("Demonstrators filled the square.", "The protest grew.", "=protest"),
             ("A blast hit the depot.", "The explosion was heard for miles.", "=explode"),
             ("Corvane Grid apologised for the disruption.", "The company said sorry.", "=apologise")]
    for a, b, concept in pairs:
        fa, fb = features(a), features(b)
        assert concept in fa.stems and concept in fb.stems, (a, b, concept)
    assert "firearm" in features("ten firearms").stems


def test_the_news_lexicon_leaves_out_words_that_are_mostly_another_word():
    # "cleared" stems to "clear" (as in "clearly"), "house" is the White House as often as a home
    assert not any(t.startswith("=") for t in features("It is clearly visible.").stems)
    assert "=home" not in features("The White House said nothing.").stems
    assert "=home" in features("Forty homes were lost.").stems


def test_a_synonym_lifts_a_paraphrase_above_a_same_topic_sentence():
    # without the lexicon both score alike (0.004): the first shares no word with either
    a = "He was jailed for six years."
    para = "A court sent him to prison."
    other = "A court heard his appeal."
    m = score_matrix([a], [para, other], context=STORY)
    assert m[0, 0] > 2 * m[0, 1]


def test_an_office_is_not_the_police():
    # "officers" and "office" share the stem "offic": the police concept must not ride on it
    assert "=police" not in features("Fenwick first took office in 2013.").stems
    assert "=police" not in features("The returning officer checked every ballot.").stems
    assert "=police" in features("Police sealed off Quay Road.").stems


def test_two_different_years_are_no_number_conflict():
    # num_conflict lifts "23 vs five soldiers" (one figure, told two ways); 2019 vs 2025 is two events
    sents = ["A fire destroyed a shed at the quay in 2019.", "The quay was inspected in 2025.",
             "Twelve people were hurt at the quay.", "Fourteen people were hurt at the quay."]
    index = Index([features(s) for s in sents])
    x = index.feature_matrix(index.pair_stats(np.array([0, 2]), np.array([1, 3])))
    assert x[:, FEATURE_NAMES.index("num_conflict")].tolist() == [0.0, 1.0]


def test_small_counts_that_differ_stay_in_conflict():
    # 12 and 14 share the "~10" bucket, but outlets do not round counts that small
    index = Index([features("12 people were injured."), features("14 people were injured.")])
    assert not index.rounded_agree(np.array([0]), np.array([1]))[0]


def test_clock_times_become_one_token_rounded_to_the_hour():
    # one moment written three ways agrees; digits of a time never clash as numbers
    late = {t for t in features("at about 11.40pm on Tuesday").stems if t.startswith("hour")}
    assert late == {"hour0"}
    assert "hour0" in features("The fire started at 23:42 on Tuesday.").stems
    assert "hour0" in features("shortly before midnight").stems
    assert "hour9" in features("around 9 a.m. on Wednesday").stems
    assert "hour9" in features("contained at 08:55").stems
    assert "hour13" in features("at 1pm").numbers
    # decimals, metres and words beginning with "am" are not times
    assert not any(t.startswith("hour") for t in features("rose 2.50 and 5.5 m, 7 amendments").stems)


def _hours_of(text: str) -> set[str]:
    return {t for t in features(text).stems if t.startswith("hour")}


def test_clock_times_in_words_meet_the_same_time_in_digits():
    # a local paper's "just after a quarter past four in the morning" is the wire's 4.15 a.m.
    assert _hours_of("just after a quarter past four in the morning") == _hours_of("at 4.15 a.m.") == {"hour4"}
    assert _hours_of("at twenty past eleven in the evening") == _hours_of("at 23:20") == {"hour23"}
    assert _hours_of("at nine o'clock at night") == {"hour21"}
    # with no "morning" or "evening" either half of the day may be meant: both tokens
    assert _hours_of("It stuck fast at about ten to ten.") == {"hour10", "hour22"}
    assert "hour22" in _hours_of("The ferry struck the bank at 9.50 p.m.")
    assert _hours_of("reconnected at about half past one on Friday") == {"hour2", "hour14"}
    assert _hours_of("by five to eight, the ship was clear") == {"hour8", "hour20"}


def test_a_range_of_numbers_is_not_a_clock_time():
    # "M to H" reads as a time only after "at", "about", "by" ... and before the clause ends
    for text in ("about ten to twelve people were hurt", "The team went from five to eight wins",
                 "It is a quarter to three.", "ten past years"):
        assert not _hours_of(text), text
    assert {"10", "12"} <= features("about ten to twelve people were hurt").numbers


def test_being_brought_under_control_is_one_concept():
    assert "=quell" in features("The blaze was brought under control at 9am.").stems
    assert "=quell" in features("The fire was contained on Wednesday.").stems
    # the active verb means "held", not "stopped"
    assert "=quell" not in features("The warehouse contained baled cotton.").stems


def test_params_are_passed_not_global():
    """Two scorers with different internals can run side by side; neither changes the other."""
    a = "Flooding drove 2,000 people out of Aldmere on Sunday after the river rose."
    b = "Floods forced 2,000 Aldmere residents from their homes on Sunday."
    base = pair_score(a, b)
    harsher = replace(AlignParams(), bias=AlignParams().bias - 3.0)
    assert pair_score(a, b, params=harsher) < base
    assert pair_score(a, b) == base
    with pytest.raises(FrozenInstanceError):
        DEFAULT_PARAMS.bias = 0.0  # type: ignore[misc]  # frozen


def test_a_name_written_as_one_word_or_two_is_one_name():
    from tui.core.text import join_compounds

    texts = ["The BlackTide group claimed the attack on the hospital laboratory.",
             "Hackers calling themselves Black Tide said they had taken the files.",
             "The black tide of oil reached the beach by noon."]
    joined = join_compounds([features(t) for t in texts])
    assert "blacktid" in joined[1].stems and "blacktid" in joined[1].names
    # lower-case words are not a name: the oil spill keeps its two words
    assert "blacktid" not in joined[2].stems
    # nothing else changes, and a corpus without the joined form changes nothing
    assert joined[0] == features(texts[0])
    alone = [features(texts[1]), features(texts[2])]
    assert join_compounds(alone) == alone
    before = pair_score(texts[0], texts[1], texts[2:])
    index = Index(joined)
    after = index.probability(index.pair_stats(np.array([0]), np.array([1])))[0]
    assert after > before


def test_commentary_words_mark_an_opinion_line():
    assert features("Analysts say the closure could deepen the crisis.").opinion
    assert features("Critics argue the rules serve the industry.").opinion
    assert not features("The plant closed in May.").opinion  # the month, not the verb
    assert not features("Patients should keep taking their medicine, the agency said.").opinion
    assert not features("Police arrested two men on Friday.").opinion
    # a conditional "should", its subject after it, is a hypothetical
    assert features("They will retaliate should Pakistan strike again.").opinion
    assert features("Should the talks fail, the border stays shut.").opinion


def test_an_opinion_line_beside_a_report_needs_a_fact_in_common():
    sents = ["Analysts say the port closure could hurt exporters for months.",
             "The port closed on Monday after a crane collapsed.",
             "Analysts say the 40 job cuts at Halvard could hurt the town.",
             "Halvard announced 40 job cuts on Monday.",
             "Exporters rerouted cargo through Kessholm.",
             "The port reopened on Friday."]
    index = Index([features(s) for s in sents])
    op = FEATURE_NAMES.index("opinion")
    pairs = index.pair_stats(np.array([0, 2, 4]), np.array([1, 3, 5]))
    x = index.feature_matrix(pairs)
    # topic words only ("port", "closure") -> held down; a shared figure and name -> not;
    # two factual lines -> not
    assert x[:, op].tolist() == [1.0, 0.0, 0.0]
    coef = list(DEFAULT_PARAMS.coef)
    coef[op] = 0.0
    off = Index([features(s) for s in sents], replace(DEFAULT_PARAMS, coef=tuple(coef)))
    p_on = index.probability(pairs)
    p_off = off.probability(off.pair_stats(np.array([0, 2, 4]), np.array([1, 3, 5])))
    assert p_on[0] < p_off[0]
    assert p_on[1] == p_off[1] and p_on[2] == p_off[2]
