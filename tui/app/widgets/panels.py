"""The small read-only panels around the panes: story header, row detail, sources.

They are built from :class:`rich.text.Text` assembled piece by piece, never
from markup strings, because every label and sentence in them comes from an
article and must show literally.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui.core.model import Alignment, Annotation, Source
from tui.core.omissions import UNCERTAIN_BELOW, RowOmission

from tui.app.cellview import Layers, cell_look, mixes_layers
from tui.app.diffs import RowDiffLike
from tui.app.reading import FILTER_LABELS, GLYPHS, SourceStats, headline, row_kind, source_headline
from tui.app.textutil import clean


def score_text(score: float) -> str:
    """A row's score to two decimals, more where two would round a row marked ``?`` up to the threshold.

    The seeds have a row of 0.4988: "score 0.50 ... (rows under 0.50 are marked ?)" read as a
    contradiction; it says 0.499.
    """
    for digits in (2, 3, 4):
        shown = f"{score:.{digits}f}"
        if score >= UNCERTAIN_BELOW or float(shown) < UNCERTAIN_BELOW:
            return shown
    return shown


class StoryHeader(Static):
    """The story's headline and what the reader is looking at: sources, rows, pivot, filter."""

    DEFAULT_CSS = """
    StoryHeader {
        height: 2;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $primary-background;
        color: $foreground;
        padding: 0 1;
    }
    """

    def show_story(
        self,
        alignment: Alignment | None,
        *,
        filter_name: str = "all",
        shown: int = 0,
        query: str = "",
        matches: int = 0,
        status: str = "",
    ) -> None:
        line1 = Text(no_wrap=True, overflow="ellipsis")
        line2 = Text(no_wrap=True, overflow="ellipsis")
        if alignment is None:
            line1.append("Parallax", style="bold")
            line2.append(status, style="italic")
            self.update(Text("\n").join([line1, line2]))
            return
        line1.append("Parallax  ", style="bold")
        line1.append(headline(alignment), style="bold")
        n_rows = len(alignment.rows)
        pivot = clean(alignment.sources[alignment.pivot].label) if alignment.sources else "?"
        line2.append(f"{len(alignment.sources)} sources · {n_rows} rows")
        if query:  # what the reader is doing right now comes before the fixed facts
            line2.append(" · search ", style="dim")
            line2.append(repr(query) if len(query) < 30 else repr(query[:29] + "…"), style="bold")
            line2.append(f" in {matches} row{'s' if matches != 1 else ''}", style="dim")
        line2.append(" · showing ", style="dim")
        line2.append(FILTER_LABELS.get(filter_name, filter_name), style="bold" if filter_name != "all" else "")
        if filter_name != "all":
            line2.append(f" ({shown})", style="dim")
        line2.append(" · pivot ", style="dim")
        line2.append(pivot)
        if status:
            line2.append(" · ", style="dim")
            line2.append(status, style="italic")
        self.update(self._two_lines(line1, line2))

    def show_draft(self, sources: Sequence[Source], pivot: int, status: str) -> None:
        """Before the alignment: the headline, how many sources, and that the rows are not lined up yet."""
        line1 = Text(no_wrap=True, overflow="ellipsis")
        line2 = Text(no_wrap=True, overflow="ellipsis")
        line1.append("Parallax  ", style="bold")
        line1.append(source_headline(sources, pivot), style="bold")
        # the first words say it, so a narrow terminal's ellipsis cannot cut it off
        line2.append("not lined up yet", style="bold")
        line2.append(" · ", style="dim")
        line2.append(status, style="italic")
        line2.append(" · each pane shows its article as written until the rows are in", style="dim")
        self.update(self._two_lines(line1, line2))

    @staticmethod
    def _two_lines(line1: Text, line2: Text) -> Text:
        out = Text("\n").join([line1, line2])
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out


