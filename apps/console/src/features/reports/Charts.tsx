import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

// recharts is imported only here; the reports route is lazy, so it stays out of the first screen's JS.

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed'];

export interface Serie {
  key: string;
  label: string;
}

/** A line per serie over the buckets. The numbers are in the table beside it. */
export function SeriesChart({ data, series, label }: { data: Record<string, unknown>[]; series: Serie[]; label: string }) {
  return (
    <figure className="report-chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bucket" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {series.map((s, i) => (
            <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={COLORS[i % COLORS.length]} isAnimationActive={false} dot={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Bars for named values (a funnel, revenue per bucket, top links). */
export function BarsChart({ data, dataKey, nameKey, label }: { data: Record<string, unknown>[]; dataKey: string; nameKey: string; label: string }) {
  return (
    <figure className="report-chart" aria-label={label}>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey={nameKey} />
          <YAxis />
          <Tooltip />
          <Bar dataKey={dataKey} fill={COLORS[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
