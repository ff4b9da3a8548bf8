"""Small SVG line charts of the co-factorization sweeps (Tests/bench/cofactor_sweep.jsonl) for
notebook 02: CLDC dev accuracy against ωc, monolingual data and parallel data (Shi et al. 2015
Figure 3a–c at our scale). Plain SVG text, no plotting library."""
from __future__ import annotations

import json
import math
from pathlib import Path

SWEEP = Path(__file__).resolve().parents[2] / "Tests" / "bench" / "cofactor_sweep.jsonl"
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def rows(sweep: str):
    out = []
    for line in SWEEP.read_text().splitlines():
        r = json.loads(line)
        if r.get("sweep") == sweep and "en_x" in r:
            out.append(r)
    return out


def line_chart(title, series, x_label, y_label="accuracy on SIB-200 dev (%)", log_x=False, baseline=None,
               width=560, height=300):
    """series: [(name, [(x, y), …])]; baseline: (name, y) drawn dashed."""
    left, right, top, bottom = 60, 150, 34, 46
    xs = [x for _, pts in series for x, _ in pts]
    ys = [y for _, pts in series for _, y in pts] + ([baseline[1]] if baseline else [])
    fx = (lambda v: math.log10(v)) if log_x else (lambda v: v)
    x0, x1 = fx(min(xs)), fx(max(xs))
    y0, y1 = math.floor(min(ys) / 5) * 5, math.ceil(max(ys) / 5) * 5
    if x1 == x0:
        x1 = x0 + 1
    pw, ph = width - left - right, height - top - bottom

    def px(v):
        return left + (fx(v) - x0) / (x1 - x0) * pw

    def py(v):
        return top + (1 - (v - y0) / (y1 - y0)) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="13" font-weight="bold">{title}</text>',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#333"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#333"/>']
    for v in range(int(y0), int(y1) + 1, 5):
        out.append(f'<line x1="{left}" y1="{py(v):.1f}" x2="{left + pw}" y2="{py(v):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for v in sorted(set(xs)):
        label = f"{v:g}" if v < 1000 else f"{v / 1000:g}k"
        out.append(f'<text x="{px(v):.1f}" y="{top + ph + 16}" text-anchor="middle">{label}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 8}" text-anchor="middle">{x_label}</text>')
    out.append(f'<text x="14" y="{top + ph / 2}" transform="rotate(-90 14 {top + ph / 2})" text-anchor="middle">{y_label}</text>')
    if baseline:
        out.append(f'<line x1="{left}" y1="{py(baseline[1]):.1f}" x2="{left + pw}" y2="{py(baseline[1]):.1f}" '
                   f'stroke="#777" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{left + pw + 6}" y="{py(baseline[1]) + 4:.1f}" fill="#777">{baseline[0]}</text>')
    for i, (name, pts) in enumerate(series):
        c = COLORS[i % len(COLORS)]
        pts = sorted(pts)
        d = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"><title>{name}: {y:.1f}</title></circle>')
        out.append(f'<text x="{left + pw + 6}" y="{top + 12 + 14 * i}" fill="{c}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out)


def by_objective(sweep, x_of, keys=("en_x", "x_en"), majority_key="majority"):
    """[(objective direction, [(x, accuracy)])] for both directions, and the majority class. `keys` name the
    en→de and de→en accuracies of a row (dev: en_x / x_en; the 701-sentence proxy: proxy_en_x / proxy_x_en)."""
    data = rows(sweep)
    series = {}
    for r in data:
        for key, direction in zip(keys, ("en→de", "de→en")):
            series.setdefault(f"{r['objective']} {direction}", []).append((x_of(r), r[key]))
    majority = data[0][majority_key] if data else 0
    return sorted(series.items()), majority
