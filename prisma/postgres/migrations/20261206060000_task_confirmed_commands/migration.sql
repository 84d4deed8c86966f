-- A task keeps which guarded commands its owner confirmed, device by device (lib/tasks/guard.ts).
-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "guardConfirmedCommands" TEXT NOT NULL DEFAULT '[]';
