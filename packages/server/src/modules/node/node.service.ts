import type { RequestContext } from '../kit/context';
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
    // Deleted records (and the signatures of deleted statements) are left out by the loaders themselves.
    switch (type) {
      case 'Statement': {
        const row = await loaders.statementById.load(id);
        return row && toStatement(row);
      }
      case 'Signature': {
        const row = await loaders.signatureById.load(id);
        return row && toSignature(row);
      }
      case 'Signatory': {
        const row = await loaders.signatoryById.load(id);
        return row && toSignatory(row);
      }
      case 'Source': {
        const row = await loaders.sourceById.load(id);
        return row && toSource(row);
      }
      case 'Person': {
        const row = await loaders.personById.load(id);
        return row && toPerson(row);
      }
    }
  }
}
