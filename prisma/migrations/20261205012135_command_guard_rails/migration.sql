-- Command guard rails (lib/policy): ordered rules, commands held for approval, a task's confirmation of its guarded commands, and the two notification kinds they send.
-- CreateTable
CREATE TABLE "CommandRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "matchKind" TEXT NOT NULL DEFAULT 'words',
    "patterns" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "notify" BOOLEAN NOT NULL DEFAULT false,
    "vendors" TEXT NOT NULL DEFAULT '',
    "groupIds" TEXT NOT NULL DEFAULT '',
    "userIds" TEXT NOT NULL DEFAULT '',
    "teamIds" TEXT NOT NULL DEFAULT '',
    "roles" TEXT NOT NULL DEFAULT '',
    "modes" TEXT NOT NULL DEFAULT '',
    "builtin" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CommandApproval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requesterId" TEXT NOT NULL,
    "requester" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "deviceName" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "ruleId" TEXT,
    "ruleName" TEXT NOT NULL,
    "sessionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" TEXT,
    "decidedBy" TEXT,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "decidedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "ownerId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "commands" TEXT NOT NULL,
    "vendorCommands" TEXT NOT NULL DEFAULT '{}',
    "guardConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "concurrency" INTEGER NOT NULL,
    "timeoutMs" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "statusReason" TEXT,
    "totalDevices" INTEGER NOT NULL,
    "completedDevices" INTEGER NOT NULL DEFAULT 0,
    "succeededDevices" INTEGER NOT NULL DEFAULT 0,
    "failedDevices" INTEGER NOT NULL DEFAULT 0,
    "skippedDevices" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "idempotencyKey" TEXT,
    "templateId" TEXT,
    "templateVersion" INTEGER,
    "inputs" TEXT NOT NULL DEFAULT '{}',
    "failurePatterns" TEXT NOT NULL DEFAULT '[]',
    "expectOutput" TEXT,
    "nodeId" TEXT,
    CONSTRAINT "Task_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Task_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "TaskTemplate" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Task" ("cancelRequested", "commands", "completedDevices", "concurrency", "createdAt", "expectOutput", "failedDevices", "failurePatterns", "finishedAt", "id", "idempotencyKey", "inputs", "name", "nodeId", "ownerId", "skippedDevices", "startedAt", "status", "statusReason", "succeededDevices", "templateId", "templateVersion", "timeoutMs", "totalDevices", "vendorCommands") SELECT "cancelRequested", "commands", "completedDevices", "concurrency", "createdAt", "expectOutput", "failedDevices", "failurePatterns", "finishedAt", "id", "idempotencyKey", "inputs", "name", "nodeId", "ownerId", "skippedDevices", "startedAt", "status", "statusReason", "succeededDevices", "templateId", "templateVersion", "timeoutMs", "totalDevices", "vendorCommands" FROM "Task";
DROP TABLE "Task";
ALTER TABLE "new_Task" RENAME TO "Task";
CREATE INDEX "Task_ownerId_createdAt_idx" ON "Task"("ownerId", "createdAt");
CREATE INDEX "Task_status_idx" ON "Task"("status");
CREATE INDEX "Task_templateId_createdAt_idx" ON "Task"("templateId", "createdAt");
CREATE UNIQUE INDEX "Task_ownerId_idempotencyKey_key" ON "Task"("ownerId", "idempotencyKey");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "lastLoginAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "notificationSeq" INTEGER NOT NULL DEFAULT 0,
    "notifyKinds" TEXT NOT NULL DEFAULT 'device_down,device_up,task_completed,task_failed,config_changed,recording_failed,command_guarded,approval_requested',
    "locale" TEXT NOT NULL DEFAULT '',
    "theme" TEXT NOT NULL DEFAULT 'system',
    "terminalTheme" TEXT NOT NULL DEFAULT 'dark',
    "terminalFontSize" INTEGER NOT NULL DEFAULT 14
);
INSERT INTO "new_User" ("createdAt", "disabled", "displayName", "id", "lastLoginAt", "locale", "notificationSeq", "notifyKinds", "passwordHash", "role", "sessionVersion", "terminalFontSize", "terminalTheme", "theme", "updatedAt", "username") SELECT "createdAt", "disabled", "displayName", "id", "lastLoginAt", "locale", "notificationSeq", "notifyKinds", "passwordHash", "role", "sessionVersion", "terminalFontSize", "terminalTheme", "theme", "updatedAt", "username" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "CommandRule_builtin_key" ON "CommandRule"("builtin");

-- CreateIndex
CREATE INDEX "CommandRule_position_idx" ON "CommandRule"("position");

-- CreateIndex
CREATE INDEX "CommandApproval_status_expiresAt_idx" ON "CommandApproval"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "CommandApproval_requesterId_createdAt_idx" ON "CommandApproval"("requesterId", "createdAt");

-- Users keep the kinds they chose and get the new ones (command_guarded is only sent to admins).
UPDATE "User" SET "notifyKinds" = CASE WHEN "notifyKinds" = '' THEN 'command_guarded,approval_requested' ELSE "notifyKinds" || ',command_guarded,approval_requested' END
WHERE ',' || "notifyKinds" || ',' NOT LIKE '%,command_guarded,%';
