"""One settings story for every command: what was said explicitly wins.

Settings come from four places, and every command (open, export, align,
omissions, evaluate, batch, and whatever comes next) ranks them the same way:

1. a flag given on the command line, *even when it equals the default*;
2. what a session stored, when one is resumed;
3. the user's configured defaults (see :mod:`tui.core.config`);
4. the built-in defaults of :class:`~tui.core.model.AlignSettings`.

The trap this module exists to avoid: comparing the command line's settings
with the defaults to guess whether the user asked for them. ``--pivot 0`` is
a request even though 0 is the default pivot; the only honest record of a
request is whether the flag was given. So the command line produces an
:class:`Explicit` (just the fields it was given), and :func:`resolve` lays
it over whatever the lower layers say.

A new setting is one :class:`SettingFlag` entry in :data:`SETTING_FLAGS`
(and its field on ``AlignSettings``): the command line adds the option from
the entry and the resolver picks it up by field name; a session stores it
in ``SessionSettings`` (:mod:`tui.core.session_records`), and the
configuration file offers it once it is named in
:data:`tui.core.config.SETTING_KEYS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tui.core.errors import ParallaxError
from tui.core.model import AlignSettings, Source

__all__ = [
    "SETTING_FLAGS",
    "Explicit",
    "SettingFlag",
    "SettingsError",
    "explicit_from",
    "parse_share",
    "parse_threshold",
    "resolve",
    "resolve_pivot",
]


class SettingsError(ParallaxError):
    """A setting names something that is not there (an unknown pivot) or is out of range."""


# --------------------------------------------------------------------------- reading values


def _unit_interval(text: str, what: str = "") -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:  # nan compares false with everything
        raise ValueError(f"must be {what}between 0 and 1, got {text!r}")
    return value


def parse_threshold(text: str) -> float:
    """A pair score in [0, 1]; nan and inf are refused."""
    return _unit_interval(text)


def parse_share(text: str) -> float:
    """A share of the sources in [0, 1] (``--min-share``)."""
    return _unit_interval(text, "a share ")


def _choices(sources: Sequence[Source]) -> str:
    parts = []
    for s in sources:
        extra = "" if s.label in (s.name, Path(s.name).stem) else f" ({s.label})"
        parts.append(f"{s.id} = {s.name}{extra}")
    return "; ".join(parts)


def resolve_pivot(sources: Sequence[Source], name: str) -> int:
    """Find the source the user means by ``name``: index, file name, stem or label.

    Exact forms win over loose ones so that a label can never shadow a file
    name; an ambiguous label is an error rather than a guess.
    """
    # isdigit() is also true of '²' and other digits int() refuses; a number past the
    # count of sources (or of 5,000 digits, past int()'s limit) is no index either
    if name.isascii() and name.isdigit() and len(name) <= 9 and int(name) < len(sources):
        return int(name)
    for matches in (
        [s.id for s in sources if s.name == name],
        [s.id for s in sources if Path(s.name).stem == name],
        [s.id for s in sources if s.label == name],
        [s.id for s in sources if s.label.casefold() == name.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise SettingsError(f"pivot {name!r} matches several sources; choose one of: {_choices(sources)}")
    shown = name if len(name) <= 60 else name[:59] + "…"
    raise SettingsError(f"unknown pivot {shown!r}; choose one of: {_choices(sources)}")


# --------------------------------------------------------------------------- the flags


def _as_given(value: Any, sources: Sequence[Source]) -> Any:
    return value


@dataclass(frozen=True)
class SettingFlag:
    """One setting a command line can give: its option, how to read it, which AlignSettings field it sets."""

    #: the :class:`~tui.core.model.AlignSettings` field (and the argparse ``dest``)
    field: str
    option: str
    metavar: str
    help: str
    #: text → value; raises ValueError with the message the user sees
    parse: Callable[[str], Any] = str
    #: value → the field's value, once the sources are known (a pivot named by label → its index)
    bind: Callable[[Any, Sequence[Source]], Any] = _as_given


SETTING_FLAGS: tuple[SettingFlag, ...] = (
    SettingFlag("pivot", "--pivot", "NAME",
                "source whose order the rows follow: file name, label, stem or 0-based index",
                bind=lambda name, sources: resolve_pivot(sources, name)),
    SettingFlag("threshold", "--threshold", "F", "pair score in [0, 1] needed to share a row",
                parse=parse_threshold),
    SettingFlag("min_share", "--min-share", "F",
                "share of the sources (and at least two) a row needs to be widely reported, "
                "so that a source lacking it leaves it out (default: 0.5)",
                parse=parse_share),
)
_BY_FIELD = {flag.field: flag for flag in SETTING_FLAGS}
_FIELDS = frozenset(f.name for f in fields(AlignSettings))


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class Explicit:
    """The settings a command was given explicitly, by AlignSettings field, already bound to the sources.

    What is absent was not given, whatever its value would be; what is
    present was asked for, even if it equals a default.
    """

    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.values) - _FIELDS
        if unknown:
            raise ValueError(f"not settings: {', '.join(sorted(unknown))}")

    @classmethod
    def of(cls, **values: Any) -> Explicit:
        return cls(dict(values))

    def __bool__(self) -> bool:
        return bool(self.values)

    def over(self, base: AlignSettings) -> AlignSettings:
        """``base`` with every explicitly given setting put in."""
        return replace(base, **self.values) if self.values else base


def explicit_from(given: Any, sources: Sequence[Source]) -> Explicit:
    """The settings flags ``given`` holds (an argparse namespace: absent or None means not given), bound to ``sources``."""
    values = {}
    for flag in SETTING_FLAGS:
        value = getattr(given, flag.field, None)
        if value is not None:
            values[flag.field] = flag.bind(value, sources)
    return Explicit(values)


def resolve(
    explicit: Explicit = Explicit(),
    stored: AlignSettings | None = None,
    defaults: AlignSettings | None = None,
) -> AlignSettings:
    """The settings to use: explicit flags over the stored settings, else over the defaults.

    ``defaults`` is the user's configured defaults when the caller has them
    (they are the built-in ones otherwise); ``stored`` is a resumed session's
    settings, which already were somebody's choice and so outrank defaults.
    """
    base = stored if stored is not None else (defaults if defaults is not None else AlignSettings())
    return explicit.over(base)


def flag_for(field_name: str) -> SettingFlag:
    """The command-line flag of a setting (for commands that offer only some)."""
    return _BY_FIELD[field_name]
