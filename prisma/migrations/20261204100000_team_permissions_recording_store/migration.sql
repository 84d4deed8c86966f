-- Team permissions (`recordings`) and observing on a team's group grant (lib/auth/session-permissions.ts), the database recording store's chunks (lib/recordings/db-store.ts), and the recording_failed notification kind.
-- CreateTable
CREATE TABLE "RecordingChunk" (
    "key" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("key", "seq")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Team" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "permissions" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Team" ("createdAt", "description", "id", "name", "updatedAt") SELECT "createdAt", "description", "id", "name", "updatedAt" FROM "Team";
DROP TABLE "Team";
ALTER TABLE "new_Team" RENAME TO "Team";
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");
CREATE TABLE "new_TeamGroupGrant" (
    "teamId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "observe" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("teamId", "groupId"),
    CONSTRAINT "TeamGroupGrant_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeamGroupGrant_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "DeviceGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TeamGroupGrant" ("createdAt", "groupId", "level", "teamId") SELECT "createdAt", "groupId", "level", "teamId" FROM "TeamGroupGrant";
DROP TABLE "TeamGroupGrant";
ALTER TABLE "new_TeamGroupGrant" RENAME TO "TeamGroupGrant";
CREATE INDEX "TeamGroupGrant_groupId_idx" ON "TeamGroupGrant"("groupId");
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
    "notifyKinds" TEXT NOT NULL DEFAULT 'device_down,device_up,task_completed,task_failed,config_changed,recording_failed',
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


-- Users keep the kinds they chose and get the new one (only admins are sent it: a recording store that fails).
UPDATE "User" SET "notifyKinds" = CASE WHEN "notifyKinds" = '' THEN 'recording_failed' ELSE "notifyKinds" || ',recording_failed' END
WHERE ',' || "notifyKinds" || ',' NOT LIKE '%,recording_failed,%';
