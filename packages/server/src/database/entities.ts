import { MODULES } from '../modules';

/** Every table of the archive: the entities of every module. Adding one: see docs/recipes/add-an-entity.md. */
export const ENTITIES = MODULES.flatMap((module) => module.entities);
