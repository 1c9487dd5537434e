import { loadWarningLists } from './warning-lists';

/** The compiled warning lists (MISP format data under libs/normalization/data/warninglists), loaded once. */
export const WARNING_LISTS = Symbol('WARNING_LISTS');

export const warningListsProvider = { provide: WARNING_LISTS, useFactory: () => loadWarningLists() };
