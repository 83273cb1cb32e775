"""The small read-only panels around the panes: story header, row detail, sources.

They are built from :class:`rich.text.Text` assembled piece by piece, never
from markup strings, because every label and sentence in them comes from an
article and must show literally.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui.core.model import Alignment, Annotation

from tui.app.diffs import RowDiffLike
from tui.app.reading import FILTER_LABELS, GLYPHS, SourceStats, headline, row_kind
from tui.app.textutil import clean


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

    @staticmethod
    def _two_lines(line1: Text, line2: Text) -> Text:
        out = Text("\n").join([line1, line2])
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out


class DetailPanel(Static):
    """Every source's full sentence for the current row, differences marked, flags explained."""

    COMPONENT_CLASSES = {"detail--diff", "detail--flag", "detail--gap", "detail--label"}

    DEFAULT_CSS = """
    DetailPanel {
        & > .detail--diff { color: $text-warning; text-style: bold; }
        & > .detail--flag { color: $text-error; text-style: bold underline; }
        & > .detail--gap { color: $text-disabled; text-style: italic; }
        & > .detail--label { color: $text-primary; text-style: bold; }
    }
    """

    def show_row(
        self,
        alignment: Alignment,
        row: int | None,
        diff: RowDiffLike | None,
        annotation: Annotation | None = None,
    ) -> None:
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
        out.append(f" · {r.count} of {n} sources · {total} row{'s' if total != 1 else ''} · score {r.score:.2f}",
                   style="dim")
        if diff is not None and diff.flags:
            out.append(f" · ⚑ {len(diff.flags)} flag{'s' if len(diff.flags) != 1 else ''}", style=flag_style)
        for s, source in enumerate(alignment.sources):
            out.append("\n")
            label = clean(source.label)
            out.append(f"{label}: ", style=label_style)
            raw = alignment.cell_text(row, s)
            if raw is None:
                out.append("·· not reported ··", style=gap_style)
                continue
            sentence = Text(clean(raw))
            if diff is not None:
                for start, end in diff.unique.get(s, ()):
                    sentence.stylize(diff_style, start, end)
                for flag in diff.flags:
                    for span in flag.spans:
                        if span[0] == s:
                            sentence.stylize(flag_style, span[1], span[2])
            out.append_text(sentence)
        if diff is not None:
            for flag in diff.flags:
                out.append("\n⚑ ", style=flag_style)
                out.append(clean(flag.message))  # the message names its kind already
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


class SourcesPanel(Static):
    """Per source: how much of what it says others say too, what only it says, what it omits."""

    def show_stats(self, stats: list[SourceStats], pivot: int, focus: int) -> None:
        table = Table(box=None, padding=(0, 1), expand=False, show_edge=False, header_style="bold")
        table.add_column("source", no_wrap=True, overflow="ellipsis", max_width=32)
        table.add_column("sentences", justify="right")
        table.add_column("also reported by others", justify="right")
        table.add_column("only it reports", justify="right")
        table.add_column("rows it leaves out", justify="right")
        for st in stats:
            label = Text(("◆ " if st.source == pivot else "  ") + st.label)
            if st.source == focus:
                label.stylize("reverse")
            table.add_row(
                label,
                Text(str(st.sentences)),
                Text(f"{st.shared_share:.0%}"),
                Text(str(st.only)),
                Text(str(st.missing)),
            )
        self.update(table)
