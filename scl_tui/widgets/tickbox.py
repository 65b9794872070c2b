"""A checkbox whose mark says its state without colour.

Textual's checkbox always shows its X and tells on from off by colour alone; in a
NO_COLOR terminal, or to a colour-blind agent, every box looks ticked. This one
shows the X only when it is on.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
