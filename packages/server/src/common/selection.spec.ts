import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { selects, selectsOnNodes } from './selection';

/** The resolve info of the first top-level field of a document: what `selects` reads of it. */
function infoOf(source: string) {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selects', () => {
  it('finds a field by name through aliases, inline and named fragments', () => {
    expect(selectsOnNodes(infoOf('{ signatures { nodes { position signatory { key } } } }'), 'signatory')).toBe(true);
    expect(selectsOnNodes(infoOf('{ signatures { edges { node { who: signatory { key } } } } }'), 'signatory')).toBe(true);
    expect(selectsOnNodes(infoOf('{ signatures { ... on SignatureConnection { nodes { ... S } } } } fragment S on Signature { signatory { key } }'), 'signatory')).toBe(true);
    expect(selects(infoOf('{ evidence { quote source { key } } }'), 'source')).toBe(true);
  });

  it('answers false when the field is not selected at that path', () => {
    expect(selectsOnNodes(infoOf('{ signatures { nodes { position } } }'), 'signatory')).toBe(false);
    expect(selectsOnNodes(infoOf('{ signatures { pageInfo { hasNextPage } } }'), 'signatory')).toBe(false);
    expect(selectsOnNodes(infoOf('{ signatures { nodes { statement { signatory: key } } } }'), 'signatory')).toBe(false);
    expect(selects(infoOf('{ evidence { quote } }'), 'source')).toBe(false);
  });

  it('counts a field under @skip or @include as selected', () => {
    expect(selectsOnNodes(infoOf('query ($x: Boolean!) { signatures { nodes { signatory @include(if: $x) { key } } } }'), 'signatory')).toBe(true);
  });
});
