import path from 'node:path';
import type { PrismaClient } from '../db/client';
import { isPostgresUrl } from '../db/migrate';
import { DatabaseRecordingStore } from './db-store';
import { DirectoryRecordingStore, type RecordingStore } from './store';

export type RecordingStoreSetting = 'auto' | 'directory' | 'database';
export type RecordingStoreKind = 'directory' | 'database';

/**
 * Pure: which store RECORDING_STORE means. `auto` is the database with PostgreSQL (what a cluster
 * runs on: every node reaches it, so every node plays every recording without a shared file system)
 * and the directory with SQLite (one node; files keep the database small).
 */
export function recordingStoreKind(setting: RecordingStoreSetting, databaseUrl: string): RecordingStoreKind {
  if (setting !== 'auto') return setting;
  return isPostgresUrl(databaseUrl) ? 'database' : 'directory';
}

/**
 * The store for this configuration. The database store reads and removes recordings made before
 * with the directory store from DATA_DIR/recordings, so switching loses none.
 */
export function createRecordingStore(
  config: { RECORDING_STORE: RecordingStoreSetting; DATABASE_URL: string; DATA_DIR: string },
  db: PrismaClient,
): RecordingStore {
  const directory = new DirectoryRecordingStore(path.join(config.DATA_DIR, 'recordings'));
  return recordingStoreKind(config.RECORDING_STORE, config.DATABASE_URL) === 'database'
    ? new DatabaseRecordingStore(db, { previous: directory })
    : directory;
}
