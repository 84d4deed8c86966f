-- Session recordings (lib/recordings): the index of each recorded terminal session, its command lines, and a per-group switch.
-- AlterTable
ALTER TABLE "DeviceGroup" ADD COLUMN     "recordSessions" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "deviceName" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "storedBytes" INTEGER NOT NULL DEFAULT 0,
    "commandCount" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'recording',
    "note" TEXT NOT NULL DEFAULT '',
    "key" TEXT NOT NULL,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingCommand" (
    "id" TEXT NOT NULL,
    "recordingId" TEXT NOT NULL,
    "offsetMs" INTEGER NOT NULL,
    "command" TEXT NOT NULL,

    CONSTRAINT "RecordingCommand_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "RecordingCommand" ADD CONSTRAINT "RecordingCommand_recordingId_fkey" FOREIGN KEY ("recordingId") REFERENCES "Recording"("id") ON DELETE CASCADE ON UPDATE CASCADE;

