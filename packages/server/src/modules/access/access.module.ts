import type { JointlyModule } from '../kit/module';
import { ApiTokenEntity } from './api-token.entity';

/** Write tokens and their roles (no GraphQL of its own: tokens are managed with `jointly token`). */
export const accessModule: JointlyModule = { name: 'access', resolvers: [], entities: [ApiTokenEntity] };
