-- CreateTable
CREATE TABLE "TaskTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "teamId" TEXT,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TaskTemplate_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TaskTemplate_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TaskTemplateVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "templateId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "commands" TEXT NOT NULL DEFAULT '[]',
    "vendorCommands" TEXT NOT NULL DEFAULT '{}',
    "concurrency" INTEGER NOT NULL,
    "timeoutMs" INTEGER NOT NULL,
    "inputs" TEXT NOT NULL DEFAULT '[]',
    "ignorePatterns" TEXT NOT NULL DEFAULT '[]',
    "failurePatterns" TEXT NOT NULL DEFAULT '[]',
    "expectOutput" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TaskTemplateVersion_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "TaskTemplate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Custom fields on devices ({{field.<key>}}), and the template a task was run from.
ALTER TABLE "Device" ADD COLUMN "fields" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Task" ADD COLUMN "templateId" TEXT REFERENCES "TaskTemplate" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Task" ADD COLUMN "templateVersion" INTEGER;
ALTER TABLE "Task" ADD COLUMN "inputs" TEXT NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE INDEX "Task_templateId_createdAt_idx" ON "Task"("templateId", "createdAt");
CREATE INDEX "TaskTemplate_ownerId_idx" ON "TaskTemplate"("ownerId");
CREATE INDEX "TaskTemplate_teamId_idx" ON "TaskTemplate"("teamId");
CREATE UNIQUE INDEX "TaskTemplate_name_key" ON "TaskTemplate"("name");
CREATE UNIQUE INDEX "TaskTemplateVersion_templateId_version_key" ON "TaskTemplateVersion"("templateId", "version");
