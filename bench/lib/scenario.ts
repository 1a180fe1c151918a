export interface Row {
  name: string;
  figure: string;
  baseline: string;
  /** b24-local ÷ baseline (throughput: higher is better; time and memory: lower is better — see the goal). */
  ratio: number;
  /** p99 ÷ the baseline's p99, for throughput rows. */
  latencyRatio?: number;
  goal?: string;
  met?: boolean;
}

/** What a scenario measured: its rows, and paragraphs for BENCHMARKS.md (setup, profiles, why a goal is missed). */
export interface ScenarioResult {
  rows: Row[];
  notes: string[];
}

export interface RunOptions {
  /** A few seconds per scenario and small sizes; only that every scenario completes counts. */
  smoke: boolean;
  /** Seconds of each throughput run. */
  seconds: number;
  /** Connections of each throughput run. */
  connections: number;
}

export interface Scenario {
  id: string;
  title: string;
  run(options: RunOptions): Promise<ScenarioResult>;
}
