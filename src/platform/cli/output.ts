/** Prints data as JSON (`--json`) or as readable text. */
export function printResult(data: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}
