-- Team permissions (`recordings`) and observing on a team's group grant (lib/auth/session-permissions.ts), the database recording store's chunks (lib/recordings/db-store.ts), and the recording_failed notification kind.
-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "permissions" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "TeamGroupGrant" ADD COLUMN     "observe" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "notifyKinds" SET DEFAULT 'device_down,device_up,task_completed,task_failed,config_changed,recording_failed';

-- CreateTable
CREATE TABLE "RecordingChunk" (
    "key" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordingChunk_pkey" PRIMARY KEY ("key","seq")
);


-- Users keep the kinds they chose and get the new one (only admins are sent it: a recording store that fails).
UPDATE "User" SET "notifyKinds" = CASE WHEN "notifyKinds" = '' THEN 'recording_failed' ELSE "notifyKinds" || ',recording_failed' END
WHERE ',' || "notifyKinds" || ',' NOT LIKE '%,recording_failed,%';
