/** A grouped bar chart in plain SVG: a few series over periods, amounts in fen. Heights are
 * geometry, computed from BigInt ratios; the figures shown are formatted from the fen. */
import { formatYuan } from '../../../utils/money';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface ChartProps {
  periods: string[];
  series: Series[];
  /** values[seriesKey][periodIndex] in fen */
  values: Record<string, bigint[]>;
  height?: number;
}

function axisLabel(fen: bigint): string {
  const yuan = fen / 100n;
  if (yuan >= 100_000_000n) return `${(yuan / 1_000_000n).toString().replace(/(\d)(\d\d)$/, '$1.$2')}亿`;
  if (yuan >= 10_000n) return `${(yuan / 10_000n).toString()}万`;
  return yuan.toString();
}

export function BarChart({ periods, series, values, height = 260 }: ChartProps) {
  const width = Math.max(560, periods.length * (series.length * 10 + 18) + 80);
  const left = 64;
  const bottom = 28;
  const top = 12;
  const plotHeight = height - bottom - top;
  let max = 0n;
  for (const s of series) for (const v of values[s.key] ?? []) if (v > max) max = v;
  if (max === 0n) max = 100n;
  const groupWidth = (width - left - 10) / Math.max(1, periods.length);
  const barWidth = Math.max(4, Math.min(14, (groupWidth - 8) / series.length));
  const scale = (v: bigint) => Number((v * 10_000n) / max) / 10_000 * plotHeight;
  const ticks = [0n, max / 2n, max];
  return (
    <svg className="scf-chart" viewBox={`0 0 ${width} ${height}`} width="100%" role="img" data-testid="dashboard-chart">
      {ticks.map((tick) => {
        const y = top + plotHeight - scale(tick);
        return (
          <g key={tick.toString()}>
            <line x1={left} x2={width - 10} y1={y} y2={y} stroke="#eee" />
            <text x={left - 6} y={y + 4} textAnchor="end">{axisLabel(tick)}</text>
          </g>
        );
      })}
      {periods.map((period, i) => {
        const x0 = left + i * groupWidth + (groupWidth - barWidth * series.length) / 2;
        return (
          <g key={period}>
            {series.map((s, j) => {
              const v = values[s.key]?.[i] ?? 0n;
              const h = scale(v);
              return (
                <rect key={s.key} x={x0 + j * barWidth} y={top + plotHeight - h} width={barWidth - 1} height={h} fill={s.color}>
                  <title>{`${period} ${s.label}: ${formatYuan(v)}`}</title>
                </rect>
              );
            })}
            <text x={left + i * groupWidth + groupWidth / 2} y={height - 8} textAnchor="middle">{period}</text>
          </g>
        );
      })}
    </svg>
  );
}
