"""annexa's themes: a dark default, a light one and a high-contrast one.

Statuses take their colours from the ``annexa-*`` variables (see
``annexa.tui.palette``, which also makes any other theme's colours legible);
the table's cursor row is a solid colour with white or black text, never
text on a translucent tint. Pick one with the command palette (Ctrl+P,
"Theme").
"""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "annexa-dark"

ANNEXA_DARK = Theme(
    name="annexa-dark",
    primary="#3B82C4",
    secondary="#2D5F8A",
    accent="#F0B429",
    warning="#F0B429",
    error="#FF6B6B",
    success="#4CC38A",
    foreground="#E6E6E6",
    background="#111418",
    surface="#161A1F",
    panel="#1F2630",
    dark=True,
    variables={
        "annexa-error": "#FF8A8A",
        "annexa-warning": "#FFCC66",
        "annexa-ok": "#7ADBA0",
        "annexa-waived": "#C3CDD8",
        "block-cursor-background": "#245B94",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#2A3440",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "footer-key-foreground": "#FFCC66",
    },
)

ANNEXA_LIGHT = Theme(
    name="annexa-light",
    primary="#0B5CAD",
    secondary="#3D6E99",
    accent="#8A5300",
    warning="#8A5300",
    error="#B3001B",
    success="#1D6B34",
    foreground="#1B1B1B",
    background="#F7F7F5",
    surface="#FFFFFF",
    panel="#E6EAEE",
    dark=False,
    variables={
        "annexa-error": "#B3001B",
        "annexa-warning": "#7A4A00",
        "annexa-ok": "#1D6B34",
        "annexa-waived": "#3E4C5E",
        "block-cursor-background": "#0B5CAD",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#D5DDE6",
        "block-cursor-blurred-foreground": "#1B1B1B",
        "footer-key-foreground": "#0B5CAD",
    },
)

ANNEXA_HIGH_CONTRAST = Theme(
    name="annexa-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF7070",
    success="#00FF7F",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#000000",
    dark=True,
    variables={
        "annexa-error": "#FF8080",
        "annexa-warning": "#FFFF00",
        "annexa-ok": "#00FF7F",
        "annexa-waived": "#FFFFFF",
        "block-cursor-background": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-blurred-background": "#C0C0C0",
        "block-cursor-blurred-foreground": "#000000",
        "footer-key-foreground": "#FFFF00",
        "footer-background": "#000000",
        "border": "#FFFFFF",
        "border-blurred": "#C0C0C0",
        "text-muted": "#FFFFFF",
    },
)

THEMES: tuple[Theme, ...] = (ANNEXA_DARK, ANNEXA_LIGHT, ANNEXA_HIGH_CONTRAST)

# Textual's themes that pass the terminal's own colours through: annexa cannot
# know them, so cannot promise the statuses are legible on them.
UNKNOWN_COLOURS: tuple[str, ...] = ("textual-ansi", "ansi-dark", "ansi-light")

__all__ = ["DEFAULT_THEME", "THEMES", "UNKNOWN_COLOURS"]
