-- A schedule keeps the guard-rail confirmations its owner typed when saving it (lib/automation/scheduler.ts).
-- AlterTable
ALTER TABLE "Schedule" ADD COLUMN "confirmed" TEXT NOT NULL DEFAULT '[]';
