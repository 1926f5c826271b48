/**
 * A small typed builder for Grafana dashboards (the classic JSON model that
 * Grafana's file provisioning reads). Panels are laid out left to right on
 * the 24-column grid and wrap to a new line when full; ids and query refIds
 * are given in order, so the same calls always give the same JSON.
 */

export interface DataSourceRef {
  type: 'prometheus' | 'loki' | 'tempo' | 'grafana-pyroscope-datasource';
  uid: string;
}

export interface Query {
  datasource: DataSourceRef;
  /** PromQL, LogQL, TraceQL, or a Pyroscope label selector (`{service_name="x"}`). */
  expr: string;
  /** Legend template, e.g. `{{namespace}}`. */
  legend?: string;
  /** One value per series at the end of the range (tables, stats) instead of a range. */
  instant?: boolean;
  /** Prometheus: also fetch exemplars (points that link to the trace of one request). */
  exemplar?: boolean;
  /** Pyroscope: the profile type (`process_cpu:cpu:nanoseconds:cpu:nanoseconds`). */
  profileTypeId?: string;
}

export type PanelKind = 'timeseries' | 'stat' | 'table' | 'bargauge' | 'logs' | 'flamegraph';

/** How one series or column is shown, by its name. */
export interface SeriesStyle {
  displayName?: string;
  color?: string;
  unit?: string;
}

export interface PanelSpec {
  kind: PanelKind;
  title: string;
  description?: string;
  queries: Query[];
  /** Grid columns out of 24 and grid rows (30px each). */
  width: number;
  height: number;
  /** Grafana unit id: `percentunit`, `bytes`, `Bps`, `s`, `d`, `short`, ... */
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  /** Colour steps: the base colour first (value null), then colours from a value up. */
  thresholds?: { color: string; value: number | null }[];
  /** Timeseries: stack series on each other. */
  stacked?: boolean;
  /** Tables: the columns to show, in order, with their header text. */
  columns?: { field: string; title: string }[];
  /** Styles of series (timeseries, stat) or columns (table), by name. */
  styles?: Record<string, SeriesStyle>;
}

export interface DashboardMeta {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** Default time range, e.g. `now-6h`. */
  from?: string;
  refresh?: string;
}

const GRID_WIDTH = 24;
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

type Json = Record<string, unknown>;

function target(q: Query, i: number): Json {
  const base = { refId: REF_IDS[i], datasource: q.datasource, expr: q.expr, ...(q.legend ? { legendFormat: q.legend } : {}) };
  if (q.datasource.type === 'loki') return { ...base, queryType: q.instant ? 'instant' : 'range' };
  if (q.datasource.type === 'tempo') return { refId: REF_IDS[i], datasource: q.datasource, queryType: 'traceql', query: q.expr, limit: 20, tableType: 'traces' };
  if (q.datasource.type === 'grafana-pyroscope-datasource') {
    return { refId: REF_IDS[i], datasource: q.datasource, queryType: 'profile', labelSelector: q.expr, profileTypeId: q.profileTypeId ?? '', groupBy: [] };
  }
  return { ...base, ...(q.instant ? { instant: true, range: false, format: 'table' } : { range: true }), ...(q.exemplar ? { exemplar: true } : {}) };
}

function overrides(styles: Record<string, SeriesStyle> | undefined): Json[] {
  return Object.entries(styles ?? {}).map(([name, s]) => ({
    matcher: { id: 'byName', options: name },
    properties: [
      ...(s.displayName ? [{ id: 'displayName', value: s.displayName }] : []),
      ...(s.color ? [{ id: 'color', value: { mode: 'fixed', fixedColor: s.color } }] : []),
      ...(s.unit ? [{ id: 'unit', value: s.unit }] : []),
    ],
  }));
}

function options(p: PanelSpec): Json {
  const reduce = { calcs: ['lastNotNull'], fields: '', values: false };
  switch (p.kind) {
    case 'timeseries':
      return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } };
    case 'stat':
      return { reduceOptions: reduce, colorMode: 'background', graphMode: 'none', justifyMode: 'auto', orientation: 'auto', textMode: 'value' };
    case 'bargauge':
      return { reduceOptions: reduce, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false } };
    case 'logs':
      return { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true, prettifyLogMessage: false };
    case 'flamegraph':
      return {};
  }
}

