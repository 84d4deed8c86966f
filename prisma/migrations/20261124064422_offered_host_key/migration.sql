-- AlterTable
ALTER TABLE "Device" ADD COLUMN "offeredHostKey" TEXT;
ALTER TABLE "Device" ADD COLUMN "offeredHostKeyAt" DATETIME;
ALTER TABLE "Device" ADD COLUMN "offeredHostKeyFingerprint" TEXT;
