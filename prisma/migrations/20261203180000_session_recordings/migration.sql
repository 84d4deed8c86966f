-- Session recordings (lib/recordings): the index of each recorded terminal session, its command lines, and a per-group switch.
-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "deviceName" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" DATETIME,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "storedBytes" INTEGER NOT NULL DEFAULT 0,
    "commandCount" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'recording',
    "note" TEXT NOT NULL DEFAULT '',
    "key" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "RecordingCommand" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "recordingId" TEXT NOT NULL,
    "offsetMs" INTEGER NOT NULL,
    "command" TEXT NOT NULL,
    CONSTRAINT "RecordingCommand_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DeviceGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "jumpHostId" TEXT,
    "recordSessions" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeviceGroup_jumpHostId_fkey" FOREIGN KEY ("jumpHostId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_DeviceGroup" ("createdAt", "description", "id", "jumpHostId", "name", "updatedAt") SELECT "createdAt", "description", "id", "jumpHostId", "name", "updatedAt" FROM "DeviceGroup";
DROP TABLE "DeviceGroup";
ALTER TABLE "new_DeviceGroup" RENAME TO "DeviceGroup";
CREATE UNIQUE INDEX "DeviceGroup_name_key" ON "DeviceGroup"("name");
CREATE INDEX "DeviceGroup_jumpHostId_idx" ON "DeviceGroup"("jumpHostId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Recording_sessionId_key" ON "Recording"("sessionId");

-- CreateIndex
CREATE INDEX "Recording_userId_startedAt_idx" ON "Recording"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "Recording_deviceId_startedAt_idx" ON "Recording"("deviceId", "startedAt");

-- CreateIndex
CREATE INDEX "Recording_startedAt_idx" ON "Recording"("startedAt");

-- CreateIndex
CREATE INDEX "Recording_state_idx" ON "Recording"("state");

-- CreateIndex
CREATE INDEX "RecordingCommand_recordingId_offsetMs_idx" ON "RecordingCommand"("recordingId", "offsetMs");

-- CreateIndex
CREATE INDEX "RecordingCommand_command_idx" ON "RecordingCommand"("command");

