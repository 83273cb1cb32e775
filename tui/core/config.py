"""The user's configuration file: personal defaults, a keymap and a theme, in TOML.

Parallax works with no configuration at all; the file is for people who want
another default threshold, other keys or another theme every time. It lives
in the platform's user config folder (``~/.config/parallax/config.toml`` on
Linux, via platformdirs, which honours ``XDG_CONFIG_HOME``);
``PARALLAX_CONFIG_DIR`` names another folder, and ``PARALLAX_HOME`` (the
folder tests and portable installs use for everything) puts it in
``$PARALLAX_HOME/config``. Example::

    theme = "textual-light"

    [defaults]
    threshold = 0.4      # pair score needed to share a row
    min_share = 0.6      # share of the sources a row needs to be widely reported

    [keymap]             # binding id (see the help screen, ?) = keys, comma-separated
    next_diff = "n,ctrl+n"
    quit = "ctrl+q"

Where it ranks (see :mod:`tui.core.settings`): a flag on the command line
beats a resumed session's stored settings, which beat this file, which beats
the built-in defaults.

A file that is wrong in any way (not TOML, an unknown key, a value of the
wrong type or out of range, an unknown binding id or theme) is ignored
*whole*: half a configuration is harder to reason about than none. The
caller gets a :class:`Config` whose :attr:`~Config.problem` says what is
wrong, in one line, and shows it once (a notice in the reader, a warning
line on the command line); nothing here raises for a bad file.

This module knows nothing of Textual: the reader's binding ids are handed in
by the caller (:data:`tui.app.keys.BINDING_IDS`), and the theme names are
Textual's built-in ones, listed here (a test keeps the list equal to the
pinned Textual's).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tui.core.model import AlignSettings
from tui.core.paths import user_folder

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_THEME",
    "KEYMAP_PREFIX",
    "SETTING_KEYS",
    "THEMES",
    "Config",
    "config_dir",
    "config_path",
    "load_config",
]

CONFIG_NAME = "config.toml"
#: every reader binding id starts with this; the file may leave it out
KEYMAP_PREFIX = "parallax."
#: the settings the file may set under ``[defaults]`` (the pivot names a source: it has no default to configure)
SETTING_KEYS = ("threshold", "min_share")
#: the theme Textual starts in when the file names none
DEFAULT_THEME = "textual-dark"
#: Textual's built-in themes (textual 8.2.8's ``BUILTIN_THEMES``; tests/test_config.py checks the two agree)
THEMES = frozenset({
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe", "catppuccin-latte",
    "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki", "gruvbox", "monokai", "nord", "rose-pine",
    "rose-pine-dawn", "rose-pine-moon", "solarized-dark", "solarized-light", "textual-dark", "textual-light",
    "tokyo-night",
})
_TOP_KEYS = ("theme", "defaults", "keymap")
#: a problem list longer than this is cut short (the notice is one line)
_MAX_PROBLEMS = 3


def config_dir() -> Path:
    """The folder of the configuration file: ``$PARALLAX_CONFIG_DIR``, ``$PARALLAX_HOME/config``, else the platform's."""
    return user_folder("config", "config", env="PARALLAX_CONFIG_DIR")


def config_path() -> Path:
    """Where the configuration file is read from (it need not exist)."""
    return config_dir() / CONFIG_NAME


@dataclass(frozen=True)
class Config:
    """What the configuration file says, checked; empty when there is no file or it is bad."""

    path: Path
    #: whether a file was there to read
    found: bool = False
    #: Textual theme name, None for Textual's default
    theme: str | None = None
    #: keys by full binding id (``parallax.next_diff``), for ``App.set_keymap``
    keymap: Mapping[str, str] = field(default_factory=dict)
    #: the AlignSettings fields the file sets, by name
    settings: Mapping[str, float] = field(default_factory=dict)
    #: why the file was ignored (one line), None when it was used or absent
    problem: str | None = None

    def defaults(self, base: AlignSettings | None = None) -> AlignSettings:
        """The built-in defaults (or ``base``) with this file's settings put in."""
        base = base if base is not None else AlignSettings()
        values: dict[str, Any] = dict(self.settings)
        return replace(base, **values) if values else base

    @property
    def notice(self) -> str | None:
        """The one line to show the user about a bad file, else None."""
        if self.problem is None:
            return None
        return f"configuration {self.path} ignored: {self.problem}; using the defaults"

    def origin(self, name: str) -> str:
        """Where the effective value of ``name`` (a setting, ``theme`` or a binding id) comes from."""
        if name == "theme":
            given = self.theme is not None
        elif name in SETTING_KEYS:
            given = name in self.settings
        else:
            given = _full_id(name) in self.keymap
        return "config file" if given else "default"


def _full_id(key: str) -> str:
    return key if key.startswith(KEYMAP_PREFIX) else KEYMAP_PREFIX + key


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", dict: "a table",
            list: "a list"}.get(type(value), type(value).__name__)