class DetailPanel(Static):
    """Every source's full sentence for the current row, differences marked, flags explained."""

    COMPONENT_CLASSES = {"detail--diff", "detail--flag", "detail--gap", "detail--label", "detail--uncertain"}

    DEFAULT_CSS = """
    DetailPanel {
        & > .detail--diff { color: $text-warning; text-style: bold; }
        & > .detail--flag { color: $text-error; text-style: bold underline; }
        & > .detail--gap { color: $text-disabled; text-style: italic; }
        & > .detail--label { color: $text-primary; text-style: bold; }
        & > .detail--uncertain { color: $text-warning; text-style: bold; }
    }
    """

    def show_row(
        self,
        alignment: Alignment,
        row: int | None,
        diff: RowDiffLike | None,
        annotation: Annotation | None = None,
        facts: RowOmission | None = None,
        words: Mapping[int, Sequence[tuple[int, int]]] | None = None,
        row_id: str = "",
    ) -> None:
        """Show row ``row`` (``row_id``: its stable id, shown beside the number); ``facts`` (the omission model's view of it) adds who leaves it out
        and why it is uncertain; ``words`` are the spans to highlight per source (the panes'
        highlight mode; default: every unshared word).

        The flags come first, right under the row's heading: they are what a
        reader opens the detail for, and at 80×24 they used to fall below the
        panel's fold, after every sentence of the row.
        """
        if row is None:
            self.update(Text("no row selected", style="dim"))
            return
        diff_style = self.get_component_rich_style("detail--diff", partial=True)
        flag_style = self.get_component_rich_style("detail--flag", partial=True)
        gap_style = self.get_component_rich_style("detail--gap", partial=True)
        label_style = self.get_component_rich_style("detail--label", partial=True)
        r = alignment.rows[row]
        n = len(alignment.sources)
        kind = row_kind(r, n)
        out = Text()
        # ``#n`` is the 0-based row number the CSV export writes, so a row noted here is found there
        total = len(alignment.rows)
        out.append(f"{GLYPHS[kind]} row #{row}", style="bold")
        if row_id:
            # the number changes with the pivot and with fixes; the id is what a note can cite
            out.append(f" · id {row_id}", style="bold")
        out.append(f" · {r.count} of {n} sources · {total} row{'s' if total != 1 else ''} · score {score_text(r.score)}",
                   style="dim")
        if diff is not None and diff.flags:
            out.append(f" · ⚑ {len(diff.flags)} flag{'s' if len(diff.flags) != 1 else ''}", style=flag_style)
        if facts is not None and facts.widely_reported:
            out.append(" · widely reported", style="dim")
        if diff is not None:
            for flag in diff.flags:
                out.append("\n⚑ ", style=flag_style)
                out.append(clean(flag.message))  # the message names its kind already
        if facts is not None and facts.uncertain:
            out.append("\n")
            out.append_text(self._uncertain(alignment, row, diff))
        left_out = set(facts.left_out_by) if facts is not None else set()
        away = dict(facts.elsewhere) if facts is not None else {}
        layers = Layers(alignment)
        mixed: bool | None = None
        # the sources that have the row, then one line each for who leaves it out and who simply
        # has nothing: a row one outlet of twenty has no longer puts its sentence under 19 gap lines
        missing: list[str] = []
        leaving: list[str] = []
        elsewhere: list[str] = []
        for s, source in enumerate(alignment.sources):
            label = clean(source.label)
            raw = alignment.cell_text(row, s)
            if raw is None:
                if s in away:
                    elsewhere.append(f"{label} (its row #{away[s]})")
                else:
                    (leaving if s in left_out else missing).append(label)
                continue
            out.append("\n")
            out.append(f"{label}: ", style=label_style)
            sentence = Text(clean(raw))
            if diff is not None:
                highlighted = diff.unique if words is None else words
                for start, end in highlighted.get(s, ()):
                    sentence.stylize(diff_style, start, end)
                for flag in diff.flags:
                    for span in flag.spans:
                        if span[0] == s:
                            sentence.stylize(flag_style, span[1], span[2])
            if mixed is None:
                mixed = mixes_layers(alignment, row, layers)
            look = cell_look(alignment, row, s, layers, mixed)
            assert look is not None
            if look.plain:
                out.append_text(sentence)
                continue
            # several sentences, or a summary line beside body ones: one line per sentence, numbered
            if len(look.parts) > 1:
                out.append(f"{len(look.parts)} sentences", style="dim")
            for part in look.parts:
                if len(look.parts) > 1:
                    out.append(f"\n  #{part.index} ", style="dim")
                if part.tag:
                    out.append(look.text[part.start:part.start + part.tag], style="dim italic")
                piece = sentence[part.source_start:part.source_start + part.end - part.start - part.tag]
                if part.summary:
                    piece.stylize("italic")
                out.append_text(piece)
        if leaving:
            out.append("\nleft out by: ", style=label_style)
            out.append(", ".join(leaving))
            out.append(" (a widely reported row)", style=gap_style)
        if elsewhere:
            out.append("\nprobably told in another row by: ", style=label_style)
            out.append(", ".join(elsewhere))
            out.append(" (not counted as leaving it out)", style=gap_style)
        if missing:
            out.append("\nnot reported by: ", style=gap_style)
            out.append(", ".join(missing), style=gap_style)
        if diff is not None:
            for note in getattr(diff, "quiet", ()):  # spelling variants: worth seeing, not worth a flag
                out.append("\n· ", style="dim")
                out.append(clean(note.message), style="dim")
        if annotation is not None and not annotation.empty:
            out.append("\n")
            out.append("★ starred" if annotation.starred else "✎ note", style=label_style)
            if annotation.tags:
                out.append(" · tags: ", style="dim")
                out.append(", ".join(clean(t) for t in annotation.tags))
            for line in annotation.note.splitlines():
                out.append("\n  ")
                out.append(clean(line))
        self.update(out)


    def _uncertain(self, alignment: Alignment, row: int, diff: RowDiffLike | None) -> Text:
        """Why a row is marked ``?``: its score, the threshold, and the member with least in common."""
        style = self.get_component_rich_style("detail--uncertain", partial=True)
        r = alignment.rows[row]
        out = Text()
        out.append("? uncertain", style=style)
        out.append(f": the matcher puts the chance that these sentences report the same thing at {score_text(r.score)}"
                   f" on average (rows under {UNCERTAIN_BELOW:.2f} are marked ?).")
        if diff is None:
            return out
        worst: tuple[float, int, int, int] | None = None
        for s in r.coverage:
            text = alignment.cell_text(row, s) or ""
            words = [m for m in re.finditer(r"\w{4,}", text)]
            own = sum(1 for a, b in diff.unique.get(s, ()) if b - a >= 4)
            if words:
                share = own / len(words)
                if worst is None or share > worst[0]:
                    worst = (share, s, own, len(words))
        if worst is not None and worst[2]:
            _, s, own, total = worst
            out.append(f" {clean(alignment.sources[s].label)} has least in common with the rest: {own} of its "
                       f"{total} main words are its own.")
        return out