/** Tables keep only the listed columns, in order, renamed. */
function transformations(p: PanelSpec): Json[] {
  if (p.kind !== 'table' || !p.columns) return [];
  const names = p.columns.map((c) => c.field);
  return [
    ...(p.queries.length > 1 ? [{ id: 'merge', options: {} }] : []),
    { id: 'filterFieldsByName', options: { include: { names } } },
    {
      id: 'organize',
      options: {
        indexByName: Object.fromEntries(names.map((n, i) => [n, i])),
        renameByName: Object.fromEntries(p.columns.map((c) => [c.field, c.title])),
      },
    },
  ];
}

// eslint-disable-next-line complexity -- Grafana's fieldConfig.defaults as one literal: each optional panel setting left out when unset, and the custom block per panel kind
function fieldDefaults(p: PanelSpec): Json {
  const steps = p.thresholds ?? [{ color: 'green', value: null }];
  return {
    ...(p.unit ? { unit: p.unit } : {}),
    ...(p.min !== undefined ? { min: p.min } : {}),
    ...(p.max !== undefined ? { max: p.max } : {}),
    ...(p.decimals !== undefined ? { decimals: p.decimals } : {}),
    thresholds: { mode: 'absolute', steps },
    color: { mode: p.kind === 'timeseries' ? 'palette-classic' : 'thresholds' },
    ...(p.kind === 'timeseries'
      ? { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: p.stacked ? 40 : 10, showPoints: 'never', stacking: { mode: p.stacked ? 'normal' : 'none', group: 'A' } } }
      : {}),
    ...(p.kind === 'table' ? { custom: { align: 'auto', cellOptions: { type: p.thresholds ? 'color-text' : 'auto' } } } : {}),
  };
}

export class Dashboard {
  private readonly panels: Json[] = [];
  private x = 0;
  private y = 0;
  /** Height of the tallest panel on the current line. */
  private lineHeight = 0;

  constructor(private readonly meta: DashboardMeta) {}

  /** A row header across the grid; the next panels go under it. */
  row(title: string): this {
    this.newLine();
    this.panels.push({ id: this.panels.length + 1, type: 'row', title, collapsed: false, panels: [], gridPos: { h: 1, w: GRID_WIDTH, x: 0, y: this.y } });
    this.y += 1;
    return this;
  }

  panel(p: PanelSpec): this {
    // Invariant, not input: panels are written in the catalog, never in plinth.yaml; a bad one is a bug (exit 70).
    if (p.width < 1 || p.width > GRID_WIDTH) throw new Error(`panel ${p.title}: width ${p.width} is outside 1..${GRID_WIDTH}`);
    if (p.queries.length === 0 || p.queries.length > REF_IDS.length) throw new Error(`panel ${p.title}: needs 1..${REF_IDS.length} queries`);
    if (this.x + p.width > GRID_WIDTH) this.newLine();
    this.panels.push({
      id: this.panels.length + 1,
      type: p.kind,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      gridPos: { h: p.height, w: p.width, x: this.x, y: this.y },
      datasource: p.queries[0]!.datasource,
      targets: p.queries.map(target),
      fieldConfig: { defaults: fieldDefaults(p), overrides: overrides(p.styles) },
      options: options(p),
      transformations: transformations(p),
    });
    this.x += p.width;
    this.lineHeight = Math.max(this.lineHeight, p.height);
    return this;
  }

  /** The dashboard JSON model. */
  toJSON(): Json {
    return {
      uid: this.meta.uid,
      title: this.meta.title,
      description: this.meta.description,
      tags: this.meta.tags,
      editable: false,
      graphTooltip: 1,
      timezone: 'browser',
      refresh: this.meta.refresh ?? '1m',
      time: { from: this.meta.from ?? 'now-6h', to: 'now' },
      schemaVersion: 39,
      version: 1,
      annotations: { list: [] },
      templating: { list: [] },
      links: [],
      panels: this.panels,
    };
  }

  private newLine(): void {
    if (this.x === 0) return;
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
