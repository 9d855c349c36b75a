/**
 * One section of the benchmark report: a titled table and its notes. Every bench module
 * exports `run(): Promise<BenchSection>` and prints nothing; the runner (bench/run.ts)
 * prints the sections and writes docs/benchmarks.md.
 */
export interface BenchSection {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  notes: string[];
}
