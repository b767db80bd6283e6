"""The palette and the frame every chart shares: its axes, its title (with
"data contoh (sintetis)" under it for synthetic data), the honest empty
chart, the pre/post legend and the legend under the axis.

The chart modules (``scores``, ``items``, ``scales``) draw with these, so
that every chart looks and reads alike; ``placeholder`` is the chart a
manager gets where a group is under the minimum size.

Example:
    >>> from matplotlib.figure import Figure
    >>> ax = placeholder(Figure().subplots(), "Persentase jawaban benar per topik")
    >>> ax.get_title(loc="left"), ax.texts[0].get_text().splitlines()[0]
    ('Persentase jawaban benar per topik', 'Tidak ditampilkan: kurang dari 5 peserta')
"""

from __future__ import annotations

from .labels import LABELS

PRE = "#8C8C8C"      # light grey: reads as light in grayscale too
POST = "#0072B2"     # Okabe-Ito blue: dark in grayscale
ACCENT = "#D55E00"   # Okabe-Ito vermillion, for what needs attention
KKM_COLOR = "#009E73"
MUTED = "#555555"    # notes: "n < 5", why a chart is empty


def wrap(text, width: int = 32) -> str:
    """``text`` in full, broken into lines of at most ``width`` characters at
    word boundaries (a word longer than that keeps its line): a long OPD name
    or statement is wrapped, never cut.

    Example:
        >>> wrap("Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Kutai Kartanegara", 30)
        'Dinas Pemberdayaan Masyarakat\\ndan Desa Kabupaten Kutai\\nKartanegara'
    """
    import textwrap
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False,
                                    break_on_hyphens=False)) or str(text)


def rows_height(texts, width: int = 40, *, row: float = 0.42, line: float = 0.14,
                least: int = 3) -> float:
    """The height in inches of a chart's rows whose labels are ``texts``
    wrapped at ``width`` (see :func:`wrap`): ``row`` per one- or two-line
    label, ``line`` more per further line, at least ``least`` rows.

    Example:
        >>> round(rows_height(["a", "b " * 60]), 2), round(rows_height(["a"]), 2)
        (1.4, 1.26)
    """
    sizes = [max(row, 0.14 + line * wrap(x, width).count("\n") + line) for x in texts]
    return sum(sizes) + row * max(0, least - len(sizes))


def _align(dx: float, dy: float) -> dict:
    return {"ha": "left" if dx > 0 else "right" if dx < 0 else "center",
            "va": "bottom" if dy > 0 else "top" if dy < 0 else "center"}


def _clash(box, boxes) -> bool:
    return any(min(box.x1, b.x1) - max(box.x0, b.x0) > 0.5
               and min(box.y1, b.y1) - max(box.y0, b.y0) > 0.5 for b in boxes)


def _data_boxes(ax, spans, pad: float) -> list:
    """Display boxes of data rectangles ``(x0, y0, x1, y1)`` widened by ``pad`` points."""
    from matplotlib.transforms import Bbox
    px = pad * ax.figure.dpi / 72
    out = []
    for x0, y0, x1, y1 in spans:
        (a, b), (c, d) = ax.transData.transform([(x0, y0), (x1, y1)])
        out.append(Bbox([[min(a, c) - px, min(b, d) - px], [max(a, c) + px, max(b, d) + px]]))
    return out


def dodge(ax, notes, offsets, avoid=(), pad: float = 4) -> None:
    """Move each annotation of ``notes`` (made with ``textcoords="offset
    points"``) to the first of ``offsets`` (points, tried in order) where it
    overlaps no text placed before it, no other text of the figure, none of
    the data rectangles ``avoid`` (``(x0, y0, x1, y1)``: a marker is a point
    widened by ``pad`` points) and stays inside the axes; the first offset
    when none is free. The figure is laid out first, so the boxes are those
    it will be drawn with.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure(layout="constrained").subplots()
        >>> a = [ax.annotate(w, (0.5, 0.5), xytext=(0, 0), textcoords="offset points")
        ...      for w in ("satu", "dua")]
        >>> dodge(ax, a, [(0, 4), (0, -4)])
        >>> [x.xyann for x in a]
        [(0, 4), (0, -4)]
    """
    fig = ax.figure
    fig.draw_without_rendering()
    mine = {id(a) for a in notes}
    from matplotlib.text import Text
    taken = [t.get_window_extent() for t in fig.findobj(Text)
             if id(t) not in mine and t.get_visible() and t.get_text().strip()
             and t.get_window_extent().width > 0] + _data_boxes(ax, avoid, pad)
    inside = ax.get_window_extent()
    for a in notes:
        for dx, dy in offsets:
            a.xyann = (dx, dy)
            a.set(**_align(dx, dy))
            box = a.get_window_extent()
            if (not _clash(box, taken) and box.x0 >= inside.x0 and box.x1 <= inside.x1
                    and box.y0 >= inside.y0 and box.y1 <= inside.y1):
                break
        else:
            a.xyann = offsets[0]
            a.set(**_align(*offsets[0]))
        taken.append(a.get_window_extent())


