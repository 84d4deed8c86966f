-- AlterTable
ALTER TABLE "Device" ADD COLUMN "maxSessions" INTEGER;

