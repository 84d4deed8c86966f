-- CreateTable
CREATE TABLE "LoginFailure" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lastFailureAt" DATETIME NOT NULL,
    "blockedUntil" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL DEFAULT 22,
    "vendor" TEXT NOT NULL,
    "encoding" TEXT NOT NULL DEFAULT 'utf-8',
    "username" TEXT NOT NULL,
    "authType" TEXT NOT NULL,
    "secretEnc" TEXT NOT NULL,
    "passphraseEnc" TEXT,
    "enableSecretEnc" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "statusChangedAt" DATETIME,
    "hostKeyFingerprint" TEXT,
    "hostKey" TEXT,
    "hostKeyApprovalRequired" BOOLEAN NOT NULL DEFAULT false,
    "offeredHostKeyFingerprint" TEXT,
    "offeredHostKey" TEXT,
    "offeredHostKeyAt" DATETIME,
    "lab" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Device" ("authType", "createdAt", "createdById", "enableSecretEnc", "encoding", "host", "hostKey", "hostKeyFingerprint", "id", "lab", "name", "notes", "offeredHostKey", "offeredHostKeyAt", "offeredHostKeyFingerprint", "passphraseEnc", "port", "secretEnc", "status", "statusChangedAt", "updatedAt", "username", "vendor") SELECT "authType", "createdAt", "createdById", "enableSecretEnc", "encoding", "host", "hostKey", "hostKeyFingerprint", "id", "lab", "name", "notes", "offeredHostKey", "offeredHostKeyAt", "offeredHostKeyFingerprint", "passphraseEnc", "port", "secretEnc", "status", "statusChangedAt", "updatedAt", "username", "vendor" FROM "Device";
DROP TABLE "Device";
ALTER TABLE "new_Device" RENAME TO "Device";
CREATE UNIQUE INDEX "Device_name_key" ON "Device"("name");
CREATE INDEX "Device_vendor_idx" ON "Device"("vendor");
CREATE INDEX "Device_status_idx" ON "Device"("status");
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
    "notifyKinds" TEXT NOT NULL DEFAULT 'device_down,device_up,task_completed,task_failed'
);
INSERT INTO "new_User" ("createdAt", "disabled", "displayName", "id", "lastLoginAt", "notificationSeq", "notifyKinds", "passwordHash", "role", "updatedAt", "username") SELECT "createdAt", "disabled", "displayName", "id", "lastLoginAt", "notificationSeq", "notifyKinds", "passwordHash", "role", "updatedAt", "username" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
