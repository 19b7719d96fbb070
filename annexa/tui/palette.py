"""Status colours that stay legible: at least 4.5:1 contrast, in colour and in grey.

A status is shown by symbol, word and weight (errors bold, waived italic),
and its colour only repeats what those say. Still, the colour must never
make the words hard to read: WCAG's 4.5:1 for body text is the bar, against
every background a status is drawn on, and also after ``NO_COLOR``, when
Textual turns every colour into its grey. A theme's own error or warning
colour is kept where it passes and otherwise moved towards white (on a dark
background) or black (on a light one) until it does, so any theme chosen
from the command palette stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.style import Style
from textual.color import Color

from annexa.model import Status

MINIMUM_CONTRAST = 4.5

# The theme variable each status takes its colour from, with the stock
# variable to fall back on for themes that do not define annexa's own.
_SOURCE: dict[Status, tuple[str, str]] = {
    Status.MISSING: ("annexa-error", "error"),
    Status.OUT_OF_DATE: ("annexa-error", "error"),
    Status.UNREADABLE: ("annexa-error", "error"),
    Status.INCOMPLETE: ("annexa-error", "error"),
    Status.DUE_SOON: ("annexa-warning", "warning"),
    Status.DRAFT: ("annexa-warning", "warning"),
    Status.UNDATED: ("annexa-warning", "warning"),
    Status.WAIVED: ("annexa-waived", "foreground"),
    Status.OK: ("annexa-ok", "success"),
}

# Weight says the severity without colour: errors bold, waivers italic.
_WEIGHT: dict[Status, str] = {
    Status.MISSING: "bold",
    Status.OUT_OF_DATE: "bold",
    Status.UNREADABLE: "bold",
    Status.INCOMPLETE: "bold",
    Status.WAIVED: "italic",
}

# The backgrounds a status is drawn on: the table, the screen, the panels.
BACKGROUNDS: tuple[str, ...] = ("surface", "background", "panel")


def luminance(color: Color) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    a, b = luminance(first), luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def worst_contrast(fg: Color, backgrounds: Iterable[Color]) -> float:
    """The lowest contrast of ``fg`` on any of the backgrounds, in colour or in grey."""
    return min(min(contrast(fg, bg), contrast(fg.monochrome, bg.monochrome)) for bg in backgrounds)


def legible(fg: Color, backgrounds: Iterable[Color], minimum: float = MINIMUM_CONTRAST) -> Color:
    """``fg``, or the nearest colour towards white or black that reaches ``minimum``
    on every background, in colour and in grey."""
    grounds = list(backgrounds)
    if worst_contrast(fg, grounds) >= minimum:
        return fg
    dark = sum(luminance(bg) for bg in grounds) / len(grounds) < 0.18
    target = Color(255, 255, 255) if dark else Color(0, 0, 0)
    for step in range(1, 21):
        candidate = fg.blend(target, step / 20)
        if worst_contrast(candidate, grounds) >= minimum:
            return candidate
    return target


def _color(value: str | None) -> Color | None:
    if not value:
        return None
    try:
        color = Color.parse(value)
    except Exception:
        return None
    return None if color.ansi is not None or color.a == 0 else color


def status_styles(variables: Mapping[str, str]) -> dict[Status, Style]:
    """A Rich style for each status from the theme's CSS variables, legible on its backgrounds."""
    backgrounds = [c for c in (_color(variables.get(name)) for name in BACKGROUNDS) if c]
    if not backgrounds:
        backgrounds = [Color(0, 0, 0)]
    styles: dict[Status, Style] = {}
    for status, (own, stock) in _SOURCE.items():
        base = _color(variables.get(own)) or _color(variables.get(stock)) or Color(224, 224, 224)
        color = legible(base.with_alpha(1.0), backgrounds)
        styles[status] = Style.parse(f"{_WEIGHT.get(status, '')} {color.hex6}".strip())
    return styles


def cursor_colours(
    variables: Mapping[str, str], name: str = "block-cursor-background"
) -> tuple[Color, Color]:
    """A background and a text colour for the cursor row that reach the minimum contrast,
    in colour and in grey: the theme's cursor colour (made opaque on its surface) with
    white or black text, whichever reads better, moved darker or lighter if neither does."""
    surface = _color(variables.get("surface")) or Color(0, 0, 0)
    raw = variables.get(name, "")
    try:
        parsed = Color.parse(raw) if raw else None
    except Exception:
        parsed = None
    background = surface if parsed is None or parsed.ansi is not None else surface + parsed
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    for step in range(0, 21):
        for toward, text in ((black, white), (white, black)):
            candidate = background.blend(toward, step / 20)
            if worst_contrast(text, [candidate]) >= MINIMUM_CONTRAST:
                return candidate, text
    return black, white


def cursor_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """CSS variables for the cursor row, focused and not, legible on any theme."""
    out: dict[str, str] = {}
    for prefix, source in (
        ("annexa-cursor", "block-cursor-background"),
        ("annexa-cursor-blurred", "block-cursor-blurred-background"),
    ):
        background, text = cursor_colours(variables, source)
        out[f"{prefix}-background"] = background.hex6
        out[f"{prefix}-foreground"] = text.hex6
    return out


def plain_styles() -> dict[Status, Style]:
    """Styles before a theme is known (pure tests, or the first frame): weight only."""
    return {status: Style.parse(_WEIGHT.get(status, "none")) for status in Status}


__all__ = [
    "MINIMUM_CONTRAST",
    "contrast",
    "cursor_colours",
    "cursor_variables",
    "legible",
    "luminance",
    "plain_styles",
    "status_styles",
    "worst_contrast",
]
