/**
 * The check character of a resident ID number: ISO 7064:1983 MOD 11-2 over the first 17 digits
 * (GB 11643-1999 §5.5).
 *
 *   S = Σ aᵢ·Wᵢ (i = 1…17),  Wᵢ = 2^(18−i) mod 11,  Y = S mod 11,  check = "10X98765432"[Y]
 */

/** Wᵢ for i = 1…17 (GB 11643-1999 §5.5.1). */
export const CHECK_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Check character by Y = S mod 11 (GB 11643-1999 §5.5.3); X stands for 10. */
export const CHECK_CHARS = '10X98765432';

/**
 * Value of the check character for a 17-digit body: 0–9, or 10 (written X).
 * Uses the recursive form of ISO 7064 (Horner's rule): Σ aᵢ·2^(17−i) = 2·(…((a₁·2 + a₂)·2 + a₃)…),
 * so S ≡ 2·acc (mod 11), and "10X98765432"[Y] is the value (12 − Y) mod 11.
 * The caller guarantees 17 ASCII digits.
 */
export function checkValueOf(body: string): number {
  let acc = 0;
  for (let i = 0; i < 17; i++) acc = acc * 2 + (body.charCodeAt(i) - 48);
  return (12 - ((acc * 2) % 11)) % 11;
}

/** The check character ('0'–'9' or 'X') for a 17-digit body. */
export function checkCharOf(body: string): string {
  const value = checkValueOf(body);
  return value === 10 ? 'X' : String(value);
}

/** The same check character by the standard's weighted-sum formula; kept as the reference for tests. */
export function checkCharByWeights(body: string): string {
  let sum = 0;
  CHECK_WEIGHTS.forEach((w, i) => {
    sum += w * (body.charCodeAt(i) - 48);
  });
  return CHECK_CHARS.charAt(sum % 11);
}
