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
    "updatedAt" DATETIME NOT NULL,
    "transport" TEXT NOT NULL DEFAULT 'ssh',
    "kind" TEXT NOT NULL DEFAULT 'device',
    "sshAlgorithms" TEXT NOT NULL DEFAULT 'modern',
    "negotiatedAlgorithms" TEXT,
    "jumpHostId" TEXT,
    CONSTRAINT "Device_jumpHostId_fkey" FOREIGN KEY ("jumpHostId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Device" ("authType", "createdAt", "createdById", "enableSecretEnc", "encoding", "host", "hostKey", "hostKeyApprovalRequired", "hostKeyFingerprint", "id", "lab", "name", "notes", "offeredHostKey", "offeredHostKeyAt", "offeredHostKeyFingerprint", "passphraseEnc", "port", "secretEnc", "status", "statusChangedAt", "updatedAt", "username", "vendor") SELECT "authType", "createdAt", "createdById", "enableSecretEnc", "encoding", "host", "hostKey", "hostKeyApprovalRequired", "hostKeyFingerprint", "id", "lab", "name", "notes", "offeredHostKey", "offeredHostKeyAt", "offeredHostKeyFingerprint", "passphraseEnc", "port", "secretEnc", "status", "statusChangedAt", "updatedAt", "username", "vendor" FROM "Device";
DROP TABLE "Device";
ALTER TABLE "new_Device" RENAME TO "Device";
CREATE UNIQUE INDEX "Device_name_key" ON "Device"("name");
CREATE INDEX "Device_vendor_idx" ON "Device"("vendor");
CREATE INDEX "Device_jumpHostId_idx" ON "Device"("jumpHostId");
CREATE INDEX "Device_status_idx" ON "Device"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

