import { accessModule } from './access/access.module';
import { curationModule } from './curation/curation.module';
import { evidenceModule } from './evidence/evidence.module';
import { historyModule } from './history/history.module';
import type { JointlyModule } from './kit/module';
import { nodeModule } from './node/node.module';
import { personModule } from './person/person.module';
import { searchModule } from './search/search.module';
import { signatoryModule } from './signatory/signatory.module';
import { sourceModule } from './source/source.module';
import { statementModule } from './statement/statement.module';

/**
 * Every module of the server, in the order their tables are described. The schema's resolvers and
 * the DataSource's entities are theirs; a new module is added here (docs/recipes/add-an-entity.md).
 */
export const MODULES: readonly JointlyModule[] = [
  sourceModule,
  personModule,
  signatoryModule,
  statementModule,
  evidenceModule,
  accessModule,
  historyModule,
  nodeModule,
  searchModule,
  curationModule,
];
