import type { JointlyModule } from '../kit/module';
import { SignatureEntity } from './signature.entity';
import { StatementFacetsResolver } from './statement-facets.resolver';
import { StatementMutationResolver } from './statement-mutation.resolver';
import { StatementEntity } from './statement.entity';
import { SignatureResolver, StatementResolver } from './statement.resolver';

/** Statements and their signatures; comparisons, alignments and facets over them. */
export const statementModule: JointlyModule = {
  name: 'statement',
  resolvers: [StatementResolver, SignatureResolver, StatementFacetsResolver, StatementMutationResolver],
  entities: [StatementEntity, SignatureEntity],
};
