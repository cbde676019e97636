/**
 * An article's `agencyStatus` and `agencySource` are the agency's word on the item it came from,
 * and an Image's `sourceUrl` the address ingest fetched it from: only ingest writes them (the write
 * rules drop them from every other write, the admin's saves included), by running its Document
 * Service calls inside `writingAgencyFields`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const allowed = new AsyncLocalStorage<true>();

export const AGENCY_FIELDS = ['agencyStatus', 'agencySource'] as const;

export const writingAgencyFields = <T>(work: () => Promise<T>): Promise<T> => allowed.run(true, work);

export const mayWriteAgencyFields = (): boolean => allowed.getStore() === true;
