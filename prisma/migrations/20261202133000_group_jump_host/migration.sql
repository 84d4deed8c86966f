-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DeviceGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "jumpHostId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DeviceGroup_jumpHostId_fkey" FOREIGN KEY ("jumpHostId") REFERENCES "Device" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_DeviceGroup" ("createdAt", "description", "id", "name", "updatedAt") SELECT "createdAt", "description", "id", "name", "updatedAt" FROM "DeviceGroup";
DROP TABLE "DeviceGroup";
ALTER TABLE "new_DeviceGroup" RENAME TO "DeviceGroup";
CREATE UNIQUE INDEX "DeviceGroup_name_key" ON "DeviceGroup"("name");
CREATE INDEX "DeviceGroup_jumpHostId_idx" ON "DeviceGroup"("jumpHostId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

