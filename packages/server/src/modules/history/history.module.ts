import type { JointlyModule } from '../kit/module';
import { RevisionEntity } from './revision.entity';
import { HISTORY_RESOLVERS } from './revision.resolver';

/** The history the triggers write, and `revisions` on every record type. */
export const historyModule: JointlyModule = { name: 'history', resolvers: HISTORY_RESOLVERS, entities: [RevisionEntity] };
