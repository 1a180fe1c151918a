export interface Row {
  name: string;
  figure: string;
  baseline: string;
  /** b24-local ÷ baseline for throughput-like figures, or baseline-relative for latency (see the row). */
  ratio: number;
  latencyRatio?: number;
  goal?: string;
  met?: boolean;
}

export interface RunOptions {
  seconds: number;
  connections: number;
  smoke: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  run(options: RunOptions): Promise<Row[]>;
}
