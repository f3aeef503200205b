import type { JointlyModule } from '../kit/module';
import { SourceMutationResolver } from './source-mutation.resolver';
import { SourceEntity } from './source.entity';
import { SourceResolver } from './source.resolver';

/** Sources: the articles, press releases and UN documents that report statements. */
export const sourceModule: JointlyModule = { name: 'source', resolvers: [SourceResolver, SourceMutationResolver], entities: [SourceEntity] };
