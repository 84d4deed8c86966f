-- Command guard rails (lib/policy): ordered rules, commands held for approval, a task's confirmation of its guarded commands, and the two notification kinds they send.
-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "guardConfirmed" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "notifyKinds" SET DEFAULT 'device_down,device_up,task_completed,task_failed,config_changed,recording_failed,command_guarded,approval_requested';

-- CreateTable
CREATE TABLE "CommandRule" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CommandRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CommandApproval" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "CommandApproval_pkey" PRIMARY KEY ("id")
);

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
