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
 * Pure: what a node in a cluster should be told about its store at start-up, if anything. Files under
 * one node's DATA_DIR play only on that node unless the directory is one mount shared by all.
 */
export function clusterStoreWarning(
  setting: RecordingStoreSetting,
  databaseUrl: string,
  dataDir: string,
): string | null {
  if (recordingStoreKind(setting, databaseUrl) !== 'directory') return null;
  return `RECORDING_STORE=directory in a cluster: a recording plays only on the node that made it, unless ${path.join(dataDir, 'recordings')} is one shared mount on every node (RECORDING_STORE=database needs none).`;
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
