"""Properties of the aligner that must hold on any story: what is said twice is shown once.

The pool below is one invented story (a ferry grounding) told in many
sentences, so its vocabulary -- "ferry", "Northline", "passengers" -- is
everywhere, as in real coverage: the story's own words must neither keep
two copies of one sentence apart nor join unrelated sentences.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from strategies import PROFILE
from test_align import check_contract, make_source, together
from tui.core.align import align
from tui.core.model import KIND_HEADLINE

#: (main statement, optional trailing clause) -- the clause is what an outlet may drop
POOL: list[tuple[str, str]] = [
    ("The Northline ferry Aurora ran aground on a sandbank off Kessholm on Tuesday morning",
     "with 212 passengers and 14 crew on board"),
    ("Four passengers were treated for minor injuries at Kessholm hospital", "the coastguard said"),
    ("Northline said the captain had reported a steering fault minutes before the grounding", ""),
    ("Tugs refloated the ferry on the evening tide and towed it into Kessholm harbour",
     "where divers inspected the hull"),
    ("The maritime accident board has opened an investigation into the grounding",
     "its third Northline inquiry in five years"),
    ("Passengers described a loud bang followed by the ferry listing sharply to one side", ""),
    ("A lifeboat crew from Vessby reached the stranded ferry within forty minutes", ""),
    ("Northline cancelled all crossings between Kessholm and Vessby until Friday",
     "leaving hundreds of travellers stranded"),
    ("The union representing ferry crews said staffing had been cut to the legal minimum", ""),
    ("Shares in Northline's parent company fell 6 percent in early trading in Oslo", ""),
    ("The Aurora was built in 1998 and refitted two years ago at a yard in Gdansk", ""),
    ("Local fishermen said the sandbank had shifted after the winter storms",
     "and that charts of the channel were out of date"),
    ("The harbour master closed the northern channel to large vessels for the rest of the week", ""),
    ("Several passengers said crew members handed out life jackets only after twenty minutes", ""),
    ("Northline's chief executive apologised to passengers and promised full refunds", ""),
    ("The coastguard said there was no sign of fuel leaking from the hull", ""),
]

QUOTES = [("\u201c", "\u201d"), ('"', '"')]


def sentence(main: str, clause: str) -> str:
    return f"{main}, {clause}." if clause else f"{main}."


@st.composite
def repeated_sentence_story(draw: st.DrawFn):
    """2-4 outlets with distinct sentences from the pool; one sentence told by two of them."""
    n_src = draw(st.integers(2, 4))
    shared = draw(st.integers(0, len(POOL) - 1))
    rest = [i for i in range(len(POOL)) if i != shared]
    order = draw(st.permutations(rest))
    # each outlet reports its own share of the other facts, so no other
    # sentence is told twice
    chunks = [list(order[k::n_src])[:draw(st.integers(0, 4))] for k in range(n_src)]
    a, b = draw(st.lists(st.integers(0, n_src - 1), min_size=2, max_size=2, unique=True))
    main, clause = POOL[shared]
    plain = sentence(main, clause)
    variant = draw(st.sampled_from(["same", "lower", "upper", "quoted", "no clause", "no stop",
                                    "headline"]))
    if variant == "lower":
        other = plain[0] + plain[1:].lower()
    elif variant == "upper":
        other = plain.upper()
    elif variant == "quoted":
        left, right = draw(st.sampled_from(QUOTES))
        other = f"{left}{plain}{right} the coastguard spokesman said."
    elif variant == "no clause":
        other = sentence(main, "")
    elif variant in ("no stop", "headline"):
        other = plain.rstrip(".")
    else:
        other = plain
    articles = []
    where = {}
    for k in range(n_src):
        sents = [sentence(*POOL[i]) for i in chunks[k]]
        if k in (a, b):
            # a headline is the article's first line
            at = 0 if k == b and variant == "headline" else draw(st.integers(0, len(sents)))
            sents.insert(at, plain if k == a else other)
            where[k] = at
        articles.append(sents)
    return articles, (a, where[a]), (b, where[b]), variant


@PROFILE
@given(repeated_sentence_story())
def test_a_sentence_two_outlets_share_word_for_word_shares_their_row(case):
    """Also when one of them is a headline: it joins the body row it repeats."""
    articles, first, second, variant = case
    sources = [make_source(i, sents, {0: KIND_HEADLINE} if variant == "headline" and i == second[0] else None)
               for i, sents in enumerate(articles)]
    al = align(sources)
    check_contract(al)
    assert together(al, first, second)
