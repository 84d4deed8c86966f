-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "commands" TEXT NOT NULL,
    "concurrency" INTEGER NOT NULL,
    "timeoutMs" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "statusReason" TEXT,
    "totalDevices" INTEGER NOT NULL,
    "completedDevices" INTEGER NOT NULL DEFAULT 0,
    "succeededDevices" INTEGER NOT NULL DEFAULT 0,
    "failedDevices" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "idempotencyKey" TEXT,
    "failurePatterns" TEXT NOT NULL DEFAULT '[]',
    "expectOutput" TEXT,
    CONSTRAINT "Task_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Task" ("cancelRequested", "commands", "completedDevices", "concurrency", "createdAt", "failedDevices", "finishedAt", "id", "idempotencyKey", "name", "ownerId", "startedAt", "status", "statusReason", "succeededDevices", "timeoutMs", "totalDevices") SELECT "cancelRequested", "commands", "completedDevices", "concurrency", "createdAt", "failedDevices", "finishedAt", "id", "idempotencyKey", "name", "ownerId", "startedAt", "status", "statusReason", "succeededDevices", "timeoutMs", "totalDevices" FROM "Task";
DROP TABLE "Task";
ALTER TABLE "new_Task" RENAME TO "Task";
CREATE INDEX "Task_ownerId_createdAt_idx" ON "Task"("ownerId", "createdAt");
CREATE INDEX "Task_status_idx" ON "Task"("status");
CREATE UNIQUE INDEX "Task_ownerId_idempotencyKey_key" ON "Task"("ownerId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

