/** `1 store`, `2 stores`: counts in messages read as English (nouns that take an `s`). */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
