import type { MigrationInterface } from 'typeorm';
import { Initial1795908420951 } from './1795908420951-Initial';
import { NameMatching1795908480000 } from './1795908480000-NameMatching';
import { ReadApi1795908540000 } from './1795908540000-ReadApi';
import { Curation1795908600000 } from './1795908600000-Curation';
import { ChangeNotifications1795908660000 } from './1795908660000-ChangeNotifications';
import { FoldedFilters1795908720000 } from './1795908720000-FoldedFilters';
import { EditDistance1795908780000 } from './1795908780000-EditDistance';
import { WriteConcurrency1795908840000 } from './1795908840000-WriteConcurrency';
import { ChangeFeed1795908900000 } from './1795908900000-ChangeFeed';

/** The migration list, oldest first. `jointly migrate generate <Name>` writes a file; add its class here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  Initial1795908420951,
  NameMatching1795908480000,
  ReadApi1795908540000,
  Curation1795908600000,
  ChangeNotifications1795908660000,
  FoldedFilters1795908720000,
  EditDistance1795908780000,
  WriteConcurrency1795908840000,
  ChangeFeed1795908900000,
];
