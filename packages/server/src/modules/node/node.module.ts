import type { JointlyModule } from '../kit/module';
import { NodeResolver } from './node.resolver';

/** `node` and `nodes`: any record by its global id. */
export const nodeModule: JointlyModule = { name: 'node', resolvers: [NodeResolver], entities: [] };
