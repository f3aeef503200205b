import type { JointlyModule } from '../kit/module';
import { SearchResolver } from './search.resolver';

/** One ranked full-text search over statements, sources, people and signatories. */
export const searchModule: JointlyModule = { name: 'search', resolvers: [SearchResolver], entities: [] };
