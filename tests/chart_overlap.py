"""Find text that collides in a drawn matplotlib figure.

``problems(fig)`` lays the figure out as it will be drawn and returns one sentence per
problem: two visible texts whose boxes overlap, a text that leaves the
figure, or a dashed reference line drawn through a text of its own axes.
Used by tests/test_chart_overlap.py on every chart and by the one-pager test.

Example:
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(3, 2), layout="constrained")
    >>> ax = fig.subplots()
    >>> _ = ax.text(0.5, 0.5, "satu"), ax.text(0.5, 0.5, "dua")
    >>> problems(fig)
    ["overlap: 'satu' / 'dua'"]
"""

from __future__ import annotations

from matplotlib.lines import Line2D
from matplotlib.text import Text

TOLERANCE = 1.0  # pixels two boxes may share (antialiasing, touching edges)


def _texts(fig) -> list:
    """Every visible, non-empty Text artist of the figure (titles, tick labels,
    annotations, legend texts, axis labels), with its window extent."""
    out, seen = [], _undrawn_ticks(fig)
    for t in fig.findobj(Text):
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            continue
        seen.add(id(t))
        if not _shown(t):
            continue
        box = t.get_window_extent()
        if box.width > 0 and box.height > 0:
            out.append((t, box))
    return out


def _undrawn_ticks(fig) -> set:
    """Ids of tick labels matplotlib keeps but does not draw: those of ticks
    outside their axis' view interval, and hidden ones."""
    out = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = 1e-9 * max(1.0, abs(hi - lo))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                if not tick.get_visible() or loc is None or not lo - eps <= loc <= hi + eps:
                    out.update((id(tick.label1), id(tick.label2)))
                if not tick.label2.get_visible():
                    out.add(id(tick.label2))
    return out


def _shown(t) -> bool:
    """False for a tick label outside its axis' view (matplotlib keeps those
    artists but does not draw them) or a text whose parents are hidden."""
    a = t
    while a is not None:
        if not a.get_visible():
            return False
        a = getattr(a, "axes", None) if a is t else None
    ax = t.axes
    if ax is not None and t.get_clip_on() and t.get_clip_box() is not None:
        clip = t.get_clip_box()
        box = t.get_window_extent()
        if box.x1 < clip.x0 or box.x0 > clip.x1 or box.y1 < clip.y0 or box.y0 > clip.y1:
            return False
    return True


def _name(t) -> str:
    return repr(t.get_text().replace("\n", " ")[:50])


def _overlap(a, b) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE
            and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE)


def _dashed_lines(fig) -> list:
    out = []
    for line in fig.findobj(Line2D):
        if line.get_visible() and line.get_linestyle() in ("--", "dashed") and line.axes is not None:
            out.append(line)
    return out


def _crosses(line, box) -> bool:
    """Whether the dashed ``line`` (its drawn path, in pixels) passes through ``box``."""
    path = line.get_transform().transform_path(line.get_path())
    pts = path.vertices
    for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:]):
        lo_x, hi_x, lo_y, hi_y = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if hi_x < box.x0 + TOLERANCE or lo_x > box.x1 - TOLERANCE:
            continue
        if hi_y < box.y0 + TOLERANCE or lo_y > box.y1 - TOLERANCE:
            continue
        return True
    return False


def problems(fig) -> list[str]:
    """Draw ``fig`` and list its text problems (empty list: none).

    Checked: every pair of visible texts whose window extents overlap by more
    than a pixel; every text reaching outside the figure; every dashed line
    (reference lines: KKM, "seluruh sesi") passing through a text of the same
    axes, the text written beside a line must not be struck through by it.
    """
    # laid out and drawn without rasterising: the same text extents, much faster
    fig.draw_without_rendering()
    texts = _texts(fig)
    out = []
    frame = fig.bbox
    for t, box in texts:
        if (box.x0 < frame.x0 - TOLERANCE or box.y0 < frame.y0 - TOLERANCE
                or box.x1 > frame.x1 + TOLERANCE or box.y1 > frame.y1 + TOLERANCE):
            out.append(f"outside the figure: {_name(t)}")
    for i, (a, abox) in enumerate(texts):
        for b, bbox in texts[i + 1:]:
            if _overlap(abox, bbox):
                out.append(f"overlap: {_name(a)} / {_name(b)}")
    out += _on_spines(fig, texts) + _repeated_ticks(fig, texts)
    for line in _dashed_lines(fig):
        for t, box in texts:
            if t.axes is line.axes and t.axes is not None and t not in _axis_texts(t.axes) \
                    and _crosses(line, box):
                out.append(f"line through text: {_name(t)}")
    return out


def _repeated_ticks(fig, texts) -> list:
    """Neighbouring tick labels of one axis that read the same (a date axis
    labelling every week with its month)."""
    out = []
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            shown = [t.get_text() for t, _ in texts if any(t is x for x in labels)]
            out += [f"repeated tick label: {a!r}" for a, b in zip(shown, shown[1:]) if a == b]
    return out


def _on_spines(fig, texts) -> list:
    """Texts written inside an axes (labels, notes, bar values) that sit on
    one of its visible spines (the x- or y-axis line)."""
    out = []
    for t, box in texts:
        ax = t.axes
        if ax is None or not any(t is x for x in ax.texts):  # ax.text and ax.annotate
            continue
        for side, spine in ax.spines.items():
            if spine.get_visible() and _overlap(spine.get_window_extent(), box):
                out.append(f"text on the {side} axis line: {_name(t)}")
    return out


def _axis_texts(ax) -> set:
    """Tick labels and axis labels of ``ax``: a reference line ends at the
    axis, it cannot cross these."""
    return {*ax.get_xticklabels(), *ax.get_yticklabels(), ax.xaxis.label, ax.yaxis.label}
