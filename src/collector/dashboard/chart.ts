// The verdict-history chart as numbers for an inline SVG: a step line over four levels, worst at the
// bottom, and a dot per report (up to a limit: beyond it the line alone says it). No script, no library.
import type { Verdict, VerdictPoint } from '../store/types.js';

export const CHART = { width: 720, height: 140, left: 120, right: 10, top: 10, bottom: 24 } as const;
const MAX_DOTS = 400;

const LEVEL: Record<Verdict, number> = { compliant: 0, 'at-risk': 1, unknown: 2, 'non-compliant': 3 };
export const CHART_LEVELS: Verdict[] = ['compliant', 'at-risk', 'unknown', 'non-compliant'];

export interface ChartDot {
  x: number;
  y: number;
  verdict: Verdict;
  finishedAt: string;
}

export interface Chart {
  width: number;
  height: number;
  /** An SVG path in user units, "M x y H x V y …"; empty when there is no point. */
  path: string;
  dots: ChartDot[];
  levels: { verdict: Verdict; y: number }[];
  /** The window's ends, for the axis labels. */
  since: string;
  until: string;
  axisY: number;
  plotLeft: number;
  plotRight: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

export function levelY(verdict: Verdict): number {
  const span = CHART.height - CHART.top - CHART.bottom;
  return round(CHART.top + (LEVEL[verdict] * span) / (CHART_LEVELS.length - 1));
}

export function verdictChart(points: readonly VerdictPoint[], since: Date, until: Date): Chart {
  const start = since.getTime();
  const span = Math.max(1, until.getTime() - start);
  const plotRight = CHART.width - CHART.right;
  const x = (iso: string) => {
    const at = Math.min(Math.max(Date.parse(iso) - start, 0), span);
    return round(CHART.left + ((plotRight - CHART.left) * at) / span);
  };
  const sorted = [...points].sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
  let path = '';
  for (const [index, point] of sorted.entries()) {
    const px = x(point.finishedAt);
    const py = levelY(point.verdict);
    path += index === 0 ? `M ${px} ${py}` : ` H ${px} V ${py}`;
  }
  // The last verdict holds until now.
  if (sorted.length > 0) path += ` H ${plotRight}`;
  const dots = sorted.length <= MAX_DOTS ? sorted : sorted.slice(-MAX_DOTS);
  return {
    width: CHART.width,
    height: CHART.height,
    path,
    dots: dots.map((point) => ({
      x: x(point.finishedAt),
      y: levelY(point.verdict),
      verdict: point.verdict,
      finishedAt: point.finishedAt,
    })),
    levels: CHART_LEVELS.map((verdict) => ({ verdict, y: levelY(verdict) })),
    since: since.toISOString(),
    until: until.toISOString(),
    axisY: CHART.height - CHART.bottom + 16,
    plotLeft: CHART.left,
    plotRight,
  };
}