class SourcesPanel(Static):
    """Per source: how much of what it says others say too, what only it says, what it leaves out.

    "Leaves out" is the omission model's (widely reported rows it lacks), so
    the careful wire that skips one outlet's colour is not counted as leaving
    more out than the opinion piece that skips the facts.
    """

    #: the facts' longest line ("leaves out 12 of the 20 widely reported rows · reports 13 rows ...")
    FACTS_WIDTH = 84
    #: what is shown, to lay out again for a new width
    _stats: tuple[list[SourceStats], int, int] | None = None

    def show_stats(self, stats: list[SourceStats], pivot: int, focus: int) -> None:
        self._stats = (stats, pivot, focus)
        # a name is cut to 28 cells only where the facts beside it need the room: at 200 columns
        # "03_westcountry_voice_opin…" was cut with a hundred cells free
        width = max(28, (self.size.width or self.app.size.width - 4) - self.FACTS_WIDTH)
        table = Table(box=None, padding=(0, 1), expand=False, show_edge=False, show_header=False)
        table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=width)
        table.add_column("facts")
        for st in stats:
            label = Text(("◆ " if st.source == pivot else "  ") + st.label)
            if st.source == focus:
                label.stylize("reverse")
            facts = Text()
            facts.append(f"{st.sentences} sentence{'s' if st.sentences != 1 else ''}")
            facts.append(f" · {st.shared_share:.0%} also reported by others", style="dim")
            facts.append("\nleaves out ")
            facts.append(str(st.left_out), style="bold")
            facts.append(f" of the {st.widely} widely reported row{'s' if st.widely != 1 else ''}")
            facts.append(" · reports ")
            facts.append(str(st.only), style="bold")
            facts.append(f" row{'s' if st.only != 1 else ''} no one else does")
            table.add_row(label, facts)
        self.update(table)

    def on_resize(self) -> None:
        if self._stats is not None:
            self.show_stats(*self._stats)
