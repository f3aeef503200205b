import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the client selected the field at `path` below the field being resolved — by its name,
 * whatever its alias, through inline and named fragments. `@skip`/`@include` are not evaluated: a
 * field they may leave out counts as selected (the answer is used to load ahead, never to omit).
 */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, ...path: string[]): boolean {
  let fields: readonly FieldNode[] = info.fieldNodes;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const field of fields) if (field.selectionSet) collect(field.selectionSet, name, info.fragments, next);
    if (next.length === 0) return false;
    fields = next;
  }
  return true;
}

/** Whether a connection's nodes have `field` selected, as `nodes { field }` or `edges { node { field } }`. */
export function selectsOnNodes(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, field: string): boolean {
  return selects(info, 'nodes', field) || selects(info, 'edges', 'node', field);
}

function collect(set: SelectionSetNode, name: string, fragments: GraphQLResolveInfo['fragments'], out: FieldNode[]): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) out.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, name, fragments, out);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, name, fragments, out);
    }
  }
}
