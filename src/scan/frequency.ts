/**
 * How often each byte occurs in source code and text, for choosing what to search: the byte
 * gate looks for the rarest part of each trigger literal.
 */

/**
 * Printable ASCII and the line and tab characters, from the most to the least frequent in
 * source code and text (measured over a node_modules tree); other bytes count as rare.
 */
const BY_FREQUENCY = ` etnroa\nisAlcp,udhmf."gC_y()-;\t/=*b:Ev{}'IxSTwk\\\`O0B1MDRP[G]NF2LjK|>U@+?$&3<Q6WzqH45Y89V!#\r7JX^Z%~`;

const RANK = new Int16Array(256).fill(-1);
for (let i = 0; i < BY_FREQUENCY.length; i++) RANK[BY_FREQUENCY.charCodeAt(i)] = i;

/** Rank of a byte: higher is more common; -1 for the rare ones (not listed). */
export function commonness(code: number): number {
  const rank = RANK[code] ?? -1;
  return rank === -1 ? -1 : BY_FREQUENCY.length - rank;
}

/**
 * A rough estimate of a byte's frequency (0..1): decays with its rank, as letter frequencies
 * do; bytes not listed (control characters, non-ASCII) are rarer than any listed one.
 */
export function frequency(code: number): number {
  const rank = RANK[code] ?? -1;
  return rank === -1 ? 1e-4 : 0.1 * Math.exp(-rank / 12);
}
