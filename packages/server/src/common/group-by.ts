/**
 * Groups rows by a key, keeping their order within each group; rows whose key is null are left
 * out. Linear: one array per key, appended to in place.
 */
export function groupBy<T, K>(rows: Iterable<T>, key: (row: T) => K | null): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The groups in the order of `ids` (a DataLoader batch), an empty list for an id without rows. */
export function groupsFor<T, K>(rows: Iterable<T>, key: (row: T) => K | null, ids: readonly K[]): T[][] {
  const groups = groupBy(rows, key);
  return ids.map((id) => groups.get(id) ?? []);
}