def _unit(value: Any) -> float | None:
    """A TOML number in [0, 1] as a float, else None (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) and 0.0 <= value <= 1.0 else None


def _check_keys(keys: Any) -> str | None:
    """Why ``keys`` is not a keymap value (comma-separated Textual key names), else None."""
    if not isinstance(keys, str):
        return f"must be text such as \"ctrl+n\" or \"n,ctrl+n\", not {_type_name(keys)}"
    parts = [k.strip() for k in keys.split(",")]
    if not keys.strip() or any(not k or any(c.isspace() for c in k) for k in parts):
        return f"{keys!r} is not a comma-separated list of keys"
    for part in parts:
        if _is_key(part):
            continue
        if _is_key(part.lower()):
            return f"{part!r} is not a key the terminal can send (key names are lower case: {part.lower()!r})"
        return (f"{part!r} is not a key the terminal can send (keys look like n, N, ctrl+n, "
                "shift+down, f5, pageup, question_mark)")
    return None


#: Modifier names Textual puts before a key, and the named keys it knows (its
#: ``Keys`` values without modifiers); a character key is the character itself
#: or its Unicode name in lower case with underscores (``question_mark``).
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(
    {"up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete",
     "backspace", "tab", "enter", "return", "escape", "space"}
    | {f"f{n}" for n in range(1, 25)}
)
#: Textual's short names for characters whose Unicode names are obscure
_SHORT_NAMES = frozenset({"slash", "backslash", "at", "minus", "plus", "underscore"})


def _is_key(key: str) -> bool:
    """Whether ``key`` names a key Textual can bind: modifiers+key, each known.

    Checked here, as plain data, so the command line can check a keymap
    without importing Textual; a key nobody can press would make a binding
    silently dead.
    """
    if key == "+":
        return True
    *modifiers, name = key.split("+")
    if any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) != len(modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    if name in _NAMED_KEYS or name in _SHORT_NAMES:
        return True
    if not name or name != name.lower():
        return False
    spoken = name.replace("_", " ").upper()
    for candidate in (spoken, spoken.replace("HYPHEN MINUS", "HYPHEN-MINUS")
                      .replace("LESS THAN", "LESS-THAN").replace("GREATER THAN", "GREATER-THAN")):
        try:
            char = unicodedata.lookup(candidate)
        except KeyError:
            continue
        return len(char) == 1 and char.isprintable() and not char.isspace() and not char.isalnum()
    return False


def _parse(
    data: Mapping[str, Any], binding_ids: Collection[str] | None
) -> tuple[str | None, dict[str, str], dict[str, float], list[str]]:
    problems: list[str] = []
    theme: str | None = None
    keymap: dict[str, str] = {}
    settings: dict[str, float] = {}
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"unknown key {key!r} (known: {', '.join(_TOP_KEYS)})")
    if "theme" in data:
        value = data["theme"]
        if not isinstance(value, str):
            problems.append(f"theme must be text, not {_type_name(value)}")
        elif value not in THEMES:
            problems.append(f"unknown theme {value!r} (choose one of: {', '.join(sorted(THEMES))})")
        else:
            theme = value
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(f"[defaults] must be a table, not {_type_name(defaults)}")
        defaults = {}
    for key, value in defaults.items():
        if key not in SETTING_KEYS:
            problems.append(f"unknown setting defaults.{key} (known: {', '.join(SETTING_KEYS)})")
            continue
        number = _unit(value)
        if number is None:
            problems.append(f"defaults.{key} must be a number between 0 and 1, not {value!r}")
        else:
            settings[key] = number
    keys = data.get("keymap", {})
    if not isinstance(keys, dict):
        problems.append(f"[keymap] must be a table, not {_type_name(keys)}")
        keys = {}
    for key, value in keys.items():
        full = _full_id(key)
        if binding_ids is not None and full not in binding_ids:
            problems.append(f"unknown binding id keymap.{key} (the help screen, ?, lists them)")
            continue
        why = _check_keys(value)
        if why is not None:
            problems.append(f"keymap.{key} {why}")
        else:
            keymap[full] = ",".join(k.strip() for k in value.split(","))
    return theme, keymap, settings, problems


def load_config(path: Path | None = None, *, binding_ids: Collection[str] | None = None) -> Config:
    """Read and check the configuration file; never raises for a bad or missing file.

    ``binding_ids`` are the binding ids a keymap may name (the reader's); with
    None any id passes (a caller that has no keys to bind).
    """
    path = config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path)
    except IsADirectoryError:
        return Config(path, found=True, problem="it is a folder, not a file")
    except OSError as exc:
        return Config(path, found=True, problem=f"cannot read it ({exc.strerror or exc})")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Config(path, found=True, problem="it is not UTF-8 text")
    except tomllib.TOMLDecodeError as exc:
        return Config(path, found=True, problem=f"not valid TOML ({exc})")
    theme, keymap, settings, problems = _parse(data, binding_ids)
    if problems:
        more = len(problems) - _MAX_PROBLEMS
        text = "; ".join(problems[:_MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        return Config(path, found=True, problem=text)
    return Config(path, found=True, theme=theme, keymap=keymap, settings=settings)
