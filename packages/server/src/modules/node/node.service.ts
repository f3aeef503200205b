import type { RequestContext } from '../../common/context';
import type { NodeType } from '../../common/global-id';
import type { Node } from '../../common/node.type';
import { toPerson } from '../person/person.type';
import { toSignatory } from '../signatory/signatory.type';
import { toSource } from '../source/source.type';
import { toSignature, toStatement } from '../statement/statement.type';

/** Loads any node through the per-request loaders, so nodes(ids:) batches one query per type. */
export class NodeService {
  async load(ctx: RequestContext, { type, id }: { type: NodeType; id: string }): Promise<Node | null> {
    const { loaders } = ctx;
    // The loaders also serve relations, which keep pointing at deleted records; a lookup does not find them.
    const live = <T extends { deletedAt?: Date | null }>(row: T | null): T | null => (row && !row.deletedAt ? row : null);
    switch (type) {
      case 'Statement': {
        const row = live(await loaders.statementById.load(id));
        return row && toStatement(row);
      }
      case 'Signature': {
        const row = await loaders.signatureById.load(id);
        return row && toSignature(row);
      }
      case 'Signatory': {
        const row = live(await loaders.signatoryById.load(id));
        return row && toSignatory(row);
      }
      case 'Source': {
        const row = live(await loaders.sourceById.load(id));
        return row && toSource(row);
      }
      case 'Person': {
        const row = live(await loaders.personById.load(id));
        return row && toPerson(row);
      }
    }
  }
}
