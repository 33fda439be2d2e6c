"""The look of small question boxes, for a dialog's own DEFAULT_CSS: centred, bordered, with a
bold title (`.modal-title`) and a line of keys (`.modal-keys`)."""

from __future__ import annotations


def modal_css(name: str, width: int = 64) -> str:
    """CSS giving the ModalScreen class `name` (holding one Vertical) the shared look."""
    return f"""
    {name} {{ align: center middle; }}
    {name} > Vertical {{
        width: {width}; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; padding: 0 1; background: $surface;
    }}
    {name} .modal-title {{ text-style: bold; }}
    {name} .modal-keys {{ margin-top: 1; }}
    """
