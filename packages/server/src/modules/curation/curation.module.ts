import type { JointlyModule } from '../kit/module';
import { CurationResolver } from './curation.resolver';

/** `importBundle`: a bundle through the API, checked as `jointly import` checks it. */
export const curationModule: JointlyModule = { name: 'curation', resolvers: [CurationResolver], entities: [] };
