// Renders the results as one pipe table (readable in a terminal, pastable into Markdown).

const fmt = (value, unit) => {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'obj/s') return `${Math.round(value).toLocaleString('en')} obj/s`;
  if (unit === 'reports/s') return `${Math.round(value).toLocaleString('en')} reports/s`;
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  if (unit === 'KB') return `${value.toFixed(1)} KB`;
  if (unit === 'ms p99') return `${value.toFixed(1)} ms`;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
};

export function tableRows(rows) {
  const header = [
    'case',
    'size',
    'ours median (min–max)',
    'wall',
    'CPU',
    'peak RSS',
    'peers (median)',
    'ratio',
    'target',
    'verdict',
    'load',
  ];
  const body = rows.map((row) => {
    // A case that could not run here (e.g. no PostgreSQL): neither pass nor fail, the reason in its note.
    if (row.skipped)
      return [row.id, '', '—', '', '', '', '', '', row.target ?? '', 'skipped', `${row.loadAtStart ?? ''}`];
    if (row.error)
      return [
        row.id,
        row.size ?? '',
        'ERROR',
        '',
        '',
        '',
        '',
        '',
        row.target ?? '',
        'fail',
        `${row.loadAtStart ?? ''}`,
      ];
    const o = row.ours;
    const unit = row.unit;
    const peers = row.peers.map((p) => `${p.name} ${fmt(p.median, unit)}`).join('; ') || '—';
    return [
      row.id,
      row.size,
      `${fmt(o.median, unit)} (${fmt(o.min, unit)}–${fmt(o.max, unit)})`,
      fmt(o.wallMs ?? o.median, 'ms'),
      fmt(o.cpuMs, 'ms'),
      `${o.maxRssMB.toFixed(0)} MB`,
      peers,
      row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
      row.target,
      row.pass ? 'pass' : 'FAIL',
      `${row.loadAtStart}→${row.loadAtEnd}`,
    ];
  });
  const widths = header.map((_, i) => Math.max(header[i].length, ...body.map((cells) => String(cells[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)];
}
