import type { EntityManager } from 'typeorm';

/** An edge being written (a member of a group, a reply's target), with where it was given. */
export interface NewEdge<T> {
  from: string;
  to: string;
  at: T;
}

/** A cycle the new edges would close: where to report it, and its nodes from start back to start. */
export interface Cycle<T> {
  at: T;
  nodes: string[];
}

/**
 * Cycles in the graph that the archive's edges (`existing`) make once the edges of the nodes in
 * `replaced` are replaced by `added`. Every cycle found goes through an added edge (the archive has
 * none of its own) and is reported at the first added edge on it; the edge is then left out, so one
 * cycle is reported once. One depth-first walk, without recursion: linear in the edges.
 */
export function findCycles<T>(existing: Iterable<[string, string]>, replaced: ReadonlySet<string>, added: readonly NewEdge<T>[]): Cycle<T>[] {
  const next = new Map<string, { to: string; added?: NewEdge<T> }[]>();
  const link = (from: string, edge: { to: string; added?: NewEdge<T> }) => {
    let list = next.get(from);
    if (!list) next.set(from, (list = []));
    list.push(edge);
  };
  for (const [from, to] of existing) if (!replaced.has(from)) link(from, { to });
  for (const edge of added) link(edge.from, { to: edge.to, added: edge });

  const cycles: Cycle<T>[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const start of added.map((e) => e.from)) {
    if (state.has(start)) continue;
    state.set(start, 'open');
    const path: { node: string; i: number }[] = [{ node: start, i: 0 }];
    while (path.length) {
      const top = path[path.length - 1]!;
      const edges = next.get(top.node) ?? [];
      if (top.i >= edges.length) {
        state.set(top.node, 'done');
        path.pop();
        continue;
      }
      const edge = edges[top.i++]!;
      const seen = state.get(edge.to);
      if (seen === undefined) {
        state.set(edge.to, 'open');
        path.push({ node: edge.to, i: 0 });
      } else if (seen === 'open') {
        const from = path.findIndex((p) => p.node === edge.to);
        const on = [...path.slice(from, -1).map((p) => next.get(p.node)![p.i - 1]!), edge];
        const first = on.find((e) => e.added)?.added;
        if (first) cycles.push({ at: first.at, nodes: [...path.slice(from).map((p) => p.node), edge.to] });
      }
    }
  }
  return cycles;
}

/**
 * Membership cycles (A a member of B, B of A, or longer, through the archive's memberships too) that
 * writing `added` as the members of the groups in `replaced` would make, in words. Group and member
 * are signatory ids.
 */
export async function membershipCycles<T>(em: EntityManager, replaced: ReadonlySet<string>, added: readonly NewEdge<T>[]): Promise<{ at: T; message: string }[]> {
  if (added.length === 0) return [];
  const rows: { group_id: string; member_id: string }[] = await em.query(`SELECT group_id, member_id FROM signatory_membership`);
  const cycles = findCycles(rows.map((r): [string, string] => [r.group_id, r.member_id]), replaced, added);
  if (cycles.length === 0) return [];
  const ids = [...new Set(cycles.flatMap((c) => c.nodes))];
  const names = new Map(((await em.query(`SELECT id, name FROM signatory WHERE id = ANY($1)`, [ids])) as { id: string; name: string }[]).map((r) => [r.id, r.name]));
  const name = (id: string) => `"${names.get(id) ?? id}"`;
  return cycles.map((c) => ({
    at: c.at,
    message:
      c.nodes.length === 2
        ? 'a signatory cannot be a member of itself'
        : `a group would be a member of itself: ${c.nodes.slice(0, -1).map((id, i) => `${name(id)} has member ${name(c.nodes[i + 1]!)}`).join(', ')}`,
  }));
}

/**
 * Reply cycles (a statement responding, through other replies, to itself) that giving the statements
 * in `replaced` the targets `added` would make, in words. Statements are named by their keys.
 */
export async function replyCycles<T>(em: EntityManager, replaced: ReadonlySet<string>, added: readonly NewEdge<T>[]): Promise<{ at: T; message: string }[]> {
  if (added.length === 0) return [];
  const rows: { key: string; target: string }[] = await em.query(
    `SELECT s.key, t.key AS target FROM statement s JOIN statement t ON t.id = s.responds_to_id`,
  );
  return findCycles(rows.map((r): [string, string] => [r.key, r.target]), replaced, added).map((c) => ({
    at: c.at,
    message: c.nodes.length === 2 ? 'a statement cannot respond to itself' : `a statement would respond to itself through replies: ${c.nodes.map((k) => `"${k}"`).join(' responds to ')}`,
  }));
}
