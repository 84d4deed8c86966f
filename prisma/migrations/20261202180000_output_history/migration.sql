-- CreateTable
CREATE TABLE "OutputBlob" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "text" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutputVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deviceId" TEXT,
    "deviceName" TEXT NOT NULL,
    "templateId" TEXT,
    "taskId" TEXT,
    "taskDeviceId" TEXT,
    "blobHash" TEXT NOT NULL,
    "comparableHash" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "previousId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutputVersion_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "OutputVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "TaskTemplate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "OutputVersion_taskDeviceId_key" ON "OutputVersion"("taskDeviceId");

-- CreateIndex
CREATE INDEX "OutputVersion_deviceId_templateId_createdAt_idx" ON "OutputVersion"("deviceId", "templateId", "createdAt");

-- CreateIndex
CREATE INDEX "OutputVersion_templateId_createdAt_idx" ON "OutputVersion"("templateId", "createdAt");

-- CreateIndex
CREATE INDEX "OutputVersion_blobHash_idx" ON "OutputVersion"("blobHash");