def row_segments(ax, start, end, rows, **line):
    """One line per row, from ``start`` to ``end`` at height ``rows``, drawn
    as a single artist (the segments split by NaN): each artist costs its
    own pass every time a chart is laid out and drawn (PNG, SVG, PDF, the
    notebook), and a chart of 1,000 OPDs would have 1,000. A row with a
    missing end draws nothing, as a line of its own would.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> line = row_segments(ax, [1, 2], [3, float("nan")], [0, 1], color="k")
        >>> line.get_xdata().tolist()[:3], len(ax.lines)
        ([1.0, 3.0, nan], 1)
    """
    import numpy as np
    start, end, rows = (np.asarray(v, dtype=float) for v in (start, end, rows))
    xs, ys = np.full((len(rows), 3), np.nan), np.full((len(rows), 3), np.nan)
    xs[:, 0], xs[:, 1] = start, end
    ys[:, 0], ys[:, 1] = rows, rows
    # snapped to the pixel grid as a line of its own is: matplotlib snaps a path of
    # horizontal segments by itself only up to 1,024 points (341 rows)
    (drawn,) = ax.plot(xs.ravel(), ys.ravel(), **{"snap": True, **line})
    return drawn


def ensure_axes(ax, size):
    """``ax``, or the axes of a new pyplot figure of ``size`` (inches) when None.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> ensure_axes(ax, (6.4, 4.8)) is ax
        True
    """
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def finish(ax, title: str, synthetic: bool, lang: str):
    """Set the bold left title, drop the top and right spines, and say
    "data contoh (sintetis)" on a line of its own under the title.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = finish(Figure().subplots(), "Judul", True, "id")
        >>> ax.get_title(loc="left"), ax.texts[0].get_text()
        ('Judul', 'data contoh (sintetis)')
    """
    if len(title) > 60:  # a title longer than most charts are wide goes on two lines
        title = wrap(title, 50)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=16 if synthetic else 6)
    ax.spines[["top", "right"]].set_visible(False)
    if synthetic:
        # a line of its own under the title, so it is never hidden by data
        ax.annotate(LABELS[lang]["synthetic"], (0, 1), xycoords="axes fraction", xytext=(0, 4),
                    textcoords="offset points", ha="left", va="bottom", fontsize=8,
                    style="italic", color=MUTED)
    return ax


def empty(ax, title: str, synthetic: bool, lang: str, why: str = "empty", min_n: int = 5):
    """An honest empty chart: the title and why there is nothing to show
    (``why`` is a key of ``LABELS``: "empty", "hidden", "no_answers", "no_opd").

    Example:
        >>> from matplotlib.figure import Figure
        >>> empty(Figure().subplots(), "Judul", False, "en").texts[0].get_text()
        'No participant took both the pre-test and the post-test'
    """
    ax.text(0.5, 0.5, LABELS[lang][why].format(min_n=min_n), transform=ax.transAxes, ha="center",
            va="center", fontsize=10, color=MUTED)
    ax.set_xticks([])
    ax.set_yticks([])
    ax = finish(ax, title, synthetic, lang)
    ax.spines[["left", "bottom"]].set_visible(False)
    return ax


def pre_post_handles(lang: str) -> list:
    """Legend entries for the pre-test (open circle) and the post-test
    (filled square), as the charts draw them.

    Example:
        >>> [h.get_label() for h in pre_post_handles("id")]
        ['Pre-test', 'Post-test']
    """
    from matplotlib.lines import Line2D
    t = LABELS[lang]
    return [Line2D([], [], ls="", marker="o", mfc="white", mec=PRE, mew=1.5, label=t["pre"]),
            Line2D([], [], ls="", marker="s", color=POST, label=t["post"])]


def legend_below(ax, handles, *, ncol: int = 2, fontsize: float = 8, x: float = 0.5):
    """A legend under the x-axis label, whatever the chart's height: anchored
    at the axes' bottom and moved down by a fixed distance in points.

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = Figure().subplots()
        >>> legend_below(ax, pre_post_handles("en"))
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['Pre-test', 'Post-test']
    """
    from matplotlib.transforms import offset_copy
    below = 36 if ax.get_xlabel() else 22
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(x, 0), ncol=ncol,
              frameon=False, fontsize=fontsize,
              bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-below, units="points"))


def placeholder(ax, title: str, *, min_n: int = 5, lang: str = "id", synthetic: bool = False):
    """The chart a manager gets where its group is under ``min_n``: the title
    and why nothing is drawn (no number, not even the exact n).

    Example:
        >>> from matplotlib.figure import Figure
        >>> ax = placeholder(Figure().subplots(), "Sikap netralitas", lang="en", min_n=10)
        >>> ax.texts[0].get_text()
        'Not shown: fewer than 10 participants\\n(privacy, and too uncertain)'
    """
    return empty(ensure_axes(ax, (6.4, 3.0)), title, synthetic, lang, "hidden", min_n)
