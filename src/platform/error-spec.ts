/** One entry of the error catalogue: HTTP status, CLI exit code, and the sentence docs/errors.md shows. */
export interface ErrorSpec {
  status: number;
  exit: number;
  summary: string;
}
