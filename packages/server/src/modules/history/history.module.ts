import type { JointlyModule } from '../kit/module';
import { ChangeResolver } from './change.resolver';
import { ChangeSubscriptions } from './change.subscription';
import { RevisionEntity } from './revision.entity';
import { HISTORY_RESOLVERS } from './revision.resolver';

/** The history the triggers write: `revisions` on every record type, and the change feed `changes`. */
export const historyModule: JointlyModule = { name: 'history', resolvers: [...HISTORY_RESOLVERS, ChangeResolver, ChangeSubscriptions], entities: [RevisionEntity] };
