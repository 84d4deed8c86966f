-- CreateTable
CREATE TABLE "TemplateSubscription" (
    "templateId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("templateId", "userId"),
    CONSTRAINT "TemplateSubscription_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "TaskTemplate" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TemplateSubscription_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "notifyKinds" TEXT NOT NULL DEFAULT 'device_down,device_up,task_completed,task_failed,config_changed',
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
CREATE INDEX "TemplateSubscription_userId_idx" ON "TemplateSubscription"("userId");


-- Users keep the kinds they chose and get the new one (they only receive it for templates they follow).
UPDATE "User" SET "notifyKinds" = CASE WHEN "notifyKinds" = '' THEN 'config_changed' ELSE "notifyKinds" || ',config_changed' END
WHERE ',' || "notifyKinds" || ',' NOT LIKE '%,config_changed,%';
